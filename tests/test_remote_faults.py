"""Remote faults: refused, hanging, 401, 500 and half-closed endpoints, all on 127.0.0.1.

A fault-injecting HTTP proxy sits in front of a real Oxigraph server and follows a script per
request ("forward", "500", "401", "close", "hang").  Every fault gives a clear StoreError (CLI:
exit 1, one Error line), retries happen only for idempotent requests and bounded, the remote
graphs end in the old or the new state, and the password never shows in any output.
"""

from __future__ import annotations

import http.server
import socket
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from robust_support import assert_clean_failure, cli, good_text
from servers import Server, free_port, oxigraph_server

from kg.build import build
from kg.errors import KGError, StoreError
from kg.remote import push, select
from kg.store import Store

PASSWORD = "s3cr3t-Pa55-لا-تظهر"


@dataclass
class Script:
    """What the proxy does with each request, in order; then ``rest`` for the others."""

    steps: list[str] = field(default_factory=list)
    rest: str = "forward"
    seen: list[str] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


def make_handler(script: Script, upstream: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Proxy(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            action = script.steps.pop(0) if script.steps else script.rest
            script.seen.append(action)
            script.auth.append(self.headers.get("Authorization", ""))
            length = int(self.headers.get("Content-Length", 0))
            if action == "close":  # read half the body, then hang up without an answer
                self.rfile.read(length // 2)
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            body = self.rfile.read(length)
            if action == "hang":
                script.release.wait(30)  # bounded: the test sets it when done
                self.close_connection = True
                return
            if action in ("500", "401", "400"):
                self.send_response(int(action))
                if action == "401":
                    self.send_header("WWW-Authenticate", 'Basic realm="legalkg-test"')
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"no")
                return
            request = urllib.request.Request(
                upstream, data=body, method="POST",
                headers={"Content-Type": self.headers.get("Content-Type", "")},
            )
            with urllib.request.urlopen(request, timeout=30) as resp:
                data, status = resp.read(), resp.status
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST

        def log_message(self, *args: object) -> None:
            pass

    return Proxy


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture
def proxy(oxigraph: Server) -> Iterator[tuple[str, Script]]:
    """A fault-injecting proxy to the Oxigraph update endpoint; yields its URL and script."""
    script = Script()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             make_handler(script, oxigraph.update_url))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/update", script
    finally:
        script.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two builds of the same document name with different text: the old and the new state."""
    base = tmp_path_factory.mktemp("stores")
    lines = good_text().splitlines()
    paths = []
    for name, text in (("old", lines[:40]), ("new", lines[20:])):
        folder = base / name
        folder.mkdir()
        (folder / "report.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
        paths.append(build([folder / "report.txt"], base / f"out_{name}", validate=False)
                     .store_path)
    return paths[0], paths[1]


def graph_state(query_url: str, graph: str) -> frozenset[tuple[str, str, str]]:
    """The remote graph's triples without blank nodes (they are renamed on every load)."""
    rows = select(query_url, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
                  "FILTER(!isBlank(?s) && !isBlank(?o)) }")
    return frozenset((r["s"], r["p"], r["o"]) for r in rows)


def local_state(store_dir: Path) -> dict[str, frozenset[tuple[str, str, str]]]:
    with Store.open(store_dir, create=False) as store:
        rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                           "FILTER(!isBlank(?s) && !isBlank(?o)) }")
    state: dict[str, set[tuple[str, str, str]]] = {}
    for r in rows:
        state.setdefault(r["g"], set()).add((r["s"], r["p"], r["o"]))
    return {g: frozenset(t) for g, t in state.items()}


def assert_old_or_new(oxigraph: Server, old: Path, new: Path) -> list[str]:
    """Every graph of the new store is, remotely, exactly its old or its new version."""
    before, after = local_state(old), local_state(new)
    verdicts = []
    for graph, triples in sorted(after.items()):
        remote = graph_state(oxigraph.query_url, graph)
        previous = before.get(graph, frozenset())
        assert remote in (previous, triples), (
            f"{graph} is a mix: {len(remote)} triples, old {len(previous)}, new {len(triples)}"
        )
        if previous != triples:  # graphs equal in both states (the ontology) say nothing
            verdicts.append("new" if remote == triples else "old")
    assert verdicts, "the two states must differ"
    return verdicts


def reset_to_old(oxigraph: Server, old: Path) -> None:
    push(old, oxigraph.update_url)


def no_secret(*texts: str) -> None:
    for text in texts:
        assert PASSWORD not in text


# --- faults ----------------------------------------------------------------------------------


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/update"
    with pytest.raises(StoreError, match="cannot reach .* is the server running") as info:
        push_any(url, retries=2)
    no_secret(str(info.value), repr(info.value))


def push_any(url: str, **kw: object) -> None:
    """Push a tiny store to ``url`` (for faults that do not need a real server behind)."""
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "s") as store:
        store.replace_ntriples("doc.txt", '<http://e/a> <http://e/b> "c" .')
        push(store, url, user="dba", password=PASSWORD, **kw)  # type: ignore[arg-type]


def test_connection_refused_cli(stores: tuple[Path, Path]) -> None:
    url = f"http://127.0.0.1:{free_port()}/update"
    result = _cli_push(stores[1], url)
    line = assert_clean_failure(result, 1, "cannot reach", "is the server running")
    no_secret(line, result.stdout, result.stderr)


def _cli_push(store: Path, url: str):
    from typer.testing import CliRunner

    from cli import app

    return CliRunner(env={"LEGALKG_PASSWORD": PASSWORD}).invoke(
        app, ["push", "--endpoint", url, "--store", str(store), "--user", "dba"])


def test_timeout_is_bounded_and_retried(proxy: tuple[str, Script]) -> None:
    url, script = proxy
    script.rest = "hang"
    started = time.monotonic()
    with pytest.raises(StoreError, match="timed out|cannot reach") as info:
        push_any(url, timeout=1, retries=1)
    assert time.monotonic() - started < 15
    assert script.seen == ["hang", "hang"]  # a replace is idempotent: retried once, then given up
    no_secret(str(info.value))


def test_wrong_password_gives_401(proxy: tuple[str, Script], stores: tuple[Path, Path]) -> None:
    url, script = proxy
    script.rest = "401"
    result = _cli_push(stores[1], url)
    line = assert_clean_failure(result, 1, "HTTP 401", "check --user and LEGALKG_PASSWORD")
    no_secret(line, result.stdout, result.stderr, repr(result.exception))
    assert any(a.startswith("Basic ") for a in script.auth), "credentials go in a header"
    with pytest.raises(StoreError) as info:
        push(stores[1], url, user="dba", password=PASSWORD)
    no_secret(str(info.value), repr(info.value), repr(info.value.__cause__),
              repr(info.value.__context__))


def test_password_is_never_an_argument() -> None:
    result = cli("push", "--endpoint", "http://127.0.0.1:1/update", "--password", PASSWORD)
    assert_clean_failure(result, 2, "No such option: --password")
    result = cli("push", "--endpoint", f"http://dba:{PASSWORD}@127.0.0.1:1/update")
    line = assert_clean_failure(result, 2, "must not contain a user or password")
    no_secret(line, result.stdout, result.stderr)


def test_server_error_is_retried_then_succeeds(
    oxigraph: Server, proxy: tuple[str, Script], stores: tuple[Path, Path]
) -> None:
    old, new = stores
    reset_to_old(oxigraph, old)
    url, script = proxy
    script.steps = ["500", "500"]
    report = push(new, url)
    assert script.seen[:3] == ["500", "500", "forward"]
    assert report.requests == len(script.seen)
    assert set(assert_old_or_new(oxigraph, old, new)) == {"new"}


def test_persistent_server_error_leaves_old_state(
    oxigraph: Server, proxy: tuple[str, Script], stores: tuple[Path, Path]
) -> None:
    old, new = stores
    reset_to_old(oxigraph, old)
    url, script = proxy
    script.rest = "500"
    with pytest.raises(StoreError, match="HTTP 500"):
        push(new, url, retries=2)
    assert script.seen == ["500"] * 3
    assert set(assert_old_or_new(oxigraph, old, new)) == {"old"}


def test_bad_request_is_not_retried(proxy: tuple[str, Script], stores: tuple[Path, Path]) -> None:
    url, script = proxy
    script.rest = "400"
    with pytest.raises(StoreError, match="HTTP 400"):
        push(stores[1], url)
    assert script.seen == ["400"]


@pytest.mark.parametrize("fail_at", [0, 1, 2])
def test_server_closing_mid_push_single_batch_graphs(
    oxigraph: Server, proxy: tuple[str, Script], stores: tuple[Path, Path], fail_at: int
) -> None:
    """Each graph fits in one request (DROP + INSERT in one update): old or new, never a mix."""
    old, new = stores
    reset_to_old(oxigraph, old)
    url, script = proxy
    script.steps = ["forward"] * fail_at + ["close"]
    with pytest.raises(StoreError, match="cannot reach|closed|Remote end") as info:
        push(new, url, batch_triples=10**6, batch_bytes=10**9, retries=1)
    assert isinstance(info.value, KGError)
    assert script.seen[-1] == "close" and len(script.seen) == fail_at + 1  # not retried
    assert_old_or_new(oxigraph, old, new)
    push(new, url)  # pushing again after the fault completes the job (idempotent)
    assert set(assert_old_or_new(oxigraph, old, new)) == {"new"}


def test_server_closing_mid_push_multi_batch_graph(
    oxigraph: Server, proxy: tuple[str, Script], stores: tuple[Path, Path]
) -> None:
    """A graph sent in many batches (a scratch graph, then one MOVE) is still old or new."""
    old, new = stores
    reset_to_old(oxigraph, old)
    url, script = proxy
    for fail_at in (1, 3, 6):
        script.steps, script.rest, script.seen[:] = ["forward"] * fail_at + ["close"], "forward", []
        with pytest.raises(StoreError):
            push(new, url, batch_triples=50, retries=0)
        assert_old_or_new(oxigraph, old, new)


def test_query_endpoint_faults_are_store_errors(proxy: tuple[str, Script]) -> None:
    url, script = proxy
    script.rest = "500"
    with pytest.raises(StoreError, match="HTTP 500"):
        select(url, "SELECT * WHERE { ?s ?p ?o }")
    assert script.seen == ["500"]  # a query that makes the server fail is not repeated
    script.rest = "hang"
    started = time.monotonic()
    with pytest.raises(StoreError):
        select(url, "SELECT * WHERE { ?s ?p ?o }", timeout=1)
    assert time.monotonic() - started < 30
