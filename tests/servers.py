"""Start and stop real SPARQL servers (Virtuoso 7, Oxigraph) on 127.0.0.1 for tests.

Each server gets free ports and a private temporary directory; nothing listens beyond
127.0.0.1.  When a binary is missing the test is skipped locally but fails under ``CI``.
"""

from __future__ import annotations

import configparser
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib

from kg.store import Store

DATA = Path(__file__).parent / "data" / "store"
SAMPLE_TRIG = DATA / "sample.trig"
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@dataclass(frozen=True)
class Server:
    """A running SPARQL server: where to query, where to update, and with which account."""

    name: str
    query_url: str
    update_url: str
    user: str | None = None
    password: str | None = None


def load_sample(path: Path, trig: Path = SAMPLE_TRIG) -> Path:
    """Build an embedded store at *path* from a TriG file, one named graph at a time."""
    ds = rdflib.Dataset()
    ds.parse(trig, format="trig")
    with Store.open(path) as store:
        for graph in ds.graphs():
            if len(graph):
                store.replace_graph(str(graph.identifier), graph)
    return path


def require(binary: str | None, what: str) -> str:
    """Return the binary path, or skip (locally) / fail (under CI) when it is missing."""
    if binary and Path(binary).exists():
        return binary
    message = f"{what} is not installed"
    if os.environ.get("CI"):
        pytest.fail(f"{message}, and CI is set: install it (see .ci/run)")
    pytest.skip(f"{message}; set CI=1 to make this a failure")
    raise AssertionError("unreachable")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Poll *url* until it answers a trivial ASK query, or fail with the server log."""
    deadline = time.monotonic() + timeout
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK { }"})
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(probe, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    stop(proc)
    pytest.fail(f"server at {url} did not come up in {timeout:.0f}s; log:\n{tail}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server we started, then kill it if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def oxigraph_server(tmp: Path) -> Iterator[Server]:
    """Run ``oxigraph serve`` (union default graph) on a free port with its data under *tmp*."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    binary = require(binary, "the Oxigraph server (dev dependency `oxigraph`)")
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = tmp / "oxigraph.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [binary, "serve", "--location", str(tmp / "data"), "--bind", f"127.0.0.1:{port}",
             "--union-default-graph"],
            stdout=fh, stderr=subprocess.STDOUT, cwd=tmp,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query", proc, log, timeout=30)
        yield Server("oxigraph", base + "/query", base + "/update")
    finally:
        stop(proc)


def virtuoso_ini(tmp: Path, sql_port: int, http_port: int) -> Path:
    """Write a copy of Debian's virtuoso.ini with a private database and 127.0.0.1 ports."""
    ini = configparser.ConfigParser(strict=False, interpolation=None,
                                    inline_comment_prefixes=(";",))
    ini.optionxform = str  # type: ignore[assignment,method-assign]
    ini.read(VIRTUOSO_INI, encoding="utf-8")
    db = tmp / "db"
    db.mkdir()
    ini["Database"].update({
        "DatabaseFile": str(db / "virtuoso.db"), "ErrorLogFile": str(db / "virtuoso.log"),
        "LockFile": str(db / "virtuoso.lck"), "TransactionFile": str(db / "virtuoso.trx"),
        "xa_persistent_file": str(db / "virtuoso.pxa"),
    })
    ini["TempDatabase"].update({
        "DatabaseFile": str(db / "virtuoso-temp.db"),
        "TransactionFile": str(db / "virtuoso-temp.trx"),
    })
    ini["Parameters"].update({
        "ServerPort": f"127.0.0.1:{sql_port}", "NumberOfBuffers": "10000",
        "MaxDirtyBuffers": "6000", "CheckpointInterval": "0",
        "DirsAllowed": f"., {db}, /usr/share/virtuoso-opensource-7/vad",
    })
    ini["HTTPServer"].update({"ServerPort": f"127.0.0.1:{http_port}"})
    ini["URIQA"].update({"DefaultHost": f"127.0.0.1:{http_port}"})
    path = tmp / "virtuoso.ini"
    with path.open("w", encoding="utf-8") as fh:
        ini.write(fh)
    return path


@contextmanager
def virtuoso_server(tmp: Path) -> Iterator[Server]:
    """Run Debian's Virtuoso 7 in the foreground on free 127.0.0.1 ports (fresh db, dba/dba)."""
    binary = require(shutil.which("virtuoso-t"), "Virtuoso (apt-get install virtuoso-opensource)")
    if not VIRTUOSO_INI.is_file():
        require(None, f"Virtuoso's {VIRTUOSO_INI}")
    tmp.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = virtuoso_ini(tmp, sql_port, http_port)
    log = tmp / "db" / "virtuoso.log"
    with (tmp / "stdout.log").open("wb") as fh:
        proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)],
                                stdout=fh, stderr=subprocess.STDOUT, cwd=tmp)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_up(base + "/sparql", proc, log, timeout=120)
        yield Server("virtuoso", base + "/sparql", base + "/sparql-auth", "dba", "dba")
    finally:
        stop(proc)
