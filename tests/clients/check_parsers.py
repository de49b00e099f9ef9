"""Re-parses one `chronograph export` file with two independent parsers.

    python check_parsers.py SYNTAX FILE COUNT

SYNTAX is an export format (turtle, ntriples, nquads, trig, jsonld, rdfxml), FILE
the export and COUNT the number of statements the store holds for it (counted
by a SPARQL COUNT over the store in scripts/client-tests.sh, which also checks
that export's own "wrote N statements" agrees). The file is read by

  * rapper (raptor2-utils, C): `rapper -i SYNTAX -c FILE` for the count, and
    `rapper -i SYNTAX -o nquads FILE` for the statements. Raptor 2 has no JSON-LD
    parser: for JSON-LD, jsonld-streaming-parser (Node, installed with Comunica,
    tests/clients/jsonld_to_nquads.mjs) stands in for it and the output says so;
  * rdflib (Python): a Graph for the triple syntaxes (Turtle, N-Triples, RDF/XML:
    chronograph writes the union graph), a Dataset for the quad syntaxes (N-Quads,
    TriG, JSON-LD: the named graphs), counting (s, p, o, g) over every graph.

Checks: both parsers' counts equal COUNT, and the two parsers read the same
statements (ground statements compared exactly, the blank-node statements of each
graph up to a renaming of blank nodes, with rdflib.compare.isomorphic; rapper's
N-Quads output is read with rdflib's N-Quads parser for that comparison). A count
above the number of distinct statements (a statement written twice) fails too.

Prints the details, then one last line `PASS independent parsers: SYNTAX ...` or
`FAIL ...` with the counts; exits 1 on failure.
"""

import io
import logging
import os
import re
import subprocess
import sys
from collections import defaultdict

from rdflib import BNode, Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

HERE = os.path.dirname(os.path.abspath(__file__))

# export syntax -> (rapper's parser name or None, rdflib's format, keeps graphs)
SYNTAXES = {
    "turtle": ("turtle", "turtle", False),
    "ntriples": ("ntriples", "nt", False),
    "nquads": ("nquads", "nquads", True),
    "trig": ("trig", "trig", True),
    "jsonld": (None, "json-ld", True),
    "rdfxml": ("rdfxml", "xml", False),
}
EXAMPLES = 3


class Failure(Exception):
    pass


def statements_of_dataset(ds):
    """Every (s, p, o, g) of a Dataset, g None for the default graph, and their number."""
    out = []
    for graph in ds.graphs():
        name = None if graph.identifier == DATASET_DEFAULT_GRAPH_ID else graph.identifier
        out.extend((s, p, o, name) for s, p, o in graph)
    return out


def read_nquads(text):
    ds = Dataset()
    ds.parse(data=text, format="nquads")
    return statements_of_dataset(ds)


def run(cmd, timeout=120):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError as e:
        raise Failure(f"{cmd[0]}: {e}") from None
    except subprocess.TimeoutExpired:
        raise Failure(f"{' '.join(cmd)}: no answer within {timeout} s") from None


def by_rapper(syntax, path):
    """(count reported by rapper -c, statements rapper parsed)."""
    counted = run(["rapper", "-i", syntax, "-c", path])
    m = re.search(r"Parsing returned (\d+) (?:triples?|statements?)", counted.stderr)
    if counted.returncode != 0 or m is None:
        raise Failure(f"rapper -i {syntax} -c exit {counted.returncode}: {counted.stderr.strip()[-600:]}")
    # Any error or warning rapper printed is a failure, not noise.
    noise = [l for l in counted.stderr.splitlines() if re.search(r"\b(error|warning)\b", l, re.I)]
    if noise:
        raise Failure("rapper: " + " | ".join(noise[:EXAMPLES]))
    parsed = run(["rapper", "-q", "-i", syntax, "-o", "nquads", path])
    if parsed.returncode != 0:
        raise Failure(f"rapper -i {syntax} -o nquads exit {parsed.returncode}: {parsed.stderr.strip()[-600:]}")
    return int(m.group(1)), read_nquads(parsed.stdout)


def by_jsonld_streaming_parser(path):
    done = run(["node", os.path.join(HERE, "jsonld_to_nquads.mjs"), path])
    if done.returncode != 0:
        raise Failure(f"jsonld-streaming-parser exit {done.returncode}: {done.stderr.strip()[-600:]}")
    lines = [l for l in done.stdout.splitlines() if l.strip()]
    return len(lines), read_nquads(done.stdout)


def by_rdflib(fmt, keeps_graphs, path):
    if keeps_graphs:
        ds = Dataset()
        ds.parse(path, format=fmt)
        statements = statements_of_dataset(ds)
    else:
        g = Graph()
        g.parse(path, format=fmt)
        statements = [(s, p, o, None) for s, p, o in g]
    # rdflib keeps a set per graph: its count is the number of distinct statements.
    return len(statements), statements


def has_bnode(statement):
    return any(isinstance(t, BNode) for t in statement)


def show(statement):
    s, p, o, g = statement
    return " ".join(t.n3() for t in (s, p, o) + ((g,) if g is not None else ())) + " ."


def differences(name_a, a, name_b, b):
    """Messages describing how two statement lists differ (empty if they agree)."""
    problems = []
    ground_a = {st for st in a if not has_bnode(st)}
    ground_b = {st for st in b if not has_bnode(st)}
    for only, here, there in ((ground_a - ground_b, name_a, name_b), (ground_b - ground_a, name_b, name_a)):
        if only:
            examples = "; ".join(show(st) for st in sorted(only, key=show)[:EXAMPLES])
            problems.append(f"{len(only)} statement(s) read by {here} and not by {there}, e.g. {examples}")
    # Blank-node statements, graph by graph, up to a renaming of the blank nodes.
    graphs_a, graphs_b = defaultdict(Graph), defaultdict(Graph)
    for statements, graphs in ((a, graphs_a), (b, graphs_b)):
        for st in statements:
            if has_bnode(st):
                graphs[st[3]].add(st[:3])
    for name in sorted(set(graphs_a) | set(graphs_b), key=lambda n: "" if n is None else n.n3()):
        ga, gb = graphs_a.get(name, Graph()), graphs_b.get(name, Graph())
        if not isomorphic(ga, gb):
            where = "the default graph" if name is None else f"graph {name.n3()}"
            problems.append(
                f"blank-node statements of {where} differ: {name_a} has {len(ga)}, {name_b} has {len(gb)}, "
                f"not isomorphic"
            )
    return problems


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in SYNTAXES:
        sys.exit(f"usage: check_parsers.py {{{'|'.join(SYNTAXES)}}} FILE COUNT")
    syntax, path, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rapper_syntax, rdflib_format, keeps_graphs = SYNTAXES[syntax]
    unit = "quads" if keeps_graphs else "triples of the union graph"

    # rdflib logs what it cannot read (ill-typed literals, ...): show it.
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setLevel(logging.WARNING)
    logging.getLogger("rdflib").addHandler(handler)

    problems = []
    counts = []
    results = {}
    if rapper_syntax is None:
        second = "jsonld-streaming-parser"
        counts.append("rapper=n/a (raptor 2 has no JSON-LD parser)")
        reader = lambda: by_jsonld_streaming_parser(path)  # noqa: E731
    else:
        second = "rapper"
        reader = lambda: by_rapper(rapper_syntax, path)  # noqa: E731
    for name, read in ((second, reader), ("rdflib", lambda: by_rdflib(rdflib_format, keeps_graphs, path))):
        try:
            results[name] = read()
            counts.append(f"{name}={results[name][0]}")
        except Failure as e:
            problems.append(str(e))
            counts.append(f"{name}=error")
        except Exception as e:  # a parser's own exception: a failed parse
            problems.append(f"{name}: {type(e).__name__}: {e}")
            counts.append(f"{name}=error")
    counts.append(f"chronograph={expected}")

    for name, (count, statements) in results.items():
        if count != expected:
            problems.append(f"{name} read {count} statements, chronograph wrote {expected}")
        distinct = len(set(statements))
        if distinct != count:
            problems.append(f"{name}: {count} statements of which {distinct} distinct (a statement written twice?)")
    if len(results) == 2:
        problems += differences(second, results[second][1], "rdflib", results["rdflib"][1])
    if log.getvalue().strip():
        problems.append("rdflib logged: " + " | ".join(log.getvalue().strip().splitlines()[:EXAMPLES]))

    for problem in problems:
        print(f"  {syntax}: {problem}")
    graphs = ""
    if keeps_graphs and "rdflib" in results:
        graphs = f" in {len({st[3] for st in results['rdflib'][1]})} named graphs"
    verdict = "FAIL" if problems else "PASS"
    same = "" if problems else ", same statements"
    print(f"{verdict} independent parsers: {syntax} {' '.join(counts)} ({unit}{graphs}{same})")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
