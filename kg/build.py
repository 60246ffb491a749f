"""The chain, top to bottom: files -> documents -> mentions -> graph -> store; no logic of its own.

Documents stream through one at a time (read, extract, graph, validate, load into the store in
one transaction), so memory stays flat however many reports a corpus holds.  The only state
kept across documents is :class:`Choices`: per entity key, how often each label and title was
seen.  Labels and titles are chosen across documents (most frequent, then longest, then
first), so they are written at the end into the named graph ``graph/labels``; each document's
graph keeps the institution names it saw as ``skos:altLabel`` (minus the chosen one).  The
result is triple for triple the graph of the in-memory path :func:`document_graphs`; only the
chosen ``rdfs:label``/``eli:title`` move from the document graphs into ``graph/labels``.

``graph.ttl`` is written last from the store: one block per named graph (documents in input
order, then labels), each sorted, so it is deterministic and never needs the corpus in memory.

``build`` writes into a fresh temporary directory next to the output and swaps it in only when
everything succeeded, so a failed or interrupted run never damages an earlier output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox
from rdflib import RDFS, Graph, Literal
from rdflib.namespace import SKOS

from .errors import InputError
from .ingest import collect_inputs, read_document
from .mentions import extract_mentions
from .metadata import document_metadata
from .normalize import normalize
from .paragraphs import split_paragraphs_with_diagnostics
from .records import Diagnostic, Document, DocumentResult
from .resolve import choose, preferred_labels, resolve, value_counts
from .store import Store, graph_iri, ntriples
from .triples import Deferred, to_graph
from .vocab import ELI, PREFIXES

if TYPE_CHECKING:  # spaCy loads on first extraction, not on `import kg` (CLI start-up)
    from spacy.language import Language

Progress = Callable[[str, int, int], None]
FLUSH_EVERY = 10  # documents between store flushes (bounds memory)
LABELS = "labels"  # the named graph graph/labels: one chosen label/title per entity
CHOSEN = {"label": RDFS.label, "title": ELI.title}  # deferred attribute -> predicate


def extract_document(doc: Document, nlp: Language) -> DocumentResult:
    """Run the extraction chain on one document."""
    norm = normalize(doc.text)
    paragraphs, numbering = split_paragraphs_with_diagnostics(norm, doc.doc_id)
    spacy_docs = nlp.pipe(p.text for p in paragraphs)
    mentions, relations, diagnostics = extract_mentions(spacy_docs, paragraphs, norm, doc.doc_id)
    return DocumentResult(
        doc, tuple(paragraphs), tuple(mentions), tuple(relations),
        tuple(doc.notices) + tuple(numbering) + tuple(diagnostics),
        tuple(norm.to_original(p.start, p.end) for p in paragraphs),
        document_metadata(paragraphs),
    )


def document_graphs(
    results: Sequence[DocumentResult], timestamp: str | None = None
) -> list[tuple[str, Graph]]:
    """Resolve entities across documents in memory and return one graph per document.

    The reference path for small inputs and tests: labels and titles sit in the document
    graphs.  :func:`build` streams instead and gives the same union of triples.
    """
    resolved = resolve(results)
    labels = preferred_labels(resolved)
    titles = preferred_labels(resolved, "title")
    return [
        (r.document.doc_id, to_graph(r, labels, timestamp, titles)) for r in resolved
    ]


class Choices:
    """Label and title counts per entity key across documents: all a streaming build keeps."""

    def __init__(self) -> None:
        self.counts: dict[str, defaultdict[str, Counter[str]]] = {
            attr: defaultdict(Counter) for attr in CHOSEN
        }
        self.deferred: Deferred = {}

    def add(self, counts: Counts, deferred: Deferred) -> None:
        """Add one document's label and title counts and the entities that need them."""
        for attr, by_key in counts.items():
            for key, c in by_key.items():
                self.counts[attr][key].update(c)
        for item, target in deferred.items():
            self.deferred.setdefault(item, target)

    def graph(self) -> Graph:
        """Return the chosen ``rdfs:label``/``eli:title`` of every entity seen so far."""
        return _chosen_graph(self.deferred, self.counts)


Counts = dict[str, dict[str, Counter[str]]]  # attr ("label", "title") -> key -> value counts


def count_choices(result: DocumentResult) -> Counts:
    """Count one (resolved) document's labels and titles per entity key."""
    return {attr: dict(value_counts([result], attr)) for attr in CHOSEN}


def _chosen_graph(deferred: Deferred, counts: Mapping[str, Mapping[str, Counter[str]]]) -> Graph:
    g = Graph()
    for (attr, key), (iri, fallback) in deferred.items():
        c = counts[attr].get(key)
        value = choose(c) if c else fallback
        if value:
            g.add((iri, CHOSEN[attr], Literal(value, lang="ar")))
    return g


def stream_graph(
    result: DocumentResult, timestamp: str | None = None
) -> tuple[DocumentResult, Graph, Deferred]:
    """Resolve one document and return it, its graph without chosen labels, and what they need."""
    resolved = resolve([result])[0]
    deferred: Deferred = {}
    return resolved, to_graph(resolved, {}, timestamp, {}, deferred=deferred), deferred


@dataclass
class BuildSummary:
    """What a build did, for the CLI's summary table (``timings``: seconds per stage)."""

    out_dir: Path
    documents: int = 0
    paragraphs: int = 0
    words: int = 0
    facts: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    conforms: bool | None = None
    violations: int = 0
    warnings: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    timings: Counter[str] = field(default_factory=Counter)

    @property
    def graph_path(self) -> Path:
        return self.out_dir / "graph.ttl"

    @property
    def store_path(self) -> Path:
        return self.out_dir / "store"


def _count(results: Iterable[DocumentResult], summary: BuildSummary) -> None:
    for r in results:
        summary.documents += 1
        summary.paragraphs += len(r.paragraphs)
        summary.words += len(r.document.text.split())
        for m in r.mentions:
            summary.facts[str(m.kind)] += 1
        for rel in r.relations:
            summary.facts[str(rel.kind)] += 1
        summary.diagnostics.extend(r.diagnostics)


def build(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    progress: Progress | None = None,
    timestamp: str | None = None,
    validate: bool = True,
    jobs: int = 1,
) -> BuildSummary:
    """Build ``out_dir/graph.ttl`` and the embedded store ``out_dir/store`` from input files.

    ``jobs`` > 1 extracts, graphs and validates documents in that many worker processes; the
    output is the same.
    """
    started = time.monotonic()
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"output {out_dir} is a file, not a directory; pass another --out")
    files, skipped = collect_inputs(paths)
    summary = BuildSummary(out_dir, diagnostics=list(skipped))
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    except OSError as exc:
        raise InputError(f"cannot write into {out_dir.parent} ({exc.strerror}); pass another --out") from None
    try:
        _stream(files, tmp, summary, progress, timestamp, validate, jobs)
        _swap(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    return summary


class _Clock:
    """Add the seconds spent in each stage to ``summary.timings``."""

    def __init__(self, timings: Counter[str]) -> None:
        self.timings, self.last = timings, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] += now - self.last
        self.last = now


@dataclass
class _Done:
    """One processed document, as small as possible (it may cross a process boundary)."""

    doc_id: str
    ntriples: bytes
    deferred: Deferred
    counts: Counts
    summary: BuildSummary
    results: list[tuple[str, str]]  # SHACL (severity, text line)


def _process(path: Path, nlp: Language, timestamp: str | None, validate: bool) -> _Done:
    """Read, extract, graph and validate one document (everything but loading it)."""
    part = BuildSummary(Path())
    clock = _Clock(part.timings)
    doc = read_document(path)
    clock.lap("read")
    result = extract_document(doc, nlp)
    clock.lap("extract")
    result, graph, deferred = stream_graph(result, timestamp)
    counts = count_choices(result)
    _count([result], part)
    clock.lap("graph")
    data = ntriples(graph).encode("utf-8")
    clock.lap("serialize")
    results = []
    if validate:
        from .validation import validate as shacl

        report = shacl(data + ntriples(_chosen_graph(deferred, counts)).encode("utf-8"))
        results = [(r.severity, r.text_line()) for r in report.results]
        clock.lap("validate")
    return _Done(doc.doc_id, data, deferred, counts, part, results)


_WORKER_NLP: list[Language] = []


def _work(path: Path, timestamp: str | None, validate: bool) -> _Done:
    if not _WORKER_NLP:
        from .nlp import make_nlp

        _WORKER_NLP.append(make_nlp())
    return _process(path, _WORKER_NLP[0], timestamp, validate)


def _processed(
    files: Sequence[Path], jobs: int, timestamp: str | None, validate: bool
) -> Iterator[_Done]:
    """Process documents in input order, in ``jobs`` worker processes when more than one."""
    if jobs <= 1:
        from .nlp import make_nlp

        nlp = make_nlp()
        for path in files:
            yield _process(path, nlp, timestamp, validate)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # no fork of a process holding RocksDB
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        queue: deque[Future[_Done]] = deque()
        todo = iter(files)
        for path in islice(todo, 2 * jobs):  # a bounded window keeps memory flat
            queue.append(pool.submit(_work, path, timestamp, validate))
        while queue:
            done = queue.popleft().result()
            for path in islice(todo, 1):
                queue.append(pool.submit(_work, path, timestamp, validate))
            yield done


def _stream(
    files: Sequence[Path],
    tmp: Path,
    summary: BuildSummary,
    progress: Progress | None,
    timestamp: str | None,
    validate: bool,
    jobs: int = 1,
) -> None:
    choices = Choices()
    checker = _Checker(tmp / "validation.txt") if validate else None
    clock = _Clock(summary.timings)
    names: list[str] = []
    with Store.open(tmp / "store") as store:
        store.replace_graph("ontology", ontology_graph())
        if progress and files:
            progress(files[0].name, 0, len(files))
        for i, done in enumerate(_processed(files, jobs, timestamp, validate)):
            clock.lap("wait")
            choices.add(done.counts, done.deferred)
            _merge(summary, done.summary)
            if checker is not None:
                checker.write(done.results)
            store.inner.load(
                done.ntriples, format=ox.RdfFormat.N_TRIPLES,
                to_graph=ox.NamedNode(graph_iri(done.doc_id)),
            )
            names.append(done.doc_id)
            if len(names) % FLUSH_EVERY == 0:
                store.inner.flush()  # RocksDB memtables would otherwise grow ~10 MB a document
            clock.lap("load")
            if progress:
                following = files[i + 1].name if i + 1 < len(files) else ""
                progress(following, i + 1, len(files))
        _load(store, LABELS, choices.graph())
        _drop_chosen_alt_labels(store, LABELS)
        clock.lap("labels")
        with (tmp / "graph.ttl").open("wb") as out:
            write_turtle(store, [*names, LABELS], out)
        summary.triples = _distinct_triples(store)
        clock.lap("turtle")
    if checker is not None:
        summary.conforms, summary.violations, summary.warnings = checker.close()


def _load(store: Store, name: str, graph: Graph) -> None:
    """Load ``graph`` into the named graph ``name`` of a fresh store, in one transaction."""
    store.inner.load(
        ntriples(graph).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode(graph_iri(name)),
    )


def _drop_chosen_alt_labels(store: Store, labels: str) -> None:
    """Remove the ``skos:altLabel`` equal to an entity's chosen ``rdfs:label`` (any graph)."""
    alt, label = ox.NamedNode(str(SKOS.altLabel)), ox.NamedNode(str(RDFS.label))
    chosen = ox.NamedNode(graph_iri(labels))
    inner = store.inner
    drop = [
        q
        for c in inner.quads_for_pattern(None, label, None, chosen)
        for q in inner.quads_for_pattern(c.subject, alt, c.object, None)
    ]
    for q in drop:
        inner.remove(q)


# graph.ttl: no prefix for our own IRIs (id:, graph:), whose slashes would be escaped
# («id:doc\/x.txt\/p\/1»); full IRIs read better
TURTLE_PREFIXES = {p: ns for p, ns in PREFIXES.items() if p not in ("id", "graph")}


def write_turtle(store: Store, names: Sequence[str], out: IO[bytes]) -> None:
    """Write the named graphs ``names`` of the store as one Turtle file, each graph sorted."""
    inner = store.inner

    def triples() -> Iterator[ox.Triple]:
        for name in names:
            quads = inner.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri(name)))
            for q in sorted(quads, key=str):
                yield q.triple

    ox.serialize(triples(), out, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)


def _distinct_triples(store: Store) -> int:
    """Count the distinct triples of the document and label graphs (the ontology left out)."""
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
        f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{graph_iri('ontology')}>) }} }}"
    )
    return int(store.query(query)[0]["n"])


def _merge(summary: BuildSummary, part: BuildSummary) -> None:
    summary.documents += part.documents
    summary.paragraphs += part.paragraphs
    summary.words += part.words
    summary.facts.update(part.facts)
    summary.diagnostics.extend(part.diagnostics)
    summary.timings.update(part.timings)


class _Checker:
    """Collect the per-document SHACL results into ``validation.txt`` as they come.

    Each document is validated with the labels and titles it alone would choose (the final
    ones are known only at the end); they are single ``@ar`` literals either way.
    """

    def __init__(self, path: Path) -> None:
        self.out = path.open("w", encoding="utf-8")
        self.counts: Counter[str] = Counter()

    def write(self, results: list[tuple[str, str]]) -> None:
        """Write one document's results: (severity, line) pairs."""
        for severity, line in results:
            self.counts[severity] += 1
            self.out.write(line + "\n")

    def close(self) -> tuple[bool, int, int]:
        """Write the summary line; return (conforms, violations, warnings)."""
        v, w, i = (self.counts[s] for s in ("Violation", "Warning", "Info"))
        verdict = "the graph conforms" if not v else "the graph does not conform"
        self.out.write(f"{_plural(v, 'violation')}, {_plural(w, 'warning')}, {i} info: {verdict}\n")
        self.out.close()
        return not v, v, w


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def ontology_graph() -> Graph:
    """The ontology and concept schemes, loaded into the store's ``graph/ontology``."""
    from rdflib.compare import to_canonical_graph

    from .resources import ontology_dir

    g = Graph()
    for path in sorted(ontology_dir().glob("*.ttl")):
        g.parse(path, format="turtle")
    # the ontology's blank nodes (owl:unionOf lists) get labels from their content, so the
    # store is byte-identical from one build to the next
    return to_canonical_graph(g)


def _swap(tmp: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``tmp`` with renames only (old output survives any failure)."""
    if not out_dir.exists():
        os.replace(tmp, out_dir)
        return
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except OSError:
        os.replace(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)

