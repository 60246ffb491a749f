"""Helpers shared by the robustness tests: a small good input, clean-failure checks, the CLI."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from typer.testing import CliRunner, Result

from cli import app
from kg.queries import run_query
from kg.resources import corpus_dir

DOC_001 = "001_31d65159885b43bc.txt"
PROJECT = Path(__file__).resolve().parents[1]


@cache
def good_text() -> str:
    """Return ~70 real lines of the sample (decrees, dates, institutions): a quick build."""
    lines = (corpus_dir() / DOC_001).read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[799:870]) + "\n"


def write_good(folder: Path, name: str = "good.txt") -> Path:
    """Write the good text to ``folder/name`` and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(good_text(), encoding="utf-8")
    return path


def cli(*args: str) -> Result:
    """Run ``legalkg ARGS`` in-process with stdout and stderr kept apart."""
    return CliRunner().invoke(app, list(args))


def build_args(out: Path, *inputs: Path | str) -> list[str]:
    """Arguments for a quick, quiet build (validation is the shapes' business, not ours)."""
    return ["build", "-q", "--no-validate", "-o", str(out), *map(str, inputs)]


def assert_clean_failure(result: Result, code: int, *needles: str) -> str:
    """Exit ``code``, exactly one ``Error: …`` line holding ``needles``, and no traceback."""
    stderr = result.stderr
    everything = result.stdout + stderr
    assert "Traceback" not in everything, everything
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"unhandled {type(result.exception).__name__}: {result.exception}"
    )
    assert result.exit_code == code, (result.exit_code, everything)
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, stderr
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


def assert_ok(result: Result) -> None:
    """Exit 0 without a traceback or an Error line."""
    everything = result.stdout + result.stderr
    assert result.exception is None, repr(result.exception)
    assert result.exit_code == 0, everything
    assert "Traceback" not in everything and "Error:" not in everything, everything


def fingerprint(out: Path) -> str:
    """Return the SHA-256 of ``out/graph.ttl``."""
    return hashlib.sha256((out / "graph.ttl").read_bytes()).hexdigest()


def assert_intact(out: Path, graph_sha: str) -> None:
    """The earlier output is untouched: same graph bytes, store still answers queries."""
    assert fingerprint(out) == graph_sha
    rows = run_query("documents", store=out / "store")
    assert rows, "the store lost its documents"
    strays = [p.name for p in out.parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert not strays, f"temporary directories left behind: {strays}"


def legalkg_command() -> list[str]:
    """The real installed entry point (``legalkg = "cli:main"``), else ``python -m cli``."""
    script = Path(sys.executable).parent / "legalkg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def run_legalkg(
    args: Sequence[str], *, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``legalkg`` in a subprocess (from the project root) and capture output."""
    return subprocess.run(
        [*legalkg_command(), *args], cwd=PROJECT, capture_output=True, text=True,
        timeout=timeout, env={**os.environ, **(env or {})}, check=False,
    )


@contextmanager
def time_limit(seconds: int, what: str) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"{what} took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
