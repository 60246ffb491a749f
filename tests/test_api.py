"""The Python API (kg.__init__): every exported name resolves, and a notebook-style session works."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import kg

GOLDEN = Path(__file__).parent / "golden" / "establishment.txt"


@pytest.mark.parametrize("name", kg.__all__)
def test_exported_name_resolves(name: str) -> None:
    assert getattr(kg, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        kg.no_such_thing  # noqa: B018


def test_notebook_session(tmp_path: Path) -> None:
    summary = kg.build([GOLDEN], tmp_path / "out")
    assert summary.conforms is True
    rows = kg.run_query("establishments", store=summary.store_path)
    assert [r["institution"] for r in rows] == ["مؤسسة الشباب"]
    with kg.open_store(summary.store_path) as store:
        assert store.documents() == ["establishment.txt"]
    report = kg.validate(kg.load_graph_file(summary.graph_path))
    assert report.conforms
    out = kg.export(summary.store_path, "graphml", tmp_path / "net.graphml")
    graph = nx.read_graphml(out)
    assert any("مؤسسة الشباب" in str(d.get("label", "")) for _, d in graph.nodes(data=True))


def test_all_lists_every_export() -> None:
    assert set(kg.__all__) - {"__version__"} == set(kg._EXPORTS)
