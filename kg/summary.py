"""The summary named graph ``graph/summary``: per entity and per document counts and first mentions.

Some named queries need, for each entity, the first paragraph that mentions it or how many
mentions and documents name it; on a store of many reports pyoxigraph answers that only by
touching every mention (it hash-joins a subquery's result with a pattern evaluated on its own).
So the store carries these figures, derived from the other graphs by three grouped queries
(one scan each) after the labels are written:

- per node a mention denotes (instrument, article, institution, post, event):
  ``lkg:mentionCount``, ``lkg:documentCount`` and ``lkg:firstMention`` (the first by document
  identifier, paragraph index, start offset, mention IRI);
- per node a query may be asked about (the above and the institutions and instruments events
  name): ``lkg:lookupKey``, its IRI and each of its labels as plain strings, so that a query
  given a name finds the node by one index look-up;
- per document: ``lkg:paragraphCount``, ``lkg:mentionCount``, ``lkg:instrumentCount`` and
  ``lkg:institutionCount`` (distinct instruments and institutions its mentions denote).

The graph is derived, not extracted: it is left out of ``graph.ttl`` (like the ontology) and
not validated by the shapes; :func:`write_summary` recomputes it whole from the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF

from .store import graph_iri
from .triples import string
from .vocab import LKG

if TYPE_CHECKING:
    from .store import Store

SUMMARY = "summary"  # the named graph graph/summary

_PREFIXES = """PREFIX lkg: <https://w3id.org/legalkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

_NAMES = _PREFIXES + """
SELECT DISTINCT ?n ?name
WHERE {
  GRAPH ?g { ?n rdfs:label|skos:prefLabel|skos:altLabel ?label }
  FILTER(?g != <https://w3id.org/legalkg/graph/ontology>)
  BIND(STR(?label) AS ?name)
}
"""

_NAMED_BY_EVENTS = _PREFIXES + """
SELECT DISTINCT ?n
WHERE { ?ev lkg:evidence ?m ; org:resultingOrganization|org:originalOrganization|lkg:treaty|lkg:legalBasis ?n }
"""

_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"


def _count(value: str) -> str:
    return f'"{int(value or 0)}"^^{_INTEGER}'


@dataclass
class _Entity:
    """What the summary says about one node: its first mention's sort key, counts."""

    first: tuple[str, int, int, str]
    mentions: int = 0
    documents: int = 0


def summary_lines(store: Store) -> list[str]:
    """Return the statements of ``graph/summary`` for *store*, as sorted N-Triples lines.

    Each document graph is read on its own (by predicate, one index range each), so memory
    holds one document and the per-entity tallies, never all mentions.
    """
    inner = store.inner
    instruments = _subjects(inner, RDF_TYPE, ox.NamedNode(str(LKG.LegalInstrument)))
    institutions = _subjects(inner, RDF_TYPE, ox.NamedNode(str(LKG.Institution)))
    entities: dict[str, _Entity] = {}
    lines: set[str] = set()
    for doc_id in store.documents():
        graph = ox.NamedNode(graph_iri(doc_id))
        docs = {q.subject.value: q.object.value for q in _quads(inner, DCTERMS.identifier, graph)}
        index = {q.subject.value: int(q.object.value) for q in _quads(inner, LKG.paragraphIndex, graph)}
        para = {q.subject.value: q.object.value for q in _quads(inner, LKG.inParagraph, graph)}
        start = {q.subject.value: int(q.object.value) for q in _quads(inner, LKG.startOffset, graph)}
        document = {q.subject.value: q.object.value for q in _quads(inner, LKG.document, graph)}
        named: set[str] = set()
        for q in _quads(inner, LKG.denotes, graph):
            m, e = q.subject.value, q.object.value
            p = para.get(m, "")
            key = (docs.get(document.get(p, ""), ""), index.get(p, -1), start.get(m, -1), m)
            found = entities.get(e)
            if found is None:
                found = entities[e] = _Entity(key)
            elif key < found.first:
                found.first = key
            found.mentions += 1
            if e not in named:
                named.add(e)
                found.documents += 1
        for d in docs:
            lines.update((
                f"<{d}> <{LKG.paragraphCount}> {_count(len(index))} .",
                f"<{d}> <{LKG.mentionCount}> {_count(len(para))} .",
                f"<{d}> <{LKG.instrumentCount}> {_count(len(named & instruments))} .",
                f"<{d}> <{LKG.institutionCount}> {_count(len(named & institutions))} .",
            ))
    for e, found in entities.items():
        lines.update((
            f"<{e}> <{LKG.mentionCount}> {_count(found.mentions)} .",
            f"<{e}> <{LKG.documentCount}> {_count(found.documents)} .",
            f"<{e}> <{LKG.firstMention}> <{found.first[3]}> .",
        ))
    nodes = set(entities)
    nodes.update(row["n"] for row in store.query(_NAMED_BY_EVENTS))
    for node in nodes:
        lines.add(f"<{node}> <{LKG.lookupKey}> {string(node)} .")
    for row in store.query(_NAMES):
        if row["n"] in nodes:
            lines.add(f"<{row['n']}> <{LKG.lookupKey}> {string(row['name'])} .")
    return sorted(lines)


RDF_TYPE = ox.NamedNode(str(RDF.type))


def _quads(inner: ox.Store, predicate: str, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    return inner.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, graph)


def _subjects(inner: ox.Store, predicate: ox.NamedNode, obj: ox.NamedNode) -> set[str]:
    return {q.subject.value for q in inner.quads_for_pattern(None, predicate, obj, None)}


def write_summary(store: Store) -> None:
    """Recompute ``graph/summary`` from the other graphs of *store* (one update)."""
    store.replace_ntriples(SUMMARY, "\n".join(summary_lines(store)))
