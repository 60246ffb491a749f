"""The chain, top to bottom: files -> documents -> mentions -> graph -> store; no logic of its own.

``build`` writes into a fresh temporary directory next to the output and swaps it in only when
everything succeeded, so a failed or interrupted run never damages an earlier output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from spacy.language import Language

from .errors import InputError
from .ingest import collect_inputs, read_document
from .mentions import extract_mentions
from .nlp import make_nlp
from .normalize import normalize
from .paragraphs import split_paragraphs
from .records import Diagnostic, Document, DocumentResult
from .resolve import preferred_labels, resolve
from .triples import to_graph
from .vocab import GRAPH

Progress = Callable[[str, int, int], None]


def extract_document(doc: Document, nlp: Language) -> DocumentResult:
    """Run the extraction chain on one document."""
    norm = normalize(doc.text)
    paragraphs = split_paragraphs(norm, doc.doc_id)
    spacy_docs = nlp.pipe(p.text for p in paragraphs)
    mentions, relations, diagnostics = extract_mentions(spacy_docs, paragraphs, norm, doc.doc_id)
    return DocumentResult(
        doc, tuple(paragraphs), tuple(mentions), tuple(relations),
        tuple(doc.notices) + tuple(diagnostics),
        tuple(norm.to_original(p.start, p.end) for p in paragraphs),
    )


def document_graphs(
    results: Sequence[DocumentResult], timestamp: str | None = None
) -> list[tuple[str, Graph]]:
    """Resolve entities across documents and return one graph per document."""
    resolved = resolve(results)
    labels = preferred_labels(resolved)
    titles = preferred_labels(resolved, "title")
    return [
        (r.document.doc_id, to_graph(r, labels, timestamp, titles)) for r in resolved
    ]


@dataclass
class BuildSummary:
    """What a build did, for the CLI's summary table."""

    out_dir: Path
    documents: int = 0
    paragraphs: int = 0
    facts: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    conforms: bool | None = None
    violations: int = 0
    warnings: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0

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
) -> BuildSummary:
    """Build ``out_dir/graph.ttl`` and the embedded store ``out_dir/store`` from input files."""
    started = time.monotonic()
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"output {out_dir} is a file, not a directory; pass another --out")
    files, skipped = collect_inputs(paths)
    summary = BuildSummary(out_dir, diagnostics=list(skipped))
    nlp = make_nlp()
    results = []
    for i, path in enumerate(files):
        if progress:
            progress(path.name, i, len(files))
        results.append(extract_document(read_document(path), nlp))
    if progress:
        progress("", len(files), len(files))
    _count(results, summary)
    graphs = document_graphs(results, timestamp)

    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    except OSError as exc:
        raise InputError(f"cannot write into {out_dir.parent} ({exc.strerror}); pass another --out") from None
    try:
        _write(tmp, graphs, summary, validate)
        _swap(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    return summary


def _write(tmp: Path, graphs: list[tuple[str, Graph]], summary: BuildSummary, validate: bool) -> None:
    from .store import Store

    dataset = Dataset()
    merged = Graph()
    for doc_id, g in graphs:
        target = dataset.graph(GRAPH[doc_id])
        for triple in g:
            target.add(triple)
            merged.add(triple)
    summary.triples = len(merged)
    _bind(merged)
    (tmp / "graph.ttl").write_text(merged.serialize(format="turtle"), encoding="utf-8")
    with Store.open(tmp / "store") as store:
        store.replace_graph("ontology", ontology_graph())
        for doc_id, g in graphs:
            store.replace_document(doc_id, g)
    if validate:
        from .validation import validate as shacl

        report = shacl(merged)
        summary.conforms = report.conforms
        summary.violations = sum(1 for r in report.results if r.severity == "Violation")
        summary.warnings = sum(1 for r in report.results if r.severity == "Warning")
        (tmp / "validation.txt").write_text("\n".join(report.text_lines()) + "\n", encoding="utf-8")


def ontology_graph() -> Graph:
    """The ontology and concept schemes, loaded into the store's ``graph/ontology``."""
    from .resources import ontology_dir

    g = Graph()
    for path in sorted(ontology_dir().glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def _bind(g: Graph) -> None:
    from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

    from .vocab import ELI, ID, IKIND, ITYPE, LKG

    for prefix, ns in (
        ("lkg", LKG._NS), ("eli", ELI._NS), ("org", ORG), ("prov", PROV), ("dcterms", DCTERMS),
        ("skos", SKOS), ("id", ID), ("itype", ITYPE), ("ikind", IKIND),
    ):
        g.bind(prefix, ns, override=True)


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
