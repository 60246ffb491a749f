"""Records -> RDF: one document's N-Triples statements, split by named graph; IRI minting lives here only.

IRIs are derived from entity keys (:mod:`kg.resolve`), so they are stable across runs and
documents; no blank nodes are used for entities.  See ``docs/graph-model.md``.

Statements are written straight as N-Triples text (``<s> <p> "o"@ar``, no terminating dot),
exactly as pyoxigraph prints a triple, so sorting them sorts the triples the way the store
does.  A statement whose subject is the document or lies under it (``id:doc/D/…``: paragraphs,
mentions) belongs to the document's graph; every other one (instruments, institutions, events,
the extraction run) to the shared ``graph/entities``.  :func:`to_graph` gives the same triples
as an rdflib Graph (tests, SHACL).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from heapq import merge
from typing import Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from . import __version__
from .lexicon import table
from .records import (
    Date,
    DocumentResult,
    Mention,
    MentionKind,
    Paragraph,
    Precision,
    Relation,
    RelationKind,
)
from .resolve import issuer_key, relation_key
from .vocab import ELI, ID, IKIND, ITYPE, LKG


class _Bracketed:
    """Attribute access gives a namespace term as N-Triples ``<IRI>`` (a typo is an error)."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = f"<{getattr(self._namespace, name)}>"
        setattr(self, name, value)  # cached: the next access is a plain attribute
        return value


_rdf, _rdfs, _xsd = _Bracketed(RDF), _Bracketed(RDFS), _Bracketed(XSD)
_lkg, _eli, _org = _Bracketed(LKG), _Bracketed(ELI), _Bracketed(ORG)
_prov, _dcterms, _skos = _Bracketed(PROV), _Bracketed(DCTERMS), _Bracketed(SKOS)

# N-Triples string escapes, as pyoxigraph writes them (ECHAR where one exists, else \uXXXX)
_ESCAPES = {i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F)} | {
    0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\",
}
# str.translate with a dict costs ~150 ns a character: only texts that need an escape pay it
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(map(chr, _ESCAPES))) + "]")
_DATATYPE = {
    Precision.DAY: _xsd.date, Precision.MONTH: _xsd.gYearMonth, Precision.YEAR: _xsd.gYear,
}
_EVENT_CLASS = {
    RelationKind.ESTABLISHED_BY: _lkg.Establishment,
    RelationKind.ABOLISHES: _lkg.Abolition,
    RelationKind.REPLACES: _lkg.Replacement,
    RelationKind.RENAMED: _lkg.Renaming,
    RelationKind.MERGED: _lkg.Merger,
    RelationKind.REORGANISED: _lkg.Reorganisation,
}
_TREATY_ACTION = {
    RelationKind.RATIFIED: "ratification",
    RelationKind.ACCEDED: "accession",
    RelationKind.SIGNED: "signature",
}
_EVENT_PATH = {
    RelationKind.ESTABLISHED_BY: "establishment",
    RelationKind.ABOLISHES: "abolition",
    RelationKind.REPLACES: "replacement",
    RelationKind.RENAMED: "renaming",
    RelationKind.MERGED: "merger",
    RelationKind.REORGANISED: "reorganisation",
}
_INSTRUMENT_LINK = {
    RelationKind.APPROVES: _lkg.approves,
    RelationKind.REPEALS: _eli.repeals,
    RelationKind.AMENDS: _eli.amends,
}
_SUCCESSION = {
    RelationKind.REPLACES: _lkg.replaces,
    RelationKind.RENAMED: _lkg.renamedFrom,
    RelationKind.MERGED: _lkg.mergedInto,
}


# Enum members read once: ``MentionKind.POST`` costs ~5x a global read (Python 3.11)
_INSTRUMENT, _ISSUER, _POST, _INSTITUTION, _ARTICLE = (
    MentionKind.INSTRUMENT, MentionKind.ISSUER, MentionKind.POST, MentionKind.INSTITUTION,
    MentionKind.ARTICLE,
)
_PART_OF, _SUBORDINATE_TO, _ABOLISHES, _REORGANISED, _MERGED, _ESTABLISHED_BY = (
    RelationKind.PART_OF, RelationKind.SUBORDINATE_TO, RelationKind.ABOLISHES,
    RelationKind.REORGANISED, RelationKind.MERGED, RelationKind.ESTABLISHED_BY,
)


def _h(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


# --- terms (N-Triples text) -----------------------------------------------------------------


def _escaped(text: str) -> str:
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def string(text: str) -> str:
    """An ``xsd:string`` literal, escaped exactly as N-Triples (and pyoxigraph) write it."""
    return f'"{_escaped(text)}"'


def arabic(text: str) -> str:
    """An ``@ar`` literal."""
    return f'"{_escaped(text)}"@ar'


def typed(lexical: str, datatype: str) -> str:
    """A literal of *datatype* (an N-Triples ``<IRI>``); *lexical* must need no escaping."""
    return f'"{lexical}"^^{datatype}'


def date_literal(date: Date) -> str:
    """A date typed by its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    return typed(date.iso, _DATATYPE[date.precision])


def _id(path: str) -> str:
    return f"<{ID}{path}>"


@lru_cache(maxsize=64)  # urllib's quote is slow; a document asks thousands of times
def doc_iri(doc_id: str) -> str:
    """The document node ``<id:doc/D>``."""
    return _id(f"doc/{quote(doc_id, safe='')}")


@lru_cache(maxsize=4096)  # bounded: memory stays flat over a corpus
def paragraph_iri(doc_id: str, number: str) -> str:
    return f"{doc_iri(doc_id)[:-1]}/p/{quote(number, safe='')}>"


@lru_cache(maxsize=8192)  # bounded: memory stays flat over a corpus
def entity_iri(key: str) -> str:
    """Mint the IRI (``<…>``) of an entity from its resolution key."""
    kind, _, rest = key.partition(":")
    if kind == "instrument":
        parts = rest.split(":")
        itype = parts[0] or "other"
        date = parts[1] if len(parts) > 1 and parts[1] not in ("", "-", "mention") else "undated"
        return _id(f"instrument/{itype}/{date}/{_h(key)}")
    if kind in ("institution", "post"):
        return _id(f"institution/{_h(key)}")
    if kind == "article":
        return _id(f"article/{_h(key)}")
    return _id(f"entity/{_h(key)}")


@cache
def _issuer_rows() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in table("issuers.tsv").values()}


# (attr "label"/"title", entity key) -> (subject <IRI>, fallback value)
Deferred = dict[tuple[str, str], tuple[str, str]]


@dataclass(frozen=True)
class DocumentTriples:
    """One document's statements (N-Triples text without the final dot), each part sorted."""

    document: tuple[str, ...]  # subject id:doc/D or under it: the graph graph/D
    entities: tuple[str, ...]  # every other subject: the shared graph graph/entities

    def lines(self) -> list[str]:
        """All statements, sorted (the two parts have disjoint subjects)."""
        d, e = self.document, self.entities
        if not d or not e:
            return list(d or e)
        i = bisect_left(e, d[0])  # the document's statements usually sort as one block
        if i == len(e) or d[-1] < e[i]:
            return [*e[:i], *d, *e[i:]]
        return list(merge(d, e))

    def ntriples(self) -> str:
        """All statements as an N-Triples document."""
        lines = self.lines()
        return " .\n".join(lines) + " .\n" if lines else ""

    def nquads(self, document_graph: str, entities_graph: str) -> bytes:
        """Both parts as N-Quads in their named graphs (IRIs without brackets)."""
        d, e = f" <{document_graph}> .\n", f" <{entities_graph}> .\n"
        return (d.join(self.document) + d * bool(self.document)
                + e.join(self.entities) + e * bool(self.entities)).encode("utf-8")


# Predicates of the statements written as one block per subject, in sorted order: their
# statements sort by predicate, since a predicate ``<…>`` is never the prefix of another.
_TYPE_MENTION = f"{_rdf.type} {_lkg.Mention}"
_TYPE_PARAGRAPH = f"{_rdf.type} {_lkg.Paragraph}"
_DENOTES, _END, _IN_PARAGRAPH = _lkg.denotes, _lkg.endOffset, _lkg.inParagraph
_SNIPPET, _START = _lkg.snippet, _lkg.startOffset
_DOCUMENT, _INDEX, _NUMBER = _lkg.document, _lkg.paragraphIndex, _lkg.paragraphNumber
_INTEGER = f'"^^{_xsd.integer}'  # closes an xsd:integer literal opened by '"'
_TYPE_POST, _TYPE_ORG_POST = f"{_rdf.type} {_lkg.Post}", f"{_rdf.type} {_org.Post}"
_TYPE_INSTITUTION = f"{_rdf.type} {_lkg.Institution}"
_TYPE_ORGANIZATION = f"{_rdf.type} {_org.FormalOrganization}"
_TYPE_INSTRUMENT = f"{_rdf.type} {_lkg.LegalInstrument}"
_TYPE_LEGAL_RESOURCE = f"{_rdf.type} {_eli.LegalResource}"
_TYPE_ARTICLE = f"{_rdf.type} {_lkg.Article}"
_TYPE_SUBDIVISION = f"{_rdf.type} {_eli.LegalResourceSubdivision}"
_ALT_LABEL = _skos.altLabel


class _Builder:
    """Collect statements per subject; :meth:`triples` sorts the subjects, then their statements.

    That gives the order of the sorted lines (a subject ``<…>`` holds no ``>`` before its end,
    so no subject's statements interleave with another's) at a fraction of the cost of sorting
    every line.  Mentions and paragraphs come as one :meth:`block` of whole lines, already
    sorted; other statements as ``"p o"`` parts per subject (:meth:`parts`), sorted at the end.
    """

    def __init__(
        self,
        result: DocumentResult,
        labels: dict[str, str],
        titles: dict[str, str],
        deferred: Deferred | None = None,
    ) -> None:
        self.r = result
        self.labels = labels
        self.titles = titles
        self.deferred = deferred
        self.doc_id = result.document.doc_id
        self.doc_node = doc_iri(self.doc_id)
        self.doc_prefix = self.doc_node[:-1] + "/"
        self.blocks: dict[str, list[str]] = {}  # subject -> whole lines, sorted
        self.mixed: set[str] = set()  # subjects whose blocks differ (lines need sorting, dedup)
        self.statements: dict[str, list[str]] = {}  # subject -> "p o" parts (any order, repeats)
        self.typed: set[str] = set()
        self.done: dict[int, str] = {}  # id(mention) -> its entity IRI, once written

    def parts(self, s: str) -> list[str]:
        """The ``"p o"`` parts of subject ``s``, to append to."""
        parts = self.statements.get(s)
        if parts is None:
            parts = self.statements[s] = []
        return parts

    def add(self, s: str, p: str, o: str) -> None:
        self.parts(s).append(f"{p} {o}")

    def block(self, s: str, lines: list[str]) -> None:
        """Add the statements ``lines`` of subject ``s``: distinct and sorted."""
        group = self.blocks.get(s)
        if group is None:
            self.blocks[s] = lines
        elif group != lines:  # the same mention met again gives the same block
            group.extend(lines)
            self.mixed.add(s)

    def triples(self) -> DocumentTriples:
        document: list[str] = []
        entities: list[str] = []
        node, prefix, mixed = self.doc_node, self.doc_prefix, self.mixed
        blocks, statements = self.blocks, self.statements
        subjects = [*blocks]
        subjects += [s for s in statements if s not in blocks]
        subjects.sort()
        for s in subjects:
            lines = blocks.get(s)
            parts = statements.get(s)
            if parts is not None:
                if len(parts) > 1:
                    parts = sorted(set(parts))
                parts = list(map(f"{s} ".__add__, parts))
                lines = parts if lines is None else sorted(set(lines).union(parts))
            elif s in mixed:
                lines = sorted(set(lines))  # type: ignore[arg-type]
            if s == node or s.startswith(prefix):
                document.extend(lines)  # type: ignore[arg-type]
            else:
                entities.extend(lines)  # type: ignore[arg-type]
        return DocumentTriples(tuple(document), tuple(entities))

    # --- provenance ---------------------------------------------------------------------
    def document(self, timestamp: str | None) -> None:
        d = self.r.document
        s = self.doc_node
        self.add(s, _rdf.type, _lkg.Document)
        self.add(s, _rdf.type, _prov.Entity)
        self.add(s, _dcterms.identifier, string(d.doc_id))
        self.add(s, _lkg.fileName, string(d.doc_id))
        self.add(s, _lkg.sha256, string(d.sha256))
        meta = self.r.meta
        if meta.title:
            self.add(s, _dcterms.title, arabic(meta.title))
        if meta.symbol:
            self.add(s, _lkg.symbol, string(meta.symbol))
        if meta.date is not None:
            self.add(s, _dcterms.date, date_literal(meta.date))
        run = _id(f"run/{__version__}")
        self.add(s, _prov.wasGeneratedBy, run)
        self.add(run, _rdf.type, _lkg.ExtractionRun)
        self.add(run, _rdf.type, _prov.Activity)
        self.add(run, _lkg.toolVersion, string(__version__))
        if timestamp:  # rdflib's lexical form (it normalises "Z" to "+00:00"), as before
            lexical = str(Literal(timestamp, datatype=XSD.dateTime))
            self.add(run, _prov.startedAtTime, typed(lexical.translate(_ESCAPES), _xsd.dateTime))

    def paragraph(self, p: Paragraph, orig: tuple[int, int]) -> None:
        s = paragraph_iri(self.doc_id, p.number)
        number = p.number
        if _NEEDS_ESCAPE.search(number):  # string(), inline: once per paragraph
            number = number.translate(_ESCAPES)
        self.block(s, [
            f"{s} {_TYPE_PARAGRAPH}",
            f"{s} {_DOCUMENT} {self.doc_node}",
            f'{s} {_END} "{orig[1]}{_INTEGER}',
            f'{s} {_INDEX} "{p.index}{_INTEGER}',
            f'{s} {_NUMBER} "{number}"',
            f'{s} {_START} "{orig[0]}{_INTEGER}',
        ])

    def mention_node(self, m: Mention | Relation, kind: str, denotes: str) -> str:
        """Write the node ``<id:doc/D/m/S-E-KIND>`` of a mention or relation evidence."""
        doc_id, start, end = m.doc_id, m.start, m.end
        prefix = self.doc_prefix if doc_id == self.doc_id else doc_iri(doc_id)[:-1] + "/"
        s = f"{prefix}m/{start}-{end}-{kind}>"
        snippet = m.snippet
        if _NEEDS_ESCAPE.search(snippet):  # string(), inline: once per mention
            snippet = snippet.translate(_ESCAPES)
        lines = [
            f"{s} {_TYPE_MENTION}",
            f"{s} {_DENOTES} {denotes}",
            f'{s} {_END} "{end}{_INTEGER}',
            f"{s} {_IN_PARAGRAPH} {paragraph_iri(doc_id, m.para)}",
            f'{s} {_SNIPPET} "{snippet}"',
            f'{s} {_START} "{start}{_INTEGER}',
        ]
        if s in self.blocks:
            self.block(s, lines)
        else:
            self.blocks[s] = lines
        return s

    # --- entities -----------------------------------------------------------------------
    def label(self, s: str, key: str, fallback: str) -> None:
        if self.deferred is not None:  # streaming build: the label goes to graph/labels
            self.deferred.setdefault(("label", key), (s, fallback))
            return
        self.add(s, _rdfs.label, arabic(self.labels.get(key, fallback)))

    def issuer(self, m: Mention) -> str | None:
        key = issuer_key(m)
        if not key:
            return None
        s = entity_iri(key)
        if s not in self.typed:
            self.typed.add(s)
            if m.issuer == "institution":
                self.add(s, _rdf.type, _lkg.Institution)
                self.add(s, _rdf.type, _org.FormalOrganization)
                self.label(s, key, m.issuer_label)
            else:
                self._issuer_node(s, m.issuer)
        return s

    def _issuer_node(self, s: str, code: str) -> None:
        row = _issuer_rows().get(code, {})
        if row.get("kind") == "post":
            self.add(s, _rdf.type, _lkg.Post)
            self.add(s, _rdf.type, _org.Post)
        else:
            self.add(s, _rdf.type, _lkg.Institution)
            self.add(s, _rdf.type, _org.FormalOrganization)
            if row.get("kind"):
                self.add(s, _lkg.institutionKind, f"<{IKIND}{row['kind']}>")
        self.add(s, _rdfs.label, arabic(row.get("label_ar", code)))
        if row.get("label_en"):
            self.add(s, _rdfs.label, f"{string(row['label_en'])}@en")

    def entity(self, m: Mention) -> str:
        done = self.done.get(id(m))
        if done is not None:  # the same mention again (a relation's head or tail): no news
            return done
        s = entity_iri(m.key)
        first = s not in self.typed
        self.typed.add(s)
        kind = m.kind
        if kind == _INSTRUMENT:
            if first:
                self.instrument(s, m)
        elif kind == _ISSUER:
            self.issuer(m)
        elif kind == _POST:
            if first:
                if m.issuer:
                    self._issuer_node(s, m.issuer)
                else:
                    self.parts(s).extend((_TYPE_POST, _TYPE_ORG_POST))
                    self.label(s, m.key, m.label)
        elif kind == _INSTITUTION:
            parts = self.parts(s)
            if first:
                parts.extend((_TYPE_INSTITUTION, _TYPE_ORGANIZATION))
                self.label(s, m.key, m.label)
                if m.type:
                    parts.append(f"{_lkg.institutionKind} <{IKIND}{m.type}>")
            if self.deferred is not None or m.label != self.labels.get(m.key, m.label):
                parts.append(f"{_ALT_LABEL} {arabic(m.label)}")
        self.mention_node(m, str(kind), s)
        self.done[id(m)] = s
        return s

    def instrument(self, s: str, m: Mention) -> None:
        parts = self.parts(s)
        parts += (
            _TYPE_INSTRUMENT, _TYPE_LEGAL_RESOURCE,
            f"{_lkg.typeCode} {string(m.type)}",
            f"{_eli.type_document} <{ITYPE}{m.type}>",
        )
        self.label(s, m.key, m.label)
        if m.date:
            parts.append(f"{_eli.date_document} {date_literal(m.date)}")
        if m.number:
            parts.append(f"{_eli.number} {string(m.number)}")
        if self.deferred is not None:  # streaming build: the title goes to graph/labels
            self.deferred.setdefault(("title", m.key), (s, m.title))
        elif title := self.titles.get(m.key, m.title):
            parts.append(f"{_eli.title} {arabic(title)}")
        if m.period:
            parts.append(f"{_lkg.periodStart} {typed(str(m.period[0]), _xsd.gYear)}")
            parts.append(f"{_lkg.periodEnd} {typed(str(m.period[1]), _xsd.gYear)}")
        issuer = self.issuer(m)
        if issuer is not None:
            parts.append(f"{_eli.passed_by} {issuer}")

    def treaty_action(self, rel: Relation, treaty: str, basis: str | None) -> None:
        """«وتمت الموافقة على البروتوكول … بموجب قانون …»: a ratification, accession or signature."""
        e = _id(f"event/treaty/{_h(relation_key(rel))}")
        self.add(e, _rdf.type, _lkg.TreatyAction)
        self.add(e, _rdf.type, _prov.Activity)
        self.add(e, _lkg.treaty, treaty)
        self.add(e, _lkg.actionKind, string(_TREATY_ACTION[rel.kind]))
        if basis is not None:
            self.add(e, _lkg.legalBasis, basis)
        if rel.date is not None:
            self.add(e, _lkg.date, date_literal(rel.date))
        self.add(e, _lkg.evidence, self.mention_node(rel, str(rel.kind), e))

    def article(self, m: Mention, instrument: str) -> None:
        s = f"{instrument[:-1]}/article/{quote(m.number, safe='')}>"
        self.parts(s).extend((
            _TYPE_ARTICLE, _TYPE_SUBDIVISION,
            f"{_eli.is_part_of} {instrument}",
            f"{_lkg.articleNumber} {string(m.number)}",
            f"{_rdfs.label} {arabic(f'المادة {m.number}')}",
        ))
        self.parts(instrument).append(f"{_eli.has_part} {s}")
        self.parts(paragraph_iri(m.doc_id, m.para)).append(f"{_lkg.cites} {s}")
        self.mention_node(m, "article", s)

    # --- relations ----------------------------------------------------------------------
    def relation(self, rel: Relation) -> None:
        head = entity_iri(rel.head.key)
        tail = entity_iri(rel.tail.key) if rel.tail is not None else None
        if rel.kind == _PART_OF:
            if tail is not None:
                self.article(rel.head, tail)
            return
        if rel.kind == _SUBORDINATE_TO and tail is not None:
            self.add(head, _lkg.subordinateTo, tail)
            if rel.tail is not None and rel.tail.kind == _INSTITUTION:
                self.add(head, _org.subOrganizationOf, tail)
            return
        instrument_link = _INSTRUMENT_LINK.get(rel.kind)
        if instrument_link is not None:
            if tail is not None:
                self.add(head, instrument_link, tail)
            return
        if rel.kind in _TREATY_ACTION:
            self.treaty_action(rel, head, tail)
            return
        event_class = _EVENT_CLASS.get(rel.kind)
        if event_class is None:
            return
        e = _id(f"event/{_EVENT_PATH[rel.kind]}/{_h(relation_key(rel))}")
        self.add(e, _rdf.type, event_class)
        self.add(e, _rdf.type, _org.ChangeEvent)
        target = _org.resultingOrganization
        if rel.kind in (_ABOLISHES, _REORGANISED):
            target = _org.originalOrganization
        self.add(e, target, head)
        instrument = tail if rel.tail is not None and rel.tail.kind == _INSTRUMENT else None
        if rel.kind in _SUCCESSION:
            if tail is not None:
                self.add(e, _org.originalOrganization, tail)
                if rel.kind == _MERGED:
                    self.add(tail, _SUCCESSION[rel.kind], head)
                else:
                    self.add(head, _SUCCESSION[rel.kind], tail)
            instrument = None
        if instrument is not None:
            self.add(e, _lkg.legalBasis, instrument)
        date = rel.date or (rel.tail.date if rel.tail is not None else None)
        if date is not None:
            self.add(e, _lkg.date, date_literal(date))
        if rel.planned:
            self.add(e, _lkg.planned, typed("true", _xsd.boolean))
        if rel.kind == _ESTABLISHED_BY and not rel.planned:
            if instrument is not None:
                self.add(head, _lkg.establishedBy, instrument)
            if date is not None:
                self.add(head, _lkg.establishedOn, date_literal(date))
        if rel.kind == _ABOLISHES and instrument is not None:
            self.add(head, _lkg.abolishedBy, instrument)
        ev = self.mention_node(rel, f"{rel.kind}", e)
        self.add(e, _lkg.evidence, ev)


def document_triples(
    result: DocumentResult,
    labels: dict[str, str],
    timestamp: str | None = None,
    titles: dict[str, str] | None = None,
    *,
    deferred: Deferred | None = None,
) -> DocumentTriples:
    """Return the statements of one document's extraction result, split by named graph.

    With ``deferred`` (the streaming build, which cannot yet know the labels and titles chosen
    across documents) no ``rdfs:label``/``eli:title`` chosen by count is written: each is
    recorded as ``(attr, key) -> (IRI, fallback)`` with attr "label" or "title", and every
    institution label becomes a ``skos:altLabel``; :mod:`kg.build` adds the chosen values
    (graph/labels) and drops the altLabels equal to them at the end.
    """
    b = _Builder(result, labels, titles or {}, deferred)
    b.document(timestamp)
    for p, span in zip(result.paragraphs, result.paragraph_offsets, strict=True):
        b.paragraph(p, span)
    for m in result.mentions:
        if m.kind != _ARTICLE:
            b.entity(m)
    for rel in result.relations:
        for m in (rel.head, rel.tail):
            if m is not None and m.kind != _ARTICLE:
                b.entity(m)
        b.relation(rel)
    return b.triples()


def rdf_graph(ntriples: str) -> Graph:
    """Parse N-Triples text into an rdflib Graph (for SHACL and tests)."""
    g = Graph()
    g.parse(data=ntriples, format="nt")
    return g


def to_graph(
    result: DocumentResult,
    labels: dict[str, str],
    timestamp: str | None = None,
    titles: dict[str, str] | None = None,
    *,
    deferred: Deferred | None = None,
) -> Graph:
    """Return the RDF graph of one document's extraction result (:func:`document_triples`)."""
    return rdf_graph(document_triples(result, labels, timestamp, titles, deferred=deferred).ntriples())
