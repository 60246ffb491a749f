"""kg.triples writes N-Triples text directly; it must be exactly what pyoxigraph and rdflib read.

The statements are compared with pyoxigraph's own printing of the same triples (so sorting the
text sorts the triples as the store does) and with the rdflib Graph that :func:`to_graph` gives
(SHACL and tests use it), on the bundled sample and on hostile strings.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.build import extract_document, stream_graph
from kg.ingest import collect_inputs, read_document
from kg.records import DocumentResult
from kg.resources import corpus_dir
from kg.store import to_ox
from kg.triples import DocumentTriples, arabic, doc_iri, rdf_graph, string, to_graph

HOSTILE = [
    'قال "المجلس" \\ الأعلى',  # quotes and a backslash
    "سطر أول\nسطر ثان\r\tبعد جدولة",  # newline, carriage return, tab
    "\u200fعلامة من اليمين\u200e إلى اليسار\u202b\u202c\u061c",  # RTL/LTR marks, ALM
    "\x00\x01\x08\x0b\x0c\x1f\x7f\x85\u2028\ufeff",  # control characters, NEL, LS, BOM
    "قانون رقم ٣ لعام ۲۰۱۱ 😀",  # Arabic-Indic digits, an astral character
    "",
]


@pytest.fixture(scope="module")
def sample(nlp) -> list[DocumentResult]:
    files = collect_inputs([corpus_dir()])[0]
    return [extract_document(read_document(p), nlp) for p in files]


def _parsed(text: str) -> list[ox.Triple]:
    return list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("text", HOSTILE)
def test_literals_are_escaped_as_pyoxigraph_writes_them(text: str) -> None:
    assert string(text) == str(ox.Literal(text))
    assert arabic(text) == str(ox.Literal(text, language="ar"))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_string_round_trips_through_both_parsers(text: str) -> None:
    line = f"<https://e/s> <https://e/p> {string(text)} .\n"
    assert _parsed(line)[0].object.value == text
    assert str(next(iter(rdf_graph(line)))[2]) == text
    assert string(text) == str(ox.Literal(text))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_read_back_the_same_in_rdflib(text: str) -> None:
    line = f"<https://e/s> <https://e/p> {arabic(text)} .\n"
    ((_, _, literal),) = rdf_graph(line)
    assert str(literal) == text and literal.language == "ar"


def test_statements_are_pyoxigraph_triples_sorted(sample: list[DocumentResult]) -> None:
    for result in sample:
        _, triples, _ = stream_graph(result)
        lines = triples.lines()
        assert len(lines) > 5000 and lines == sorted(set(lines))
        assert [str(t) for t in _parsed(triples.ntriples())] == lines


def test_rdflib_graph_has_the_same_triples(sample: list[DocumentResult]) -> None:
    """Both paths exist (N-Triples text for the store, rdflib for SHACL): same triples."""
    for result in sample:
        resolved, triples, deferred = stream_graph(result)
        graph = to_graph(resolved, {}, deferred={})
        assert {
            str(ox.Triple(to_ox(s), to_ox(p), to_ox(o))) for s, p, o in graph  # type: ignore[arg-type]
        } == set(triples.lines())
        assert deferred


def test_document_and_entity_statements_split_by_subject(sample: list[DocumentResult]) -> None:
    for result in sample:
        _, triples, _ = stream_graph(result)
        node = doc_iri(result.document.doc_id)
        assert triples.document and triples.entities
        for line in triples.document:
            assert line.startswith((node + " ", node[:-1] + "/")), line
        for line in triples.entities:
            assert not line.startswith(node[:-1]), line


def test_nquads_put_each_part_in_its_graph() -> None:
    triples = DocumentTriples(("<https://e/d> <https://e/p> \"a\"",), ("<https://e/x> <https://e/p> <https://e/y>",))
    quads = list(ox.parse(triples.nquads("https://g/d", "https://g/e"), format=ox.RdfFormat.N_QUADS))
    assert [(q.subject.value, q.graph_name.value) for q in quads] == [
        ("https://e/d", "https://g/d"), ("https://e/x", "https://g/e"),
    ]
    assert DocumentTriples((), ()).nquads("https://g/d", "https://g/e") == b""
