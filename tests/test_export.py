"""Exports read back with the libraries users would use (rdflib, networkx, csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic
from servers import SAMPLE_TRIG, load_sample
from typer.testing import CliRunner

from cli import app
from kg.errors import InputError
from kg.export import FORMATS, export, network_tables
from kg.store import Store
from kg.vocab import GRAPH

runner = CliRunner()
SMS = "https://w3id.org/legalkg/id/institution/sms"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_sample(tmp_path_factory.mktemp("export") / "store")


@pytest.fixture(scope="module")
def expected() -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(SAMPLE_TRIG, format="trig")
    return ds


def union(ds: rdflib.Dataset) -> rdflib.Graph:
    graph = rdflib.Graph()
    for g in ds.graphs():
        for triple in g:
            graph.add(triple)
    return graph


@pytest.mark.parametrize(("fmt", "parser"), [("nq", "nquads"), ("trig", "trig")])
def test_quad_formats_keep_the_document_graphs(store_dir: Path, expected: rdflib.Dataset,
                                               tmp_path: Path, fmt: str, parser: str) -> None:
    out = export(store_dir, fmt, tmp_path / f"all.{fmt}")
    got = rdflib.Dataset()
    got.parse(out, format=parser)
    for name in ("doc_a", "doc_b", "ontology"):
        assert isomorphic(got.graph(GRAPH[name]), expected.graph(GRAPH[name])), name


@pytest.mark.parametrize(("fmt", "parser"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_triple_formats_hold_the_union(store_dir: Path, expected: rdflib.Dataset, tmp_path: Path,
                                       fmt: str, parser: str) -> None:
    out = export(store_dir, fmt, tmp_path / f"all.{fmt}")
    got = rdflib.Graph()
    got.parse(out, format=parser)
    assert isomorphic(got, union(expected))


def test_jsonld_has_a_compact_context(store_dir: Path, tmp_path: Path) -> None:
    import json

    doc = json.loads(export(store_dir, "jsonld", tmp_path / "all.jsonld").read_text("utf-8"))
    assert doc["@context"]["lkg"] == "https://w3id.org/legalkg/ontology#"
    assert any("lkg:typeCode" in node for node in doc["@graph"])


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_networks_read_back_with_networkx(store_dir: Path, tmp_path: Path, fmt: str) -> None:
    out = export(store_dir, fmt, tmp_path / f"net.{fmt}")
    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    with Store.open(store_dir, create=False) as store:
        nodes, edges = network_tables(store)
    assert graph.number_of_nodes() == len(nodes)
    assert graph.number_of_edges() == len(edges)
    assert graph.nodes[SMS]["label"] == "الدائرة الحكومية للهجرة"
    assert graph.nodes[SMS]["kind"] == "institution"
    decree = "https://w3id.org/legalkg/id/instrument/decree/2007-03-19/h1"
    assert graph.nodes[decree]["type"] == "decree" and graph.nodes[decree]["date"] == "2007-03-19"
    relations = {d["relation"] for _, _, d in graph.edges(data=True)}
    assert {"established_by", "issued_by", "subordinate_to", "replaces", "amends"} <= relations


def test_csv_is_ready_for_neo4j_admin_import(store_dir: Path, tmp_path: Path) -> None:
    folder = export(store_dir, "csv", tmp_path / "neo4j")
    with (folder / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with (folder / "relationships.csv").open(encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert list(nodes[0]) == ["iri:ID", "label", "kind", "type", "date", ":LABEL"]
    assert list(edges[0]) == [":START_ID", ":END_ID", ":TYPE"]
    ids = [n["iri:ID"] for n in nodes]
    assert len(ids) == len(set(ids)) and ids == sorted(ids)
    assert all(e[":START_ID"] in ids and e[":END_ID"] in ids for e in edges)
    assert {"Institution", "Post", "Instrument"} == {n[":LABEL"] for n in nodes}
    assert ("https://w3id.org/legalkg/id/institution/sms", "ESTABLISHED_BY") in {
        (e[":START_ID"], e[":TYPE"]) for e in edges}


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_are_deterministic_and_atomic(store_dir: Path, tmp_path: Path, fmt: str) -> None:
    first = export(store_dir, fmt, tmp_path / "a" / f"x.{fmt}")
    second = export(store_dir, fmt, tmp_path / "b" / f"x.{fmt}")
    again = export(store_dir, fmt, first)  # overwrite in place
    read = (lambda p: {f.name: f.read_bytes() for f in p.iterdir()}) if fmt == "csv" else (
        lambda p: p.read_bytes())
    assert read(first) == read(second) == read(again)
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [f"x.{fmt}"]


def test_unknown_format(store_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown export format 'xml'"):
        export(store_dir, "xml", tmp_path / "x.xml")


def test_cli_export(store_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--format", "nq", "--out", str(tmp_path / "a.nq"),
                                 "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.nq").read_text("utf-8").count("\n") == 447
    bad = runner.invoke(app, ["export", "--format", "pdf", "--out", str(tmp_path / "a.pdf"),
                              "--store", str(store_dir)])
    assert bad.exit_code == 2
    assert bad.stderr.strip() == (
        "Error: unknown --format 'pdf'; use one of ttl, nt, nq, trig, jsonld, graphml, gexf, csv")
