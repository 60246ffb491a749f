"""Static pictures of the network (PNG, SVG) and a chart of instruments per year, with matplotlib.

Arabic labels go through :func:`shape_arabic`: arabic-reshaper replaces the letters by their
contextual presentation forms (U+FE70–U+FEFF), so joining never depends on the font's shaping
tables.  Ordering is left to matplotlib when it does it: since 3.11 matplotlib lays text out
with libraqm (bidi included), and reversing the string ourselves as well (python-bidi) would
turn every word backwards; older versions get python-bidi's visual order.  The font is
matplotlib's bundled DejaVu Sans, which has the Arabic presentation forms, so the pictures do
not depend on the fonts installed on the machine.  SVG output is made byte-stable (fixed hash
salt, no date, text as paths).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import arabic_reshaper
import matplotlib
import networkx as nx
from bidi.algorithm import get_display
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from .errors import InputError
from .network import (
    KIND_STYLE,
    RELATION,
    RELATIONS,
    TYPE_COLOR,
    instruments_per_year,
    layout,
    node_size,
    short_label,
)

FONT = "DejaVu Sans"
FORMATS = ("png", "svg")
_MARKER = {"circle": "o", "square": "s", "diamond": "D"}
_RC = {
    "font.family": FONT,
    "svg.hashsalt": "legalkg",
    "svg.fonttype": "path",
    "path.simplify": False,
}
_METADATA = {"png": {"Software": "legalkg"}, "svg": {"Date": None, "Creator": "legalkg"}}

_reshaper = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})
# matplotlib >= 3.11 orders right-to-left text itself (libraqm); see the module docstring.
MPL_ORDERS_BIDI = tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) >= (3, 11)


def shape_arabic(text: str) -> str:
    """Return *text* ready for matplotlib: Arabic letters as joined presentation forms.

    ``shape_arabic("دائرة")`` is ``"ﺩﺍﺋﺮﺓ"`` (U+FEA9 U+FE8D U+FE8B U+FEAE U+FE93); with a
    matplotlib older than 3.11 it is also put in visual (reversed) order.  Text without
    Arabic comes back unchanged.
    """
    if not any("\u0600" <= c <= "\u06ff" for c in text):
        return text
    shaped = _reshaper.reshape(text)
    return shaped if MPL_ORDERS_BIDI else str(get_display(shaped))


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InputError(f"unknown image format {fmt!r}; use one of {', '.join(FORMATS)}")


@contextmanager
def _style() -> Iterator[None]:
    with rc_context(_RC):
        yield


def _save(fig: Figure, fmt: str) -> bytes:
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buf, format=fmt, metadata=_METADATA[fmt])
    return buf.getvalue()


def _color(data: dict[str, Any]) -> str:
    if data["kind"] == "instrument":
        return TYPE_COLOR.get(data["type"], TYPE_COLOR["other"])
    return KIND_STYLE[data["kind"]]["color"]


def network_labels(g: nx.MultiDiGraph) -> dict[str, str]:
    """Return the shaped label text drawn for each node (see :func:`shape_arabic`)."""
    return {n: shape_arabic(short_label(d, limit=34)) for n, d in g.nodes(data=True)}


def render_network_image(
    g: nx.MultiDiGraph,
    fmt: str = "png",
    positions: dict[str, tuple[float, float]] | None = None,
    *,
    size: tuple[int, int] = (1800, 1200),
    title: str = "Institution network",
) -> bytes:
    """Draw *g* as a PNG or SVG of *size* pixels (at 100 dpi) and return the file's bytes."""
    _check_format(fmt)
    with _style():
        return _save(draw_network(g, positions, size=size, title=title), fmt)


def draw_network(
    g: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]] | None = None,
    *,
    size: tuple[int, int] = (1800, 1200),
    title: str = "Institution network",
) -> Figure:
    """Return a matplotlib Figure of *g*: nodes by kind and type, lines by relation, legend."""
    positions = positions if positions is not None else layout(g)
    with _style():
        fig = Figure(figsize=(size[0] / 100, size[1] / 100), dpi=100)
        fig.patch.set_facecolor("white")
        ax = fig.add_axes((0.01, 0.01, 0.98, 0.9))
        ax.set_axis_off()
        fig.text(0.01, 0.975, title, fontsize=16, fontweight="bold", va="top")
        kinds = {k: sum(1 for _, d in g.nodes(data="kind") if d == k) for k in KIND_STYLE}
        fig.text(0.01, 0.945, " · ".join(f"{n} {k}{'' if n == 1 else 's'}" for k, n in kinds.items() if n)
                 + f" · {g.number_of_edges()} lines", fontsize=10, color="#5b6773", va="top")
        if g.number_of_nodes() == 0:
            ax.text(0.5, 0.5, "no nodes to draw", ha="center", va="center", transform=ax.transAxes)
            return fig
        xs = [p[0] for p in positions.values()]
        ys = [p[1] for p in positions.values()]
        pad = 60.0
        x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
        # Equal scale on both axes, the drawing centred in the axes box.
        box_w, box_h = size[0] * 0.98, size[1] * 0.9
        scale = min(box_w / (x1 - x0), box_h / (y1 - y0))
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        ax.set_xlim(cx - box_w / scale / 2, cx + box_w / scale / 2)
        ax.set_ylim(cy + box_h / scale / 2, cy - box_h / scale / 2)  # y grows downwards
        px_per_unit = scale  # 100 dpi: 1 px = 0.72 pt
        degree = dict(g.degree())
        radius_pt = {n: node_size(degree[n]) * min(1.0, px_per_unit) * 0.72 * 1.15 for n in g}

        _draw_edges(ax, g, positions, radius_pt)
        for kind, style in KIND_STYLE.items():
            members = [n for n, d in g.nodes(data=True) if d["kind"] == kind]
            if not members:
                continue
            ax.scatter(
                [positions[n][0] for n in members],
                [positions[n][1] for n in members],
                s=[(radius_pt[n] * (1.2 if kind == "instrument" else 1.0)) ** 2 * 3.1
                   for n in members],
                c=[_color(g.nodes[n]) for n in members],
                marker=_MARKER[style["shape"]],
                edgecolors="white", linewidths=1.2, zorder=3,
            )
        _draw_labels(fig, ax, g, positions, radius_pt, degree)
        _draw_legend(fig, g)
        return fig


def _draw_edges(
    ax: Any,
    g: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]],
    radius_pt: dict[str, float],
) -> None:
    pairs: dict[frozenset[str], int] = {}
    for u, v, key in g.edges(keys=True):
        if u == v:
            continue
        pair = frozenset((u, v))
        rank = pairs[pair] = pairs.get(pair, 0) + 1
        rel = RELATION[key]
        rad = 0.0 if rank == 1 else 0.18 * (rank // 2) * (1 if rank % 2 else -1)
        ax.add_patch(FancyArrowPatch(
            positions[u], positions[v],
            arrowstyle="-|>", mutation_scale=9,
            connectionstyle=f"arc3,rad={rad}",
            color=rel.color, linewidth=0.9 if key == "issued_by" else 1.3,
            linestyle=(0, tuple(float(x) for x in rel.dash.split())) if rel.dash else "solid",
            shrinkA=radius_pt[u] + 1, shrinkB=radius_pt[v] + 2, zorder=2,
        ))


def _draw_labels(
    fig: Figure,
    ax: Any,
    g: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]],
    radius_pt: dict[str, float],
    degree: dict[str, int],
) -> None:
    """Label the most connected nodes first; drop a label that would overlap one already drawn."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    labels = network_labels(g)
    order = sorted(g.nodes, key=lambda n: (
        g.nodes[n]["kind"] == "instrument", -degree[n], labels[n], n
    ))
    kept: list[Any] = []
    node_boxes = []
    for n in g.nodes:
        x, y = ax.transData.transform(positions[n])
        r = radius_pt[n] / 0.72
        node_boxes.append((x - r, y - r, x + r, y + r))
    for n in order:
        major = g.nodes[n]["kind"] != "instrument" and degree[n] >= 4
        offset = radius_pt[n] + 2
        for va, dy in (("top", -offset), ("bottom", offset)):
            text = ax.annotate(
                labels[n], positions[n], xytext=(0, dy), textcoords="offset points",
                ha="center", va=va, fontsize=10.5 if major else 8.5,
                fontweight="bold" if major else "normal", color="#1d2733", zorder=4,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75},
            )
            box = text.get_window_extent(renderer)
            clash = any(box.overlaps(k) for k in kept) or (
                not major and any(
                    box.x0 < b[2] and box.x1 > b[0] and box.y0 < b[3] and box.y1 > b[1]
                    for b in node_boxes
                )
            )
            if not clash:
                kept.append(box)
                break
            text.remove()


def _draw_legend(fig: Figure, g: nx.MultiDiGraph) -> None:
    handles = []
    present_kinds = {d for _, d in g.nodes(data="kind")}
    for kind in ("institution", "post"):
        if kind in present_kinds:
            style = KIND_STYLE[kind]
            handles.append(Line2D([], [], marker=_MARKER[style["shape"]], linestyle="none",
                                  color=style["color"], markersize=9, label=style["label_en"]))
    vocab = g.graph.get("vocab", {})
    types = sorted({d["type"] for _, d in g.nodes(data=True) if d["kind"] == "instrument"},
                   key=lambda t: list(TYPE_COLOR).index(t) if t in TYPE_COLOR else 99)
    for t in types:
        name = next((d["type_label_en"] for _, d in g.nodes(data=True)
                     if d["kind"] == "instrument" and d["type"] == t), t)
        ar = next((d["type_label"] for _, d in g.nodes(data=True)
                   if d["kind"] == "instrument" and d["type"] == t and d["type_label"]), "")
        handles.append(Line2D([], [], marker="D", linestyle="none", markersize=8,
                              color=TYPE_COLOR.get(t, TYPE_COLOR["other"]),
                              label=name + (" · " + shape_arabic(ar) if ar else "")))
    keys = {k for _, _, k in g.edges(keys=True)}
    for rel in RELATIONS:
        if rel.code in keys:
            ar = vocab.get(rel.predicate, {}).get("ar", "")
            handles.append(Line2D(
                [], [], color=rel.color, linewidth=1.8,
                linestyle=(0, tuple(float(x) for x in rel.dash.split())) if rel.dash else "solid",
                label=rel.label_en + (" · " + shape_arabic(ar) if ar else ""),
            ))
    if handles:
        fig.legend(handles=handles, loc="upper right", ncols=min(6, math.ceil(len(handles) / 2)),
                   fontsize=9, frameon=False, bbox_to_anchor=(0.995, 0.995))


def render_year_chart(
    g: nx.MultiDiGraph, fmt: str = "png", *, size: tuple[int, int] = (1400, 700)
) -> bytes:
    """Draw a stacked bar chart of instruments per year by type; undated ones are counted aside."""
    _check_format(fmt)
    counts = instruments_per_year(g)
    instruments = [d for _, d in g.nodes(data=True) if d["kind"] == "instrument"]
    undated = {t: n for (y, t), n in counts.items() if y is None}
    dated_years = [y for (y, _), n in counts.items() if y is not None]
    types = sorted({d["type"] for d in instruments},
                   key=lambda t: list(TYPE_COLOR).index(t) if t in TYPE_COLOR else 99)
    with _style():
        fig = Figure(figsize=(size[0] / 100, size[1] / 100), dpi=100)
        ax = fig.add_axes((0.06, 0.1, 0.64, 0.76))
        fig.text(0.06, 0.96, "Instruments per year by type", fontsize=15, fontweight="bold",
                 va="top")
        n_undated = sum(undated.values())
        fig.text(0.06, 0.915, f"{len(instruments) - n_undated} dated instruments (by the "
                 f"instrument's own date); {n_undated} undated are counted in the legend",
                 fontsize=10, color="#5b6773", va="top")
        if not dated_years:
            ax.text(0.5, 0.5, "no dated instruments", ha="center", va="center",
                    transform=ax.transAxes)
        else:
            years = list(range(min(dated_years), max(dated_years) + 1))
            bottom = [0] * len(years)
            for t in types:
                heights = [counts.get((y, t), 0) for y in years]
                sample = next(d for d in instruments if d["type"] == t)
                name = sample["type_label_en"] + (
                    " · " + shape_arabic(sample["type_label"]) if sample["type_label"] else "")
                ax.bar(years, heights, bottom=bottom, width=0.8,
                       color=TYPE_COLOR.get(t, TYPE_COLOR["other"]),
                       label=f"{name} ({sum(heights)} dated, {undated.get(t, 0)} undated)")
                bottom = [b + c for b, c in zip(bottom, heights, strict=True)]
            ax.set_xlim(years[0] - 0.7, years[-1] + 0.7)
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.set_ylabel("instruments")
            ax.spines[["top", "right"]].set_visible(False)
            ax.grid(axis="y", color="#e3e7eb", linewidth=0.8)
            ax.set_axisbelow(True)
            ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=9.5)
        return _save(fig, fmt)
