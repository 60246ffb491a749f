"""Remote SPARQL endpoints: paged SELECT through SPARQLWrapper and graph-by-graph push.

``push`` replaces each named graph of the embedded store on a SPARQL 1.1 Update endpoint:
``DROP SILENT GRAPH`` + ``INSERT DATA`` in one update when the graph fits one bounded batch,
else batches into a scratch graph and one ``MOVE`` over the target; with timeouts and retries
on 5xx answers and timeouts (every request is idempotent).  The password comes from the caller (the CLI reads ``LEGALKG_PASSWORD``) and never
appears in a message, an exception or a log line.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
)

from .errors import InputError, QueryError, StoreError
from .store import Rows, Store, code_only, strip_comments

PAGE_SIZE = 5000  # below Virtuoso's default ResultSetMaxRows (10,000), which cuts silently
BATCH_TRIPLES = 500  # Virtuoso compiles a batch to SQL and refuses more than 10,000 lines
BATCH_BYTES = 200_000
TIMEOUT = 60.0
RETRIES = 3
USER_AGENT = "legalkg (+https://w3id.org/legalkg)"


@dataclass(frozen=True, slots=True)
class PushReport:
    """What a push sent: graph IRIs, triples and HTTP requests."""

    graphs: tuple[str, ...]
    triples: int
    requests: int


def check_endpoint(url: str) -> str:
    """Return *url* if it is an http(s) URL without credentials; otherwise raise InputError."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("the endpoint must be an http:// or https:// URL such as "
                         "http://127.0.0.1:8890/sparql")
    if parts.username is not None or parts.password is not None:
        raise InputError("the endpoint URL must not contain a user or password; "
                         "use --user and the LEGALKG_PASSWORD environment variable")
    return url


def _host(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


# --- queries --------------------------------------------------------------------------------


def select(
    endpoint: str, sparql: str, *, page_size: int = PAGE_SIZE, timeout: float = TIMEOUT
) -> Rows:
    """Run a SELECT on *endpoint* and return all rows, fetching pages of *page_size*.

    A query without its own LIMIT/OFFSET is paged with ``LIMIT n OFFSET k`` (the named
    queries all have a total ORDER BY, so pages are stable).
    """
    check_endpoint(endpoint)
    if re.search(r"\b(LIMIT|OFFSET)\b", code_only(sparql), re.IGNORECASE):
        columns, rows = _select_once(endpoint, sparql, timeout)
        return Rows(rows, columns)
    columns: list[str] = []
    everything: list[dict[str, str]] = []
    offset = 0
    while True:
        page = f"{sparql.rstrip()}\nLIMIT {page_size} OFFSET {offset}"
        columns, rows = _select_once(endpoint, page, timeout)
        everything.extend(rows)
        if len(rows) < page_size:
            return Rows(everything, columns)
        offset += page_size


def _select_once(endpoint: str, sparql: str, timeout: float) -> tuple[list[str], list[dict[str, str]]]:
    client = SPARQLWrapper(endpoint, agent=USER_AGENT)
    # Comments go: SPARQLWrapper guesses the query type by keyword ("created" → CREATE).
    client.setQuery(strip_comments(sparql))
    client.queryType = SELECT
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    result = _with_retries(lambda: client.queryAndConvert(), endpoint)
    if not isinstance(result, dict) or "head" not in result:
        raise StoreError(f"{_host(endpoint)} did not return SPARQL JSON results; "
                         "is it a SPARQL query endpoint?")
    columns = list(result["head"].get("vars", []))
    rows = [
        {c: str(b[c]["value"]) if c in b else "" for c in columns}
        for b in result.get("results", {}).get("bindings", [])
    ]
    return columns, rows


def _with_retries(call: Callable[[], object], endpoint: str, retries: int = RETRIES) -> object:
    """Run *call*, retrying 5xx answers and timeouts; map failures to KGErrors."""
    host = _host(endpoint)
    for attempt in range(retries + 1):
        try:
            return call()
        except QueryBadFormed as exc:
            raise QueryError(f"{host} rejected the query as malformed: {_brief(exc)}") from None
        except Unauthorized:
            raise StoreError(f"{host} refused access (HTTP 401); check the account") from None
        except EndPointNotFound:
            raise StoreError(f"{host} was not found (HTTP 404); check the endpoint URL") from None
        except EndPointInternalError as exc:
            # A query that makes the server fail (HTTP 500) fails again; only 502-504 retry.
            raise StoreError(f"{host} failed (HTTP 500): {_brief(exc)}") from None
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or attempt == retries:
                raise StoreError(f"{host} answered HTTP {exc.code}; check the endpoint") from None
        except (urllib.error.URLError, ConnectionError, TimeoutError,
                http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            if not isinstance(reason, TimeoutError) or attempt == retries:
                raise StoreError(f"cannot reach {host} ({reason}); is the server running?") from None
        except SPARQLWrapperException as exc:
            raise StoreError(f"{host} failed: {_brief(exc)}") from None
        time.sleep(0.5 * 2**attempt)
    raise AssertionError("unreachable")


def _brief(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + "…"


# --- push -----------------------------------------------------------------------------------


def push(
    store: Store | Path,
    endpoint: str,
    *,
    user: str | None = None,
    password: str | None = None,
    batch_triples: int = BATCH_TRIPLES,
    batch_bytes: int = BATCH_BYTES,
    timeout: float = TIMEOUT,
    retries: int = RETRIES,
) -> PushReport:
    """Replace every named graph of *store* on the SPARQL Update *endpoint*; idempotent."""
    check_endpoint(endpoint)
    if isinstance(store, Store):
        return _push(store, endpoint, user, password, batch_triples, batch_bytes, timeout, retries)
    with Store.open(Path(store), create=False) as opened:
        return _push(opened, endpoint, user, password, batch_triples, batch_bytes, timeout, retries)


def _push(
    store: Store,
    endpoint: str,
    user: str | None,
    password: str | None,
    batch_triples: int,
    batch_bytes: int,
    timeout: float,
    retries: int,
) -> PushReport:
    send = _Sender(endpoint, user, password, timeout, retries)
    graphs = store.graphs()
    if not graphs:
        raise InputError(f"the store at {store.path} is empty; run `legalkg build` first")
    triples = 0
    for graph in graphs:
        lines = store.dump(ox.RdfFormat.N_TRIPLES, graph=graph).decode("utf-8").splitlines()
        lines = [line for line in lines if line.strip()]
        triples += len(lines)
        batches = list(_batches(lines, batch_triples, batch_bytes)) or [[]]
        if len(batches) == 1:  # one update: the server swaps the graph in one transaction
            send(_replace(graph, graph, batches[0]), f"graph <{graph}>")
            continue
        # Several batches load into a scratch graph that one MOVE then puts in place, so a
        # failure half-way leaves the old graph untouched.
        scratch = graph + "/.legalkg-push"
        for n, batch in enumerate(batches):
            update = _replace(scratch, scratch, batch) if n == 0 else _insert(scratch, batch)
            send(update, f"graph <{graph}>, batch {n + 1}/{len(batches)}")
        send(f"MOVE SILENT GRAPH <{scratch}> TO GRAPH <{graph}>", f"graph <{graph}>, final move")
    return PushReport(tuple(graphs), triples, send.requests)


def _insert(graph: str, lines: list[str]) -> str:
    body = "\n".join(lines)
    if any("_:" in line for line in lines):
        # Virtuoso refuses blank nodes in INSERT DATA; a template makes them fresh nodes too.
        return f"INSERT {{ GRAPH <{graph}> {{\n{body}\n}} }} WHERE {{ }}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"


def _replace(drop: str, graph: str, lines: list[str]) -> str:
    update = f"DROP SILENT GRAPH <{drop}>"
    return f"{update} ;\n{_insert(graph, lines)}" if lines else update


def _batches(lines: list[str], max_triples: int, max_bytes: int) -> Iterator[list[str]]:
    """Split N-Triples lines into batches; lines with blank nodes all go in the first one."""
    with_bnodes = [line for line in lines if "_:" in line]
    rest = [line for line in lines if "_:" not in line]
    batch: list[str] = list(with_bnodes)
    size = sum(len(line.encode()) for line in batch)
    for line in rest:
        n = len(line.encode()) + 1
        if batch and (len(batch) >= max_triples or size + n > max_bytes):
            yield batch
            batch, size = [], 0
        batch.append(line)
        size += n
    if batch:
        yield batch


class _Sender:
    """POST SPARQL updates with digest/basic auth, a timeout and retries on 5xx."""

    def __init__(
        self, endpoint: str, user: str | None, password: str | None, timeout: float, retries: int
    ) -> None:
        self.endpoint = endpoint
        self.host = _host(endpoint)
        self.user = user
        self.timeout = timeout
        self.retries = retries
        self.requests = 0
        handlers: list[urllib.request.BaseHandler] = []
        if user is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, endpoint, user, password or "")
            handlers += [urllib.request.HTTPDigestAuthHandler(manager),
                         urllib.request.HTTPBasicAuthHandler(manager)]
        # A private opener: nothing is installed globally, so credentials stay here.
        self._opener = urllib.request.build_opener(*handlers)

    def __call__(self, update: str, what: str) -> None:
        data = urllib.parse.urlencode({"update": update}).encode("utf-8")
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(
                self.endpoint, data=data, method="POST",
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                         "User-Agent": USER_AGENT},
            )
            self.requests += 1
            try:
                with self._opener.open(request, timeout=self.timeout) as resp:
                    resp.read()
                return
            except urllib.error.HTTPError as exc:
                detail = _body(exc)
                if exc.code == 401:
                    who = f"user {self.user!r}" if self.user else "no user (pass --user)"
                    raise StoreError(f"{self.host} refused the update for {who} (HTTP 401); "
                                     "check --user and LEGALKG_PASSWORD") from None
                if exc.code < 500 or attempt == self.retries:
                    raise StoreError(f"{self.host} rejected the update ({what}): HTTP {exc.code} "
                                     f"{detail}") from None
            except (urllib.error.URLError, ConnectionError, TimeoutError,
                    http.client.HTTPException) as exc:
                reason = getattr(exc, "reason", exc)
                timed_out = isinstance(reason, TimeoutError)
                if not timed_out or attempt == self.retries:
                    raise StoreError(f"cannot reach {self.host} ({reason}) while sending {what}; "
                                     "is the server running?") from None
            time.sleep(0.5 * 2**attempt)


def _body(exc: urllib.error.HTTPError, limit: int = 300) -> str:
    try:
        text = exc.read().decode("utf-8", errors="replace")
    except (OSError, http.client.HTTPException):
        return ""
    text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def count_triples(endpoint: str, *, prefix: str = "https://w3id.org/legalkg/graph/") -> int:
    """Count the triples in the endpoint's named graphs whose IRI starts with *prefix*."""
    rows = select(
        endpoint,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }} LIMIT 1',
    )
    return int(rows[0]["n"]) if rows else 0
