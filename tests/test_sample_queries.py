"""Every named query answered on the built sample reports (not a fixture): expected rows."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from kg.build import BuildSummary
from kg.queries import get_query, list_queries, run_query
from kg.store import Store

NAMES = sorted(q.name for q in list_queries())


@pytest.mark.parametrize("name", NAMES)
def test_query_has_rows_on_the_sample(built_sample: BuildSummary, name: str) -> None:
    query = get_query(name)
    rows = run_query(name, {p.name: p.example for p in query.params}, store=built_sample.store_path)
    assert rows, f"{name} returned no rows on the sample"


def rows(built_sample: BuildSummary, name: str, **params: str) -> list[dict[str, str]]:
    return run_query(name, params or None, store=built_sample.store_path)


def test_history_of_the_migration_service(built_sample: BuildSummary) -> None:
    history = rows(built_sample, "institution_history", institution="الدائرة الحكومية للهجرة")
    assert any(r["instrument_date"] == "2007-03-19" for r in history)


def test_instruments_by_year_counts_decrees(built_sample: BuildSummary) -> None:
    counts = {(r["year"], r["type"]): int(r["count"]) for r in rows(built_sample, "instruments_by_year")}
    assert counts[("2007", "decree")] >= 1 and counts[("2011", "decree")] >= 1


def test_issued_by_the_president(built_sample: BuildSummary) -> None:
    issued = rows(built_sample, "issued_by", issuer="رئيس الجمهورية")
    assert {"decree", "order"} <= {r["type"] for r in issued}


def test_subordination_of_the_youth_foundation(built_sample: BuildSummary) -> None:
    pairs = {(r["body"], r["parent"]) for r in rows(built_sample, "subordination")}
    assert ("مؤسسة الشباب", "رئيس الجمهورية") in pairs


def test_treaties_accession_and_ratification(built_sample: BuildSummary) -> None:
    actions = {(r["action"], r["date"]) for r in rows(built_sample, "treaties")}
    assert ("accession", "1997") in actions
    assert ("ratification", "2022-10-11") in actions


def test_successions_replacement_and_merger(built_sample: BuildSummary) -> None:
    changes = {r["change"] for r in rows(built_sample, "successions")}
    assert {"replacement", "merger"} <= changes


def test_documents_carry_the_cover_page(built_sample: BuildSummary) -> None:
    docs = {r["doc"]: r for r in rows(built_sample, "documents")}
    assert docs["000_6cf377918dd049db.txt"]["date"] == "2023-10-10"
    assert int(docs["001_31d65159885b43bc.txt"]["paragraphs"]) == 384


def test_provenance_gives_paragraph_and_snippet(built_sample: BuildSummary) -> None:
    found = rows(built_sample, "provenance", node="مؤسسة الشباب")
    assert any(r["para"] == "157" and "مؤسسة الشباب" in r["snippet"] for r in found)


def test_timeline_is_in_date_order(built_sample: BuildSummary) -> None:
    dates = [r["date"] for r in rows(built_sample, "timeline") if r["date"]]
    assert dates == sorted(dates)


def test_articles_cited_one_row_per_article(built_sample: BuildSummary) -> None:
    # one row per article (was one per citing paragraph); times counts the citing paragraphs
    # and doc/para name the first of them in IRI order (see queries/articles_cited.rq)
    cited = rows(built_sample, "articles_cited")
    iris = [r["article_iri"] for r in cited]
    assert len(iris) == len(set(iris)) > 0
    with Store.open(built_sample.store_path, create=False) as store:
        for r in cited:
            citing = store.query(
                "PREFIX lkg: <https://w3id.org/legalkg/ontology#> "
                "PREFIX dcterms: <http://purl.org/dc/terms/> "
                "SELECT ?a ?doc ?para WHERE { ?p lkg:cites ?a ; lkg:paragraphNumber ?para ; "
                "lkg:document ?d . ?d dcterms:identifier ?doc }",
                {"a": NamedNode(r["article_iri"])},
            )
            places = [(c["doc"], c["para"]) for c in citing]
            assert int(r["times"]) == len(places) and (r["doc"], r["para"]) in places
