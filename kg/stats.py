"""Network facts: who has the most subordinate bodies, who issues most, components, instruments per year.

Computed with networkx on the graph of :func:`kg.network.load_network`; :func:`format_text` and
:func:`to_json` turn the result into what ``legalkg stats`` prints.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

import networkx as nx

from .network import STRUCTURAL, instruments_per_year


@dataclass(frozen=True, slots=True)
class Ranked:
    """One body in a ranking: label, IRI, count and the labels behind the count."""

    label: str
    iri: str
    count: int
    members: list[str] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Component:
    """A connected group of nodes: size, kinds and its most connected members."""

    size: int
    kinds: dict[str, int]
    hubs: list[str]


@dataclass(frozen=True, slots=True)
class YearCount:
    """How many instruments of one type carry a date in one year."""

    year: int
    type: str
    count: int


@dataclass(frozen=True, slots=True)
class NetworkStats:
    """Everything ``legalkg stats`` reports."""

    nodes: dict[str, int]
    edges: dict[str, int]
    parents: list[Ranked]
    issuers: list[Ranked]
    components: list[Component]
    component_count: int
    structural_component_count: int
    isolated: int
    per_year: list[YearCount]
    undated: dict[str, int]


def _ranking(g: nx.MultiDiGraph, relation: str, top: int, by_type: bool) -> list[Ranked]:
    """Rank targets of *relation* edges by how many distinct sources point at them."""
    members: dict[str, set[str]] = {}
    for u, v, k in g.edges(keys=True):
        if k == relation:
            members.setdefault(v, set()).add(u)
    ranked = []
    for target, sources in members.items():
        types = Counter(g.nodes[s]["type"] for s in sources) if by_type else Counter()
        ranked.append(Ranked(
            label=g.nodes[target]["label"],
            iri=target,
            count=len(sources),
            members=sorted(g.nodes[s]["label"] for s in sources)[:10] if not by_type else [],
            by_type=dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))),
        ))
    ranked.sort(key=lambda r: (-r.count, r.label, r.iri))
    return ranked[:top]


def network_stats(g: nx.MultiDiGraph, top: int = 10) -> NetworkStats:
    """Compute the network facts of *g* (the full graph, not a drawing view)."""
    nodes = Counter(kind for _, kind in g.nodes(data="kind"))
    edges = Counter(k for _, _, k in g.edges(keys=True))
    linked = [n for n in g.nodes if g.degree(n) > 0]
    undirected = nx.Graph()
    undirected.add_nodes_from(linked)
    undirected.add_edges_from((u, v) for u, v in g.edges() if u != v)
    comps = sorted((sorted(c) for c in nx.connected_components(undirected)),
                   key=lambda c: (-len(c), c[0]))
    structural = nx.Graph()
    structural.add_edges_from((u, v) for u, v, k in g.edges(keys=True) if k in STRUCTURAL)
    degree = dict(g.degree())
    components = [
        Component(
            size=len(c),
            kinds=dict(sorted(Counter(g.nodes[n]["kind"] for n in c).items())),
            hubs=[g.nodes[n]["label"] for n in sorted(c, key=lambda n: (-degree[n], n))[:5]],
        )
        for c in comps[:top]
    ]
    counts = instruments_per_year(g)
    return NetworkStats(
        nodes={k: nodes[k] for k in sorted(nodes)},
        edges={k: edges[k] for k in sorted(edges)},
        parents=_ranking(g, "subordinate_to", top, by_type=False),
        issuers=_ranking(g, "issued_by", top, by_type=True),
        components=components,
        component_count=len(comps),
        structural_component_count=nx.number_connected_components(structural),
        isolated=g.number_of_nodes() - len(linked),
        per_year=[YearCount(y, t, n) for (y, t), n in counts.items() if y is not None],
        undated={t: n for (y, t), n in counts.items() if y is None},
    )


def to_json(stats: NetworkStats) -> str:
    """Return *stats* as indented JSON (Arabic kept as is)."""
    return json.dumps(asdict(stats), ensure_ascii=False, indent=2) + "\n"


def format_text(stats: NetworkStats) -> str:
    """Return *stats* as a plain-text report with one section per fact."""
    lines: list[str] = []
    kinds = ", ".join(f"{n} {k}s" for k, n in stats.nodes.items())
    rels = ", ".join(f"{n} {k}" for k, n in stats.edges.items()) or "none"
    lines += [f"Nodes: {kinds}", f"Lines: {rels}", ""]
    lines.append("Institutions with most subordinate bodies (under):")
    for r in stats.parents or []:
        lines.append(f"  {r.count:>4}  {r.label}  ← {', '.join(r.members)}")
    if not stats.parents:
        lines.append("  none")
    lines += ["", "Most active issuers (instruments issued by):"]
    for r in stats.issuers:
        types = ", ".join(f"{t} {n}" for t, n in r.by_type.items())
        lines.append(f"  {r.count:>4}  {r.label}  ({types})")
    if not stats.issuers:
        lines.append("  none")
    lines += [
        "",
        (f"Connected components: {stats.component_count} among linked nodes "
         f"({stats.structural_component_count} without 'issued by' lines); "
         f"{stats.isolated} nodes without any line"),
    ]
    for c in stats.components:
        kinds_text = ", ".join(f"{n} {k}" for k, n in c.kinds.items())
        lines.append(f"  {c.size:>4}  ({kinds_text})  {' · '.join(c.hubs)}")
    lines += ["", "Instruments per year and type:"]
    years: dict[int, dict[str, int]] = {}
    for row in stats.per_year:
        years.setdefault(row.year, {})[row.type] = row.count
    for year, by_type in years.items():
        total = sum(by_type.values())
        detail = ", ".join(f"{t} {n}" for t, n in sorted(by_type.items()))
        lines.append(f"  {year}  {total:>3}  {detail}")
    if stats.undated:
        total = sum(stats.undated.values())
        detail = ", ".join(f"{t} {n}" for t, n in sorted(stats.undated.items()))
        lines.append(f"  undated  {total:>3}  {detail}")
    return "\n".join(lines) + "\n"
