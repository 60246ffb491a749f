"""Push to and query real Virtuoso 7 and Oxigraph servers started on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import Server, load_sample, oxigraph_server, virtuoso_server
from typer.testing import CliRunner

from cli import app
from kg.build import BuildSummary
from kg.errors import InputError, StoreError
from kg.queries import get_query, list_queries, run_query
from kg.remote import count_triples, push, select

pytestmark = pytest.mark.server
INJECTION = 'x" } ; DROP ALL ; SELECT * { "'
SECRET = "dba"  # the fresh Virtuoso database's dba password
runner = CliRunner()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_sample(tmp_path_factory.mktemp("remote") / "store")


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           store_dir: Path) -> Iterator[Server]:
    start = oxigraph_server if request.param == "oxigraph" else virtuoso_server
    with start(tmp_path_factory.mktemp(request.param)) as running:
        push(store_dir, running.update_url, user=running.user, password=running.password)
        yield running


def params_of(name: str) -> dict[str, str]:
    return {p.name: p.example for p in get_query(name).params}


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_remote_answers_equal_embedded(server: Server, store_dir: Path, name: str) -> None:
    local = run_query(name, params_of(name), store=store_dir)
    remote = run_query(name, params_of(name), endpoint=server.query_url)
    assert remote.columns == local.columns
    assert remote == local


def test_push_twice_keeps_the_triple_count(server: Server, store_dir: Path) -> None:
    first = count_triples(server.query_url)
    report = push(store_dir, server.update_url, user=server.user, password=server.password,
                  batch_triples=25)
    assert report.triples == first == 447
    assert report.requests > len(report.graphs)  # bounded batches
    assert count_triples(server.query_url) == first


def test_injection_is_just_a_string_remotely(server: Server) -> None:
    rows = run_query("provenance", {"node": INJECTION}, endpoint=server.query_url)
    assert rows == []
    assert count_triples(server.query_url) == 447


def test_paging_fetches_every_row(server: Server) -> None:
    sparql = ("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
              'FILTER(STRSTARTS(STR(?g), "https://w3id.org/legalkg/graph/")) } '
              "ORDER BY ?g ?s ?p ?o")
    from kg import remote

    rows = remote.select(server.query_url, sparql, page_size=40)
    assert len(rows) == 447
    assert len({tuple(r.values()) for r in rows}) == len(rows)


def test_select_needs_a_sparql_endpoint(server: Server) -> None:
    with pytest.raises(StoreError):
        select(server.query_url.rsplit("/", 1)[0] + "/nothing-here", "SELECT * { ?s ?p ?o }")


def test_wrong_password_is_refused_without_echoing_it(tmp_path: Path, store_dir: Path) -> None:
    with virtuoso_server(tmp_path) as server:
        wrong = "not-the-password-4711"
        with pytest.raises(StoreError) as exc:
            push(store_dir, server.update_url, user="dba", password=wrong, retries=0)
        text = str(exc.value) + repr(exc.value.args)
        assert "HTTP 401" in text and wrong not in text
        assert exc.value.__cause__ is None and exc.value.__suppress_context__


def test_cli_push_reads_the_password_from_the_environment(
    server: Server, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if server.user is None:
        pytest.skip("Oxigraph has no accounts")
    monkeypatch.setenv("LEGALKG_PASSWORD", SECRET)
    result = runner.invoke(app, ["push", "--store", str(store_dir), "--endpoint",
                                 server.update_url, "--user", server.user])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("pushed 447 triples in 4 graphs")


def test_cli_push_without_password_is_a_usage_error(store_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEGALKG_PASSWORD", raising=False)
    result = runner.invoke(app, ["push", "--store", str(store_dir), "--endpoint",
                                 "http://127.0.0.1:9/update", "--user", "someone"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --user needs the password in the LEGALKG_PASSWORD environment variable")


def test_credentials_in_the_url_are_refused_without_echo(store_dir: Path) -> None:
    with pytest.raises(InputError) as exc:
        push(store_dir, "http://dba:s3cret-pw@127.0.0.1:9/sparql-auth")
    assert "s3cret-pw" not in str(exc.value)


def test_unreachable_endpoint(store_dir: Path) -> None:
    with pytest.raises(StoreError, match="is the server running"):
        push(store_dir, "http://127.0.0.1:9/update", timeout=2)


def test_servers_listen_on_loopback_only(server: Server) -> None:
    assert server.query_url.startswith("http://127.0.0.1:")
    assert server.update_url.startswith("http://127.0.0.1:")


@pytest.mark.skipif(not os.environ.get("CI") and not Path("/usr/bin/virtuoso-t").exists(),
                    reason="Virtuoso is not installed; set CI=1 to make this a failure")
def test_built_sample_answers_equal_on_both_servers(built_sample: BuildSummary, tmp_path: Path) -> None:
    store = built_sample.store_path
    with oxigraph_server(tmp_path / "ox") as ox_server, virtuoso_server(tmp_path / "vt") as vt:
        for server in (ox_server, vt):
            push(store, server.update_url, user=server.user, password=server.password)
        for query in list_queries():
            local = run_query(query.name, params_of(query.name), store=store)
            for server in (ox_server, vt):
                remote = run_query(query.name, params_of(query.name), endpoint=server.query_url)
                assert remote == local, (query.name, server.name)
