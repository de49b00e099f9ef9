"""Python SPARQL clients (SPARQLWrapper, rdflib) against a running `chronograph serve`.

Run by scripts/client-tests.sh, which loads data/sample with the server's own URL
as base IRI (so IRIs dereference) and passes:
  CHRONOGRAPH_URL            e.g. http://127.0.0.1:PORT/  (trailing slash)
  CHRONOGRAPH_UPDATE_TOKEN   the server's --update-token
The update test writes only into its own named graph and runs last (file order).
"""

import csv
import io
import os
import pathlib
import urllib.error

import pytest
import rdflib
from rdflib import Literal, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

ROOT = pathlib.Path(__file__).resolve().parents[2]
URL = os.environ.get("CHRONOGRAPH_URL", "http://127.0.0.1:7878/")
if not URL.endswith("/"):
    URL += "/"
ENDPOINT = URL + "sparql"
TOKEN = os.environ.get("CHRONOGRAPH_UPDATE_TOKEN", "")

SCHEMA_NAME = URIRef("https://schema.org/name")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
KIM = URIRef(URL + "person/kim-il-sung")
PERSON_NAMES = """
SELECT ?name WHERE {
  ?p a <https://w3id.org/chronograph/ontology#Person> ; <https://schema.org/name> ?name
} ORDER BY ?name
"""
KNOWN_NAMES = {"Kim Il Sung", "Alexander Puzanov"}

DOCUMENTS_PER_YEAR = [
    (1953, 1), (1955, 1), (1956, 1), (1957, 1), (1960, 3), (1961, 1),
    (1962, 1), (1964, 1), (1965, 3), (1969, 1), (1979, 1),
]


def wrapper(return_format=None):
    sparql = SPARQLWrapper(ENDPOINT)
    sparql.setTimeout(60)
    if return_format is not None:
        sparql.setReturnFormat(return_format)
    return sparql


def select_json(query):
    sparql = wrapper(JSON)
    sparql.setQuery(query)
    return sparql.query().convert()


# --- SELECT in each results syntax -------------------------------------------


def test_select_json():
    result = select_json(PERSON_NAMES)
    assert result["head"]["vars"] == ["name"]
    names = [b["name"]["value"] for b in result["results"]["bindings"]]
    assert KNOWN_NAMES <= set(names), names
    assert names == sorted(names), "ORDER BY ?name not kept"
    assert all(b["name"]["type"] == "literal" for b in result["results"]["bindings"])


def test_select_xml():
    sparql = wrapper(XML)
    sparql.setQuery(PERSON_NAMES)
    document = sparql.query().convert()  # xml.dom.minidom Document
    names = [
        "".join(node.data for node in literal.childNodes if node.nodeType == node.TEXT_NODE)
        for literal in document.getElementsByTagName("literal")
    ]
    assert KNOWN_NAMES <= set(names), names
    variables = [v.getAttribute("name") for v in document.getElementsByTagName("variable")]
    assert variables == ["name"]


def test_select_csv():
    sparql = wrapper(CSV)
    sparql.setQuery(PERSON_NAMES)
    raw = sparql.query().convert()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["name"], rows[:2]
    names = [row[0] for row in rows[1:] if row]
    assert KNOWN_NAMES <= set(names), names
    json_names = [b["name"]["value"] for b in select_json(PERSON_NAMES)["results"]["bindings"]]
    assert names == json_names, "CSV and JSON results differ"


def test_select_tsv():
    sparql = wrapper(TSV)
    sparql.setQuery(PERSON_NAMES)
    raw = sparql.query().convert()
    lines = (raw.decode("utf-8") if isinstance(raw, bytes) else raw).splitlines()
    assert lines[0] == "?name", lines[:2]
    assert {'"Kim Il Sung"', '"Alexander Puzanov"'} <= set(lines[1:]), lines


def test_sample_query_documents_per_year():
    query = (ROOT / "queries" / "documents-per-year.rq").read_text(encoding="utf-8")
    result = select_json(query)
    assert result["head"]["vars"] == ["year", "documents"]
    got = [
        (int(b["year"]["value"]), int(b["documents"]["value"]))
        for b in result["results"]["bindings"]
    ]
    assert got == DOCUMENTS_PER_YEAR


# --- CONSTRUCT, parsed by rdflib -----------------------------------------------

CONSTRUCT_NAMES = """
PREFIX cg: <https://w3id.org/chronograph/ontology#>
PREFIX schema: <https://schema.org/>
CONSTRUCT { ?p schema:name ?name } WHERE { ?p a cg:Person ; schema:name ?name }
"""


def test_construct_turtle():
    sparql = wrapper(TURTLE)
    sparql.setQuery(CONSTRUCT_NAMES)
    raw = sparql.query().convert()
    graph = rdflib.Graph()
    graph.parse(data=raw.decode("utf-8") if isinstance(raw, bytes) else raw, format="turtle")
    assert (KIM, SCHEMA_NAME, Literal("Kim Il Sung")) in graph
    assert KNOWN_NAMES <= {str(o) for o in graph.objects(None, SCHEMA_NAME)}


def test_construct_jsonld():
    sparql = wrapper(JSONLD)
    sparql.setQuery(CONSTRUCT_NAMES)
    result = sparql.query()
    content_type = result.info().get("content-type", "")
    assert content_type.startswith("application/ld+json"), content_type
    graph = result.convert()  # SPARQLWrapper parses JSON-LD with rdflib
    if not isinstance(graph, rdflib.Graph):
        graph = rdflib.Graph().parse(data=graph, format="json-ld")
    assert (KIM, SCHEMA_NAME, Literal("Kim Il Sung")) in graph
    assert KNOWN_NAMES <= {str(o) for o in graph.objects(None, SCHEMA_NAME)}


def test_construct_rdfxml():
    sparql = wrapper(RDFXML)
    sparql.setQuery(CONSTRUCT_NAMES)
    graph = sparql.query().convert()  # SPARQLWrapper parses RDF/XML with rdflib
    assert isinstance(graph, rdflib.Graph), type(graph)
    assert (KIM, SCHEMA_NAME, Literal("Kim Il Sung")) in graph


# --- dereferencing IRIs ---------------------------------------------------------


def test_rdflib_dereferences_by_content_negotiation():
    graph = rdflib.Graph().parse(str(KIM))  # rdflib's own Accept header for RDF
    assert (KIM, SCHEMA_NAME, Literal("Kim Il Sung")) in graph


@pytest.mark.parametrize("rdflib_format", ["turtle", "json-ld", "xml", "nt"])
def test_rdflib_dereferences_asking_for_one_syntax(rdflib_format):
    graph = rdflib.Graph().parse(str(KIM), format=rdflib_format)
    assert (KIM, SCHEMA_NAME, Literal("Kim Il Sung")) in graph


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".nt", ".rdf"])
def test_rdflib_reads_suffix_urls(suffix):
    graph = rdflib.Graph().parse(str(KIM) + suffix)
    assert (KIM, SCHEMA_NAME, Literal("Kim Il Sung")) in graph


# --- SPARQL Update (last: it writes) -------------------------------------------

TEST_GRAPH = URIRef(URL + "graph/client-tests")
TEST_SUBJECT = URIRef("urn:chronograph:client-tests:sparqlwrapper")
TEST_LABEL = "inserted by SPARQLWrapper"
INSERT = f"""
INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <{TEST_SUBJECT}> <{RDFS_LABEL}> "{TEST_LABEL}" }} }}
"""
ASK_INSERTED = f"""
ASK {{ GRAPH <{TEST_GRAPH}> {{ <{TEST_SUBJECT}> <{RDFS_LABEL}> "{TEST_LABEL}" }} }}
"""


def ask(query):
    return select_json(query)["boolean"]


def update(token=None):
    sparql = wrapper()
    sparql.setMethod(POST)
    sparql.setQuery(INSERT)
    if token is not None:
        sparql.addCustomHttpHeader("Authorization", f"Bearer {token}")
    return sparql.query()


def test_update_needs_the_token_then_is_seen():
    assert TOKEN, "CHRONOGRAPH_UPDATE_TOKEN is not set"
    assert ask(ASK_INSERTED) is False

    for bad in (None, "not-the-token"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            update(bad)
        assert refused.value.code == 403, refused.value
    assert ask(ASK_INSERTED) is False, "a refused update changed the store"

    result = update(TOKEN)
    assert result.response.status in (200, 204), result.response.status
    assert ask(ASK_INSERTED) is True
    # The default graph (the sample's people) is untouched.
    names = [b["name"]["value"] for b in select_json(PERSON_NAMES)["results"]["bindings"]]
    assert TEST_LABEL not in names and KNOWN_NAMES <= set(names)
