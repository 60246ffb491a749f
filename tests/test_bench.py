"""kg.bench and `legalkg bench`; the speed work keeps every output identical.

The streaming build (documents one at a time, labels chosen at the end into graph/labels) is
compared with the in-memory reference path :func:`kg.build.document_graphs` on the same code,
so the check holds while the extraction rules change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDFS, Graph
from typer.testing import CliRunner

from cli import app
from kg import normalize as norm
from kg.bench import replicate_corpus, run_bench
from kg.build import BuildSummary, build, document_graphs, extract_document
from kg.ingest import collect_inputs, read_document
from kg.resources import corpus_dir
from kg.store import Store, graph_iri
from kg.triples import doc_iri
from kg.vocab import ELI

Triple = tuple[object, object, object]


def _store_graphs(store_path: Path) -> dict[str, set[Triple]]:
    """Every named graph of the store as a set of rdflib triples, by graph name."""
    with Store.open(store_path, create=False) as store:
        names = [*store.documents(), "labels", "entities"]
        dumps = {n: store.dump(ox.RdfFormat.N_TRIPLES, graph=n).decode("utf-8") for n in names}
    return {n: set(Graph().parse(data=text, format="nt")) for n, text in dumps.items()}


def _diff(expected: set[Triple], got: set[Triple]) -> str:
    def nt(triples: set[Triple]) -> str:
        g = Graph()
        for t in triples:
            g.add(t)  # type: ignore[arg-type]
        return "\n".join(sorted(g.serialize(format="nt").splitlines())[:20])

    return f"missing:\n{nt(expected - got)}\nextra:\n{nt(got - expected)}"


@pytest.fixture(scope="module")
def reference(nlp) -> dict[str, set[Triple]]:
    """The sample's graphs by the in-memory path (all results held, labels chosen up front)."""
    files = collect_inputs([corpus_dir()])[0]
    results = [extract_document(read_document(p), nlp) for p in files]
    return {doc_id: set(g) for doc_id, g in document_graphs(results)}


def test_streaming_graph_ttl_equals_in_memory_union(
    built_sample: BuildSummary, reference: dict[str, set[Triple]]
) -> None:
    expected = set().union(*reference.values())
    got = set(Graph().parse(built_sample.graph_path, format="turtle"))
    assert got == expected, _diff(expected, got)
    assert built_sample.triples == len(expected)


def _in_document(doc_id: str, triple: Triple) -> bool:
    node = str(doc_iri(doc_id))[1:-1]
    return str(triple[0]) == node or str(triple[0]).startswith(node + "/")


def test_streaming_store_equals_in_memory_graphs(
    built_sample: BuildSummary, reference: dict[str, set[Triple]]
) -> None:
    """Each document graph holds the reference's statements about the document and under it;
    the rest is in graph/entities once, but for the chosen labels/titles, in graph/labels."""
    graphs = _store_graphs(built_sample.store_path)
    labels, entities = graphs.pop("labels"), graphs.pop("entities")
    assert sorted(graphs) == sorted(reference)
    assert labels and {p for _, p, _ in labels} <= {RDFS.label, ELI.title}
    for doc_id, expected in reference.items():
        own = {t for t in expected if _in_document(doc_id, t)}
        assert graphs[doc_id] == own, _diff(own, graphs[doc_id])
    shared = {t for doc_id, ts in reference.items() for t in ts if not _in_document(doc_id, t)}
    assert entities <= shared, _diff(shared, entities)
    assert shared - entities <= labels, _diff(labels, shared - entities)
    assert not any(_in_document(doc_id, t) for doc_id in reference for t in entities | labels)
    union = set().union(*graphs.values(), entities, labels)
    assert union == set().union(*reference.values())


def test_labels_graph_has_one_label_per_entity(built_sample: BuildSummary) -> None:
    labels = _store_graphs(built_sample.store_path)["labels"]
    subjects = [s for s, p, _ in labels if p == RDFS.label]
    assert len(subjects) == len(set(subjects)) > 100


def test_store_lists_documents_without_the_shared_graphs(built_sample: BuildSummary) -> None:
    with Store.open(built_sample.store_path, create=False) as store:
        assert store.documents() == sorted(p.name for p in collect_inputs([corpus_dir()])[0])
        for shared in ("labels", "entities", "ontology"):
            assert graph_iri(shared) in store.graphs() and store.count(shared) > 500


@given(st.text(alphabet="أإآٱىةیکاب \u00a0\t\u2009٣۳5x\n", max_size=60))
def test_fast_fold_equals_translate(text: str) -> None:
    assert norm.fold(text) == text.translate(norm._FOLD)


@given(st.text(alphabet="أ ب\u00a0\t\u2009\u3000\v٣۳٠5x\n", max_size=60))
def test_char_edits_equal_translate_replacements(text: str) -> None:
    for table in (norm._SPACES, norm._DIGITS):
        assert norm._char_edits(table, text) == norm._replacements(text, text.translate(table))


def test_replicate_corpus_gives_distinct_ids(tmp_path: Path) -> None:
    paths = replicate_corpus(5, tmp_path)
    sources = collect_inputs([corpus_dir()])[0]
    assert [p.name for p in paths] == [
        "r0_000_6cf377918dd049db.txt", "r1_001_31d65159885b43bc.txt",
        "r2_000_6cf377918dd049db.txt", "r3_001_31d65159885b43bc.txt",
        "r4_000_6cf377918dd049db.txt",
    ]
    assert paths[3].read_bytes() == sources[1].read_bytes()


def test_replicated_documents_get_their_own_graphs(tmp_path: Path) -> None:
    paths = replicate_corpus(3, tmp_path / "corpus")
    summary = build(paths[:1] + paths[2:], tmp_path / "out", validate=False)
    with Store.open(summary.store_path, create=False) as store:
        assert store.documents() == [paths[0].name, paths[2].name]
        assert store.count(paths[0].name) == store.count(paths[2].name) > 1000


def test_run_bench_reports_every_figure() -> None:
    report = run_bench(1, validate=False, repeats=1)
    assert report["docs"] == 1 and report["words"] > 15000
    assert report["sample_words"] > report["words"]
    for key in ("tokenizer_words_per_s", "build_words_per_s", "store_load_s", "peak_rss_mb"):
        assert report[key] > 0, key
    assert report["build_to_tokenizer"] == pytest.approx(
        report["build_words_per_s"] / report["tokenizer_words_per_s"], abs=0.001
    )
    assert {"establishments", "instruments_by_year", "instruments"} <= set(report["query_ms"])
    assert all(ms is None or ms > 0 for ms in report["query_ms"].values())
    assert report["query_ms"]["instruments_by_year"] is not None
    assert report["shacl_s"] is None and report["conforms"] is None
    json.dumps(report)


def test_cli_bench_has_help() -> None:
    result = CliRunner().invoke(app, ["bench", "--help"])
    assert result.exit_code == 0 and "--docs" in result.output and "--json" in result.output


def test_cli_bench_refuses_zero_documents() -> None:
    result = CliRunner().invoke(app, ["bench", "--docs", "0"])
    assert result.exit_code == 2


def test_parallel_build_is_byte_identical(tmp_path: Path) -> None:
    """Worker processes (--jobs) change the speed, not one byte of graph.ttl or the store."""
    golden = Path(__file__).parent / "golden"
    inputs = sorted(golden.glob("*.txt")) + replicate_corpus(2, tmp_path / "corpus")[:1]
    one = build(inputs, tmp_path / "one", validate=False)
    two = build(inputs, tmp_path / "two", validate=False, jobs=2)
    assert two.graph_path.read_bytes() == one.graph_path.read_bytes()
    assert (two.documents, two.triples, two.facts) == (one.documents, one.triples, one.facts)
    with Store.open(one.store_path, create=False) as a, Store.open(two.store_path, create=False) as b:
        assert a.documents() == b.documents() and len(a.documents()) == len(inputs)
        for doc_id in a.documents():
            assert sorted(map(str, a.inner.quads_for_pattern(None, None, None, ox.NamedNode(
                graph_iri(doc_id))))) == sorted(map(str, b.inner.quads_for_pattern(
                    None, None, None, ox.NamedNode(graph_iri(doc_id)))))
