"""Hostile RDF and SPARQL: entity bombs, remote contexts, SERVICE calls and injected parameters.

Untrusted graph files go through ``legalkg validate``; nothing may expand without limit or
fetch a URL (a local HTTP server counts every request and must see none).  User queries may not
call ``SERVICE`` unless ``--allow-service``; parameter values are bound, never pasted.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from robust_support import assert_clean_failure, cli, time_limit, write_good

from kg.build import build
from kg.errors import QueryError
from kg.queries import bind_values, get_query, run_query
from kg.store import Store


class Counter(http.server.BaseHTTPRequestHandler):
    """Count requests; answer a JSON-LD context or an empty SPARQL result."""

    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = json.dumps({"@context": {"name": "http://schema.org/name"},
                           "head": {"vars": []}, "results": {"bindings": []}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request path."""
    hits: list[str] = []
    handler = type("Handler", (Counter,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    return build([write_good(base / "in")], base / "out", validate=False).store_path


def store_size(store_dir: Path) -> int:
    with Store.open(store_dir, create=False) as store:
        return store.count()


# --- entity bombs and remote documents in graph files -----------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="https://w3id.org/legalkg/id/x">
    <rdfs:label>&lol9;</rdfs:label>
  </rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("suffix", [".rdf", ".owl", ".xml"])
def test_billion_laughs_is_refused_quickly(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"bomb{suffix}"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    with time_limit(20, "validating a billion-laughs file"):
        result = cli("validate", str(path))
    assert_clean_failure(result, 2, "declares a DOCTYPE or ENTITY", "remove the declaration")


def test_external_entity_is_refused(tmp_path: Path, counting_server: tuple[str, list[str]]) -> None:
    base, hits = counting_server
    path = tmp_path / "xxe.rdf"
    path.write_text(BILLION_LAUGHS.replace(
        '<!ENTITY lol "lol">', f'<!ENTITY lol SYSTEM "{base}/secret">'), encoding="utf-8")
    with time_limit(20, "validating an external-entity file"):
        assert_clean_failure(cli("validate", str(path)), 2, "DOCTYPE or ENTITY")
    assert hits == []


def jsonld_with(context: object) -> str:
    return json.dumps({"@context": context, "@id": "https://w3id.org/legalkg/id/x",
                       "name": "وكالة"}, ensure_ascii=False)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda url: url + "/context.jsonld", id="context-url"),
        pytest.param(lambda url: [url + "/a.jsonld", {"x": "http://e/x"}], id="context-list"),
        pytest.param(lambda url: {"@import": url + "/b.jsonld"}, id="context-import"),
        pytest.param(lambda url: {"t": {"@id": "http://e/t", "@context": url + "/c.jsonld"}},
                     id="scoped-context"),
    ],
)
def test_jsonld_remote_context_is_never_fetched(
    tmp_path: Path, counting_server: tuple[str, list[str]], make: object
) -> None:
    base, hits = counting_server
    path = tmp_path / "graph.jsonld"
    path.write_text(jsonld_with(make(base)), encoding="utf-8")  # type: ignore[operator]
    with time_limit(30, "validating a JSON-LD file with a remote context"):
        result = cli("validate", str(path))
    assert_clean_failure(result, 2, "refers to a remote document", "never fetches",
                         "inline the context")
    assert hits == [], f"legalkg fetched {hits}"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param("bad.ttl", "@prefix x: <http://e/> .\nx:a x:b \"unterminated .\n",
                     "cannot parse", id="malformed-turtle"),
        pytest.param("bad.jsonld", '{"@id": "x", ', "cannot parse", id="malformed-jsonld"),
        pytest.param("bad.nt", "<http://e/a> <http://e/b> .\n", "cannot parse",
                     id="malformed-ntriples"),
        pytest.param("empty.ttl", "", "is empty", id="empty-graph"),
        pytest.param("graph.csv", "a,b\n", "cannot tell the RDF format", id="unknown-extension"),
        pytest.param("latin.ttl", None, "is not UTF-8", id="not-utf8"),
    ],
)
def test_malformed_graph_files(tmp_path: Path, name: str, text: str | None, message: str) -> None:
    path = tmp_path / name
    if text is None:
        path.write_bytes(b'<http://e/a> <http://e/b> "caf\xe9" .\n')
    else:
        path.write_text(text, encoding="utf-8")
    assert_clean_failure(cli("validate", str(path)), 2, message)


def test_validate_missing_file_and_directory(tmp_path: Path) -> None:
    assert_clean_failure(cli("validate", str(tmp_path / "none.ttl")), 2, "no such file")
    (tmp_path / "dir.ttl").mkdir()
    assert_clean_failure(cli("validate", str(tmp_path / "dir.ttl")), 2, "it is a folder")


# --- SERVICE ---------------------------------------------------------------------------------


def service_query(tmp_path: Path, base: str, keyword: str = "SERVICE") -> Path:
    path = tmp_path / "federated.rq"
    path.write_text(f"# title: Federated\n# params: none\nSELECT ?s WHERE {{\n"
                    f"  {keyword} <{base}/sparql> {{ ?s ?p ?o }}\n}}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("keyword", ["SERVICE", "service", "SeRvIcE SILENT"])
def test_user_query_may_not_call_service(
    tmp_path: Path, store_dir: Path, counting_server: tuple[str, list[str]], keyword: str
) -> None:
    base, hits = counting_server
    path = service_query(tmp_path, base, keyword)
    result = cli("query", str(path), "--store", str(store_dir))
    assert_clean_failure(result, 2, "uses SERVICE", "not allowed")
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(str(path), store=store_dir)
    assert hits == []


def test_service_in_strings_and_comments_is_not_a_call(tmp_path: Path, store_dir: Path) -> None:
    path = tmp_path / "innocent.rq"
    path.write_text('# title: Innocent\n# SERVICE in a comment\nSELECT ?s WHERE {\n'
                    '  ?s ?p "SERVICE <http://127.0.0.1:1/>" }\n', encoding="utf-8")
    assert run_query(str(path), store=store_dir) == []


def test_allow_service_lets_the_call_through(
    tmp_path: Path, store_dir: Path, counting_server: tuple[str, list[str]]
) -> None:
    base, hits = counting_server
    path = service_query(tmp_path, base)
    result = cli("query", str(path), "--store", str(store_dir), "--allow-service")
    assert hits, "with --allow-service the query reaches the endpoint"
    assert "Traceback" not in result.stdout + result.stderr


# --- bound parameters ------------------------------------------------------------------------

INJECTIONS = [
    'x" } ; DROP ALL ; SELECT * { "',
    "x' } ; DROP ALL ; SELECT * { '",
    '"""x""" } DROP ALL #',
    "x\" . ?s ?p ?o } UNION { ?s ?p ?o . FILTER(\"1\" = \"1",
    "> } ; CLEAR ALL ; SELECT * { <x",
    "\\\" } ; DELETE WHERE { ?s ?p ?o } ; #",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_parameter_injection_on_the_embedded_store(store_dir: Path, value: str) -> None:
    before = store_size(store_dir)
    assert before > 1000
    rows = run_query("institution_history", {"institution": value}, store=store_dir)
    assert rows == []
    result = cli("query", "institution_history", "-p", f"institution={value}",
                 "--store", str(store_dir), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert store_size(store_dir) == before


@pytest.mark.parametrize("value", INJECTIONS)
def test_parameter_injection_for_remote_endpoints_stays_one_literal(value: str) -> None:
    """The VALUES block sent to endpoints parses, and binds exactly the value given."""
    query = get_query("institution_history")
    bound = bind_values(query.sparql, {"institution": value})
    store = ox.Store()
    for i, name in enumerate(("a", "b")):
        store.add(ox.Quad(ox.NamedNode(f"http://e/{name}"), ox.NamedNode("http://e/p"),
                          ox.Literal(str(i))))
    store.query(bound)  # parses as one SELECT: no second operation was smuggled in
    probe = bind_values("SELECT ?institution WHERE { }", {"institution": value})
    values = [s["institution"].value for s in store.query(probe)]
    assert values == [value]
    assert len(store) == 2


def test_iri_parameter_cannot_break_out() -> None:
    from rdflib import URIRef

    with pytest.raises(QueryError, match="not a valid IRI"):
        bind_values("SELECT ?x WHERE { }", {"x": URIRef("http://e/> } ; DROP ALL ; <x")})


def test_update_cannot_run_as_a_query(tmp_path: Path, store_dir: Path) -> None:
    before = store_size(store_dir)
    path = tmp_path / "drop.rq"
    path.write_text("# title: Drop\nDROP ALL\n", encoding="utf-8")
    assert_clean_failure(cli("query", str(path), "--store", str(store_dir)), 2,
                         "SPARQL syntax error")
    assert store_size(store_dir) == before
