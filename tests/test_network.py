"""The institution network read from the built sample store (kg.network)."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from kg.build import BuildSummary
from kg.errors import InputError
from kg.network import (
    RELATION,
    STRUCTURAL,
    filter_years,
    layout,
    load_network,
    select_view,
    short_label,
    year_of,
)
from kg.queries import run_query
from kg.resources import corpus_dir
from kg.store import Store


@pytest.fixture(scope="module")
def network(built_sample: BuildSummary) -> nx.MultiDiGraph:
    with Store.open(built_sample.store_path, create=False) as store:
        return load_network(store)


@pytest.fixture(scope="module")
def store_counts(built_sample: BuildSummary) -> dict[str, int]:
    sparql = """PREFIX lkg: <https://w3id.org/legalkg/ontology#>
    SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
      { ?x a lkg:LegalInstrument . BIND("instrument" AS ?kind) }
      UNION { ?x a lkg:Post . BIND("post" AS ?kind) }
      UNION { ?x a lkg:Institution . FILTER NOT EXISTS { ?x a lkg:Post } BIND("institution" AS ?kind) }
    } GROUP BY ?kind"""
    with Store.open(built_sample.store_path, create=False) as store:
        return {r["kind"]: int(r["n"]) for r in store.query(sparql)}


@pytest.mark.parametrize(
    ("date", "year"),
    [("2011-12-19", 2011), ("2018-12", 2018), ("2012", 2012), ("", None), ("undated", None)],
    ids=["date", "year-month", "year", "empty", "text"],
)
def test_year_of(date: str, year: int | None) -> None:
    assert year_of(date) == year


def test_nodes_match_the_store(network: nx.MultiDiGraph, store_counts: dict[str, int]) -> None:
    kinds = {k: sum(1 for _, d in network.nodes(data="kind") if d == k) for k in store_counts}
    assert kinds == store_counts
    assert store_counts["institution"] > 20 and store_counts["instrument"] > 20


def test_every_node_has_an_arabic_label(network: nx.MultiDiGraph) -> None:
    missing = [n for n, d in network.nodes(data=True)
               if not any("\u0600" <= c <= "\u06ff" for c in d["label"])]
    assert missing == []


def test_edges_are_known_relations_between_nodes(network: nx.MultiDiGraph) -> None:
    assert network.number_of_edges() > 10
    for u, v, key, data in network.edges(keys=True, data=True):
        assert key in RELATION and data["relation"] == key
        assert u != v
    kinds = {k for _, _, k in network.edges(keys=True)}
    assert {"established_by", "subordinate_to", "issued_by"} <= kinds


def test_establishments_query_agrees(network: nx.MultiDiGraph, built_sample: BuildSummary) -> None:
    """Each establishment with an instrument type appears as an established_by line."""
    rows = [r for r in run_query("establishments", store=built_sample.store_path)
            if r["instrument_type"]]
    assert rows
    for row in rows:
        sources = [n for n, d in network.nodes(data=True)
                   if d["label"] == row["institution"] or row["institution"] in d["alt"]]
        targets = {
            (network.nodes[v]["type"], network.nodes[v]["date"])
            for s in sources for _, v, k in network.out_edges(s, keys=True)
            if k == "established_by"
        }
        assert (row["instrument_type"], row["instrument_date"]) in targets, row


def test_evidence_is_verbatim_from_the_document(network: nx.MultiDiGraph) -> None:
    texts: dict[str, str] = {}
    checked = 0
    for _, _, data in network.edges(data=True):
        for ev in data["evidence"]:
            if ev.get("co_mention"):
                continue
            doc = texts.setdefault(ev["doc"], (corpus_dir() / ev["doc"]).read_text("utf-8"))
            assert doc[ev["start"]: ev["start"] + len(ev["text"])] == ev["text"]
            checked += 1
    assert checked >= 5


def test_lines_without_a_statement_cite_paragraphs_naming_both_ends(
    network: nx.MultiDiGraph, built_sample: BuildSummary
) -> None:
    co = [(u, v, ev) for u, v, d in network.edges(data=True) for ev in d["evidence"]
          if ev.get("co_mention")]
    assert co
    sparql = """PREFIX lkg: <https://w3id.org/legalkg/ontology#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT DISTINCT ?node ?doc ?para WHERE {
      ?m lkg:denotes ?node ; lkg:inParagraph ?p .
      ?p lkg:paragraphNumber ?para ; lkg:document/dcterms:identifier ?doc .
    }"""
    with Store.open(built_sample.store_path, create=False) as store:
        named = {(r["node"], r["doc"], r["para"]) for r in store.query(sparql)}
    for u, v, ev in co:
        for node in (u, v):
            assert (node, ev["doc"], ev["para"]) in named


def test_views_nest(network: nx.MultiDiGraph) -> None:
    core, linked, full = (set(select_view(network, s)) for s in ("core", "linked", "all"))
    assert core < linked < full == set(network)
    view = select_view(network, "core")
    assert all(view.degree(n) > 0 for n in view)
    issuers = {v for _, v, k in view.edges(keys=True) if k == "issued_by"}
    structural = {n for u, v, k in view.edges(keys=True) if k in STRUCTURAL for n in (u, v)}
    assert set(view) == structural | issuers


def test_unknown_scope(network: nx.MultiDiGraph) -> None:
    with pytest.raises(InputError, match="unknown scope 'some'"):
        select_view(network, "some")


def test_year_filter_keeps_dated_nodes_in_range(network: nx.MultiDiGraph) -> None:
    view = select_view(network, "linked")
    kept = filter_years(view, 2010, 2019)
    years = [y for _, y in kept.nodes(data="year") if y is not None]
    assert years and all(2010 <= y <= 2019 for y in years)
    dropped = [n for n, y in view.nodes(data="year") if y is not None and not 2010 <= y <= 2019]
    assert dropped and not set(dropped) & set(kept)
    for n, y in kept.nodes(data="year"):
        if y is None:
            assert any(m in kept for m in nx.all_neighbors(view, n))
    assert filter_years(view) is view


def test_year_filter_rejects_a_reversed_range(network: nx.MultiDiGraph) -> None:
    with pytest.raises(InputError, match="--year-from 2020 is after --year-to 2000"):
        filter_years(network, 2020, 2000)


def test_layout_places_every_node_apart(network: nx.MultiDiGraph) -> None:
    view = select_view(network)
    pos = layout(view)
    assert set(pos) == set(view)
    points = list(pos.values())
    closest = min(math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1:])
    assert closest > 15
    assert layout(view) == pos


def test_short_label_keeps_the_date_in_order() -> None:
    data = {"kind": "instrument", "label": "مرسوم صادر عن رئيس الجمهورية", "type_label": "مرسوم",
            "date": "2011-12-19", "number": ""}
    assert short_label(data) == "مرسوم \u200e2011-12-19"
    long = {"kind": "institution", "label": "أ" * 60}
    assert short_label(long, limit=20) == "أ" * 19 + "…"
