"""Records -> RDF (one rdflib Graph per document); IRI minting lives here only.

IRIs are derived from entity keys (:mod:`kg.resolve`), so they are stable across runs and
documents; no blank nodes are used for entities.  See ``docs/graph-model.md``.
"""

from __future__ import annotations

import hashlib
from functools import cache
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
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

_DATATYPE = {Precision.DAY: XSD.date, Precision.MONTH: XSD.gYearMonth, Precision.YEAR: XSD.gYear}
_EVENT_CLASS = {
    RelationKind.ESTABLISHED_BY: LKG.Establishment,
    RelationKind.ABOLISHES: LKG.Abolition,
    RelationKind.REPLACES: LKG.Replacement,
    RelationKind.RENAMED: LKG.Renaming,
    RelationKind.MERGED: LKG.Merger,
    RelationKind.REORGANISED: LKG.Reorganisation,
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


def _h(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def doc_iri(doc_id: str) -> URIRef:
    return ID[f"doc/{quote(doc_id, safe='')}"]


def paragraph_iri(doc_id: str, number: str) -> URIRef:
    return URIRef(f"{doc_iri(doc_id)}/p/{quote(number, safe='')}")


def mention_iri(m: Mention | Relation, kind: str) -> URIRef:
    return URIRef(f"{doc_iri(m.doc_id)}/m/{m.start}-{m.end}-{kind}")


def entity_iri(key: str) -> URIRef:
    """Mint the IRI of an entity from its resolution key."""
    kind, _, rest = key.partition(":")
    if kind == "instrument":
        parts = rest.split(":")
        itype = parts[0] or "other"
        date = parts[1] if len(parts) > 1 and parts[1] not in ("", "-", "mention") else "undated"
        return ID[f"instrument/{itype}/{date}/{_h(key)}"]
    if kind in ("institution", "post"):
        return ID[f"institution/{_h(key)}"]
    if kind == "article":
        return ID[f"article/{_h(key)}"]
    return ID[f"entity/{_h(key)}"]


def date_literal(date: Date) -> Literal:
    """A date typed by its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    return Literal(date.iso, datatype=_DATATYPE[date.precision])


@cache
def _issuer_rows() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in table("issuers.tsv").values()}


Deferred = dict[tuple[str, str], tuple[URIRef, str]]


class _Builder:
    def __init__(
        self,
        result: DocumentResult,
        labels: dict[str, str],
        titles: dict[str, str],
        deferred: Deferred | None = None,
    ) -> None:
        self.g = Graph(store="SimpleMemory")  # no context index: adds cost 40% less
        self.r = result
        self.labels = labels
        self.titles = titles
        self.deferred = deferred
        self.doc_id = result.document.doc_id
        self.typed: set[URIRef] = set()

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.g.add((s, p, o))

    def ar(self, text: str) -> Literal:
        return Literal(text, lang="ar")

    # --- provenance ---------------------------------------------------------------------
    def document(self, timestamp: str | None) -> None:
        d = self.r.document
        s = doc_iri(d.doc_id)
        self.add(s, RDF.type, LKG.Document)
        self.add(s, RDF.type, PROV.Entity)
        self.add(s, DCTERMS.identifier, Literal(d.doc_id))
        self.add(s, LKG.fileName, Literal(d.doc_id))
        self.add(s, LKG.sha256, Literal(d.sha256))
        meta = self.r.meta
        if meta.title:
            self.add(s, DCTERMS.title, self.ar(meta.title))
        if meta.symbol:
            self.add(s, LKG.symbol, Literal(meta.symbol))
        if meta.date is not None:
            self.add(s, DCTERMS.date, date_literal(meta.date))
        run = ID[f"run/{__version__}"]
        self.add(s, PROV.wasGeneratedBy, run)
        self.add(run, RDF.type, LKG.ExtractionRun)
        self.add(run, RDF.type, PROV.Activity)
        self.add(run, LKG.toolVersion, Literal(__version__))
        if timestamp:
            self.add(run, PROV.startedAtTime, Literal(timestamp, datatype=XSD.dateTime))

    def paragraph(self, p: Paragraph, orig: tuple[int, int]) -> None:
        s = paragraph_iri(self.doc_id, p.number)
        self.add(s, RDF.type, LKG.Paragraph)
        self.add(s, LKG.document, doc_iri(self.doc_id))
        self.add(s, LKG.paragraphNumber, Literal(p.number))
        self.add(s, LKG.paragraphIndex, Literal(p.index))
        self.add(s, LKG.startOffset, Literal(orig[0]))
        self.add(s, LKG.endOffset, Literal(orig[1]))

    def mention_node(self, m: Mention | Relation, kind: str, denotes: URIRef) -> URIRef:
        s = mention_iri(m, kind)
        self.add(s, RDF.type, LKG.Mention)
        self.add(s, LKG.inParagraph, paragraph_iri(m.doc_id, m.para))
        self.add(s, LKG.startOffset, Literal(m.start))
        self.add(s, LKG.endOffset, Literal(m.end))
        self.add(s, LKG.snippet, Literal(m.snippet))
        self.add(s, LKG.denotes, denotes)
        return s

    # --- entities -----------------------------------------------------------------------
    def label(self, s: URIRef, key: str, fallback: str) -> None:
        if self.deferred is not None:  # streaming build: the label goes to graph/labels
            self.deferred.setdefault(("label", key), (s, fallback))
            return
        self.add(s, RDFS.label, self.ar(self.labels.get(key, fallback)))

    def issuer(self, m: Mention) -> URIRef | None:
        key = issuer_key(m)
        if not key:
            return None
        s = entity_iri(key)
        if s not in self.typed:
            self.typed.add(s)
            if m.issuer == "institution":
                self.add(s, RDF.type, LKG.Institution)
                self.add(s, RDF.type, ORG.FormalOrganization)
                self.label(s, key, m.issuer_label)
            else:
                self._issuer_node(s, m.issuer)
        return s

    def _issuer_node(self, s: URIRef, code: str) -> None:
        row = _issuer_rows().get(code, {})
        if row.get("kind") == "post":
            self.add(s, RDF.type, LKG.Post)
            self.add(s, RDF.type, ORG.Post)
        else:
            self.add(s, RDF.type, LKG.Institution)
            self.add(s, RDF.type, ORG.FormalOrganization)
            if row.get("kind"):
                self.add(s, LKG.institutionKind, IKIND[row["kind"]])
        self.add(s, RDFS.label, self.ar(row.get("label_ar", code)))
        if row.get("label_en"):
            self.add(s, RDFS.label, Literal(row["label_en"], lang="en"))

    def entity(self, m: Mention) -> URIRef:
        s = entity_iri(m.key)
        first = s not in self.typed
        self.typed.add(s)
        if m.kind == MentionKind.INSTRUMENT:
            if first:
                self.instrument(s, m)
        elif m.kind == MentionKind.ISSUER:
            self.issuer(m)
        elif m.kind == MentionKind.POST:
            if first:
                if m.issuer:
                    self._issuer_node(s, m.issuer)
                else:
                    self.add(s, RDF.type, LKG.Post)
                    self.add(s, RDF.type, ORG.Post)
                    self.label(s, m.key, m.label)
        elif m.kind == MentionKind.INSTITUTION:
            if first:
                self.add(s, RDF.type, LKG.Institution)
                self.add(s, RDF.type, ORG.FormalOrganization)
                self.label(s, m.key, m.label)
                if m.type:
                    self.add(s, LKG.institutionKind, IKIND[m.type])
            if self.deferred is not None or m.label != self.labels.get(m.key, m.label):
                self.add(s, SKOS.altLabel, self.ar(m.label))
        self.mention_node(m, str(m.kind), s)
        return s

    def instrument(self, s: URIRef, m: Mention) -> None:
        self.add(s, RDF.type, LKG.LegalInstrument)
        self.add(s, RDF.type, ELI.LegalResource)
        self.add(s, LKG.typeCode, Literal(m.type))
        self.add(s, ELI.type_document, ITYPE[m.type])
        self.label(s, m.key, m.label)
        if m.date:
            self.add(s, ELI.date_document, date_literal(m.date))
        if m.number:
            self.add(s, ELI.number, Literal(m.number))
        if self.deferred is not None:  # streaming build: the title goes to graph/labels
            self.deferred.setdefault(("title", m.key), (s, m.title))
        elif title := self.titles.get(m.key, m.title):
            self.add(s, ELI.title, self.ar(title))
        if m.period:
            self.add(s, LKG.periodStart, Literal(str(m.period[0]), datatype=XSD.gYear))
            self.add(s, LKG.periodEnd, Literal(str(m.period[1]), datatype=XSD.gYear))
        issuer = self.issuer(m)
        if issuer is not None:
            self.add(s, ELI.passed_by, issuer)

    def treaty_action(self, rel: Relation, treaty: URIRef, basis: URIRef | None) -> None:
        """«وتمت الموافقة على البروتوكول … بموجب قانون …»: a ratification, accession or signature."""
        e = ID[f"event/treaty/{_h(relation_key(rel))}"]
        self.add(e, RDF.type, LKG.TreatyAction)
        self.add(e, RDF.type, PROV.Activity)
        self.add(e, LKG.treaty, treaty)
        self.add(e, LKG.actionKind, Literal(_TREATY_ACTION[rel.kind]))
        if basis is not None:
            self.add(e, LKG.legalBasis, basis)
        if rel.date is not None:
            self.add(e, LKG.date, date_literal(rel.date))
        self.add(e, LKG.evidence, self.mention_node(rel, str(rel.kind), e))

    def article(self, m: Mention, instrument: URIRef) -> None:
        s = URIRef(f"{instrument}/article/{quote(m.number, safe='')}")
        self.add(s, RDF.type, LKG.Article)
        self.add(s, RDF.type, ELI.LegalResourceSubdivision)
        self.add(s, ELI.is_part_of, instrument)
        self.add(instrument, ELI.has_part, s)
        self.add(s, LKG.articleNumber, Literal(m.number))
        self.add(s, RDFS.label, self.ar(f"المادة {m.number}"))
        self.add(paragraph_iri(m.doc_id, m.para), LKG.cites, s)
        self.mention_node(m, "article", s)

    # --- relations ----------------------------------------------------------------------
    def relation(self, rel: Relation) -> None:
        head = entity_iri(rel.head.key)
        tail = entity_iri(rel.tail.key) if rel.tail is not None else None
        if rel.kind == RelationKind.PART_OF:
            if tail is not None:
                self.article(rel.head, tail)
            return
        if rel.kind == RelationKind.SUBORDINATE_TO and tail is not None:
            self.add(head, LKG.subordinateTo, tail)
            if rel.tail is not None and rel.tail.kind == MentionKind.INSTITUTION:
                self.add(head, ORG.subOrganizationOf, tail)
            return
        instrument_link = {
            RelationKind.APPROVES: LKG.approves,
            RelationKind.REPEALS: ELI.repeals,
            RelationKind.AMENDS: ELI.amends,
        }.get(rel.kind)
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
        e = ID[f"event/{_EVENT_PATH[rel.kind]}/{_h(relation_key(rel))}"]
        self.add(e, RDF.type, event_class)
        self.add(e, RDF.type, ORG.ChangeEvent)
        target = ORG.resultingOrganization
        if rel.kind in (RelationKind.ABOLISHES, RelationKind.REORGANISED):
            target = ORG.originalOrganization
        self.add(e, target, head)
        instrument = tail if rel.tail is not None and rel.tail.kind == MentionKind.INSTRUMENT else None
        if rel.kind in (RelationKind.REPLACES, RelationKind.RENAMED, RelationKind.MERGED):
            if tail is not None:
                self.add(e, ORG.originalOrganization, tail)
                predicate = {
                    RelationKind.REPLACES: LKG.replaces,
                    RelationKind.RENAMED: LKG.renamedFrom,
                    RelationKind.MERGED: LKG.mergedInto,
                }[rel.kind]
                if rel.kind == RelationKind.MERGED:
                    self.add(tail, predicate, head)
                else:
                    self.add(head, predicate, tail)
            instrument = None
        if instrument is not None:
            self.add(e, LKG.legalBasis, instrument)
        date = rel.date or (rel.tail.date if rel.tail is not None else None)
        if date is not None:
            self.add(e, LKG.date, date_literal(date))
        if rel.planned:
            self.add(e, LKG.planned, Literal(True))
        if rel.kind == RelationKind.ESTABLISHED_BY and not rel.planned:
            if instrument is not None:
                self.add(head, LKG.establishedBy, instrument)
            if date is not None:
                self.add(head, LKG.establishedOn, date_literal(date))
        if rel.kind == RelationKind.ABOLISHES and instrument is not None:
            self.add(head, LKG.abolishedBy, instrument)
        ev = self.mention_node(rel, f"{rel.kind}", e)
        self.add(e, LKG.evidence, ev)


def to_graph(
    result: DocumentResult,
    labels: dict[str, str],
    timestamp: str | None = None,
    titles: dict[str, str] | None = None,
    *,
    deferred: Deferred | None = None,
) -> Graph:
    """Return the RDF graph of one document's extraction result.

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
        if m.kind != MentionKind.ARTICLE:
            b.entity(m)
    for rel in result.relations:
        for m in (rel.head, rel.tail):
            if m is not None and m.kind != MentionKind.ARTICLE:
                b.entity(m)
        b.relation(rel)
    return b.g
