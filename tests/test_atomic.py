"""Atomic output and idempotent stores: a killed build never leaves a half-written out dir.

A real ``legalkg build`` subprocess is killed with SIGKILL at random moments; afterwards the out
dir is the old build or a complete new one (never a mix), leftovers do not break the next run,
and rebuilding gives the same bytes.  Building twice gives the same store (sorted N-Quads), and
a failed graph replacement leaves the store's previous graph in place.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import IsomorphicGraph, to_isomorphic
from robust_support import (
    PROJECT,
    assert_ok,
    build_args,
    cli,
    fingerprint,
    good_text,
    legalkg_command,
    write_good,
)

from kg.build import build
from kg.errors import StoreError
from kg.queries import run_query
from kg.store import Store

COPIES = 20


def sorted_nquads(store_dir: Path) -> tuple[list[str], IsomorphicGraph]:
    """Return the store's quads as sorted N-Quads lines, blank nodes compared as a graph.

    Document graphs have no blank nodes, so their lines must be identical; the ontology's
    OWL lists get fresh blank node labels on every load (see the report), so the quads that
    hold blank nodes are compared up to renaming.
    """
    with Store.open(store_dir, create=False) as store:
        lines = store.dump(ox.RdfFormat.N_QUADS).decode("utf-8").splitlines()
    plain = sorted(line for line in lines if "_:" not in line)
    ds = rdflib.Dataset()
    ds.parse(data="\n".join(line for line in lines if "_:" in line), format="nquads")
    blank = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        blank.add((s, p, o))
    return plain, to_isomorphic(blank)


def documents(out: Path) -> set[str]:
    return {row["document"] if "document" in row else next(iter(row.values()))
            for row in run_query("documents", store=out / "store")}


def make_corpus(folder: Path) -> Path:
    """Write ``COPIES`` copies of the good text under distinct names (a build of a few seconds)."""
    folder.mkdir(parents=True)
    lines = good_text().splitlines()
    for i in range(COPIES):
        # vary each copy a little so that the documents differ
        body = "\n".join(lines[i % 5 :] + lines[: i % 5])
        (folder / f"report_{i:02d}.txt").write_text(body + "\n", encoding="utf-8")
    return folder


def start_build(out: Path, corpus: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*legalkg_command(), *build_args(out, corpus)], cwd=PROJECT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def is_complete(out: Path) -> bool:
    """The out dir holds a whole build: graph.ttl parses and the store opens and answers."""
    graph = rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    assert len(graph) > 0
    return bool(run_query("documents", store=out / "store"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """The corpus, an uninterrupted build of it, and how long that build took."""
    base = tmp_path_factory.mktemp("atomic")
    corpus = make_corpus(base / "corpus")
    out = base / "reference"
    started = time.monotonic()
    proc = start_build(out, corpus)
    _, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr.decode()
    return corpus, out, time.monotonic() - started


def test_killed_build_leaves_old_or_complete_output(
    reference: tuple[Path, Path, float], tmp_path: Path
) -> None:
    corpus, ref_out, seconds = reference
    out = tmp_path / "out"
    assert_ok(cli(*build_args(out, write_good(tmp_path / "old"))))
    old_sha = fingerprint(out)
    rng = random.Random(20240601)
    # a few random moments, the last ones late in the run (writing the store, swapping)
    moments = sorted(rng.uniform(0.3, 1.0) * seconds for _ in range(3)) + [0.97 * seconds]
    outcomes = []
    for moment in moments:
        before = fingerprint(out)
        proc = start_build(out, corpus)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if not out.exists():
            outcomes.append("absent")  # killed between the two renames of the swap
            continue
        assert is_complete(out), "a killed build left a half-written out dir"
        sha = fingerprint(out)
        assert sha in (before, fingerprint(ref_out)), "out/ is neither the old nor the new build"
        outcomes.append("old" if sha == old_sha else "new")
    # the leftovers of the killed runs do not break the next run, which gives the same result
    proc = start_build(out, corpus)
    _, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr.decode()
    assert fingerprint(out) == fingerprint(ref_out)
    assert sorted_nquads(out / "store") == sorted_nquads(ref_out / "store")
    assert len(documents(out)) == COPIES
    assert outcomes  # each kill was checked


def test_build_twice_gives_the_same_store(tmp_path: Path) -> None:
    inputs = [write_good(tmp_path / "in", "a.txt"), write_good(tmp_path / "in2", "b.txt")]
    first = build(inputs, tmp_path / "one", validate=False)
    nquads = sorted_nquads(first.store_path)
    graph = first.graph_path.read_bytes()
    second = build(inputs, tmp_path / "one", validate=False)  # over the first, in place
    assert sorted_nquads(second.store_path) == nquads
    assert second.graph_path.read_bytes() == graph
    third = build(list(reversed(inputs)), tmp_path / "two", validate=False)
    assert sorted_nquads(third.store_path) == nquads
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert not leftovers, leftovers


def test_failed_graph_replacement_keeps_the_previous_graph(tmp_path: Path) -> None:
    doc = rdflib.Graph()
    s = rdflib.URIRef("https://w3id.org/legalkg/id/x")
    for i in range(50):
        doc.add((s, rdflib.URIRef(f"https://example.org/p{i}"), rdflib.Literal(f"قيمة {i}")))
    with Store.open(tmp_path / "store") as store:
        store.replace_document("doc.txt", doc)
        before = sorted(map(str, store.quads()))
        # a batch whose last line is broken: the DROP and the good lines must not apply
        text = "\n".join(
            f"<https://w3id.org/legalkg/id/y> <https://example.org/q{i}> \"v\" ." for i in range(10)
        ) + "\n<broken"
        with pytest.raises(StoreError, match="cannot replace graph"):
            store.replace_ntriples("doc.txt", text)
        assert sorted(map(str, store.quads())) == before
        store.replace_document("doc.txt", doc)  # replacing again is idempotent
        assert sorted(map(str, store.quads())) == before


def test_stale_temporary_dirs_do_not_break_a_build(tmp_path: Path) -> None:
    """Leftovers of a killed run (``.out.tmp-*``, ``.out.old-*``) are not read or reused."""
    for name in (".out.tmp-abc123", f".out.old-{os.getpid() + 1}"):
        stale = tmp_path / name
        (stale / "store").mkdir(parents=True)
        (stale / "graph.ttl").write_text("garbage", encoding="utf-8")
    assert_ok(cli(*build_args(tmp_path / "out", write_good(tmp_path / "in"))))
    assert is_complete(tmp_path / "out")
