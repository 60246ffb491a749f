"""The embedded store: named graph per document, one-transaction replace, bound queries."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from servers import SAMPLE_TRIG, load_sample

from kg.errors import InputError, QueryError, StoreError
from kg.store import Store, strip_comments
from kg.vocab import GRAPH, LKG

INJECTION = 'x" } ; DROP ALL ; SELECT * { "'


@pytest.fixture()
def store_dir(tmp_path: Path) -> Path:
    return load_sample(tmp_path / "store")


def sample_graph(name: str) -> rdflib.Graph:
    ds = rdflib.Dataset()
    ds.parse(SAMPLE_TRIG, format="trig")
    return ds.graph(GRAPH[name])


def test_missing_store_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        Store.open(tmp_path / "nowhere", create=False)
    assert str(exc.value) == f"no store at {tmp_path / 'nowhere'}; run `legalkg build` first"


def test_documents_are_the_named_graphs_without_the_ontology(store_dir: Path) -> None:
    with Store.open(store_dir, create=False) as store:
        assert store.documents() == ["doc_a", "doc_b"]
        assert store.graphs() == [str(GRAPH["doc_a"]), str(GRAPH["doc_b"]), str(GRAPH["ontology"]),
                                  str(GRAPH["summary"])]
        assert store.count() == 447
        assert store.count("doc_a") == len(sample_graph("doc_a"))


def test_replace_document_is_idempotent(store_dir: Path) -> None:
    with Store.open(store_dir) as store:
        before = store.count()
        store.replace_document("doc_a", sample_graph("doc_a"))
        store.replace_document("doc_a", sample_graph("doc_a"))
        assert store.count() == before


def test_replace_document_drops_what_the_new_graph_lacks(store_dir: Path) -> None:
    smaller = rdflib.Graph()
    for triple in list(sample_graph("doc_a"))[:10]:
        smaller.add(triple)
    with Store.open(store_dir) as store:
        doc_b = store.count("doc_b")
        store.replace_document("doc_a", smaller)
        assert store.count("doc_a") == 10
        assert store.count("doc_b") == doc_b


def test_a_failed_replace_leaves_the_old_graph(store_dir: Path) -> None:
    broken = '<https://example.org/a> <https://example.org/p> "unterminated .'
    with Store.open(store_dir) as store:
        before = store.count("doc_a")
        with pytest.raises(StoreError, match="cannot replace graph"):
            store.replace_ntriples("doc_a", broken)
        assert store.count("doc_a") == before


def test_read_only_store_refuses_writes(store_dir: Path) -> None:
    with Store.open(store_dir, create=False) as store, pytest.raises(StoreError, match="read-only"):
        store.replace_document("doc_a", rdflib.Graph())


def test_bulk_load_puts_quads_in_their_graphs(tmp_path: Path) -> None:
    quads = (
        '<https://e/doc> <https://e/p> "قال \\"نعم\\"\\n" <https://w3id.org/legalkg/graph/d> .\n'
        "<https://e/x> <https://e/p> <https://e/y> <https://w3id.org/legalkg/graph/entities> .\n"
    ).encode()
    with Store.open(tmp_path / "store") as store:
        store.bulk_load_nquads(quads)
        store.bulk_load_nquads(quads)  # loading the same quads again adds nothing
        assert (store.count("d"), store.count("entities"), store.count()) == (1, 1, 2)
        with pytest.raises(StoreError, match="cannot load quads"):
            store.bulk_load_nquads(b'<https://e/a> <https://e/p> "unterminated .\n')
    with Store.open(tmp_path / "store", create=False) as store, pytest.raises(StoreError, match="read-only"):
        store.bulk_load_nquads(quads)


def test_dataset_round_trip(store_dir: Path) -> None:
    expected = rdflib.Dataset()
    expected.parse(SAMPLE_TRIG, format="trig")
    with Store.open(store_dir, create=False) as store:
        got = store.to_dataset()
    for name in ("doc_a", "doc_b", "ontology"):
        assert isomorphic(got.graph(GRAPH[name]), expected.graph(GRAPH[name])), name


def test_query_rows_are_strings_in_select_order(store_dir: Path) -> None:
    sparql = """PREFIX lkg: <https://w3id.org/legalkg/ontology#>
    SELECT ?n ?idx ?missing WHERE { ?p lkg:paragraphNumber ?n ; lkg:paragraphIndex ?idx .
    FILTER(?n = "100") OPTIONAL { ?p lkg:nothing ?missing } }"""
    with Store.open(store_dir, create=False) as store:
        rows = store.query(sparql)
    assert rows == [{"n": "100", "idx": "101", "missing": ""}]
    assert rows.columns == ["n", "idx", "missing"]


def test_default_graph_is_the_union_of_documents(store_dir: Path) -> None:
    sparql = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/legalkg/ontology#Document> }"
    with Store.open(store_dir, create=False) as store:
        assert store.query(sparql) == [{"n": "2"}]


def test_bound_value_is_only_a_string(store_dir: Path) -> None:
    sparql = "SELECT ?s ?x WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STR(?l) = ?x) }"
    with Store.open(store_dir, create=False) as store:
        before = store.count()
        assert store.query(sparql, {"x": INJECTION}) == []
        rows = store.query(sparql, {"x": "مجلس الوزراء"})
        assert store.count() == before
    assert [r["s"] for r in rows] == ["https://w3id.org/legalkg/id/institution/cabinet"]


def test_service_is_refused_unless_allowed(store_dir: Path) -> None:
    sparql = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with Store.open(store_dir, create=False) as store, pytest.raises(QueryError, match="SERVICE"):
        store.query(sparql)


def test_service_inside_a_string_or_comment_is_fine(store_dir: Path) -> None:
    sparql = 'SELECT ?x WHERE { BIND("SERVICE" AS ?x) } # SERVICE'
    with Store.open(store_dir, create=False) as store:
        assert store.query(sparql) == [{"x": "SERVICE"}]


def test_syntax_error_is_a_query_error(store_dir: Path) -> None:
    with Store.open(store_dir, create=False) as store, pytest.raises(QueryError, match="syntax"):
        store.query("SELECT WHERE {")


def test_strip_comments_keeps_hashes_in_iris_and_strings() -> None:
    text = 'SELECT ?x # created\nWHERE { <http://a#b> ?p "#x" }'
    assert strip_comments(text) == 'SELECT ?x \nWHERE { <http://a#b> ?p "#x" }'


def test_sample_trig_summary_is_current() -> None:
    """The fixture's graph/summary is what kg.summary derives from its other graphs."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    from summary_fixture import MARK, summary_block

    assert MARK in SAMPLE_TRIG.read_text(encoding="utf-8")
    assert SAMPLE_TRIG.read_text(encoding="utf-8").endswith(summary_block()), (
        "tests/data/store/sample.trig: stale graph/summary; run uv run python tools/summary_fixture.py"
    )


def test_replace_and_remove_document_keep_the_summary_right(store_dir: Path) -> None:
    from kg.queries import run_query

    decree = "https://w3id.org/legalkg/id/instrument/decree/2007-03-19/h1"
    with Store.open(store_dir) as store:
        first = [r for r in run_query("instruments", store=store) if r["instrument"] == decree]
        assert [(r["doc"], r["para"], r["documents"]) for r in first] == [("doc_a", "12", "2")]
        smaller = rdflib.Graph()
        gone = rdflib.URIRef("https://w3id.org/legalkg/id/doc/doc_a/m/1046-1090-instrument")
        for triple in sample_graph("doc_a"):
            if triple[0] != gone:
                smaller.add(triple)
        assert len(smaller) < len(sample_graph("doc_a"))
        store.replace_document("doc_a", smaller)
        rows = [r for r in run_query("instruments", store=store) if r["instrument"] == decree]
        assert [(r["doc"], r["para"], r["documents"]) for r in rows] == [("doc_b", "7", "1")]
        docs = {r["doc"]: r["mentions"] for r in run_query("documents", store=store)}
        assert int(docs["doc_a"]) == sum(1 for _ in smaller.subjects(RDF.type, LKG.Mention))
        store.remove_document("doc_b")
        assert not [r for r in run_query("instruments", store=store) if r["instrument"] == decree]
        assert [r["doc"] for r in run_query("documents", store=store)] == ["doc_a"]
        # its mention is gone; the establishment doc_a states (evidence in doc_a) remains
        rows = run_query("provenance", {"node": decree}, store=store)
        assert [(r["via"], r["doc"], r["para"]) for r in rows] == [("establishment", "doc_a", "12")]
