"""Frozen records passed between the stages of the pipeline.

text -> :class:`Document` -> :class:`Normalized` -> [:class:`Paragraph`] -> [:class:`Mention`]
-> [:class:`Relation`] -> :class:`DocumentResult` -> triples.

All offsets that leave the pipeline (``Mention.start/end``, ``Relation.start/end``) index the
**original** document text, and every ``snippet`` equals ``original[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class InstrumentType(StrEnum):
    """Instrument type codes; also the notations of the ontology's SKOS concept scheme."""

    CONSTITUTION = "constitution"
    CONSTITUTIONAL_LAW = "constitutional_law"
    LAW = "law"
    DECREE = "decree"
    ORDER = "order"
    DECISION = "decision"
    REGULATION = "regulation"
    TREATY = "treaty"
    PROGRAMME = "programme"
    STRATEGY = "strategy"
    ACTION_PLAN = "action_plan"
    CONCEPT = "concept"
    OTHER = "other"


class MentionKind(StrEnum):
    INSTRUMENT = "instrument"
    INSTITUTION = "institution"
    POST = "post"
    DATE = "date"
    ARTICLE = "article"
    ISSUER = "issuer"


class RelationKind(StrEnum):
    """Relation codes. ``head`` and ``tail`` are documented per member."""

    ESTABLISHED_BY = "established_by"  # institution -> instrument (tail may be None: date only)
    ISSUED_BY = "issued_by"  # instrument -> issuer
    APPROVES = "approves"  # instrument -> instrument (regulation, programme, charter)
    AMENDS = "amends"  # instrument -> instrument
    REPEALS = "repeals"  # instrument -> instrument
    ABOLISHES = "abolishes"  # instrument -> institution (head is the institution)
    REPLACES = "replaces"  # institution/instrument -> the one it replaces
    RENAMED = "renamed"  # new name -> old name
    MERGED = "merged"  # resulting institution -> merged one
    REORGANISED = "reorganised"  # institution -> instrument
    SUBORDINATE_TO = "subordinate_to"  # institution -> parent body or post
    RATIFIED = "ratified"  # treaty -> ratifying instrument (or None with a date)
    ACCEDED = "acceded"
    SIGNED = "signed"
    PART_OF = "part_of"  # article -> instrument


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Date:
    """A calendar date at the precision the text gives: ``2007-03-19``, ``2019-05``, ``2012``."""

    iso: str
    precision: Precision

    @property
    def year(self) -> int:
        return int(self.iso[:4])


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something odd met while reading or extracting, reported rather than dropped."""

    level: str  # "info" | "warning"
    message: str
    doc_id: str = ""
    para: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """One source file, decoded. ``doc_id`` is the file name."""

    doc_id: str
    text: str
    path: Path | None = None
    encoding: str = "utf-8"
    sha256: str = ""
    notices: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class Normalized:
    """Cleaned text plus a map back to the original.

    ``offsets[i]`` is the index in ``original`` of ``text[i]``; ``offsets`` has one extra
    entry, ``offsets[len(text)] == len(original)``, so spans map with :meth:`to_original`.
    """

    text: str
    original: str
    offsets: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` to the original text."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1

    def snippet(self, start: int, end: int) -> str:
        """Return the verbatim original text behind the normalised span ``[start, end)``."""
        a, b = self.to_original(start, end)
        return self.original[a:b]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A numbered UN paragraph (or the text before the first number: ``number == "0"``).

    ``start``/``end`` index the normalised text; headings, tables and lettered items without a
    number of their own belong to the preceding numbered paragraph.
    """

    doc_id: str
    number: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names an entity, with its attributes.

    ``start``/``end`` index the original document text and ``snippet`` is verbatim.
    ``label`` is the clean display form (normalised, not letter-folded); ``key`` identifies the
    real-world entity for resolution (filled by :mod:`kg.resolve`).
    """

    kind: MentionKind
    doc_id: str
    para: str
    start: int
    end: int
    snippet: str
    label: str
    type: str = ""  # InstrumentType for instruments, institution kind for institutions
    date: Date | None = None
    issuer: str = ""  # issuer key (lexicons/issuers.tsv code or institution key)
    issuer_label: str = ""
    number: str = ""
    title: str = ""
    period: tuple[int, int] | None = None
    key: str = ""
    planned: bool = False


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link between two mentions, with the evidence span in the original text."""

    kind: RelationKind
    head: Mention
    tail: Mention | None
    doc_id: str
    para: str
    start: int
    end: int
    snippet: str
    date: Date | None = None
    planned: bool = False


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Cover-page facts of a document ("" / None when the text does not state them)."""

    title: str = ""
    symbol: str = ""
    date: Date | None = None


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Everything extracted from one document."""

    document: Document
    paragraphs: tuple[Paragraph, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    paragraph_offsets: tuple[tuple[int, int], ...] = ()  # original-text span of each paragraph
    meta: DocumentMeta = field(default_factory=DocumentMeta)
