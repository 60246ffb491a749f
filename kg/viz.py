"""The interactive network page: one self-contained HTML file (inline SVG, CSS and vanilla JS).

The layout is computed here (seeded, so the same store gives a byte-identical page); the page's
script only draws, filters, searches and shows provenance.  Nothing is fetched: no CDN, no fonts,
no images.  Arabic stays as text in the DOM, so the browser shapes and orders it (``dir="rtl"``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

import networkx as nx

from .errors import ResourceError
from .network import (
    KIND_STYLE,
    KINDS,
    RELATION,
    RELATIONS,
    TYPE_COLOR,
    layout,
    node_size,
    short_label,
)
from .vocab import ITYPE, LKG

ASSETS = Path(__file__).resolve().parent / "assets"
_KIND_CLASS = {"institution": LKG.Institution, "post": LKG.Post, "instrument": LKG.LegalInstrument}


def asset(name: str) -> str:
    """Return the text of ``kg/assets/NAME``."""
    path = ASSETS / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"cannot read {path} ({exc}); reinstall legalkg") from None


def _labels(vocab: dict[str, dict[str, str]], iri: str, english: str) -> dict[str, str]:
    found = vocab.get(iri, {})
    return {"en": english or found.get("en", ""), "ar": found.get("ar", "")}


def page_data(
    g: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]] | None = None,
    *,
    title: str = "Institution network",
    year_from: int | None = None,
    year_to: int | None = None,
) -> dict[str, Any]:
    """Return the JSON-ready description of the page: legend, nodes with positions, edges."""
    positions = positions if positions is not None else layout(g)
    vocab: dict[str, dict[str, str]] = g.graph.get("vocab", {})
    index = {n: i for i, n in enumerate(g.nodes)}
    degree = dict(g.degree())
    nodes = []
    for n, d in g.nodes(data=True):
        x, y = positions[n]
        nodes.append({
            "id": n,
            **{k: d[k] for k in sorted(d)},
            "short": short_label(d),
            "degree": degree[n],
            "r": node_size(degree[n]),
            "x": x,
            "y": y,
        })
    edges = [
        {"s": index[u], "t": index[v], "relation": k, "evidence": d["evidence"]}
        for u, v, k, d in g.edges(keys=True, data=True)
    ]
    present_rel = {e["relation"] for e in edges}
    types = Counter(d["type"] for _, d in g.nodes(data=True) if d["kind"] == "instrument")
    kinds = Counter(d["kind"] for _, d in g.nodes(data=True))
    years = sorted(y for _, y in g.nodes(data="year") if y is not None)
    return {
        "title": title,
        "documents": g.graph.get("documents", {}),
        "kinds": [
            {"code": k, **KIND_STYLE[k], **_labels(vocab, str(_KIND_CLASS[k]), ""),
             "count": kinds[k]}
            for k in KINDS if kinds[k]
        ],
        "types": [
            {"code": t, "color": TYPE_COLOR.get(t, TYPE_COLOR["other"]),
             **_labels(vocab, str(ITYPE[t]), ""), "count": types[t]}
            for t in sorted(types, key=lambda t: (list(TYPE_COLOR).index(t) if t in TYPE_COLOR
                                                  else len(TYPE_COLOR), t))
        ],
        "relations": [
            {"code": r.code, "color": r.color, "dash": r.dash,
             **_labels(vocab, r.predicate, r.label_en),
             "count": sum(1 for e in edges if e["relation"] == r.code)}
            for r in RELATIONS if r.code in present_rel
        ],
        "years": [years[0], years[-1]] if years else [],
        "initial": {"from": year_from, "to": year_to},
        "nodes": nodes,
        "edges": edges,
    }


def script_json(value: object) -> str:
    """Serialise *value* as JSON that is safe inside ``<script>`` (no ``</script>``, no U+2028)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, safe)
    return text


def render_html(
    g: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]] | None = None,
    *,
    title: str = "Institution network",
    year_from: int | None = None,
    year_to: int | None = None,
) -> str:
    """Return the self-contained HTML page of the network *g*."""
    data = page_data(g, positions, title=title, year_from=year_from, year_to=year_to)
    page = asset("network.html")
    parts = {
        "{{TITLE}}": escape(title),
        "{{CSS}}": asset("network.css"),
        "{{JS}}": asset("network.js"),
        "{{DATA}}": script_json(data),
    }
    # One pass, so that a placeholder-like string inside the data or the script stays as it is.
    return re.sub(r"\{\{(TITLE|CSS|JS|DATA)\}\}", lambda m: parts[m.group(0)], page)


__all__ = ["RELATION", "asset", "page_data", "render_html", "script_json"]
