"""Static pictures of the network and the year chart (kg.figures)."""

from __future__ import annotations

import io

import matplotlib.image as mpimg
import networkx as nx
import pytest

from kg.build import BuildSummary
from kg.errors import InputError
from kg.figures import (
    draw_network,
    network_labels,
    render_network_image,
    render_year_chart,
    shape_arabic,
)
from kg.network import layout, load_network, select_view
from kg.store import Store

ARABIC_LETTERS = range(0x0621, 0x064B)  # base letters, which must not reach matplotlib
PRESENTATION = range(0xFE70, 0xFF00)


def _is_shaped(text: str) -> bool:
    return any(ord(c) in PRESENTATION for c in text) and not any(
        ord(c) in ARABIC_LETTERS for c in text
    )


@pytest.fixture(scope="module")
def view(built_sample: BuildSummary) -> nx.MultiDiGraph:
    with Store.open(built_sample.store_path, create=False) as store:
        return select_view(load_network(store), "core")


@pytest.fixture(scope="module")
def positions(view: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    return layout(view)


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("دائرة", "\ufea9\ufe8d\ufe8b\ufeae\ufe93"),
        ("وزارة العدل", "\ufeed\ufeaf\ufe8d\ufead\ufe93 \ufe8d\ufedf\ufecc\ufeaa\ufedd"),
        ("President", "President"),
    ],
    ids=["joined-letters", "two-words", "latin-unchanged"],
)
def test_shape_arabic(text: str, shaped: str) -> None:
    assert shape_arabic(text) == shaped


def test_labels_given_to_matplotlib_are_shaped(
    view: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]
) -> None:
    assert all(_is_shaped(t) for t in network_labels(view).values())
    fig = draw_network(view, positions)
    drawn = [t.get_text() for t in fig.axes[0].texts]
    assert len(drawn) >= 10
    arabic = [t for t in drawn if any(ord(c) >= 0x0600 for c in t)]
    assert arabic and all(_is_shaped(t) for t in arabic)
    legend = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    assert any(_is_shaped(t.split(" · ")[-1]) for t in legend)


def test_png_has_the_expected_size(
    view: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]
) -> None:
    data = render_network_image(view, "png", positions, size=(1600, 1000))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = mpimg.imread(io.BytesIO(data), format="png")
    assert pixels.shape[:2] == (1000, 1600)
    assert pixels[..., :3].std() > 0.05


def test_svg_is_byte_identical(
    view: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]
) -> None:
    first = render_network_image(view, "svg", positions)
    assert first.startswith(b"<?xml") and b"<svg" in first
    assert b"<dc:date>" not in first
    assert render_network_image(view, "svg", positions) == first


def test_chart_png(built_sample: BuildSummary) -> None:
    with Store.open(built_sample.store_path, create=False) as store:
        g = load_network(store)
    pixels = mpimg.imread(io.BytesIO(render_year_chart(g, "png", size=(1200, 600))), format="png")
    assert pixels.shape[:2] == (600, 1200)
    assert pixels[..., :3].std() > 0.05
    assert render_year_chart(g, "svg") == render_year_chart(g, "svg")


def test_unknown_format(view: nx.MultiDiGraph) -> None:
    with pytest.raises(InputError, match="unknown image format 'pdf'; use one of png, svg"):
        render_network_image(view, "pdf")


def test_empty_graph_still_draws() -> None:
    g = nx.MultiDiGraph()
    pixels = mpimg.imread(io.BytesIO(render_network_image(g, "png", size=(400, 300))))
    assert pixels.shape[:2] == (300, 400)
