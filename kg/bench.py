"""Measure speed and memory: tokenizer floor, extraction, SHACL, store load, named queries.

Everything runs in one process, so the ratio ``build_words_per_s / tokenizer_words_per_s``
compares like with like on the same machine at the same moment.  Both rates are measured on
the bundled sample after one warm-up pass (spaCy's tokenizer caches tokens, our lexicons
compile once), as the median of several passes.  ``docs=N`` builds a corpus of N documents
made by replicating the sample reports under distinct ids in a temporary directory.
"""

from __future__ import annotations

import os
import platform
import queue
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import spacy

from .build import build, extract_document, stream_graph
from .errors import InputError
from .ingest import collect_inputs, read_document
from .nlp import make_nlp
from .queries import list_queries, run_query
from .records import Document
from .resources import corpus_dir
from .store import Store

Report = dict[str, Any]


def replicate_corpus(n: int, folder: Path, sources: list[Path] | None = None) -> list[Path]:
    """Write ``n`` documents into ``folder`` by copying the sample reports under distinct ids."""
    if n < 1:
        raise InputError(f"--docs must be at least 1, got {n}")
    sources = sources or collect_inputs([corpus_dir()])[0]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    width = len(str(n))
    for i in range(n):
        src = sources[i % len(sources)]
        path = folder / f"r{i:0{width}d}_{src.name}"
        shutil.copyfile(src, path)
        paths.append(path)
    return paths


def _median_rate(words: int, run: Callable[[], object], repeats: int) -> float:
    """Words per CPU second of ``run`` (median of ``repeats`` passes after one warm-up).

    CPU time, not wall time: on a shared machine other processes would otherwise decide the
    figure; both rates are single-threaded, so on an idle machine the two agree.
    """
    run()
    times = []
    for _ in range(repeats):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return words / statistics.median(times)


def tokenizer_rate(docs: list[Document], repeats: int = 5) -> float:
    """Words per second of bare ``spacy.blank("ar")`` on the documents' texts."""
    nlp = spacy.blank("ar")
    words = sum(len(d.text.split()) for d in docs)
    return _median_rate(words, lambda: [nlp(d.text) for d in docs], repeats)


def extraction_rate(docs: list[Document], repeats: int = 5) -> float:
    """Words per second of everything ``build`` does per document up to its triples."""
    nlp = make_nlp()
    words = sum(len(d.text.split()) for d in docs)
    return _median_rate(
        words, lambda: [stream_graph(extract_document(d, nlp)) for d in docs], repeats
    )


def query_latency(store_path: Path, name: str, repeats: int = 5) -> float:
    """Median milliseconds of one named query (parameters set to their examples)."""
    query = next(q for q in list_queries() if q.name == name)
    params = {p.name: p.example for p in query.params}
    with Store.open(store_path, create=False) as store:
        run_query(name, params, store=store)  # warm the store's caches
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            run_query(name, params, store=store)
            times.append(time.perf_counter() - started)
    return round(1000 * statistics.median(times), 2)


def _latency_child(store_path: Path, name: str, repeats: int, out: Any) -> None:
    out.put(query_latency(store_path, name, repeats))


def query_latencies(
    store_path: Path, repeats: int = 5, timeout: float = 60.0
) -> dict[str, float | None]:
    """Median milliseconds of each named query; None when it ran past ``timeout`` seconds.

    Each query runs in a child process, so one pathological plan cannot stall the benchmark.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    latencies: dict[str, float | None] = {}
    for q in list_queries():
        results = context.Queue()
        child = context.Process(target=_latency_child, args=(store_path, q.name, repeats, results))
        child.start()
        try:
            latencies[q.name] = results.get(timeout=timeout)
        except queue.Empty:
            latencies[q.name] = None
        finally:
            child.terminate()
            child.join()
    return latencies


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def machine() -> str:
    """One line describing where the figures were measured."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM, Python {platform.python_version()}"


def run_bench(
    docs: int | None = None,
    *,
    validate: bool = True,
    repeats: int = 5,
    jobs: int = 1,
    query_timeout: float = 60.0,
    progress: Callable[[str, int, int], None] | None = None,
) -> Report:
    """Run the benchmark (see the module docstring) and return its figures as a dict."""
    sample_paths = collect_inputs([corpus_dir()])[0]
    sample = [read_document(p) for p in sample_paths]
    tokenizer = tokenizer_rate(sample, repeats)
    extraction = extraction_rate(sample, repeats)
    work = Path(tempfile.mkdtemp(prefix="legalkg-bench-"))
    process = psutil.Process()
    rss_curve: list[float] = []
    try:
        inputs = replicate_corpus(docs, work / "corpus", sample_paths) if docs else sample_paths
        checkpoints = {max(0, len(inputs) * k // 10 - 1) for k in range(1, 11)}

        def watch(name: str, done: int, total: int) -> None:
            if done in checkpoints and name:
                rss_curve.append(round(process.memory_info().rss / 2**20, 1))
            if progress:
                progress(name, done, total)

        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        summary = build(inputs, work / "out", progress=watch, validate=validate, jobs=jobs)
        end_to_end = time.perf_counter() - started
        cpu = time.process_time() - cpu
        queries = query_latencies(summary.store_path, repeats, query_timeout)
        store_mb = sum(f.stat().st_size for f in summary.store_path.rglob("*") if f.is_file())
        t = summary.timings
        return {
            "machine": machine(),
            "docs": summary.documents,
            "jobs": jobs,
            "words": summary.words,
            "sample_words": sum(len(d.text.split()) for d in sample),
            "tokenizer_words_per_s": round(tokenizer),
            "build_words_per_s": round(extraction),
            "build_to_tokenizer": round(extraction / tokenizer, 3),
            "end_to_end_s": round(end_to_end, 2),
            "end_to_end_words_per_s": round(summary.words / end_to_end),
            "end_to_end_cpu_s": round(cpu, 2),  # this process only (not the --jobs workers)
            "load_average": round(load, 2),
            "extract_s": round(t["read"] + t["extract"] + t["graph"], 2),
            "shacl_s": round(t["validate"], 2) if validate else None,
            "store_load_s": round(t["load"] + t["labels"] + t["summary"] + t["optimize"], 2),
            "turtle_s": round(t["turtle"], 2),
            "triples": summary.triples,
            "conforms": summary.conforms,
            "store_mb": round(store_mb / 2**20, 1),
            "graph_ttl_mb": round(summary.graph_path.stat().st_size / 2**20, 1),
            "query_ms": queries,
            "rss_mb_by_tenth": rss_curve,
            "peak_rss_mb": peak_rss_mb(),
            "peak_rss_worker_mb": round(
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
            ) if jobs > 1 else None,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
