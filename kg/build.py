"""The chain, top to bottom: files -> documents -> mentions -> graph -> store; no logic of its own.

Documents stream through one at a time (read, extract, graph, validate, load into the store in
one transaction), so memory stays flat however many reports a corpus holds.  The only state
kept across documents is :class:`Choices`: per entity key, how often each label and title was
seen.  Labels and titles are chosen across documents (most frequent, then longest, then
first), so they are written at the end into the named graph ``graph/labels``; the institution
names each document saw stay ``skos:altLabel`` (minus the chosen one).  The result is triple
for triple the graph of the in-memory path :func:`document_graphs`.

Store layout: each document's own statements (subject ``id:doc/D`` or under it: the document,
its paragraphs and mentions) go to ``graph/D``; the statements about shared entities
(instruments, institutions, events, the extraction run) that any document makes go to one
graph ``graph/entities``, so a fact stated by fifty reports is stored once and queries on the
union do not multiply it; chosen labels and titles go to ``graph/labels``; per-entity and per-document counts and first
mentions, derived from the rest, go to ``graph/summary`` (:mod:`kg.summary`).  Every build writes a
fresh store, so ``graph/entities`` is always the union of the entities of the documents built.

``graph.ttl`` is the union of triples written as one block per document (its statements with
the entities it names, as the in-memory path gives them, sorted) in input order, then the labels
block.  Each block is spooled to disk as sorted N-Triples when its document is loaded and the
file is serialised at the end, so it is deterministic and never needs the corpus in memory.

``build`` writes into a fresh temporary directory next to the output and swaps it in only when
everything succeeded, so a failed or interrupted run never damages an earlier output.  Nobody
sees that store before the swap, so documents go in by bulk loads of ``BATCH`` documents
(RocksDB files written directly, ~3× less CPU than a transaction per document) rather than
transactions: a failure throws the whole temporary store away.
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
from rdflib import RDFS, Graph
from rdflib.namespace import SKOS

from .errors import InputError
from .ingest import collect_inputs, read_document
from .mentions import extract_mentions
from .metadata import document_metadata
from .normalize import normalize
from .paragraphs import split_paragraphs_with_diagnostics
from .records import Diagnostic, Document, DocumentResult
from .resolve import choose, preferred_labels, resolve, value_counts
from .store import Store, graph_iri
from .summary import write_summary
from .triples import Deferred, DocumentTriples, arabic, document_triples, rdf_graph, to_graph
from .vocab import ELI, PREFIXES

if TYPE_CHECKING:  # spaCy loads on first extraction, not on `import kg` (CLI start-up)
    from spacy.language import Language

Progress = Callable[[str, int, int], None]
BATCH = 10  # documents per bulk load into the fresh store (bounds memory)
LABELS = "labels"  # the named graph graph/labels: one chosen label/title per entity
ENTITIES = "entities"  # the named graph graph/entities: what documents say about shared entities
CHOSEN = {"label": f"<{RDFS.label}>", "title": f"<{ELI.title}>"}  # deferred attribute -> predicate


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

    def lines(self) -> list[str]:
        """Return the chosen ``rdfs:label``/``eli:title`` of every entity seen so far, sorted."""
        return _chosen_lines(self.deferred, self.counts)


Counts = dict[str, dict[str, Counter[str]]]  # attr ("label", "title") -> key -> value counts


def count_choices(result: DocumentResult) -> Counts:
    """Count one (resolved) document's labels and titles per entity key."""
    return {attr: dict(value_counts([result], attr)) for attr in CHOSEN}


def _chosen_lines(
    deferred: Deferred, counts: Mapping[str, Mapping[str, Counter[str]]]
) -> list[str]:
    """The chosen label/title statements (N-Triples text without the dot), sorted and distinct."""
    lines = set()
    for (attr, key), (iri, fallback) in deferred.items():
        c = counts[attr].get(key)
        value = choose(c) if c else fallback
        if value:
            lines.add(f"{iri} {CHOSEN[attr]} {arabic(value)}")
    return sorted(lines)


def _ntriples(lines: Iterable[str]) -> str:
    return "".join(f"{line} .\n" for line in lines)


def stream_graph(
    result: DocumentResult, timestamp: str | None = None
) -> tuple[DocumentResult, DocumentTriples, Deferred]:
    """Resolve one document; return it, its statements without chosen labels, what they need."""
    resolved = resolve([result])[0]
    deferred: Deferred = {}
    return resolved, document_triples(resolved, {}, timestamp, {}, deferred=deferred), deferred


def stream_rdf_graph(
    triples: DocumentTriples, deferred: Deferred, counts: Counts | None = None
) -> Graph:
    """The rdflib Graph of one streamed document with the labels it alone would choose (SHACL)."""
    chosen = _chosen_lines(deferred, counts or {attr: {} for attr in CHOSEN})
    return rdf_graph(triples.ntriples() + _ntriples(chosen))


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
    nquads: bytes  # graph/D and graph/entities, for the store
    ntriples: bytes  # all its statements sorted, for graph.ttl
    statements: int  # in graph/D
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
    result, triples, deferred = stream_graph(result, timestamp)
    counts = count_choices(result)
    _count([result], part)
    clock.lap("graph")
    text = triples.ntriples().encode("utf-8")
    results = []
    if validate:
        from .validation import validate as shacl

        # N-Triples bytes straight into the SPARQL validator (no rdflib Graph)
        report = shacl(text + _ntriples(_chosen_lines(deferred, counts)).encode("utf-8"))
        results = [(r.severity, r.text_line()) for r in report.results]
        clock.lap("validate")
    quads = triples.nquads(graph_iri(doc.doc_id), graph_iri(ENTITIES))
    clock.lap("serialize")
    return _Done(
        doc.doc_id, quads, text, len(triples.document), deferred, counts, part, results
    )


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
    spool_path = tmp / "graph.nt"  # graph.ttl's blocks as sorted N-Triples, until serialised
    statements = 0  # in the document graphs (disjoint: their subjects are their own)
    batch: list[bytes] = []  # N-Quads of documents not yet in the store
    with Store.open(tmp / "store") as store, spool_path.open("wb") as spool:
        store.replace_graph("ontology", ontology_graph())
        if progress and files:
            progress(files[0].name, 0, len(files))
        for i, done in enumerate(_processed(files, jobs, timestamp, validate)):
            clock.lap("wait")
            choices.add(done.counts, done.deferred)
            _merge(summary, done.summary)
            if checker is not None:
                checker.write(done.results)
            batch.append(done.nquads)  # graph/D and graph/entities
            if len(batch) == BATCH:
                store.bulk_load_nquads(b"".join(batch))
                batch.clear()
            spool.write(done.ntriples)
            statements += done.statements
            clock.lap("load")
            if progress:
                following = files[i + 1].name if i + 1 < len(files) else ""
                progress(following, i + 1, len(files))
        if batch:
            store.bulk_load_nquads(b"".join(batch))
        chosen = _ntriples(choices.lines())
        store.replace_ntriples(LABELS, chosen)
        dropped, extra = _drop_chosen_alt_labels(store, chosen)
        clock.lap("labels")
        write_summary(store)  # graph/summary: derived counts and first mentions, not in graph.ttl
        clock.lap("summary")
        store.inner.optimize()  # compacts the bulk loads' files: queries 2x faster (N = 100)
        clock.lap("optimize")
        spool.write(chosen.encode("utf-8"))
        spool.close()
        with (tmp / "graph.ttl").open("wb") as out:
            write_turtle(spool_path, dropped, out)
        spool_path.unlink()
        summary.triples = statements + store.count(ENTITIES) + extra
        clock.lap("turtle")
    if checker is not None:
        summary.conforms, summary.violations, summary.warnings = checker.close()


_ALT_LABEL = ox.NamedNode(str(SKOS.altLabel))


def _drop_chosen_alt_labels(store: Store, chosen: str) -> tuple[set[tuple[object, object]], int]:
    """Remove the ``skos:altLabel`` equal to an entity's chosen ``rdfs:label``.

    Return the (entity, label) pairs removed and how many chosen statements are not also in
    ``graph/entities`` (for the count of distinct triples).
    """
    label = ox.NamedNode(str(RDFS.label))
    entities = ox.NamedNode(graph_iri(ENTITIES))
    inner = store.inner
    dropped: set[tuple[object, object]] = set()
    extra = 0
    for t in ox.parse(chosen, format=ox.RdfFormat.N_TRIPLES):
        extra += int(ox.Quad(t.subject, t.predicate, t.object, entities) not in inner)
        alt = ox.Quad(t.subject, _ALT_LABEL, t.object, entities)
        if t.predicate == label and alt in inner:
            dropped.add((t.subject, t.object))
            inner.remove(alt)
    return dropped, extra


# graph.ttl: no prefix for our own IRIs (id:, graph:), whose slashes would be escaped
# («id:doc\/x.txt\/p\/1»); full IRIs read better
TURTLE_PREFIXES = {p: ns for p, ns in PREFIXES.items() if p not in ("id", "graph")}


def write_turtle(
    spool: Path, dropped: set[tuple[object, object]], out: IO[bytes]
) -> None:
    """Write the N-Triples file *spool* as Turtle, without the chosen altLabels *dropped*."""

    def triples() -> Iterator[ox.Triple]:
        # lenient: the store's strict load has already checked the same statements
        for t in ox.parse(path=spool, format=ox.RdfFormat.N_TRIPLES, lenient=True):
            if t.predicate != _ALT_LABEL or (t.subject, t.object) not in dropped:
                yield t

    ox.serialize(triples(), out, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)


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

