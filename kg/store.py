"""The embedded triple store: pyoxigraph on disk, one named graph per source document.

A build puts each document's own statements in ``graph/D`` and what documents say about shared
entities in ``graph/entities`` (see ``docs/graph-model.md``).  ``Store.replace_document`` swaps
one named graph in one SPARQL Update (one transaction), so rebuilding a document is idempotent
and a failed rebuild leaves the previous graph in place; it stores the graph it is given as is,
then recomputes the derived ``graph/summary``.
Queries see the union of all named graphs as their default graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF
from rdflib.term import Identifier

from .errors import InputError, QueryError, StoreError
from .vocab import GRAPH, LKG

Term = Identifier | ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, str]

_LEGAL_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Strings, comments and IRIs are blanked before looking for keywords and braces.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)


class Rows(list[Row]):
    """Result rows (dicts keyed by column) that also know their columns, even when empty."""

    def __init__(self, rows: list[Row], columns: list[str]) -> None:
        super().__init__(rows)
        self.columns = list(columns)


def code_only(sparql: str) -> str:
    """Blank strings, IRIs and comments (same length), leaving keywords and punctuation."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), sparql)


def strip_comments(sparql: str) -> str:
    """Remove ``#`` comments (not ``#`` inside IRIs or strings) from *sparql*."""
    return _OPAQUE.sub(lambda m: "" if m.group(0).startswith("#") else m.group(0), sparql)


def check_service(sparql: str, allow_service: bool = False) -> None:
    """Refuse federated ``SERVICE`` calls unless explicitly allowed."""
    if not allow_service and re.search(r"\bSERVICE\b", code_only(sparql), re.IGNORECASE):
        raise QueryError("the query uses SERVICE (a call to another endpoint); that is not allowed")


def graph_iri(name: str) -> str:
    """Return the IRI of a named graph given a document id, ``"ontology"`` or a full IRI."""
    if name.startswith(("http://", "https://", "urn:")):
        return name
    if not name or any(c in name for c in '<>"{}|^`\\ \t\n'):
        raise InputError(f"bad graph name {name!r}; use a document id such as 000_6cf377918dd049db")
    return str(GRAPH[name])


def to_ox(term: Term | str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term (or a plain string, as an ``xsd:string`` literal) to pyoxigraph."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, str):
        return ox.Literal(term)
    raise QueryError(f"cannot bind a {type(term).__name__}; pass a string or an rdflib term")


def term_text(term: object) -> str:
    """Return the plain string form of a result value: literal lexical form, IRI, or ""."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def ntriples(graph: rdflib.Graph) -> str:
    """Serialise the triples of *graph* as N-Triples text (the fast path into pyoxigraph)."""
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")


class Store:
    """An embedded pyoxigraph store on disk; use :meth:`open` and close it (or use ``with``)."""

    def __init__(self, inner: ox.Store, path: Path, *, read_only: bool) -> None:
        self._inner: ox.Store | None = inner
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Store:
        """Open (or with ``create`` make) the store at *path*; ``create=False`` opens read-only."""
        path = Path(path)
        if not create:
            if not (path / "CURRENT").is_file():
                raise InputError(f"no store at {path}; run `legalkg build` first")
            try:
                return cls(ox.Store.read_only(str(path)), path, read_only=True)
            except OSError as exc:
                raise StoreError(f"cannot open the store at {path} ({exc}); rebuild it") from None
        if path.exists() and not path.is_dir():
            raise InputError(f"{path} is a file, not a store directory; choose another --store")
        try:
            path.mkdir(parents=True, exist_ok=True)
            return cls(ox.Store(str(path)), path, read_only=False)
        except OSError as exc:
            raise StoreError(
                f"cannot open the store at {path} ({exc}); is another legalkg process using it?"
            ) from None

    @property
    def inner(self) -> ox.Store:
        """Return the underlying :class:`pyoxigraph.Store`."""
        if self._inner is None:
            raise StoreError(f"the store at {self.path} is closed; open it again")
        return self._inner

    def close(self) -> None:
        """Flush and release the store (the on-disk lock goes with the last reference)."""
        if self._inner is not None and not self.read_only:
            self._inner.flush()
        self._inner = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------------

    def replace_graph(self, name: str, graph: rdflib.Graph) -> None:
        """Replace the named graph *name* (document id, "ontology" or IRI) in one transaction."""
        self.replace_ntriples(name, ntriples(graph))

    def replace_document(self, doc_id: str, graph: rdflib.Graph) -> None:
        """Replace the named graph ``GRAPH[doc_id]`` with *graph*, then ``graph/summary``.

        Each is one transaction; the summary (:mod:`kg.summary`) is recomputed from the whole
        store, so the named queries that read it stay right.
        """
        self.replace_graph(doc_id, graph)
        self.refresh_summary()

    def refresh_summary(self) -> None:
        """Recompute ``graph/summary`` (counts, first mentions) from the other graphs."""
        from .summary import write_summary  # kg.summary reads the store through this class

        write_summary(self)

    def replace_ntriples(self, name: str, text: str) -> None:
        """Replace a named graph with N-Triples *text*: ``DROP`` + ``INSERT DATA``, one update."""
        if self.read_only:
            raise StoreError(f"the store at {self.path} was opened read-only; open it with create")
        iri = graph_iri(name)
        update = f"DROP SILENT GRAPH <{iri}> ;\nINSERT DATA {{ GRAPH <{iri}> {{\n{text}\n}} }}"
        try:
            self.inner.update(update)
        except (SyntaxError, OSError) as exc:
            raise StoreError(f"cannot replace graph <{iri}> in {self.path}: {exc}") from None

    def bulk_load_nquads(self, data: bytes) -> None:
        """Add N-Quads by pyoxigraph's bulk loader: fast but not a transaction (fresh stores)."""
        if self.read_only:
            raise StoreError(f"the store at {self.path} was opened read-only; open it with create")
        try:
            self.inner.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        except (SyntaxError, OSError) as exc:
            raise StoreError(f"cannot load quads into {self.path}: {exc}") from None

    def remove_document(self, doc_id: str) -> None:
        """Remove a document's named graph (no error when it is absent), then refresh the summary."""
        self.inner.update(f"DROP SILENT GRAPH <{graph_iri(doc_id)}>")
        self.refresh_summary()

    # --- reading ------------------------------------------------------------------------------

    def graphs(self) -> list[str]:
        """Return the IRIs of all non-empty named graphs, sorted."""
        return sorted(g.value for g in self.inner.named_graphs() if isinstance(g, ox.NamedNode))

    def documents(self) -> list[str]:
        """Return the ids of the documents in the store, sorted.

        A document graph is ``GRAPH[id]`` holding an ``lkg:Document``; the shared graphs
        (``entities``, ``labels``, ``ontology``) are not documents.
        """
        prefix = str(GRAPH)
        document = ox.NamedNode(str(LKG.Document))
        rdf_type = ox.NamedNode(str(RDF.type))
        ids = []
        for name in self.graphs():
            graph = ox.NamedNode(name)
            if name.startswith(prefix) and next(
                self.inner.quads_for_pattern(None, rdf_type, document, graph), None
            ):
                ids.append(name[len(prefix) :])
        return ids

    def count(self, name: str | None = None) -> int:
        """Return the number of quads in the store, or in the named graph *name*."""
        if name is None:
            return len(self.inner)
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri(name)}> {{ ?s ?p ?o }} }}"
        return int(self.query(query)[0]["n"])

    def quads(self) -> Iterator[ox.Quad]:
        """Iterate over every quad of the store (named graphs and default graph)."""
        return iter(self.inner)

    def dump(self, fmt: ox.RdfFormat, *, graph: str | None = None) -> bytes:
        """Serialise the whole dataset (or one named graph) with pyoxigraph."""
        if graph is None:
            return self.inner.dump(format=fmt)
        return self.inner.dump(format=fmt, from_graph=ox.NamedNode(graph_iri(graph)))

    def to_dataset(self) -> rdflib.Dataset:
        """Return the whole store as an rdflib Dataset (one rdflib graph per named graph)."""
        ds = rdflib.Dataset()
        ds.parse(data=self.dump(ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
        return ds

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term | str] | None = None,
        *,
        allow_service: bool = False,
    ) -> Rows:
        """Run a SELECT query with bound variables; rows keyed by column in SELECT order.

        Values are plain strings (literal lexical form, IRI); unbound values are "".
        ``bindings`` maps variable names (without ``?``) to terms; a ``str`` is an
        ``xsd:string`` literal.  It is substituted as a value, never pasted into the text.
        """
        check_service(sparql, allow_service)
        substitutions = {}
        for name, value in (bindings or {}).items():
            key = name.lstrip("?$")
            if not _LEGAL_VAR.match(key):
                raise QueryError(f"bad parameter name {name!r}; use letters, digits and _")
            substitutions[ox.Variable(key)] = to_ox(value)
        try:
            result = self.inner.query(
                sparql, use_default_graph_as_union=True, substitutions=substitutions
            )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}; fix the query") from None
        except (OSError, RuntimeError) as exc:
            raise QueryError(f"the query failed: {exc}") from None
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("only SELECT queries return rows; rewrite the query as a SELECT")
        columns = [v.value for v in result.variables]
        return Rows([{c: term_text(sol[c]) for c in columns} for sol in result], columns)


def open_store(path: Path, *, create: bool = False) -> Store:
    """Open the store at *path*, read-only unless ``create`` (the notebook entry point)."""
    return Store.open(path, create=create)
