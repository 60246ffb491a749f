"""The institution network: institutions, posts and instruments from the store as a networkx graph.

Nodes are IRIs with JSON-ready attributes (``kind``, ``label``, ``type``, ``date``, ``year``,
``mentions`` …); edges are keyed by relation code (``established_by``, ``subordinate_to`` …)
and carry the evidence that states them (document, paragraph, verbatim snippet).  Everything
is read from the store with SPARQL, so the same store always gives the same graph.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from .errors import InputError
from .store import Store
from .vocab import ELI, IKIND, ITYPE, LKG

KINDS = ("institution", "post", "instrument")
SCOPES = ("core", "linked", "all")
MAX_SNIPPETS = 12

_ORG = "http://www.w3.org/ns/org#"
_YEAR = re.compile(r"^(\d{4})")


@dataclass(frozen=True, slots=True)
class Relation:
    """An edge kind of the network: code, the RDF predicate it comes from, English label, colour."""

    code: str
    predicate: str
    label_en: str
    color: str
    dash: str = ""


# Order = legend order and drawing priority.  Arabic labels come from the ontology in the store.
RELATIONS: tuple[Relation, ...] = (
    Relation("established_by", str(LKG.establishedBy), "established by", "#2a9d47"),
    Relation("subordinate_to", str(LKG.subordinateTo), "under", "#2f6db5"),
    Relation("replaces", str(LKG.replaces), "replaced", "#8e44ad", "6 3"),
    Relation("renamed_from", str(LKG.renamedFrom), "renamed from", "#8e6c3a", "6 3"),
    Relation("merged_into", str(LKG.mergedInto), "merged into", "#c0569b", "6 3"),
    Relation("abolished_by", str(LKG.abolishedBy), "abolished by", "#d1342f", "4 3"),
    Relation("amends", str(ELI.amends), "amends", "#e67e22"),
    Relation("repeals", str(ELI.repeals), "repeals", "#b03a2e", "2 3"),
    Relation("approves", str(LKG.approves), "approves", "#16a3b8"),
    Relation("based_on", str(ELI.based_on), "based on", "#a4a81e", "2 3"),
    Relation("treaty_basis", str(LKG.treaty), "ratified or acceded by", "#0e7c7b", "4 3"),
    Relation("issued_by", str(ELI.passed_by), "issued by", "#9aa3ad"),
)
RELATION = {r.code: r for r in RELATIONS}
# Edges that show the state's architecture; "issued by" alone would pull in every decree.
STRUCTURAL = frozenset(r.code for r in RELATIONS if r.code != "issued_by")

KIND_STYLE: dict[str, dict[str, str]] = {
    "institution": {"label_en": "institution", "shape": "circle", "color": "#2f6db5"},
    "post": {"label_en": "post", "shape": "square", "color": "#7a3b12"},
    "instrument": {"label_en": "instrument", "shape": "diamond", "color": "#777777"},
}
TYPE_COLOR: dict[str, str] = {
    "constitution": "#111111",
    "constitutional_law": "#4d4d4d",
    "law": "#2a9d47",
    "decree": "#d1342f",
    "order": "#e67e22",
    "decision": "#8e44ad",
    "regulation": "#8e6c3a",
    "treaty": "#16a3b8",
    "programme": "#c0569b",
    "strategy": "#a4a81e",
    "action_plan": "#6c7a89",
    "concept": "#5dade2",
    "other": "#a0a0a0",
}

_PREFIXES = """PREFIX lkg: <https://w3id.org/legalkg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

NODES_SPARQL = _PREFIXES + """
SELECT DISTINCT ?node ?kind WHERE {
  { ?node a lkg:LegalInstrument . BIND("instrument" AS ?kind) }
  UNION { ?node a lkg:Post . BIND("post" AS ?kind) }
  UNION { ?node a lkg:Institution . FILTER NOT EXISTS { ?node a lkg:Post } BIND("institution" AS ?kind) }
}
"""

LABELS_SPARQL = _PREFIXES + """
SELECT DISTINCT ?node ?prop ?lang ?label WHERE {
  VALUES ?prop { skos:prefLabel rdfs:label skos:altLabel }
  ?node ?prop ?l .
  FILTER(?node != lkg:Post && isIRI(?node))
  BIND(LANG(?l) AS ?lang)
  BIND(STR(?l) AS ?label)
}
"""

PROPS_SPARQL = _PREFIXES + """
SELECT DISTINCT ?node ?prop ?value WHERE {
  VALUES ?prop { lkg:typeCode eli:date_document lkg:periodStart lkg:periodEnd lkg:establishedOn
                 lkg:institutionKind eli:number eli:title }
  ?node ?prop ?v .
  BIND(STR(?v) AS ?value)
}
"""

_EDGE_PREDICATES = " ".join(f"<{r.predicate}>" for r in RELATIONS if r.code != "treaty_basis")
EDGES_SPARQL = _PREFIXES + """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?p { PREDICATES }
  ?s ?p ?o .
  FILTER(isIRI(?o))
}
""".replace("PREDICATES", _EDGE_PREDICATES)

EVENTS_SPARQL = _PREFIXES + """
SELECT DISTINCT ?event ?class ?result ?original ?basis ?treaty ?date ?planned
                ?snippet ?doc ?para ?pidx ?start WHERE {
  { ?event a org:ChangeEvent } UNION { ?event a lkg:TreatyAction }
  ?event a ?class .
  FILTER(?class IN (lkg:Establishment, lkg:Abolition, lkg:Replacement, lkg:Renaming, lkg:Merger,
                    lkg:Reorganisation, lkg:TreatyAction))
  OPTIONAL { ?event org:resultingOrganization ?result }
  OPTIONAL { ?event org:originalOrganization ?original }
  OPTIONAL { ?event lkg:legalBasis ?basis }
  OPTIONAL { ?event lkg:treaty ?treaty }
  OPTIONAL { ?event lkg:date ?d . BIND(STR(?d) AS ?date) }
  OPTIONAL { ?event lkg:planned ?pl . BIND(STR(?pl) AS ?planned) }
  OPTIONAL {
    ?event lkg:evidence ?m .
    ?m lkg:snippet ?snippet ; lkg:inParagraph ?p ; lkg:startOffset ?start .
    ?p lkg:paragraphNumber ?para ; lkg:paragraphIndex ?pidx ; lkg:document ?d0 .
    ?d0 dcterms:identifier ?doc .
  }
}
"""

MENTIONS_SPARQL = _PREFIXES + """
SELECT DISTINCT ?node ?snippet ?doc ?para ?pidx ?start WHERE {
  VALUES ?t { lkg:Institution lkg:Post lkg:LegalInstrument }
  ?node a ?t .
  ?m lkg:denotes ?node ; lkg:snippet ?snippet ; lkg:inParagraph ?p ; lkg:startOffset ?start .
  ?p lkg:paragraphNumber ?para ; lkg:paragraphIndex ?pidx ; lkg:document ?d .
  ?d dcterms:identifier ?doc .
}
"""

DOCUMENTS_SPARQL = _PREFIXES + """
SELECT ?doc (COALESCE(MIN(?s), "") AS ?symbol) (COALESCE(MIN(?t), "") AS ?title) WHERE {
  ?d a lkg:Document ; dcterms:identifier ?id .
  BIND(STR(?id) AS ?doc)
  OPTIONAL { ?d lkg:symbol ?sv . BIND(STR(?sv) AS ?s) }
  OPTIONAL { ?d dcterms:title ?tv . BIND(STR(?tv) AS ?t) }
}
GROUP BY ?doc
ORDER BY ?doc
"""

VOCAB_SPARQL = _PREFIXES + """
SELECT DISTINCT ?term ?lang ?label WHERE {
  VALUES ?prop { rdfs:label skos:prefLabel }
  ?term ?prop ?l .
  FILTER(STRSTARTS(STR(?term), "https://w3id.org/legalkg/ontology"))
  BIND(LANG(?l) AS ?lang)
  BIND(STR(?l) AS ?label)
}
"""

_EVENT_EDGE = {
    # event class -> (relation, source role, target role)
    "Establishment": ("established_by", "result", "basis"),
    "Abolition": ("abolished_by", "original", "basis"),
    "Replacement": ("replaces", "result", "original"),
    "Renaming": ("renamed_from", "result", "original"),
    "Merger": ("merged_into", "original", "result"),
    "TreatyAction": ("treaty_basis", "treaty", "basis"),
}
_EVENT_SUBJECT = ("result", "original", "treaty")


def year_of(date: str) -> int | None:
    """Return the year of an ISO date, year-month or year ("2011-12-19" -> 2011), else None."""
    match = _YEAR.match(date or "")
    return int(match.group(1)) if match else None


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _sort_key(item: dict[str, Any]) -> tuple[str, int, int, str]:
    return (item["doc"], item.get("pidx", 0), item.get("start", 0), item["text"])


def _ref(row: dict[str, str]) -> dict[str, Any]:
    return {
        "doc": row["doc"],
        "para": row["para"],
        "pidx": int(row["pidx"] or 0),
        "start": int(row["start"] or 0),
        "text": row["snippet"],
    }


def vocabulary_labels(store: Store) -> dict[str, dict[str, str]]:
    """Return ``{term IRI: {lang: label}}`` for the ontology's terms and concepts."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.query(VOCAB_SPARQL):
        lang = row["lang"] or "en"
        current = labels[row["term"]].get(lang)
        if current is None or row["label"] < current:
            labels[row["term"]][lang] = row["label"]
    return dict(labels)


def _pick_label(found: dict[tuple[str, str], list[str]]) -> tuple[str, str, list[str]]:
    """Choose (Arabic label, English label, other labels) from ``{(prop, lang): [labels]}``."""
    def first(*keys: tuple[str, str]) -> str:
        for key in keys:
            if found.get(key):
                return min(found[key])
        return ""

    ar = first(("prefLabel", "ar"), ("label", "ar"), ("altLabel", "ar"))
    en = first(("prefLabel", "en"), ("label", "en"))
    if not ar:
        ar = first(*sorted(found)) or ""
    others = sorted({lab for labs in found.values() for lab in labs} - {ar, en})
    return ar, en, others


def load_network(store: Store) -> nx.MultiDiGraph:
    """Read institutions, posts, instruments and their relations from *store* into a graph."""
    g = nx.MultiDiGraph()
    g.graph["vocab"] = vocab = vocabulary_labels(store)
    g.graph["documents"] = {
        row["doc"]: {"symbol": row["symbol"], "title": row["title"]}
        for row in store.query(DOCUMENTS_SPARQL)
    }
    kinds: dict[str, str] = {}
    for row in store.query(NODES_SPARQL):
        # An IRI typed both ways is kept under the first kind in KINDS order.
        old = kinds.get(row["node"])
        if old is None or KINDS.index(row["kind"]) < KINDS.index(old):
            kinds[row["node"]] = row["kind"]

    labels: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.query(LABELS_SPARQL):
        if row["node"] in kinds:
            labels[row["node"]][(_local(row["prop"]), row["lang"])].append(row["label"])
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in store.query(PROPS_SPARQL):
        if row["node"] in kinds:
            props[row["node"]][_local(row["prop"])].append(row["value"])
    mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.query(MENTIONS_SPARQL):
        mentions[row["node"]].append(_ref(row))

    for node in sorted(kinds):
        kind = kinds[node]
        ar, en, others = _pick_label(labels.get(node, {}))
        p = {k: min(v) for k, v in props.get(node, {}).items()}
        if kind == "instrument":
            type_code = p.get("typeCode", "other")
            type_iri = str(ITYPE[type_code])
            date = p.get("date_document", "")
        else:
            kind_iri = p.get("institutionKind", "")
            type_code = _local(kind_iri) if kind_iri.startswith(str(IKIND)) else ""
            type_iri = kind_iri
            date = p.get("establishedOn", "")
        period = ""
        if p.get("periodStart"):
            period = p["periodStart"] + "–" + p.get("periodEnd", "")
        refs = sorted(mentions.get(node, []), key=_sort_key)
        g.add_node(
            node,
            kind=kind,
            label=ar or _local(node),
            label_en=en,
            alt=others,
            type=type_code,
            type_label=vocab.get(type_iri, {}).get("ar", ""),
            type_label_en=vocab.get(type_iri, {}).get("en", type_code.replace("_", " ")),
            date=date,
            year=year_of(date) or year_of(p.get("periodStart", "")),
            period=period,
            number=p.get("number", ""),
            title=p.get("title", ""),
            mention_count=len(refs),
            mentions=refs[:MAX_SNIPPETS],
            evidence=[],
        )

    for row in store.query(EDGES_SPARQL):
        rel = next(r for r in RELATIONS if r.predicate == row["p"])
        if row["s"] in kinds and row["o"] in kinds and row["s"] != row["o"]:
            g.add_edge(row["s"], row["o"], key=rel.code, relation=rel.code, evidence=[])
    _add_events(g, store)
    _add_co_mentions(g, mentions)
    for node in g.nodes:
        g.nodes[node]["evidence"].sort(key=_sort_key)
        del g.nodes[node]["evidence"][MAX_SNIPPETS:]
    return g


def _add_events(g: nx.MultiDiGraph, store: Store) -> None:
    """Turn change events into edges (when both ends are known) and attach their evidence."""
    seen: set[tuple[str, str, str]] = set()
    for row in sorted(store.query(EVENTS_SPARQL), key=lambda r: tuple(r.values())):
        cls = _local(row["class"])
        relation, source_role, target_role = _EVENT_EDGE.get(cls, ("reorganised", "original", ""))
        source, target = row.get(source_role, ""), row.get(target_role, "")
        evidence = _ref(row) | {"relation": relation} if row["snippet"] else None
        if row["planned"] == "true" and evidence is not None:
            evidence["planned"] = True
        if source in g and target in g and source != target and relation in RELATION:
            if not g.has_edge(source, target, key=relation):
                g.add_edge(source, target, key=relation, relation=relation, evidence=[])
            if evidence is not None:
                _append_once(g.edges[source, target, relation]["evidence"], evidence, seen,
                             (source, target, relation))
        if evidence is None:
            continue
        for role in _EVENT_SUBJECT:
            node = row.get(role, "")
            if node in g:
                _append_once(g.nodes[node]["evidence"], evidence, seen, (node, "", ""))
                break


def _append_once(
    items: list[dict[str, Any]],
    item: dict[str, Any],
    seen: set[tuple[str, str, str]],
    owner: tuple[str, str, str],
) -> None:
    key = (*owner[:2], owner[2] + f"|{item['doc']}|{item['start']}|{item['text']}")
    if key not in seen:
        seen.add(key)
        items.append(dict(item))


def _add_co_mentions(g: nx.MultiDiGraph, mentions: dict[str, list[dict[str, Any]]]) -> None:
    """Give edges without stated evidence the paragraphs that mention both of their ends."""
    for u, v, key, data in g.edges(keys=True, data=True):
        if data["evidence"]:
            continue
        by_para: dict[tuple[str, str], dict[str, Any]] = {}
        for ref in mentions.get(v, []):
            by_para.setdefault((ref["doc"], ref["para"]), ref)
        found = []
        for ref in sorted(mentions.get(u, []), key=_sort_key):
            other = by_para.get((ref["doc"], ref["para"]))
            if other is None:
                continue
            first, second = sorted((ref, other), key=lambda r: r["start"])
            found.append(ref | {
                "start": first["start"],
                "text": first["text"] + " … " + second["text"],
                "relation": key,
                "co_mention": True,
            })
        unique = {(f["doc"], f["para"]): f for f in reversed(found)}
        data["evidence"] = sorted(unique.values(), key=_sort_key)[:MAX_SNIPPETS]


def select_view(g: nx.MultiDiGraph, scope: str = "core") -> nx.MultiDiGraph:
    """Return the part of *g* to draw: ``core``, ``linked`` or ``all`` nodes.

    ``core`` keeps nodes touched by a structural relation (established by, under, replaced,
    abolished, amends, approves …) plus the issuers of those instruments; ``linked`` keeps every
    node with any edge; ``all`` keeps everything, isolated nodes included.
    """
    if scope not in SCOPES:
        raise InputError(f"unknown scope {scope!r}; use one of {', '.join(SCOPES)}")
    if scope == "all":
        nodes: Iterable[str] = g.nodes
    elif scope == "linked":
        nodes = [n for n in g.nodes if g.degree(n) > 0]
    else:
        core = {n for u, v, k in g.edges(keys=True) if k in STRUCTURAL for n in (u, v)}
        issuers = {v for u, v, k in g.edges(keys=True) if k == "issued_by" and u in core}
        nodes = [n for n in g.nodes if n in core or n in issuers]
    return _subgraph(g, nodes)


def _subgraph(g: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """Copy the subgraph on *nodes*, keeping *g*'s node and edge order."""
    keep = set(nodes)
    h = nx.MultiDiGraph()
    h.graph.update(g.graph)
    h.add_nodes_from((n, g.nodes[n]) for n in g.nodes if n in keep)
    h.add_edges_from(
        (u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if u in keep and v in keep
    )
    return h


def filter_years(
    g: nx.MultiDiGraph, year_from: int | None = None, year_to: int | None = None
) -> nx.MultiDiGraph:
    """Drop dated nodes outside [year_from, year_to] and undated nodes left without edges.

    An undated node that had no edges to begin with is kept; the page's year filter does the same.
    """
    if year_from is None and year_to is None:
        return g
    lo = year_from if year_from is not None else -math.inf
    hi = year_to if year_to is not None else math.inf
    if lo > hi:
        raise InputError(f"--year-from {year_from} is after --year-to {year_to}; swap them")
    dated = {n for n, y in g.nodes(data="year") if y is not None and lo <= y <= hi}
    undated = {n for n, y in g.nodes(data="year") if y is None}
    keep = set(dated)
    for n in undated:
        if g.degree(n) == 0 or any(m in dated or m in undated for m in nx.all_neighbors(g, n)):
            keep.add(n)
    return _subgraph(g, keep)


def node_size(degree: int) -> float:
    """Return a node radius (in layout units, ~pixels) growing with the square root of degree."""
    return round(min(6.0 + 2.4 * math.sqrt(degree), 22.0), 1)


def stress_layout(g: nx.Graph, seed: int = 7, iterations: int = 300) -> dict[str, tuple[float, float]]:
    """Place a connected graph so that drawn distances follow path lengths (stress majorization).

    Edge attribute ``length`` (default 1) is the wanted length of an edge.  Starts from a seeded
    spring layout, then moves every node towards the place its distances ask for (Gansner,
    Koren and North 2004), which spreads hubs' neighbours more evenly than a spring layout.
    """
    nodes = list(g.nodes)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    dist = dict(nx.all_pairs_dijkstra_path_length(g, weight="length"))
    d = np.array([[dist[a].get(b, 0.0) for b in nodes] for a in nodes], dtype=float)
    w = np.zeros_like(d)
    w[d > 0] = d[d > 0] ** -2
    start = nx.spring_layout(g, seed=seed, iterations=100)
    x = np.array([start[n] for n in nodes], dtype=float) * max(1.0, float(d.max()) / 2)
    total = w.sum(axis=1)[:, None]
    for _ in range(iterations):
        diff = x[:, None, :] - x[None, :, :]
        norm = np.sqrt((diff**2).sum(axis=2)) + 1e-9
        target = x[None, :, :] + d[:, :, None] * diff / norm[:, :, None]
        x = (w[:, :, None] * target).sum(axis=1) / total
    x -= x.mean(axis=0)
    return {n: (float(px), float(py)) for n, (px, py) in zip(nodes, x, strict=True)}


def layout(g: nx.MultiDiGraph, seed: int = 7, unit: float = 74.0) -> dict[str, tuple[float, float]]:
    """Place the nodes: each component by stress layout, components packed in rows.

    Returns ``{node: (x, y)}`` in pixel-like units (*unit* per edge, y grows downwards),
    rounded to 0.1.  "Issued by" edges are drawn longer (more so for busy issuers), so that the
    many instruments around an issuer get room.
    """
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes)
    issued = defaultdict(int)
    for _, v, k in g.edges(keys=True):
        if k == "issued_by":
            issued[v] += 1
    for u, v, k in g.edges(keys=True):
        if u != v:
            # An issuer's instruments sit on a ring around it: wide enough to keep them apart.
            length = max(2.4, 0.1 * issued[v]) if k == "issued_by" else 1.0
            old = simple.edges[u, v]["length"] if simple.has_edge(u, v) else length
            simple.add_edge(u, v, length=min(old, length))
    components = sorted(
        (sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0])
    )
    placed: list[tuple[list[str], dict[str, tuple[float, float]], float, float]] = []
    for comp in components:
        # A fresh graph in sorted order: subgraph views iterate over a set, whose order changes
        # from run to run with string hashing, and the layout depends on node order.
        sub = nx.Graph()
        sub.add_nodes_from(comp)
        sub.add_edges_from(sorted(
            (min(u, v), max(u, v), d) for u, v, d in simple.subgraph(comp).edges(data=True)
        ))
        raw = stress_layout(sub, seed=seed)
        pos = {n: (x * unit, y * unit) for n, (x, y) in raw.items()}
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        pos = {n: (x - min(xs), y - min(ys)) for n, (x, y) in pos.items()}
        placed.append((comp, pos, max(xs) - min(xs), max(ys) - min(ys)))

    # Shelf packing towards a landscape (about 16:10) picture, biggest component first.
    gap = 90.0
    area = sum((w + gap) * (h + gap) for _, _, w, h in placed)
    width = max(max((w for _, _, w, _ in placed), default=0.0), math.sqrt(area * 1.6))
    result: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp, pos, w, h in placed:
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for n in comp:
            px, py = pos[n]
            result[n] = (round(x + px, 1), round(y + py, 1))
        x += w + gap
        row_height = max(row_height, h)
    return result


def instruments_per_year(g: nx.MultiDiGraph) -> dict[tuple[int | None, str], int]:
    """Count instrument nodes by (year of the instrument's date, type code); None = undated.

    Only the instrument's own date counts (as in ``queries/instruments_by_year.rq``); a
    programme known only by its period ("2019-2023") is undated here, although the year filter
    places it at its first year.
    """
    counts: dict[tuple[int | None, str], int] = defaultdict(int)
    for _, data in g.nodes(data=True):
        if data["kind"] == "instrument":
            counts[(year_of(data["date"]), data["type"])] += 1
    return dict(sorted(counts.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or 0, kv[0][1])))


def short_label(data: dict[str, Any], limit: int = 40) -> str:
    """Return the label to draw next to a node: instruments as "type date", others truncated."""
    text = data["label"]
    if data["kind"] == "instrument" and data["type_label"] and (data["date"] or data["number"]):
        # U+200E keeps "2011-12-19" in order after Arabic letters (else bidi shows 19-12-2011).
        text = data["type_label"] + " \u200e" + (data["date"] or data["number"])
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
