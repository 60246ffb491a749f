"""Compile the SHACL shapes of ``shapes/`` into SPARQL SELECT queries that run on pyoxigraph.

:func:`compile_shapes` turns every targeted shape into :class:`Check` objects, one per constraint;
each check is one SELECT query that returns the focus nodes violating it (``?this``, with
``?value`` and ``?path`` when the result carries them).  :func:`run_checks` runs them on a
pyoxigraph store and returns :class:`Hit` objects; :mod:`kg.validation` turns those into the
same report pySHACL's results give.

Only the subset of SHACL the legalkg shapes use is supported: targets ``sh:targetClass`` (with
the ``rdfs:subClassOf`` closure) and ``sh:target`` (a ``sh:SPARQLTarget`` that is also the
shape's only constraint); paths that are a predicate or ``[ sh:inversePath p ]``; the components
minCount, maxCount, class, datatype, pattern, languageIn, uniqueLang, minLength, minInclusive,
nodeKind, in, disjoint, or (of class / languageIn / nodeKind / in shapes),
qualifiedValueShape + qualifiedMinCount, and sh:sparql (``sh:select`` with ``$this``,
``sh:prefixes`` through ``sh:declare``).  Anything else raises :class:`ResourceError` naming the
shape and the component, so a new shape never passes silently unchecked.

The semantics are pySHACL's (the reference engine, ``validate(..., engine="pyshacl")``).  Where
pySHACL decides on Python values (a literal's datatype is well formed, a regular expression
matches under Python's ``re``, a value is at least ``sh:minInclusive``), the query returns every
*candidate* (a superset: values that a cheap SPARQL test cannot clear) and :attr:`Check.decide`
settles each candidate the way pySHACL does.  Candidates are rare, so almost all the work stays
in Oxigraph.  :mod:`kg.validation` sends graphs Oxigraph would store differently from rdflib
(non-canonical numbers and dates, upper-case language tags, literals rdflib rewrote) to pySHACL.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from .errors import ResourceError

# predicates of a shape that never change what it reports
_INERT = {RDF.type, SH.name, SH.description, SH.order, SH.group, RDFS.label, RDFS.comment}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}
# lexical forms that are certainly well formed for the datatype (a subset of what rdflib parses)
_WELL_FORMED = {
    XSD.integer: "^[0-9]+$",
    XSD.boolean: "^(true|false)$",
}


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SELECT query for its (candidate) violations and how to read them.

    ``value`` says where a result's ``sh:value`` comes from: ``"row"`` (the query's ``?value``,
    if any), ``"focus"`` (the focus node: constraints of node shapes), ``"row|focus"`` (a SPARQL
    constraint of a node shape: ``?value``, else the focus node) or ``"none"``.  ``decide`` (given
    the candidate value as an rdflib term) tells whether it really violates; ``None`` when the
    query is exact.
    """

    shape: URIRef | BNode
    component: str
    severity: URIRef
    messages: tuple[str, ...]
    path: Any  # the shape's sh:path node (rdflib, in the shapes graph) or None
    query: str
    value: str
    decide: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Hit:
    """One validation result as found: pyoxigraph terms for focus, value and a row's ``?path``."""

    check: Check
    focus: Any
    value: Any  # pyoxigraph term or None
    path: Any  # pyoxigraph term from the row, or None (then the check's path)


# --- compiling -------------------------------------------------------------------------------


def compile_shapes(shapes: Graph) -> tuple[Check, ...]:
    """Compile every targeted shape of ``shapes`` into checks (raise on unsupported SHACL)."""
    targeted = {
        s
        for p in (SH.targetClass, SH.target, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        for s in shapes.subjects(p, None)
    }
    checks: list[Check] = []
    for shape in sorted(targeted, key=str):
        checks.extend(_Compiler(shapes, shape).checks())
    return tuple(checks)


class _Compiler:
    """Compile one shape; every method raises :class:`ResourceError` on what it cannot do."""

    def __init__(self, g: Graph, shape: Any) -> None:
        self.g = g
        self.shape = shape
        self.path = g.value(shape, SH.path)
        self.severity = g.value(shape, SH.severity) or SH.Violation
        self.messages = tuple(sorted(str(m) for m in g.objects(shape, SH.message)))

    def fail(self, component: str, why: str) -> ResourceError:
        return ResourceError(
            f"shape {self.shape} in shapes/: {component}: {why}; the fast SHACL engine "
            "(kg/shacl_sparql.py) does not support it: rewrite the shape with supported "
            "components or add them there"
        )

    def one(self, p: URIRef) -> Any:
        values = list(self.g.objects(self.shape, p))
        if len(values) != 1:
            raise self.fail(f"sh:{p[len(str(SH)):]}", f"expected one value, found {len(values)}")
        return values[0]

    # -- the shape as a whole

    def checks(self) -> Iterator[Check]:
        g, shape = self.g, self.shape
        handled = _INERT | {SH.path, SH.message, SH.severity, SH.targetClass, SH.target}
        for p in sorted(set(g.predicates(shape, None))):
            if p in handled or not str(p).startswith(str(SH)):
                continue
            if p not in _COMPONENTS:
                raise self.fail(f"sh:{p[len(str(SH)):]}", "unsupported constraint component")
        if g.value(shape, SH.deactivated) is not None:
            raise self.fail("sh:deactivated", "unsupported")
        sparql_targets = list(g.objects(shape, SH.target))
        classes = sorted(g.objects(shape, SH.targetClass), key=str)
        if sparql_targets:
            yield from self.sparql_targeted(sparql_targets, classes)
            return
        if any(not isinstance(c, URIRef) for c in classes):
            raise self.fail("sh:targetClass", "the class must be an IRI")
        self.target = " UNION ".join(
            f"{{ ?this rdf:type/rdfs:subClassOf* <{c}> }}" for c in classes
        )
        if self.path is not None:
            self.values = self.path_pattern("?this", "?value")
        seen = set()
        for p in sorted(set(g.predicates(shape, None)), key=str):
            if p in _COMPONENTS and p not in seen:
                seen.add(p)
                if p == SH.sparql:
                    raise self.fail("sh:sparql", "a SPARQL constraint needs its query as sh:target")
                yield from _COMPONENTS[p](self)

    def path_pattern(self, subject: str, obj: str) -> str:
        path = self.path
        if isinstance(path, URIRef):
            return f"{subject} <{path}> {obj} ."
        inverse = self.g.value(path, SH.inversePath)
        if isinstance(inverse, URIRef) and len(set(self.g.predicates(path, None))) == 1:
            return f"{obj} <{inverse}> {subject} ."
        raise self.fail("sh:path", "only a predicate or [ sh:inversePath predicate ] is supported")

    def check(self, component: str, query: str, value: str, decide: Any = None) -> Check:
        if not self.messages:
            raise self.fail(component, "the shape has no sh:message")
        return Check(
            self.shape, component, self.severity, self.messages, self.path,
            _PREFIXES + query, value, decide,
        )

    def value_check(self, component: str, condition: str, decide: Any = None) -> Check:
        """A check on each value node: ``condition`` on ``?value`` is true for candidates."""
        if self.path is None:
            where = f"{self.target} FILTER ({condition.replace('?value', '?this')})"
            return self.check(component, f"SELECT DISTINCT ?this WHERE {{ {where} }}", "focus", decide)
        where = f"{self.target} {self.values} FILTER ({condition})"
        return self.check(component, f"SELECT DISTINCT ?this ?value WHERE {{ {where} }}", "row", decide)

    def property_only(self, component: str) -> None:
        if self.path is None:
            raise self.fail(component, "only supported on property shapes (with sh:path)")

    # -- SPARQL-based constraints

    def sparql_targeted(self, targets: list[Any], classes: list[Any]) -> Iterator[Check]:
        constraints = list(self.g.objects(self.shape, SH.sparql))
        others = [
            p for p in set(self.g.predicates(self.shape, None))
            if p in _COMPONENTS and p != SH.sparql
        ]
        if classes or others or len(targets) != 1 or constraints != targets:
            raise self.fail(
                "sh:target",
                "a SPARQL target is supported only as the shape's one sh:sparql constraint itself",
            )
        node = targets[0]
        g = self.g
        types = set(g.objects(node, RDF.type))
        if not {SH.SPARQLTarget, SH.SPARQLConstraint} <= types:
            raise self.fail("sh:target", "the node must be a sh:SPARQLTarget and sh:SPARQLConstraint")
        known = _INERT | {SH.prefixes, SH.select, SH.message}
        for p in set(g.predicates(node, None)):
            if p not in known and str(p).startswith(str(SH)):
                raise self.fail(f"sh:sparql/sh:{p[len(str(SH)):]}", "unsupported")
        select = str(self.one_of(node, SH.select))
        for bad in ("$PATH", "$currentShape", "$shapesGraph", "?failure", "$failure"):
            if bad in select:
                raise self.fail("sh:select", f"{bad} is not supported")
        if re.search(r"\{\s*SELECT\b|\bMINUS\b|\bGROUP\s+BY\b|\bSERVICE\b", select, re.IGNORECASE):
            raise self.fail("sh:select", "subqueries, MINUS, GROUP BY and SERVICE are not supported")
        head = re.search(r"SELECT\s+(DISTINCT\s+)?(.*?)\s+WHERE", select, re.IGNORECASE | re.DOTALL)
        if not head or not re.search(r"[$?]this\b", head.group(2)):
            raise self.fail("sh:select", "the query must select $this")
        messages = tuple(sorted({*self.messages, *(str(m) for m in g.objects(node, SH.message))}))
        if not messages:
            raise self.fail("sh:sparql", "neither the shape nor the query has a sh:message")
        if any(re.search(r"\{[?$]\w+\}", m) for m in messages):
            raise self.fail("sh:message", "message templates ({?var}) are not supported")
        prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.declared(node))
        value = "row" if self.path is not None else "row|focus"
        yield Check(self.shape, "sparql", self.severity, messages, self.path, prefixes + select, value)

    def one_of(self, node: Any, p: URIRef) -> Any:
        values = list(self.g.objects(node, p))
        if len(values) != 1:
            raise self.fail(f"sh:{p[len(str(SH)):]}", f"expected one value, found {len(values)}")
        return values[0]

    def declared(self, node: Any) -> list[tuple[str, str]]:
        found = {}
        for holder in self.g.objects(node, SH.prefixes):
            for decl in self.g.objects(holder, SH.declare):
                prefix, ns = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
                if prefix is None or ns is None:
                    raise self.fail("sh:declare", "each declaration needs sh:prefix and sh:namespace")
                found[str(prefix)] = str(ns)
        return sorted(found.items())


# --- constraint components -------------------------------------------------------------------


def _min_count(c: _Compiler) -> Iterator[Check]:
    c.property_only("sh:minCount")
    n = _count(c, SH.minCount)
    if n > 0:
        yield c.check("sh:minCount", _fewer_than(c, n), "none")


def _fewer_than(c: _Compiler, n: int, condition: str = "") -> str:
    """Focus nodes with fewer than ``n`` values on the path (that meet ``condition``)."""
    values = f"{c.path_pattern('?this', '?x')} {condition}".strip()
    if n == 1:
        return f"SELECT DISTINCT ?this WHERE {{ {c.target} FILTER NOT EXISTS {{ {values} }} }}"
    return (
        f"SELECT ?this WHERE {{ {c.target} OPTIONAL {{ {values} }} }} "
        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?x) < {n})"
    )


def _max_count(c: _Compiler) -> Iterator[Check]:
    c.property_only("sh:maxCount")
    n = _count(c, SH.maxCount)
    query = (
        f"SELECT ?this WHERE {{ {c.target} {c.path_pattern('?this', '?x')} }} "
        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?x) > {n})"
    )
    yield c.check("sh:maxCount", query, "none")


def _count(c: _Compiler, p: URIRef) -> int:
    n = c.one(p)
    if not isinstance(n, Literal) or not isinstance(n.value, int) or n.value < 0:
        raise c.fail(f"sh:{p[len(str(SH)):]}", "must be a non-negative integer")
    return int(n.value)


def _class(c: _Compiler) -> Iterator[Check]:
    for cls in sorted(c.g.objects(c.shape, SH["class"]), key=str):
        yield c.value_check("sh:class", "!" + _conforms_class(c, cls, "?value"))


def _conforms_class(c: _Compiler, cls: Any, v: str) -> str:
    if not isinstance(cls, URIRef):
        raise c.fail("sh:class", "the class must be an IRI")
    return f"EXISTS {{ {v} rdf:type/rdfs:subClassOf* <{cls}> }}"


def _node_kind(c: _Compiler) -> Iterator[Check]:
    yield c.value_check("sh:nodeKind", f"!({_conforms_node_kind(c, c.one(SH.nodeKind), '?value')})")


def _conforms_node_kind(c: _Compiler, kind: Any, v: str) -> str:
    if kind not in _NODE_KINDS:
        raise c.fail("sh:nodeKind", f"unknown node kind {kind}")
    return _NODE_KINDS[kind].format(v=v)


def _language_in(c: _Compiler) -> Iterator[Check]:
    yield c.value_check("sh:languageIn", f"!({_conforms_language(c, c.one(SH.languageIn), '?value')})")


def _conforms_language(c: _Compiler, head: Any, v: str) -> str:
    langs = []
    for item in Collection(c.g, head):
        if not isinstance(item, Literal) or not isinstance(item.value, str):
            raise c.fail("sh:languageIn", "the list must hold strings")
        langs.append(str(item).lower())
    if "*" in langs:
        return f"(isLiteral({v}) && LANG({v}) != \"\")"
    listed = ", ".join(_string(lang) for lang in sorted(set(langs))) or '""'
    return (
        f"(isLiteral({v}) && LANG({v}) != \"\" && (LCASE(LANG({v})) IN ({listed}) "
        f"|| LCASE(STRBEFORE(LANG({v}), \"-\")) IN ({listed})))"
    )


def _in(c: _Compiler) -> Iterator[Check]:
    yield c.value_check("sh:in", f"!({_conforms_in(c, c.one(SH['in']), '?value')})")


def _conforms_in(c: _Compiler, head: Any, v: str) -> str:
    members = list(Collection(c.g, head))
    if not members:
        return "false"
    return " || ".join(f"sameTerm({v}, {_sparql_term(c, m)})" for m in members)


def _min_length(c: _Compiler) -> Iterator[Check]:
    n = _count(c, SH.minLength)
    if n > 0:
        yield c.value_check("sh:minLength", f"isBlank(?value) || STRLEN(STR(?value)) < {n}")


def _pattern(c: _Compiler) -> Iterator[Check]:
    if c.g.value(c.shape, SH.flags) is not None:
        raise c.fail("sh:flags", "unsupported")
    for pattern in sorted(c.g.objects(c.shape, SH.pattern), key=str):
        if not isinstance(pattern, Literal):
            raise c.fail("sh:pattern", "must be a literal")
        text = str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
        regex = re.compile(text)

        def decide(v: Any, regex: re.Pattern[str] = regex) -> bool:
            return isinstance(v, BNode) or not regex.search(_string_value(v))

        condition = f"isBlank(?value) || !REGEX(STR(?value), {_string(text)})"
        yield c.value_check("sh:pattern", condition, decide)


def _datatype(c: _Compiler) -> Iterator[Check]:
    rule = c.one(SH.datatype)
    if not isinstance(rule, URIRef):
        raise c.fail("sh:datatype", "must be an IRI")
    if rule in (RDFS.Literal, RDFS.Datatype, RDF.langString):
        raise c.fail("sh:datatype", f"{rule} is not supported")
    if rule == XSD.string:
        cleared = f"DATATYPE(?value) = <{rule}>"
    elif rule in _WELL_FORMED:
        cleared = f"DATATYPE(?value) = <{rule}> && REGEX(STR(?value), {_string(_WELL_FORMED[rule])})"
    else:
        cleared = "false"

    def decide(v: Any) -> bool:
        return not _datatype_matches(v, rule)

    yield c.value_check("sh:datatype", f"!(isLiteral(?value) && {cleared})", decide)


def _datatype_matches(v: Any, rule: URIRef) -> bool:
    """pySHACL's sh:datatype test on one value (DatatypeConstraintComponent)."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == rule:
        return getattr(v, "ill_typed", None) is not True and _python_type_fits(v, rule)
    if v.datatype is None and v.language is None and rule == XSD.string:
        return _python_type_fits(v, rule)
    return False


def _python_type_fits(v: Literal, rule: URIRef) -> bool:
    value = v.value
    kinds: dict[URIRef, Any] = {
        XSD.string: (str, bytes),
        XSD.integer: int,
        XSD.float: float,
        XSD.decimal: Decimal,
        XSD.boolean: bool,
        XSD.date: date,
        XSD.time: time,
        XSD.dateTime: datetime,
    }
    return isinstance(value, kinds[rule]) if rule in kinds else True


def _min_inclusive(c: _Compiler) -> Iterator[Check]:
    from pyshacl.rdfutil import compare_literal  # the reference comparison, for candidates only

    bound = c.one(SH.minInclusive)
    if not isinstance(bound, Literal):
        raise c.fail("sh:minInclusive", "must be a literal")
    if isinstance(bound.value, int) and not isinstance(bound.value, bool):
        cleared = (
            f"isLiteral(?value) && DATATYPE(?value) = xsd:integer "
            f"&& REGEX(STR(?value), \"^[0-9]+$\") && xsd:integer(STR(?value)) >= {int(bound.value)}"
        )
    else:
        cleared = "false"

    def decide(v: Any) -> bool:
        if not isinstance(v, Literal):
            return True
        if isinstance(bound.value, str) != isinstance(v.value, str):
            return True
        try:
            return not compare_literal(v, bound) >= 0
        except (TypeError, NotImplementedError):
            return True

    yield c.value_check("sh:minInclusive", f"!({cleared})", decide)


def _unique_lang(c: _Compiler) -> Iterator[Check]:
    c.property_only("sh:uniqueLang")
    flag = c.one(SH.uniqueLang)
    if not isinstance(flag, Literal) or not isinstance(flag.value, bool):
        raise c.fail("sh:uniqueLang", "must be a boolean")
    if not flag.value:
        return
    where = (
        f"{c.target} {c.path_pattern('?this', '?a')} {c.path_pattern('?this', '?b')} "
        "FILTER (isLiteral(?a) && isLiteral(?b) && LANG(?a) != \"\" "
        "&& LCASE(LANG(?a)) = LCASE(LANG(?b)) && !sameTerm(?a, ?b))"
    )
    yield c.check("sh:uniqueLang", f"SELECT DISTINCT ?this WHERE {{ {where} }}", "none")


def _disjoint(c: _Compiler) -> Iterator[Check]:
    c.property_only("sh:disjoint")
    for other in sorted(c.g.objects(c.shape, SH.disjoint), key=str):
        if not isinstance(other, URIRef):
            raise c.fail("sh:disjoint", "must be a predicate IRI")
        where = f"{c.target} {c.values} ?this <{other}> ?value ."
        yield c.check("sh:disjoint", f"SELECT DISTINCT ?this ?value WHERE {{ {where} }}", "row")


def _or(c: _Compiler) -> Iterator[Check]:
    for head in c.g.objects(c.shape, SH["or"]):
        members = [_conforms_shape(c, s, "?value", "sh:or") for s in Collection(c.g, head)]
        if not members:
            raise c.fail("sh:or", "the list is empty")
        yield c.value_check("sh:or", "!(" + " || ".join(members) + ")")


def _qualified(c: _Compiler) -> Iterator[Check]:
    c.property_only("sh:qualifiedValueShape")
    for p in (SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint):
        if c.g.value(c.shape, p) is not None:
            raise c.fail(f"sh:{p[len(str(SH)):]}", "unsupported")
    n = _count(c, SH.qualifiedMinCount)
    conforms = _conforms_shape(c, c.one(SH.qualifiedValueShape), "?x", "sh:qualifiedValueShape")
    if n > 0:
        yield c.check("sh:qualifiedMinCount", _fewer_than(c, n, f"FILTER ({conforms})"), "none")


def _qualified_min_count(c: _Compiler) -> Iterator[Check]:
    if c.g.value(c.shape, SH.qualifiedValueShape) is None:
        raise c.fail("sh:qualifiedMinCount", "needs sh:qualifiedValueShape")
    return iter(())


def _conforms_shape(c: _Compiler, shape: Any, v: str, where: str) -> str:
    """A SPARQL expression true when ``v`` conforms to a nested (value) shape."""
    parts = []
    for p, o in sorted(c.g.predicate_objects(shape), key=str):
        if p == SH["class"]:
            parts.append(_conforms_class(c, o, v))
        elif p == SH.languageIn:
            parts.append(_conforms_language(c, o, v))
        elif p == SH.nodeKind:
            parts.append(_conforms_node_kind(c, o, v))
        elif p == SH["in"]:
            parts.append(f"({_conforms_in(c, o, v)})")
        elif p in _INERT or p == SH.message or not str(p).startswith(str(SH)):
            continue
        else:
            raise c.fail(f"{where}/sh:{p[len(str(SH)):]}", "unsupported in a nested shape")
    return "(" + " && ".join(parts) + ")" if parts else "true"


_COMPONENTS: dict[URIRef, Callable[[_Compiler], Iterator[Check]]] = {
    SH.minCount: _min_count,
    SH.maxCount: _max_count,
    SH["class"]: _class,
    SH.datatype: _datatype,
    SH.pattern: _pattern,
    SH.languageIn: _language_in,
    SH.uniqueLang: _unique_lang,
    SH.minLength: _min_length,
    SH.minInclusive: _min_inclusive,
    SH.nodeKind: _node_kind,
    SH["in"]: _in,
    SH.disjoint: _disjoint,
    SH["or"]: _or,
    SH.qualifiedValueShape: _qualified,
    SH.qualifiedMinCount: _qualified_min_count,
    SH.sparql: lambda c: iter(()),  # handled with its sh:target
}

_PREFIXES = (
    f"PREFIX rdf: <{RDF}>\nPREFIX rdfs: <{RDFS}>\nPREFIX xsd: <{XSD}>\n"
)


def _string(text: str) -> str:
    """A SPARQL string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _sparql_term(c: _Compiler, term: Any) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        if term.language:
            return f"{_string(str(term))}@{term.language}"
        datatype = term.datatype or XSD.string
        return f"{_string(str(term))}^^<{datatype}>"
    raise c.fail("sh:in", "members must be IRIs or literals")


def _string_value(v: Any) -> str:
    """pySHACL's string form of a value node (StringBasedConstraintBase.value_node_to_string)."""
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


# --- running ---------------------------------------------------------------------------------


def run_checks(
    checks: tuple[Check, ...], store: ox.Store, *, union: bool = False
) -> list[Hit]:
    """Run every check on ``store`` (its default graph, or all graphs with ``union``)."""
    hits: list[Hit] = []
    for check in checks:
        solutions = store.query(check.query, use_default_graph_as_union=union)
        names = {v.value for v in solutions.variables}  # type: ignore[union-attr]
        has_path, has_value = "path" in names, "value" in names
        for row in solutions:  # type: ignore[union-attr]
            focus = row["this"]
            if focus is None:
                continue
            value = row["value"] if has_value else None
            if check.value == "focus" or (check.value == "row|focus" and value is None):
                value = focus
            elif check.value == "none":
                value = None
            if check.decide is not None and not check.decide(to_rdflib(value)):
                continue
            hits.append(Hit(check, focus, value, row["path"] if has_path else None))
    return hits


def to_rdflib(term: Any) -> Any:
    """Convert a pyoxigraph term to the rdflib term rdflib's parser would have made."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ill-typed literals: rdflib warns, pySHACL reports
            if term.language:
                return Literal(term.value, lang=term.language)
            if term.datatype.value == str(XSD.string):
                return Literal(term.value)
            return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")
