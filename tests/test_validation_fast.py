"""The fast SHACL engine (shapes compiled to SPARQL on pyoxigraph) against pySHACL, the reference.

Equivalence is the contract: on every conforming and violating snippet of tests/test_shapes.py,
on hostile graphs and on the built sample, both engines give the same report, result for result
(severity, focus, path, source shape, value, message, label, document and paragraph).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from test_shapes import CASES, HEADER, _graph, _keyed
from typer.testing import CliRunner

from cli import app
from kg.build import BuildSummary
from kg.errors import InputError, ResourceError
from kg.shacl_sparql import compile_shapes
from kg.store import ntriples
from kg.validation import Report, _as_store, load_graph_file, shapes_graph, validate
from kg.vocab import ID, LKG, SHAPES

FIXTURES = Path(__file__).parent / "data" / "shapes"


def _same(data: Graph | Dataset) -> Report:
    """Validate with both engines, assert the reports are equal, return it."""
    reference = validate(data, engine="pyshacl")
    fast = validate(data, engine="fast")
    assert fast.conforms == reference.conforms
    assert _facts(fast) == _facts(reference)
    assert fast.text_lines() == reference.text_lines()
    assert fast == reference
    return fast


def _facts(report: Report) -> set[tuple[str, str, str, str, str]]:
    return {(r.severity, r.focus, r.path, r.source_shape, r.value) for r in report.results}


# --- compiling -------------------------------------------------------------------------------


def test_every_shape_compiles_to_queries_oxigraph_accepts() -> None:
    shapes = shapes_graph()
    checks = compile_shapes(shapes)
    targeted = {s for p in (SH_TARGET_CLASS, SH_TARGET) for s in shapes.subjects(p, None)}
    assert {c.shape for c in checks} == targeted
    assert len(targeted) == len(CASES)  # one case per shape in tests/test_shapes.py
    empty = ox.Store()
    for check in checks:
        assert list(empty.query(check.query)) == [], check.query


SH = "http://www.w3.org/ns/shacl#"
SH_TARGET_CLASS = URIRef(SH + "targetClass")
SH_TARGET = URIRef(SH + "target")

SHAPE_HEADER = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix lkgsh: <https://w3id.org/legalkg/shapes#> .
@prefix lkg: <https://w3id.org/legalkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.mark.parametrize(
    ("body", "component"),
    [
        ("sh:path rdfs:label ; sh:maxLength 3", "sh:maxLength"),
        ("sh:path rdfs:label ; sh:lessThanOrEquals lkg:endOffset", "sh:lessThanOrEquals"),
        ("sh:closed true", "sh:closed"),
        ("sh:path ( lkg:a lkg:b ) ; sh:minCount 1", "sh:path"),
        ("sh:path lkg:a ; sh:or ( [ sh:datatype xsd:string ] )", "sh:or/sh:datatype"),
        ("sh:path lkg:a ; sh:pattern \"^a\" ; sh:flags \"i\"", "sh:flags"),
        ("sh:path lkg:a ; sh:qualifiedValueShape [ sh:class lkg:B ] ; sh:qualifiedMaxCount 1",
         "sh:qualifiedMaxCount"),
    ],
)
def test_unsupported_shapes_fail_loudly_naming_shape_and_component(
    body: str, component: str
) -> None:
    shapes = Graph().parse(
        data=SHAPE_HEADER + f"lkgsh:X sh:targetClass lkg:A ; sh:message \"m\" ; {body} .",
        format="turtle",
    )
    with pytest.raises(ResourceError) as caught:
        compile_shapes(shapes)
    assert str(SHAPES.X) in str(caught.value)
    assert component in str(caught.value)


def test_a_shape_without_message_fails_loudly() -> None:
    shapes = Graph().parse(
        data=SHAPE_HEADER + "lkgsh:X sh:targetClass lkg:A ; sh:path lkg:a ; sh:minCount 1 .",
        format="turtle",
    )
    with pytest.raises(ResourceError, match="no sh:message"):
        compile_shapes(shapes)


# --- equivalence on the shape snippets -------------------------------------------------------


@pytest.mark.parametrize("which", ["good", "bad"])
@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=[c.shape for c in CASES])
def test_engines_agree_on_each_snippet(index: int, case: object, which: str) -> None:
    report = _same(_graph([_keyed(getattr(case, which), index)]))
    own = {r for r in report.results if r.source_shape == f"lkgsh:{case.shape}"}  # type: ignore[attr-defined]
    assert bool(own) is (which == "bad")


def test_engines_agree_on_all_snippets_together() -> None:
    merged = [i for i, c in enumerate(CASES) if not c.alone]
    assert _same(_graph([_keyed(CASES[i].good, i) for i in merged])).results
    assert not _same(_graph([_keyed(CASES[i].bad, i) for i in merged])).conforms


# --- equivalence on hostile graphs -----------------------------------------------------------

HOSTILE = {
    "ill-typed and odd literals": """
        <doc/D.txt> a lkg:Document ; lkg:fileName "" ; lkg:sha256 "ab\\n" ;
            dcterms:identifier "D"@ar ; lkg:symbol 7 ; dcterms:title "t"@ar-eg , "u"@ar ;
            prov:wasGeneratedBy <run/1> .
        <run/1> a lkg:ExtractionRun ; lkg:toolVersion 5 ;
            prov:startedAtTime "2020-13-01T00:00:00"^^xsd:dateTime , "2020-01-01"^^xsd:dateTime .
        <doc/D.txt/p/1> a lkg:Paragraph ; lkg:document <doc/D.txt> ;
            lkg:paragraphNumber "12\\n" ; lkg:paragraphIndex "1x"^^xsd:integer ;
            lkg:startOffset "7"^^xsd:integer ; lkg:endOffset "3a"^^xsd:integer ;
            lkg:cites <doc/D.txt> , "law" .
        <doc/D.txt/p/2> a lkg:Paragraph ; lkg:document "x" ; lkg:paragraphNumber 2 ;
            lkg:paragraphIndex -1 ; lkg:startOffset "" ; lkg:endOffset "5"@ar .
        <doc/D.txt/m/0-3-x> a lkg:Mention ; lkg:inParagraph <doc/D.txt/p/1> ;
            lkg:startOffset "abc"^^xsd:integer ; lkg:endOffset "-3"^^xsd:integer ;
            lkg:snippet "ab"@ar , "" ; lkg:denotes "lit" , [] .
        [] a lkg:Mention ; lkg:startOffset 0 ; lkg:endOffset "1"^^xsd:string ; lkg:snippet 5 .
        <doc/D.txt/m/1-2-y> a lkg:Mention ; lkg:inParagraph <doc/D.txt/p/2> ;
            lkg:startOffset 0 ; lkg:endOffset 2 ; lkg:snippet "x" .
    """,
    "instruments, events and institutions gone wrong": """
        <instrument/law/x/1> a lkg:LegalInstrument ; lkg:typeCode "law"@en , "decree" ;
            eli:type_document "law" ; eli:number "" , "2" ; eli:title "a"@ar , "b"@ar ;
            rdfs:label "ق"@ar-sy , "ف"@ar ; lkg:periodStart "2020"^^xsd:gYear ;
            lkg:periodEnd "20"^^xsd:gYear , "2019" ; eli:passed_by "gov" ;
            eli:date_document "2011-02-30"^^xsd:date .
        <event/establishment/e1> a lkg:Establishment ;
            org:resultingOrganization <institution/a> ; org:originalOrganization <institution/a> ;
            lkg:planned "maybe" , true ; lkg:date "2011" .
        <urn:x:Unit> rdfs:subClassOf lkg:Institution .
        <institution/a> a <urn:x:Unit> ; rdfs:label "أ"@ar , "ب"@ar ; skos:altLabel "z"@fr ;
            lkg:institutionKind <https://w3id.org/legalkg/ontology/institution-kind/ministry> ,
                "ministry" ;
            lkg:establishedOn "2011"^^xsd:gYear , "2012"^^xsd:gYear ; lkg:subordinateTo <institution/a> .
        <https://example.org/c> a skos:Concept ; skos:prefLabel "x"@en-gb ; skos:notation "A" .
        <event/treaty/t> a lkg:TreatyAction ; lkg:actionKind "ratification"@en ;
            lkg:treaty <institution/a> .
    """,
}
# literals Oxigraph would store in another form, or rdflib has rewritten: pySHACL decides
REWRITTEN = [
    '<doc/D.txt/m/0-1-x> a lkg:Mention ; lkg:startOffset "+7"^^xsd:integer .',
    '<doc/D.txt/m/0-1-x> a lkg:Mention ; lkg:startOffset "٣"^^xsd:integer .',
    '<doc/D.txt/m/0-1-x> a lkg:Mention ; lkg:endOffset "2"^^xsd:long .',
    '<doc/D.txt/m/0-1-x> a lkg:Mention ; lkg:endOffset 1.0 .',
    '<event/establishment/e> a lkg:Establishment ; lkg:planned "1"^^xsd:boolean .',
    '<event/establishment/e> a lkg:Establishment ; lkg:planned "yes"^^xsd:boolean .',
    '<event/establishment/e> a lkg:Establishment ; lkg:date "2011-12-19Z"^^xsd:date .',
]


def _ntriples(turtle: str) -> bytes:
    """The Turtle snippet as N-Triples with every lexical form as written (Oxigraph's parser)."""
    triples = ox.parse((HEADER + turtle).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_engines_agree_on_hostile_graphs(name: str) -> None:
    raw = _ntriples(HOSTILE[name])
    assert _as_store(raw) is not None  # the fast engine runs, no fallback
    reference = validate(Graph().parse(data=raw.decode("utf-8"), format="nt"), engine="pyshacl")
    fast = validate(raw)
    assert _facts(fast) == _facts(reference)
    assert fast == reference
    assert len(fast.results) > 20 and not fast.conforms


@pytest.mark.parametrize("snippet", REWRITTEN)
def test_rewritten_literals_go_to_the_reference_engine(snippet: str) -> None:
    raw = _ntriples(snippet)
    assert _as_store(raw) is None
    graph = Graph().parse(data=raw.decode("utf-8"), format="nt")
    assert validate(raw) == validate(graph) == validate(graph, engine="pyshacl")


def test_upper_case_language_tags_go_to_the_reference_engine() -> None:
    """Oxigraph lower-cases language tags, rdflib keeps them: the value would print otherwise."""
    iri = ID["institution/a"]
    raw = f'<{iri}> <{RDF.type}> <{LKG.Institution}> .\n<{iri}> <{LKG.snippet}> "x"@AR .\n'
    graph = Graph().parse(data=raw, format="nt")
    assert _as_store(raw.encode("utf-8")) is None
    assert _as_store(graph) is None
    assert validate(raw.encode("utf-8")) == validate(graph) == validate(graph, engine="pyshacl")


def _valid() -> Graph:
    return Graph().parse(FIXTURES / "valid.ttl", format="turtle")


def test_engines_agree_on_the_valid_fixture_and_its_breakages() -> None:
    assert _same(_valid()).results == ()
    broken = _valid()
    mention = ID["doc/D.txt/m/1080-1086-post"]
    broken.set((mention, LKG.snippet, Literal("الرئيس الأول")))
    broken.remove((mention, LKG.inParagraph, None))
    for s in list(broken.subjects(RDF.type, LKG.Article)):
        broken.remove((s, None, None))
    assert not _same(broken).conforms


def test_engines_agree_on_named_graphs() -> None:
    dataset = Dataset()
    valid = _valid()
    half = sorted(valid)
    for i, triple in enumerate(half):
        dataset.graph(ID[f"graph/{i % 3}"]).add(triple)
    assert _same(dataset).results == ()


def test_terms_oxigraph_rejects_go_to_the_reference_engine() -> None:
    g = Graph()
    bad = URIRef("https://w3id.org/legalkg/id/institution/a b")
    g.add((bad, RDF.type, LKG.Institution))
    g.add((bad, LKG.subordinateTo, bad))
    assert "lkgsh:InstitutionShape" in {r.source_shape for r in _same(g).results}


# --- the built sample and the ways in ---------------------------------------------------------


def test_engines_agree_on_the_built_sample(built_sample: BuildSummary) -> None:
    dataset = load_graph_file(built_sample.out_dir / "graph.ttl")
    report = _same(dataset)
    assert report.results  # the sample has warnings (thin establishments, unmentioned posts)


def test_graph_ntriples_and_store_give_the_same_report(built_sample: BuildSummary) -> None:
    graph = Graph()
    graph += load_graph_file(built_sample.out_dir / "graph.ttl")
    raw = ntriples(graph).encode("utf-8")
    store = ox.Store()
    store.load(raw, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(ID["graph/x"])))
    expected = validate(graph)
    assert validate(raw) == expected
    assert validate(store) == expected
    assert len(store) == len(graph)  # the caller's store is left alone
    assert validate(raw, engine="pyshacl") == expected


def test_the_build_validation_file_is_what_both_engines_say(built_sample: BuildSummary) -> None:
    lines = (built_sample.out_dir / "validation.txt").read_text(encoding="utf-8").splitlines()
    assert lines[-1].endswith("the graph conforms")
    assert len(lines) - 1 == built_sample.warnings + built_sample.violations


def test_unknown_engine_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown SHACL engine"):
        validate(_valid(), engine="fastest")


def test_malformed_ntriples_bytes_are_an_input_error() -> None:
    with pytest.raises(InputError, match="N-Triples"):
        validate(b"<urn:a> <urn:b> .\n")


runner = CliRunner()


def test_cli_engines_print_the_same_lines(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    path.write_text(HEADER + HOSTILE["instruments, events and institutions gone wrong"])
    fast = runner.invoke(app, ["validate", str(path)])
    reference = runner.invoke(app, ["validate", str(path), "--engine", "pyshacl"])
    assert fast.exit_code == reference.exit_code == 1
    assert fast.stdout == reference.stdout
    assert "lkgsh:" not in fast.stdout or "Violation" in fast.stdout


def test_cli_unknown_engine_exits_2() -> None:
    result = runner.invoke(app, ["validate", str(FIXTURES / "valid.ttl"), "--engine", "x"])
    assert result.exit_code == 2
    assert "unknown --engine 'x'" in result.stderr
