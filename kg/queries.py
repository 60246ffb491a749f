"""Named SPARQL queries (``queries/NAME.rq``) run with bound parameters, locally or remotely.

Each file starts with a comment header::

    # title: Institution history
    # description: Creation, parent, renaming, replacement and abolition of one institution.
    # params: ?institution (example: الدائرة الحكومية للهجرة)

Parameter values are bound, never pasted into the text: the embedded store substitutes them
(pyoxigraph ``substitutions``); a remote endpoint gets escaped
rdflib terms substituted for the variable tokens (:func:`bind_values`).  A query must project
its parameters (pyoxigraph substitutes only projected variables; :func:`run_query` drops those
constant columns) and must not assign to them (``AS ?param``, ``VALUES ?param``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib

from . import resources
from .errors import QueryError, ResourceError
from .store import Rows, Store, Term, check_service, code_only

DEFAULT_STORE = Path("out/store")

_IRI = re.compile(r'[^<>"{}|^`\\\x00-\x20]+')
_HEADER = re.compile(r"^#\s*(title|description|params)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"\?(\w+)(?:\s*\(example:\s*(.*?)\))?\s*(?:,|$)")
@dataclass(frozen=True, slots=True)
class Param:
    """A query parameter: its name (without ``?``) and an example value."""

    name: str
    example: str = ""


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query file: name, title, description, parameters and SPARQL text."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sparql: str
    path: Path


def parse_query(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its comment header into a :class:`NamedQuery`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"cannot read query {path} ({exc}); restore the file") from None
    fields: dict[str, str] = {"title": "", "description": "", "params": ""}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            key, value = match.groups()
            fields[key] = f"{fields[key]}, {value}" if key == "params" and fields[key] else value
    if not fields["title"]:
        raise ResourceError(f"{path}:1: the query has no '# title:' header line; add one")
    spec = fields["params"].strip()
    params = () if spec.lower() in {"", "none", "-"} else _parse_params(spec, path)
    return NamedQuery(
        name=path.stem,
        title=fields["title"],
        description=fields["description"],
        params=params,
        sparql=text,
        path=path,
    )


def _parse_params(spec: str, path: Path) -> tuple[Param, ...]:
    params = tuple(Param(name, (example or "").strip()) for name, example in _PARAM.findall(spec))
    if not params:
        raise ResourceError(f"{path}: cannot read '# params: {spec}'; write '?name (example: …)'")
    return params


def list_queries() -> list[NamedQuery]:
    """Return every bundled named query, sorted by name (``_name`` files are internal)."""
    folder = resources.queries_dir()
    return [parse_query(p) for p in sorted(folder.glob("*.rq")) if not p.name.startswith("_")]


def get_query(name: str) -> NamedQuery:
    """Return the named query *name*, or the query in the ``.rq`` file *name*."""
    if name.endswith(".rq") and Path(name).is_file():
        return parse_query(Path(name))
    path = resources.queries_dir() / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.is_file():
        raise QueryError(f"unknown query {name!r}; run `legalkg query --list`")
    return parse_query(path)


def check_syntax(sparql: str) -> None:
    """Parse *sparql* (on an empty in-memory store) and raise QueryError if it is not valid."""
    try:
        ox.Store().query(sparql)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}; fix the query") from None


def bind_values(sparql: str, bindings: Mapping[str, Term | str]) -> str:
    """Return *sparql* with each bound variable replaced by its escaped RDF term.

    This is SEP-0007 substitution done on tokens, not on text: a variable ``?x`` outside
    strings, IRIs and comments becomes the term's N-Triples form (``Literal(v).n3()``), and
    ``(TERM AS ?x)`` in the outer SELECT projection (nothing in a subquery's projection or
    GROUP BY: pyoxigraph needs the parameter projected at each level to substitute it inside
    a subquery), so ``x" } ; DROP ALL`` stays one string literal.
    (A ``VALUES`` block would do too, but Virtuoso 7 neither pushes it into the plan nor
    compares its non-ASCII strings correctly.)
    """
    if not bindings:
        return sparql
    terms: dict[str, str] = {}
    for name, value in bindings.items():
        key = name.lstrip("?$")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise QueryError(f"bad parameter name {name!r}; use letters, digits and _")
        terms[key] = _n3(value)
    code = code_only(sparql)
    projections = [
        (m.start(), m.end())
        for m in re.finditer(r"\bSELECT\b[^{]*?(?=\bWHERE\b|\{)", code, re.IGNORECASE | re.DOTALL)
    ]
    groupings = [
        (m.start(1), m.end(1))
        for m in re.finditer(r"\bGROUP\s+BY\b((?:\s*[?$][A-Za-z_][A-Za-z0-9_]*)+)", code, re.IGNORECASE)
    ]
    pieces: list[str] = []
    last = 0
    for m in re.finditer(r"[?$]([A-Za-z_][A-Za-z0-9_]*)\b", code):
        term = terms.get(m.group(1))
        if term is None:
            continue
        if re.search(r"\bAS\s*$", code[: m.start()], re.IGNORECASE):
            raise QueryError(f"the query assigns to parameter ?{m.group(1)}; rename one of them")
        outer = bool(projections) and projections[0][0] <= m.start() < projections[0][1]
        inner = any(a <= m.start() < b for a, b in projections[1:])
        in_grouping = any(a <= m.start() < b for a, b in groupings)
        pieces.append(sparql[last : m.start()])
        # a bound parameter is a constant: the outer SELECT projects it as (TERM AS ?x); a
        # subquery's projection and GROUP BY drop it (grouping by a constant changes nothing,
        # and projecting it there would bind ?x twice)
        pieces.append(f"({term} AS ?{m.group(1)})" if outer else "" if inner or in_grouping else term)
        last = m.end()
    pieces.append(sparql[last:])
    return "".join(pieces)


def _n3(value: Term | str) -> str:
    if isinstance(value, ox.NamedNode):
        value = rdflib.URIRef(value.value)
    elif isinstance(value, ox.Literal):
        dt = rdflib.URIRef(value.datatype.value) if value.datatype and not value.language else None
        value = rdflib.Literal(value.value, lang=value.language, datatype=dt)
    elif isinstance(value, ox.BlankNode | rdflib.BNode):
        raise QueryError("a parameter cannot be a blank node; pass an IRI or a string")
    elif isinstance(value, str) and not isinstance(value, rdflib.term.Identifier):
        value = rdflib.Literal(value)
    if isinstance(value, rdflib.URIRef) and not _IRI.fullmatch(str(value)):
        raise QueryError(f"cannot bind {str(value)!r}: not a valid IRI")
    return value.n3()


def check_params(query: NamedQuery, params: Mapping[str, object]) -> None:
    """Raise QueryError for an unknown or a missing parameter, saying how to pass it."""
    known = {p.name for p in query.params}
    for key in params:
        if key.lstrip("?$") not in known:
            takes = ", ".join("?" + k for k in sorted(known)) or "no parameters"
            raise QueryError(f"unknown parameter {key!r} for query {query.name!r}; it takes {takes}")
    given = {k.lstrip("?$") for k in params}
    for p in query.params:
        if p.name not in given:
            example = p.example or "VALUE"
            raise QueryError(
                f"query {query.name!r} needs a value for ?{p.name}; "
                f"pass --param {p.name}={example!r}"
            )


def run_query(
    name: str,
    params: Mapping[str, Term | str] | None = None,
    *,
    store: Path | Store | None = None,
    endpoint: str | None = None,
    allow_service: bool = False,
) -> Rows:
    """Run the named query with bound parameters on the embedded store or a remote endpoint.

    Rows are dicts keyed by column in SELECT order; values are plain strings.
    """
    if store is not None and endpoint is not None:
        raise QueryError("give either a store or an endpoint, not both")
    query = get_query(name)
    params = dict(params or {})
    check_params(query, params)
    check_service(query.sparql, allow_service)
    if endpoint is not None:
        from .remote import select

        check_syntax(query.sparql)
        rows = select(endpoint, bind_values(query.sparql, params))
    elif isinstance(store, Store):
        rows = store.query(query.sparql, params, allow_service=allow_service)
    else:
        with Store.open(Path(store) if store else DEFAULT_STORE, create=False) as opened:
            rows = opened.query(query.sparql, params, allow_service=allow_service)
    return _drop_params(rows, query)


def _drop_params(rows: Rows, query: NamedQuery) -> Rows:
    """Remove the parameter columns (constant; projected only because substitution needs it)."""
    names = {p.name for p in query.params}
    if not names & set(rows.columns):
        return rows
    columns = [c for c in rows.columns if c not in names]
    return Rows([{c: row[c] for c in columns} for row in rows], columns)
