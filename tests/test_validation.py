"""kg.validation: the report, locating results in the source text, safe graph loading, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from typer.testing import CliRunner

from cli import app
from kg.errors import InputError
from kg.validation import load_graph_file, validate
from kg.vocab import ID, LKG

FIXTURES = Path(__file__).parent / "data" / "shapes"
VALID = FIXTURES / "valid.ttl"
POST_MENTION = ID["doc/D.txt/m/1080-1086-post"]
DECREE = ID["instrument/decree/2011-12-19/a1b2"]


def _valid() -> Graph:
    return Graph().parse(VALID, format="turtle")


def _broken() -> Graph:
    """The valid fixture with a wrong snippet (violation) and an unidentifiable law (warning)."""
    g = _valid()
    g.set((POST_MENTION, LKG.snippet, Literal("الرئيس الأول")))
    law = ID["instrument/law/x/1"]
    g.parse(
        data=f"""
        @prefix lkg: <https://w3id.org/legalkg/ontology#> .
        @prefix eli: <http://data.europa.eu/eli/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <{law}> a lkg:LegalInstrument ; lkg:typeCode "law" ;
            eli:type_document <https://w3id.org/legalkg/ontology/instrument-type/law> ;
            rdfs:label "القانون"@ar .
        <{ID["doc/D.txt/m/1020-1023-instrument"]}> lkg:denotes <{law}> .
    """,
        format="turtle",
    )
    return g


# --- the report ------------------------------------------------------------------------------


def test_valid_graph_conforms_with_a_summary_line() -> None:
    report = validate(_valid())
    assert report.conforms
    assert report.counts == {"Violation": 0, "Warning": 0, "Info": 0}
    assert report.text_lines() == ["0 violations, 0 warnings, 0 info: the graph conforms"]
    assert report.to_json() == []


def test_results_say_what_where_and_in_which_paragraph() -> None:
    report = validate(_broken())
    assert not report.conforms
    assert report.counts == {"Violation": 1, "Warning": 1, "Info": 0}
    violation, warning = report.results
    assert violation.severity == "Violation"
    assert violation.focus == str(POST_MENTION)
    assert violation.path == "lkg:snippet"
    assert violation.source_shape == "lkgsh:Mention-snippetLength"
    assert violation.value == '"الرئيس الأول"'
    assert (violation.doc, violation.para) == ("D.txt", "157")
    assert warning.severity == "Warning"
    assert warning.focus_label == "القانون"  # the Arabic label, not the IRI
    assert warning.source_shape == "lkgsh:LegalInstrument-identifiable"
    assert report.text_lines()[0] == (
        f"Violation  {POST_MENTION}  lkg:snippet  The snippet's length differs from end offset "
        "minus start offset, so it cannot be the verbatim text at those offsets. "
        '(value: "الرئيس الأول")  [D.txt 157]'
    )
    assert report.text_lines()[-1] == "1 violation, 1 warning, 0 info: the graph does not conform"
    assert report.to_json()[0]["source_shape"] == "lkgsh:Mention-snippetLength"
    assert set(report.to_json()[0]) == {
        "severity",
        "focus",
        "focus_label",
        "path",
        "message",
        "source_shape",
        "value",
        "doc",
        "para",
    }


def test_warnings_alone_conform() -> None:
    g = _broken()
    g.set((POST_MENTION, LKG.snippet, Literal("الرئيس")))
    report = validate(g)
    assert report.conforms
    assert [r.severity for r in report.results] == ["Warning"]


def test_validation_is_deterministic_and_leaves_the_input_alone() -> None:
    g = _broken()
    before = len(g)
    first, second = validate(g), validate(g)
    assert first == second
    assert len(g) == before


def test_named_graphs_are_validated_together() -> None:
    """A mention in one document's graph vouches for an entity written in another graph."""
    ds = Dataset()
    valid = _valid()
    mentions = ds.graph(URIRef("https://w3id.org/legalkg/graph/D.txt"))
    entities = ds.graph(URIRef("https://w3id.org/legalkg/graph/entities"))
    for s, p, o in valid:
        (mentions if (s, None, None) in valid and "/doc/" in str(s) else entities).add((s, p, o))
    assert validate(ds).results == ()
    ds.remove_graph(mentions)
    assert "lkgsh:LegalInstrument-mentioned" in {r.source_shape for r in validate(ds).results}


# --- loading graph files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [
        (".ttl", "turtle"),
        (".nt", "nt"),
        (".nq", "nquads"),
        (".trig", "trig"),
        (".jsonld", "json-ld"),
        (".rdf", "xml"),
    ],
)
def test_every_format_loads_and_validates(tmp_path: Path, suffix: str, fmt: str) -> None:
    path = tmp_path / f"graph{suffix}"
    source: Graph | Dataset = _valid()
    if fmt in ("nquads", "trig"):
        ds = Dataset()
        g = ds.graph(URIRef("https://w3id.org/legalkg/graph/D.txt"))
        for t in _valid():
            g.add(t)
        source = ds
    path.write_text(source.serialize(format=fmt), encoding="utf-8")
    loaded = load_graph_file(path)
    assert isinstance(loaded, Dataset) == (fmt in ("nquads", "trig", "json-ld"))
    assert validate(loaded).results == ()


def _error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_graph_file(path)
    return str(info.value)


def test_malformed_turtle_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text(
        '@prefix lkg: <https://w3id.org/legalkg/ontology#> .\n\n<a> lkg:b "c" ;\n  lkg:d .\n'
    )
    message = _error(path)
    assert message.startswith(f"cannot parse {path}: line 4: ")
    assert message.endswith("; check the file is Turtle")


def test_malformed_ntriples_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "graph.nt"
    path.write_text('<http://a> <http://b> "c" .\n<http://a> <http://b> oops .\n')
    message = _error(path)
    assert message.startswith(f"cannot parse {path}: line 2: ")
    assert message.endswith("; check the file is N-Triples")


def test_malformed_jsonld_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "graph.jsonld"
    path.write_text('{\n  "@id": "http://a",\n  "http://b": [\n}\n')
    assert _error(path).startswith(f"cannot parse {path}: line 4: ")


@pytest.mark.parametrize(
    "document",
    [
        {"@context": "https://schema.org/", "@id": "http://a", "name": "x"},
        {"@context": ["https://example.org/ctx.jsonld"], "@id": "http://a"},
        {"@context": {"@import": "https://example.org/ctx.jsonld"}, "@id": "http://a"},
        {"@graph": [{"@context": "https://example.org/c", "@id": "http://a"}]},
        {
            "@context": {"p": {"@id": "http://p", "@context": "https://example.org/scoped"}},
            "@id": "http://a",
        },
    ],
    ids=["string", "list", "import", "nested", "scoped"],
)
def test_remote_jsonld_context_is_refused(tmp_path: Path, document: dict) -> None:
    path = tmp_path / "graph.jsonld"
    path.write_text(json.dumps(document))
    message = _error(path)
    assert message.startswith(f"refusing {path}: its @context refers to a remote document")
    assert message.endswith("inline the context in the file")


def test_inline_jsonld_context_loads(tmp_path: Path) -> None:
    path = tmp_path / "graph.jsonld"
    path.write_text(
        json.dumps({"@context": {"name": "http://schema.org/name"}, "@id": "http://a", "name": "x"})
    )
    assert len(load_graph_file(path)) == 1


def test_rdfxml_with_entities_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "graph.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="http://a"><rdf:value>&lol2;</rdf:value></rdf:Description>'
        "</rdf:RDF>\n"
    )
    assert _error(path).startswith(f"refusing {path}: it declares a DOCTYPE or ENTITY")


@pytest.mark.parametrize(
    ("name", "content", "start"),
    [
        ("missing.ttl", None, "cannot read {path}: no such file"),
        ("graph.csv", "a,b\n", "cannot tell the RDF format of {path}"),
        ("empty.ttl", "", "{path} is empty"),
        (
            "binary.ttl",
            b"\x89PNG\r\n\x1a\n\xff\xfe",
            "cannot parse {path}: byte 0 is not UTF-8 text",
        ),
        ("nothing.ttl", "# only a comment\n", "{path} holds no triples"),
    ],
)
def test_unusable_input_is_an_input_error(
    tmp_path: Path, name: str, content: str | bytes | None, start: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    assert _error(path).startswith(start.format(path=path))


def test_a_folder_is_an_input_error(tmp_path: Path) -> None:
    folder = tmp_path / "graph.ttl"
    folder.mkdir()
    assert _error(folder).startswith(f"cannot read {folder}: it is a folder")


# --- the command -----------------------------------------------------------------------------

runner = CliRunner()


def test_cli_valid_graph_exits_0() -> None:
    result = runner.invoke(app, ["validate", str(VALID)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "0 violations, 0 warnings, 0 info: the graph conforms\n"


def test_cli_violations_exit_1_with_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text(_broken().serialize(format="turtle"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"Violation  {POST_MENTION}  lkg:snippet  ")
    assert lines[0].endswith("[D.txt 157]")
    assert lines[1].startswith("Warning  القانون  eli:date_document  ")
    assert lines[2] == "1 violation, 1 warning, 0 info: the graph does not conform"


def test_cli_json_output(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text(_broken().serialize(format="turtle"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["conforms"] is False
    assert [r["source_shape"] for r in payload["results"]] == [
        "lkgsh:Mention-snippetLength",
        "lkgsh:LegalInstrument-identifiable",
    ]


def test_cli_unreadable_graph_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text("<a> <b> .\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot parse {path}: line 1: ")
    assert result.stdout == ""


def test_cli_unknown_format_exits_2() -> None:
    result = runner.invoke(app, ["validate", str(VALID), "--format", "xml"])
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown --format 'xml'; use text or json\n"


def test_cli_validate_has_help() -> None:
    result = runner.invoke(app, ["validate", "--help"])
    assert result.exit_code == 0
    assert "SHACL" in result.stdout


def test_terms_oxigraph_rejects_are_reported_not_raised() -> None:
    """An IRI with a space (rdflib parses it with a warning) still yields plain results."""
    g = Graph()
    bad = URIRef("https://w3id.org/legalkg/id/institution/a b")
    g.add((bad, RDF.type, LKG.Institution))
    g.add((bad, LKG.subordinateTo, bad))
    report = validate(g)
    assert "lkgsh:InstitutionShape" in {r.source_shape for r in report.results}
    assert not report.conforms
