"""Network facts (kg.stats) checked against independent SPARQL, and `legalkg stats`."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from cli import app
from kg.build import BuildSummary
from kg.network import load_network
from kg.queries import run_query
from kg.stats import NetworkStats, format_text, network_stats, to_json
from kg.store import Store

PREFIXES = """PREFIX lkg: <https://w3id.org/legalkg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture(scope="module")
def network(built_sample: BuildSummary) -> nx.MultiDiGraph:
    with Store.open(built_sample.store_path, create=False) as store:
        return load_network(store)


@pytest.fixture(scope="module")
def stats(network: nx.MultiDiGraph) -> NetworkStats:
    return network_stats(network)


def _select(built_sample: BuildSummary, sparql: str) -> list[dict[str, str]]:
    with Store.open(built_sample.store_path, create=False) as store:
        return list(store.query(PREFIXES + sparql))


def test_top_issuer_matches_sparql(stats: NetworkStats, built_sample: BuildSummary) -> None:
    rows = _select(built_sample, """
        SELECT ?p (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a lkg:LegalInstrument ; eli:passed_by ?p }
        GROUP BY ?p ORDER BY DESC(?n) ?p""")
    assert stats.issuers[0].iri == rows[0]["p"]
    assert stats.issuers[0].count == int(rows[0]["n"])
    assert sum(stats.issuers[0].by_type.values()) == stats.issuers[0].count
    assert [r.count for r in stats.issuers] == sorted((r.count for r in stats.issuers),
                                                        reverse=True)


def test_parents_match_sparql(stats: NetworkStats, built_sample: BuildSummary) -> None:
    rows = _select(built_sample, """
        SELECT ?p (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c lkg:subordinateTo ?p }
        GROUP BY ?p ORDER BY DESC(?n) ?p""")
    expected = {r["p"]: int(r["n"]) for r in rows}
    assert stats.parents
    for r in stats.parents:
        assert expected[r.iri] == r.count == len(r.members)
    assert stats.parents[0].count == max(expected.values())


def test_instruments_per_year_match_the_named_query(
    stats: NetworkStats, built_sample: BuildSummary
) -> None:
    rows = run_query("instruments_by_year", store=built_sample.store_path)
    expected = {(int(r["year"]), r["type"]): int(r["count"]) for r in rows if r["year"]}
    assert {(r.year, r.type): r.count for r in stats.per_year} == expected
    undated = {r["type"]: int(r["count"]) for r in rows if not r["year"]}
    assert stats.undated == undated


def test_components(stats: NetworkStats, network: nx.MultiDiGraph) -> None:
    assert stats.component_count >= len(stats.components) > 1
    sizes = [c.size for c in stats.components]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] >= 2
    assert stats.components[0].hubs[0] == stats.issuers[0].label
    assert stats.isolated == sum(1 for n in network if network.degree(n) == 0)
    assert sum(stats.nodes.values()) == network.number_of_nodes()


def test_text_report(stats: NetworkStats) -> None:
    text = format_text(stats)
    for heading in ("Institutions with most subordinate bodies", "Most active issuers",
                    "Connected components:", "Instruments per year and type:"):
        assert heading in text
    top = stats.issuers[0]
    assert f"{top.count:>4}  {top.label}  (" in text


def test_json_report(stats: NetworkStats) -> None:
    data = json.loads(to_json(stats))
    assert data["issuers"][0]["label"] == stats.issuers[0].label
    assert data["per_year"][0].keys() == {"year", "type", "count"}


def test_cli_stats(built_sample: BuildSummary, stats: NetworkStats) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["stats", "--store", str(built_sample.store_path), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(to_json(stats))
    text = runner.invoke(app, ["stats", "--store", str(built_sample.store_path)])
    assert text.exit_code == 0 and text.stdout == format_text(stats)


def test_cli_stats_errors(tmp_path) -> None:
    runner = CliRunner()
    bad = runner.invoke(app, ["stats", "--format", "xml", "--store", str(tmp_path)])
    assert bad.exit_code == 2
    assert bad.stderr.strip() == "Error: unknown --format 'xml'; use text or json"
    missing = runner.invoke(app, ["stats", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 2
    assert missing.stderr.strip() == f"Error: no store at {tmp_path / 'none'}; run `legalkg build` first"
