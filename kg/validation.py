"""Validate a legalkg graph against the SHACL shapes in ``shapes/``; read graph files safely.

:func:`validate` returns a :class:`Report`; non-conformance is a result, never an exception.
The data is merged into one graph (named graphs included) together with the ontology's class
hierarchy, so that ``sh:class`` sees ``rdfs:subClassOf`` (an ``lkg:Establishment`` is an
``org:ChangeEvent``).  Only the hierarchy is mixed in: the concept schemes are tested with the
ontology (tests/test_ontology.py).  No RDFS inference: the graph states every type it uses, and
inference would also type nodes from property domains (hiding a missing ``a lkg:Mention``).

Two engines give the same report (tests/test_validation_fast.py): ``fast`` (the default) runs
the shapes compiled to SPARQL (:mod:`kg.shacl_sparql`) on an in-memory pyoxigraph store, about
0.1 CPU-s for one sample document; ``pyshacl`` is the reference, about 0.7 CPU-s.  Graphs the
store cannot hold exactly (see :func:`_faithful`) go to pySHACL whatever the engine."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException

import pyoxigraph as ox
import pyshacl
from pyshacl.errors import ReportableRuntimeError, ValidationFailure
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.exceptions import ParserError
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.query import Result
from rdflib.term import Variable

from .errors import InputError, ResourceError
from .resources import ontology_dir, shapes_dir
from .shacl_sparql import Check, Hit, compile_shapes, run_checks, to_rdflib
from .vocab import LKG, SHAPES

SEVERITIES = ("Violation", "Warning", "Info")

PREFIXES: tuple[tuple[str, str], ...] = (
    ("lkgsh", str(SHAPES)),
    ("lkg", str(LKG._NS)),
    ("itype", "https://w3id.org/legalkg/ontology/instrument-type/"),
    ("ikind", "https://w3id.org/legalkg/ontology/institution-kind/"),
    ("id", "https://w3id.org/legalkg/id/"),
    ("eli", "http://data.europa.eu/eli/ontology#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("dcterms", str(DCTERMS)),
    ("skos", str(SKOS)),
    ("rdfs", str(RDFS)),
    ("rdf", str(RDF)),
    ("xsd", str(XSD)),
    ("sh", str(SH)),
)

# extension -> (rdflib format, name users know, holds named graphs)
FORMATS: dict[str, tuple[str, str, bool]] = {
    ".ttl": ("turtle", "Turtle", False),
    ".turtle": ("turtle", "Turtle", False),
    ".nt": ("nt", "N-Triples", False),
    ".ntriples": ("nt", "N-Triples", False),
    ".nq": ("nquads", "N-Quads", True),
    ".nquads": ("nquads", "N-Quads", True),
    ".trig": ("trig", "TriG", True),
    ".jsonld": ("json-ld", "JSON-LD", True),
    ".json": ("json-ld", "JSON-LD", True),
    ".rdf": ("xml", "RDF/XML", False),
    ".owl": ("xml", "RDF/XML", False),
    ".xml": ("xml", "RDF/XML", False),
}

_PARSE_ERRORS = (
    BadSyntax,
    ParserError,
    SAXParseException,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    UnicodeError,
)
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result in plain words, located in the source text when the graph says where."""

    severity: str  # "Violation" | "Warning" | "Info"
    focus: str  # IRI of the node that failed
    focus_label: str  # Arabic label if any, else English, else the IRI
    path: str  # prefixed property path ("eli:date_document", "^lkg:denotes") or ""
    message: str
    source_shape: str  # prefixed shape name ("lkgsh:Mention-snippet")
    value: str  # the offending value in Turtle-like form, or ""
    doc: str  # document id of the focus node's first mention, when known
    para: str  # paragraph number of that mention, when known

    def text_line(self) -> str:
        """Render as ``SEVERITY  focus_label  path  message  [doc para]``."""
        message = self.message
        if self.value and self.value != compact(self.focus):
            message += f" (value: {self.value})"
        line = f"{self.severity}  {self.focus_label}  {self.path or '-'}  {message}"
        if self.doc:
            line += f"  [{self.doc} {self.para}]" if self.para else f"  [{self.doc}]"
        return line


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`validate`: conforms when there is no Violation."""

    conforms: bool
    results: tuple[ValidationResult, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Return the number of results per severity, every severity present."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for r in self.results:
            counts[r.severity] = counts.get(r.severity, 0) + 1
        return counts

    def summary(self) -> str:
        """Return one line with the counts and the verdict."""
        c = self.counts
        parts = [
            _plural(c["Violation"], "violation"),
            _plural(c["Warning"], "warning"),
            f"{c['Info']} info",
        ]
        verdict = "the graph conforms" if self.conforms else "the graph does not conform"
        return f"{', '.join(parts)}: {verdict}"

    def text_lines(self) -> list[str]:
        """Return one line per result, then the summary line."""
        return [r.text_line() for r in self.results] + [self.summary()]

    def to_json(self) -> list[dict[str, str]]:
        """Return the results as JSON-ready dictionaries (field name -> string)."""
        return [
            {
                "severity": r.severity,
                "focus": r.focus,
                "focus_label": r.focus_label,
                "path": r.path,
                "message": r.message,
                "source_shape": r.source_shape,
                "value": r.value,
                "doc": r.doc,
                "para": r.para,
            }
            for r in self.results
        ]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


# --- resources -------------------------------------------------------------------------------


def _parse_dir(folder: Path, what: str) -> Graph:
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ResourceError(
            f"no {what} files (*.ttl) in {folder}; reinstall legalkg or restore them"
        )
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except BadSyntax as exc:
            raise ResourceError(
                f"{path}: line {exc.lines + 1}: {exc._why}; fix the {what} file"
            ) from None
    return graph


@cache
def shapes_graph() -> Graph:
    """Return the SHACL shapes of ``shapes/*.ttl`` (parsed once)."""
    return _parse_dir(shapes_dir(), "shapes")


@cache
def ontology_graph() -> Graph:
    """Return the ontology and concept schemes of ``ontology/*.ttl`` (parsed once)."""
    return _parse_dir(ontology_dir(), "ontology")


@cache
def _class_hierarchy() -> tuple[tuple[Any, Any, Any], ...]:
    """Return the ontology's ``rdfs:subClassOf`` triples between named classes."""
    g = ontology_graph()
    return tuple(
        sorted(
            (s, p, o)
            for s, p, o in g.triples((None, RDFS.subClassOf, None))
            if isinstance(s, URIRef) and isinstance(o, URIRef)
        )
    )


# --- validation ------------------------------------------------------------------------------


ENGINES = ("fast", "pyshacl")
GraphInput = Graph | Dataset | bytes | ox.Store


def validate(data: GraphInput, engine: str = "fast") -> Report:
    """Validate ``data`` (all its named graphs together) against the legalkg shapes.

    ``data`` is an rdflib graph or dataset, N-Triples bytes, or a pyoxigraph store.  The
    ``fast`` engine runs the shapes as SPARQL on pyoxigraph (:mod:`kg.shacl_sparql`);
    ``pyshacl`` runs the reference engine.  Both give the same report.  A graph holding a term
    Oxigraph rejects (an IRI with a space, a malformed language tag) goes to pySHACL.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown SHACL engine {engine!r}; use one of {', '.join(ENGINES)}")
    if engine == "fast":
        store = _as_store(data)
        if store is not None:
            return _validate_fast(store)
    return _validate_pyshacl(_as_rdflib(data))


def _validate_fast(store: ox.Store) -> Report:
    """Run the compiled shapes on ``store`` (data plus class hierarchy) and build the report."""
    store.extend(_hierarchy_quads())
    hits = run_checks(_checks(), store)
    place = _StorePlaces(store)
    seen: dict[tuple[str, ...], ValidationResult] = {}
    for hit in hits:
        result = _hit_result(hit, store, place)
        seen.setdefault(_identity(result), result)
    results = tuple(sorted(seen.values(), key=_sort_key))
    return Report(conforms=not any(r.severity == "Violation" for r in results), results=results)


def _validate_pyshacl(data: Graph | Dataset) -> Report:
    """Validate with pySHACL, the reference engine (slow: seconds per document)."""
    union = _union(data)
    shapes = shapes_graph()
    try:
        _, results_graph, _ = pyshacl.validate(
            union,
            shacl_graph=shapes,
            inference="none",
            allow_infos=True,
            allow_warnings=True,
            inplace=True,
            advanced=True,  # SPARQL-based targets (shapes/*.ttl: one query per rule)
            meta_shacl=False,
        )
    except (ReportableRuntimeError, ValidationFailure) as exc:
        raise ResourceError(
            f"the SHACL shapes in {shapes_dir()} cannot run on this graph: {exc}; fix the shapes"
        ) from None
    if not isinstance(results_graph, Graph):  # pySHACL's ValidationFailure: the shapes are broken
        raise ResourceError(
            f"the SHACL shapes in {shapes_dir()} cannot run: {results_graph}; fix them"
        )
    where = _provenance_index(union)
    seen: dict[tuple[str, ...], ValidationResult] = {}
    for node in results_graph.subjects(RDF.type, SH.ValidationResult):
        result = _result(results_graph, shapes, union, where, node)
        seen.setdefault(_identity(result), result)
    results = tuple(sorted(seen.values(), key=_sort_key))
    return Report(conforms=not any(r.severity == "Violation" for r in results), results=results)


# --- the fast engine: input, results ---------------------------------------------------------


@cache
def _checks() -> tuple[Check, ...]:
    """The shapes compiled to SPARQL (once per process)."""
    return compile_shapes(shapes_graph())


@cache
def _hierarchy_quads() -> tuple[ox.Quad, ...]:
    return tuple(ox.Quad(*(ox.NamedNode(str(t)) for t in triple)) for triple in _class_hierarchy())


def _as_store(data: GraphInput) -> ox.Store | None:
    """A fresh in-memory store with every triple of ``data`` in its default graph.

    None when an rdflib term has no Oxigraph equivalent (pySHACL then validates the graph).
    """
    store = ox.Store()
    if isinstance(data, bytes | bytearray):
        if not _faithful_ntriples(bytes(data)):
            return None
        try:
            store.load(bytes(data), format=ox.RdfFormat.N_TRIPLES)
        except SyntaxError:  # rdflib may still read it (an IRI with a space): pySHACL decides
            return None
        return store
    if isinstance(data, ox.Store):
        store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in data)
        return store
    memo: dict[Any, Any] = {}
    quads = []
    try:
        for s, p, o, *_ in _triples(data):
            quads.append(ox.Quad(_ox(s, memo), _ox(p, memo), _ox(o, memo)))
    except ValueError:
        return None
    store.extend(quads)
    return store


def _as_rdflib(data: GraphInput) -> Graph | Dataset:
    if isinstance(data, bytes | bytearray):
        try:
            return Graph().parse(data=bytes(data).decode("utf-8"), format="nt")
        except _PARSE_ERRORS as exc:
            raise InputError(f"cannot validate: the N-Triples do not parse: {exc}") from None
    if isinstance(data, ox.Store):
        raw = data.dump(format=ox.RdfFormat.N_QUADS)
        dataset = Dataset()
        dataset.parse(data=raw.decode("utf-8") if raw else "", format="nquads")
        return dataset
    return data


def _triples(data: Graph | Dataset) -> Iterator[Any]:
    if isinstance(data, Dataset) or hasattr(data, "quads"):
        yield from data.quads((None, None, None, None))  # type: ignore[union-attr]
    else:
        yield from data


def _ox(term: Any, memo: dict[Any, Any]) -> Any:
    """Convert an rdflib term (ValueError when Oxigraph rejects it or would change it)."""
    found = memo.get(term)
    if found is None:
        if isinstance(term, URIRef):
            found = ox.NamedNode(str(term))
        elif isinstance(term, BNode):
            found = ox.BlankNode()
        elif isinstance(term, Literal):
            if getattr(term, "ill_typed", False):  # rdflib rewrote its lexical form
                raise ValueError(f"ill-typed literal {term!r}")
            if term.language:
                if term.language != term.language.lower():
                    raise ValueError(f"Oxigraph lower-cases the language tag of {term!r}")
                found = ox.Literal(str(term), language=term.language)
            elif term.datatype:
                if not _faithful(str(term), str(term.datatype)):
                    raise ValueError(f"Oxigraph would rewrite {term!r}")
                found = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            else:
                found = ox.Literal(str(term))
        else:
            raise ValueError(f"cannot convert {term!r}")
        memo[term] = found
    return found


_XSD = str(XSD)
# Oxigraph stores valid literals of these datatypes by value: "1.0"^^xsd:decimal comes back as
# "1", "2"^^xsd:long as "2"^^xsd:integer, "+7"^^xsd:integer as "7" (invalid ones verbatim).
# Lexical forms matching _CANONICAL come back unchanged; any other form of these types sends
# the graph to pySHACL, which sees the form rdflib parsed.
_BY_VALUE = frozenset(
    {
        "boolean", "float", "double", "decimal", "integer", "nonPositiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "nonNegativeInteger", "unsignedLong",
        "unsignedInt", "unsignedShort", "unsignedByte", "positiveInteger", "dateTime",
        "dateTimeStamp", "time", "date", "gYearMonth", "gYear", "gMonthDay", "gDay", "gMonth",
        "duration", "yearMonthDuration", "dayTimeDuration",
    }
)
_TZ = r"(?:Z|[+-][0-9]{2}:[0-9]{2})?"
_CANONICAL = {  # the canonical form, or a form neither Oxigraph nor rdflib reads ("2011-13")
    "integer": r"-?(?:0|[1-9][0-9]*)",  # and forms Python's int() rejects: see _faithful_int
    "boolean": r"true|false",  # rdflib rewrites any other form ("yes" -> "false")
    "date": rf"[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}|(?!-?[0-9]{{4,}}-[0-9]{{2}}-[0-9]{{2}}{_TZ}$).*",
    "gYearMonth": rf"[0-9]{{4}}-[0-9]{{2}}|(?!-?[0-9]{{4,}}-[0-9]{{2}}{_TZ}$).*",
    "gYear": rf"[0-9]{{4}}|(?!-?[0-9]{{4,}}{_TZ}$).*",
    "dateTime": (
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z?"
        rf"|(?!-?[0-9]{{4,}}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\.[0-9]+)?{_TZ}$).*"
    ),
}
_CANONICAL_RE = {k: re.compile(v, re.DOTALL) for k, v in _CANONICAL.items()}
_CANONICAL_BYTES = {k.encode(): re.compile(v.encode(), re.DOTALL) for k, v in _CANONICAL.items()}
_BY_VALUE_BYTES = frozenset(name.encode() for name in _BY_VALUE)
_NT_XSD_TYPED = re.compile(rb'"\^\^<http://www\.w3\.org/2001/XMLSchema#([a-zA-Z]+)>')
_NT_UPPER_LANG = re.compile(rb'"@[a-zA-Z0-9-]*[A-Z]')


def _faithful(lexical: str, datatype: str) -> bool:
    """Whether Oxigraph keeps the literal as written (see ``_BY_VALUE``)."""
    if not datatype.startswith(_XSD) or datatype[len(_XSD) :] not in _BY_VALUE:
        return True
    name = datatype[len(_XSD) :]
    pattern = _CANONICAL_RE.get(name)
    if pattern is not None and pattern.fullmatch(lexical) is not None:
        return True
    return name == "integer" and _unreadable_int(lexical)


def _unreadable_int(lexical: str) -> bool:
    """Whether rdflib keeps this xsd:integer form as written (int() fails: "abc", not "٣")."""
    try:
        int(lexical)
    except ValueError:
        return True
    return False


def _faithful_ntriples(raw: bytes) -> bool:
    """Whether Oxigraph keeps every literal of these N-Triples as written (no language tag
    in upper case, every literal of a by-value datatype in the form it would store)."""
    if _NT_UPPER_LANG.search(raw):
        return False
    rfind = raw.rfind
    for m in _NT_XSD_TYPED.finditer(raw):
        name = m.group(1)
        if name not in _BY_VALUE_BYTES:
            continue
        end = m.start()  # a lexical form with an escaped quote is no number: kept verbatim
        start = rfind(b'"', 0, end) + 1
        pattern = _CANONICAL_BYTES.get(name)
        if pattern is not None and pattern.fullmatch(raw, start, end) is not None:
            continue
        if name == b"integer" and _unreadable_int(raw[start:end].decode("utf-8", "replace")):
            continue
        return False
    return True


def _hit_result(hit: Hit, store: ox.Store, place: _StorePlaces) -> ValidationResult:
    check = hit.check
    if hit.path is not None:
        path = compact(URIRef(hit.path.value)) if isinstance(hit.path, ox.NamedNode) else "(path)"
    else:
        path = _check_path(check)
    focus = to_rdflib(hit.focus)
    doc, para = place.where(hit.focus)
    return ValidationResult(
        severity=_local(check.severity) if isinstance(check.severity, URIRef) else "Violation",
        focus=_node_text(focus),
        focus_label=place.label(hit.focus),
        path=path,
        message=check.messages[0],
        source_shape=compact(check.shape) if isinstance(check.shape, URIRef) else "",
        value=_term_text(to_rdflib(hit.value)) if hit.value is not None else "",
        doc=doc,
        para=para,
    )


@cache
def _check_path(check: Check) -> str:
    return _path_text(check.path, (shapes_graph(),)) if check.path is not None else ""


_OX_TYPE = ox.NamedNode(str(RDF.type))
_OX_LABELS = (ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.prefLabel)))
_OX = {name: ox.NamedNode(str(LKG[name])) for name in (
    "Document", "Paragraph", "Mention", "inParagraph", "denotes", "evidence", "document",
    "paragraphNumber", "paragraphIndex", "startOffset",
)}
_OX_IDENTIFIER = ox.NamedNode(str(DCTERMS.identifier))


class _StorePlaces:
    """Labels and (document, paragraph) of focus nodes, read from the store as
    :func:`_label` and :func:`_provenance_index` read them from an rdflib graph."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.places: dict[Any, tuple[str, str]] = {}
        self.paras: dict[Any, tuple[str, str, int]] = {}

    def value(self, s: Any, p: Any) -> Any:
        if isinstance(s, ox.Literal):
            return None
        for q in self.store.quads_for_pattern(s, p, None):
            return q.object
        return None

    def has_type(self, node: Any, cls: str) -> bool:
        if isinstance(node, ox.Literal):
            return False
        return any(True for _ in self.store.quads_for_pattern(node, _OX_TYPE, _OX[cls]))

    def label(self, node: Any) -> str:
        if isinstance(node, ox.Literal):
            return _term_text(to_rdflib(node))
        labels = [
            q.object
            for p in _OX_LABELS
            for q in self.store.quads_for_pattern(node, p, None)
            if isinstance(q.object, ox.Literal)
        ]
        for lang in ("ar", "en"):
            found = sorted(o.value for o in labels if (o.language or "").lower().startswith(lang))
            if found:
                return found[0]
        return _node_text(to_rdflib(node))

    def doc_id(self, doc: Any) -> str:
        ident = self.value(doc, _OX_IDENTIFIER)
        if ident is not None:
            return str(to_rdflib(ident))
        return str(to_rdflib(doc)).rsplit("/", 1)[-1]

    def para(self, para: Any) -> tuple[str, str, int]:
        if para not in self.paras:
            doc = self.value(para, _OX["document"])
            number = self.value(para, _OX["paragraphNumber"])
            self.paras[para] = (
                self.doc_id(doc) if doc is not None else "",
                str(to_rdflib(number)) if number is not None else "",
                _int(self._lexical(self.value(para, _OX["paragraphIndex"]))),
            )
        return self.paras[para]

    @staticmethod
    def _lexical(term: Any) -> Any:
        return None if term is None else str(to_rdflib(term))

    def where(self, node: Any) -> tuple[str, str]:
        if node in self.places:
            return self.places[node]
        best: tuple[tuple[Any, ...], tuple[str, str]] | None = None

        def offer(key: tuple[Any, ...], where: tuple[str, str]) -> None:
            nonlocal best
            if best is None or key < best[0]:
                best = (key, where)

        if self.has_type(node, "Document"):
            doc_id = self.doc_id(node)
            offer((doc_id,), (doc_id, ""))
        if self.has_type(node, "Paragraph"):
            doc_id, number, index = self.para(node)
            offer((doc_id, index), (doc_id, number))
        mentions = [node] if not isinstance(node, ox.Literal) else []
        mentions += [q.subject for q in self.store.quads_for_pattern(None, _OX["denotes"], node)]
        if not isinstance(node, ox.Literal):
            mentions += [q.object for q in self.store.quads_for_pattern(node, _OX["evidence"], None)]
        for mention in mentions:
            if isinstance(mention, ox.Literal) or not self.has_type(mention, "Mention"):
                continue
            para = self.value(mention, _OX["inParagraph"])
            if para is None:
                continue
            doc_id, number, index = self.para(para)
            start = _int(self._lexical(self.value(mention, _OX["startOffset"])))
            offer((doc_id, index, start), (doc_id, number))
        self.places[node] = best[1] if best is not None else ("", "")
        return self.places[node]


class _OxigraphSparqlGraph(Graph):
    """An rdflib graph whose SPARQL SELECT queries run on an Oxigraph copy of its triples.

    pySHACL evaluates every SHACL-SPARQL rule and SPARQL target through ``Graph.query``;
    rdflib parses the text again on each call (about 60 ms) and evaluates ``FILTER NOT
    EXISTS`` slowly, which made a 20k-triple graph take minutes.  Oxigraph answers the same
    queries in milliseconds; ``$this`` pre-binding maps to its ``substitutions``.  The copy is
    made on the first query, after the graph is complete (validation never changes it).
    """

    _store: ox.Store | None = None
    _blank_to_ox: dict[BNode, ox.BlankNode]
    _blank_from_ox: dict[str, BNode]

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if not isinstance(query_object, str) or not _SELECT.search(query_object):
            return super().query(query_object, *args, **kwargs)
        init = kwargs.get("initBindings") or (args[3] if len(args) > 3 else None) or {}
        store = self._oxigraph()
        try:
            substitutions = {ox.Variable(str(k)): self._to_ox(v) for k, v in init.items()}
        except ValueError:  # a term Oxigraph rejects (an IRI with a space): let rdflib answer
            return super().query(query_object, *args, **kwargs)
        solutions = store.query(query_object, substitutions=substitutions or None)
        variables = [Variable(v.value) for v in solutions.variables]
        result = Result("SELECT")
        result.vars = variables
        result.bindings = [
            {
                var: self._from_ox(term)
                for var, term in zip(variables, row, strict=True)
                if term is not None
            }
            for row in solutions
        ]
        return result

    def _oxigraph(self) -> ox.Store:
        if self._store is None:
            self._blank_to_ox, self._blank_from_ox = {}, {}
            store = ox.Store()
            store.bulk_extend(quad for quad in map(self._quad, self) if quad is not None)
            self._store = store
        return self._store

    def _quad(self, triple: tuple[Any, Any, Any]) -> ox.Quad | None:
        """Convert a triple; None for terms Oxigraph rejects (their IRI rules still report them)."""
        try:
            return ox.Quad(*(self._to_ox(t) for t in triple))
        except ValueError:
            return None

    def _to_ox(self, term: Any) -> Any:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            if term not in self._blank_to_ox:
                node = ox.BlankNode()
                self._blank_to_ox[term] = node
                self._blank_from_ox[node.value] = term
            return self._blank_to_ox[term]
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
        raise TypeError(f"cannot convert {term!r} to an Oxigraph term")

    def _from_ox(self, term: Any) -> Any:
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return self._blank_from_ox.get(term.value) or BNode(term.value)
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))


_SELECT = re.compile(r"^\s*SELECT\b", re.IGNORECASE | re.MULTILINE)


def _union(data: Graph | Dataset) -> Graph:
    """Merge every triple of ``data`` (any named graph) with the class hierarchy into a fresh graph."""
    union = _OxigraphSparqlGraph()
    if isinstance(data, Dataset) or hasattr(data, "quads"):
        for s, p, o, *_ in data.quads((None, None, None, None)):  # type: ignore[union-attr]
            union.add((s, p, o))
    else:
        union += data
    union.addN((s, p, o, union) for s, p, o in _class_hierarchy())
    return union


def _identity(r: ValidationResult) -> tuple[str, ...]:
    return (r.severity, r.focus, r.path, r.source_shape, r.value, r.message)


def _sort_key(r: ValidationResult) -> tuple[Any, ...]:
    rank = SEVERITIES.index(r.severity) if r.severity in SEVERITIES else len(SEVERITIES)
    para = int(r.para) if r.para.isdigit() else -1
    return (rank, r.doc, para, r.para, r.focus, r.path, r.source_shape, r.value, r.message)


def _result(
    results: Graph,
    shapes: Graph,
    data: Graph,
    where: dict[Any, tuple[str, str]],
    node: Any,
) -> ValidationResult:
    focus = results.value(node, SH.focusNode)
    path = results.value(node, SH.resultPath)
    severity = results.value(node, SH.resultSeverity)
    shape = results.value(node, SH.sourceShape)
    value = results.value(node, SH.value)
    messages = sorted(str(m) for m in results.objects(node, SH.resultMessage))
    doc, para = where.get(focus, ("", ""))
    return ValidationResult(
        severity=_local(severity) if isinstance(severity, URIRef) else "Violation",
        focus=_node_text(focus),
        focus_label=_label(data, focus),
        path=_path_text(path, (results, shapes)) if path is not None else "",
        message=messages[0] if messages else "the node does not match its shape",
        source_shape=compact(shape) if isinstance(shape, URIRef) else "",
        value=_term_text(value) if value is not None else "",
        doc=doc,
        para=para,
    )


def _local(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def compact(term: Any) -> str:
    """Return ``term`` as a prefixed name (``lkg:Mention``) when a known prefix fits."""
    text = str(term)
    if not isinstance(term, URIRef | str) or isinstance(term, Literal):
        return text
    for prefix, ns in PREFIXES:
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def _node_text(node: Any) -> str:
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, BNode):
        return "(blank node)"
    return _term_text(node)


def _term_text(term: Any) -> str:
    if isinstance(term, Literal):
        text = json.dumps(str(term), ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^{compact(term.datatype)}"
        return text
    if isinstance(term, BNode):
        return "(blank node)"
    return compact(term)


def _path_text(path: Any, graphs: tuple[Graph, ...]) -> str:
    """Render a SHACL property path in SPARQL syntax with prefixed names."""
    if isinstance(path, URIRef):
        return compact(path)
    for g in graphs:
        inverse = g.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _path_text(inverse, graphs)
        alternatives = g.value(path, SH.alternativePath)
        if alternatives is not None:
            return "|".join(_path_text(p, graphs) for p in Collection(g, alternatives))
        for op, suffix in (
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = g.value(path, op)
            if inner is not None:
                return _path_text(inner, graphs) + suffix
        if g.value(path, RDF.first) is not None:
            return "/".join(_path_text(p, graphs) for p in Collection(g, path))
    return "(path)"


def _label(data: Graph, node: Any) -> str:
    """Return the node's Arabic label, else its English label, else its IRI."""
    if not isinstance(node, URIRef | BNode):
        return _term_text(node)
    labels = [
        o
        for p in (RDFS.label, SKOS.prefLabel)
        for o in data.objects(node, p)
        if isinstance(o, Literal)
    ]
    for lang in ("ar", "en"):
        found = sorted(str(o) for o in labels if (o.language or "").lower().startswith(lang))
        if found:
            return found[0]
    return _node_text(node)


def _provenance_index(data: Graph) -> dict[Any, tuple[str, str]]:
    """Map mentions, the nodes they denote or evidence, paragraphs and documents to (doc, para).

    A node mentioned several times gets its first mention: lowest document id, then
    paragraph position, then start offset.
    """
    best: dict[Any, tuple[tuple[Any, ...], tuple[str, str]]] = {}

    def offer(node: Any, key: tuple[Any, ...], where: tuple[str, str]) -> None:
        if node not in best or key < best[node][0]:
            best[node] = (key, where)

    for doc in data.subjects(RDF.type, LKG.Document):
        offer(doc, (_doc_id(data, doc),), (_doc_id(data, doc), ""))
    for para in data.subjects(RDF.type, LKG.Paragraph):
        doc_id, number, index = _para_info(data, para)
        offer(para, (doc_id, index), (doc_id, number))
    for mention in data.subjects(RDF.type, LKG.Mention):
        para = data.value(mention, LKG.inParagraph)
        if para is None:
            continue
        doc_id, number, index = _para_info(data, para)
        key = (doc_id, index, _int(data.value(mention, LKG.startOffset)))
        offer(mention, key, (doc_id, number))
        for target in data.objects(mention, LKG.denotes):
            offer(target, key, (doc_id, number))
        for event in data.subjects(LKG.evidence, mention):
            offer(event, key, (doc_id, number))
    return {node: where for node, (_, where) in best.items()}


def _doc_id(data: Graph, doc: Any) -> str:
    ident = data.value(doc, DCTERMS.identifier)
    return str(ident) if ident is not None else str(doc).rsplit("/", 1)[-1]


def _para_info(data: Graph, para: Any) -> tuple[str, str, int]:
    doc = data.value(para, LKG.document)
    doc_id = _doc_id(data, doc) if doc is not None else ""
    number = data.value(para, LKG.paragraphNumber)
    return (
        doc_id,
        str(number) if number is not None else "",
        _int(data.value(para, LKG.paragraphIndex)),
    )


def _int(term: Any) -> int:
    try:
        return int(term) if term is not None else -1
    except (TypeError, ValueError):
        return -1


# --- reading graph files ---------------------------------------------------------------------


def load_graph_file(path: Path) -> Dataset | Graph:
    """Parse an RDF file by its extension; quad formats and JSON-LD give a :class:`Dataset`.

    Refuses what could make the parser fetch or explode: a JSON-LD ``@context`` that names a
    remote document, and DOCTYPE / ENTITY declarations in RDF/XML (the "billion laughs").
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(
            f"cannot tell the RDF format of {path} from its extension; use one of {known}"
        )
    rdf_format, name, quads = fmt
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"cannot read {path}: no such file; give the path of a graph file"
        ) from None
    except IsADirectoryError:
        raise InputError(
            f"cannot read {path}: it is a folder; give the path of a graph file"
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot read {path}: {exc.strerror}; check the file's permissions"
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot parse {path}: byte {exc.start} is not UTF-8 text; check the file is {name}"
        ) from None
    if not text.strip():
        raise InputError(
            f"{path} is empty; give a graph written by `legalkg build` or `legalkg export`"
        )
    if rdf_format == "xml" and _DTD.search(raw):
        raise InputError(
            f"refusing {path}: it declares a DOCTYPE or ENTITY, which can make the parser expand "
            "entities without limit; remove the declaration"
        )
    if rdf_format == "json-ld":
        _check_jsonld(path, text)
    graph: Dataset | Graph = Dataset() if quads else Graph()
    try:
        graph.parse(data=text, format=rdf_format)
    except _PARSE_ERRORS as exc:
        raise InputError(
            f"cannot parse {path}: {_parse_error(exc, text)}; check the file is {name}"
        ) from None
    if len(graph) == 0 and not any(True for _ in _quads(graph)):
        raise InputError(f"{path} holds no triples; give a graph written by `legalkg build`")
    return graph


def _quads(graph: Dataset | Graph) -> Iterator[Any]:
    if isinstance(graph, Dataset):
        yield from graph.quads((None, None, None, None))
    else:
        yield from graph


def _check_jsonld(path: Path, text: str) -> None:
    """Raise :class:`InputError` for invalid JSON or a ``@context`` naming a remote document."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"cannot parse {path}: line {exc.lineno}: {exc.msg}; check the file is JSON-LD"
        ) from None
    for context in _contexts(doc):
        for item in context if isinstance(context, list) else [context]:
            remote = isinstance(item, str) or (isinstance(item, dict) and "@import" in item)
            if remote:
                raise InputError(
                    f"refusing {path}: its @context refers to a remote document "
                    f"({item if isinstance(item, str) else item['@import']}), which legalkg never "
                    "fetches; inline the context in the file"
                )


def _contexts(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield value
            # scoped contexts sit inside term definitions of a context, so look there too
            yield from _contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _contexts(item)


def _parse_error(exc: BaseException, text: str) -> str:
    """Return ``line N: why`` from a parser exception, as precise as the parser allows."""
    if isinstance(exc, BadSyntax):
        return f"line {exc.lines + 1}: {exc._why}"
    if isinstance(exc, SAXParseException):
        return f"line {exc.getLineNumber()}: {exc.getMessage()}"
    message = str(exc).strip() or type(exc).__name__
    bad = re.search(r"Invalid line:?\s*'?(.+?)'?$", message, re.DOTALL)
    if bad:
        snippet = bad.group(1).strip()[:40]
        for n, line in enumerate(text.splitlines(), 1):
            if snippet and snippet in line:
                return f"line {n}: {message.splitlines()[0]}"
    return message.splitlines()[0]
