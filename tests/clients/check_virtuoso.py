"""What `chronograph publish` pushed to Virtuoso, compared with the local store.

    check_virtuoso.py graphs SPARQL_URL OUT          the graphs Virtuoso holds, one a line
    check_virtuoso.py compare LOCAL.nq GSP_URL SPARQL_URL BEFORE
    check_virtuoso.py tamper GSP_URL GRAPH           adds one triple to GRAPH (to see `compare` fail)

`compare` reads the local store's N-Quads (`chronograph export --format nquads`:
every named graph but the union graph) and, for each named graph, the graph
Virtuoso holds, fetched back over the same Graph Store Protocol endpoint and
authentication it was pushed with (GET ?graph=IRI as N-Triples, HTTP Digest,
user and password from VIRTUOSO_USER and VIRTUOSO_PASSWORD). Each pair must be
isomorphic (rdflib.compare.isomorphic: the same triples, blank nodes matched
by structure), and the graphs Virtuoso holds beyond those it held before the
push (BEFORE, written by `graphs`: its own system graphs) must be exactly the
local named graphs. Nothing is normalised before comparing: if Virtuoso
rewrote a literal (a datatype's lexical form, a language tag's case), the
graph is not isomorphic and the check fails, printing the differing triples.
"""

import os
import sys
import urllib.parse
import urllib.request

import rdflib
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

# Compare lexical forms as written: by default rdflib rewrites the literals of
# known datatypes to their canonical form ("01"^^xsd:integer to "1"), which
# would hide the same rewriting done by Virtuoso.
rdflib.NORMALIZE_LITERALS = False


def sparql_graphs(sparql_url):
    """The named graphs with at least one triple, from Virtuoso's SPARQL endpoint."""
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    url = sparql_url + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        lines = answer.read().decode("utf-8").splitlines()
    return {line.strip('"') for line in lines[1:] if line.strip()}


def digest_opener(gsp_url):
    """A urllib opener answering the endpoint's Digest challenge."""
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(
        None, gsp_url, os.environ["VIRTUOSO_USER"], os.environ["VIRTUOSO_PASSWORD"]
    )
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))


def fetch(opener, gsp_url, graph):
    url = gsp_url + "?" + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    with opener.open(request, timeout=120) as answer:
        content_type = answer.headers.get("Content-Type", "")
        body = answer.read()
    if not content_type.startswith("application/n-triples"):
        raise SystemExit(f"GET {url}: {content_type!r}, not N-Triples")
    remote = Graph()
    remote.parse(data=body, format="nt")
    return remote


def show(label, graph, limit=5):
    lines = sorted(graph.serialize(format="nt").splitlines())
    for line in lines[:limit]:
        print(f"    {label} {line}")
    if len(lines) > limit:
        print(f"    {label} … {len(lines) - limit} more")


def compare(local_path, gsp_url, sparql_url, before_path):
    local = Dataset()
    local.parse(local_path, format="nquads")
    local_graphs = {
        str(g.identifier): g for g in local.graphs() if isinstance(g.identifier, URIRef)
    }
    local_graphs = {name: g for name, g in local_graphs.items() if len(g) > 0}
    with open(before_path, encoding="utf-8") as f:
        before = {line.strip() for line in f if line.strip()}
    after = sparql_graphs(sparql_url)
    pushed = after - before
    failures = 0
    if pushed != set(local_graphs):
        failures += 1
        print("FAIL the graphs Virtuoso gained are not the local named graphs")
        for g in sorted(set(local_graphs) - pushed):
            print(f"    missing in Virtuoso: {g}")
        for g in sorted(pushed - set(local_graphs)):
            print(f"    only in Virtuoso:    {g}")
    opener = digest_opener(gsp_url)
    triples = blank = same = 0
    for name in sorted(local_graphs):
        mine = Graph()
        for triple in local_graphs[name]:
            mine.add(triple)
        remote = fetch(opener, gsp_url, name)
        triples += len(mine)
        blank += sum(1 for t in mine if any(isinstance(x, BNode) for x in t))
        if isomorphic(mine, remote):
            same += 1
            continue
        failures += 1
        _, only_local, only_remote = graph_diff(to_isomorphic(mine), to_isomorphic(remote))
        print(
            f"FAIL {name}: not isomorphic ({len(mine)} triples here, {len(remote)} in Virtuoso)"
        )
        show("local   ", only_local)
        show("virtuoso", only_remote)
    verdict = "FAIL" if failures else "PASS"
    print(
        f"{verdict} Virtuoso isomorphism: {same} of {len(local_graphs)} named graphs isomorphic to the local store "
        f"({triples} triples, {blank} with blank nodes), fetched back with HTTP Digest"
    )
    return 1 if failures else 0


def tamper(gsp_url, graph):
    url = gsp_url + "?" + urllib.parse.urlencode({"graph": graph})
    body = b'<http://example.org/tampered> <http://example.org/p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/n-triples"}
    )
    with digest_opener(gsp_url).open(request, timeout=60) as answer:
        print(f"   POST {url}: {answer.status}")
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "graphs":
        with open(argv[3], "w", encoding="utf-8") as out:
            for g in sorted(sparql_graphs(argv[2])):
                out.write(g + "\n")
        return 0
    if len(argv) == 4 and argv[1] == "tamper":
        return tamper(argv[2], argv[3])
    if len(argv) == 6 and argv[1] == "compare":
        return compare(*argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
