"""The ontology parses, is consistent under OWL RL, documents every term and matches kg.vocab.

docs/ontology.md is generated from ontology/ and shapes/ by :func:`render_docs`; after
changing either, run ``UPDATE_DOCS=1 uv run pytest tests/test_ontology.py`` and commit the file.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import owlrl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kg.records import InstrumentType
from kg.validation import compact, ontology_graph, shapes_graph
from kg.vocab import ELI, IKIND, ITYPE, LKG

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "ontology.md"
NS = str(LKG._NS)
INSTITUTION_KINDS = [
    "ministry",
    "agency",
    "service",
    "committee",
    "commission",
    "council",
    "court",
    "fund",
    "foundation",
    "centre",
    "institute",
    "academy",
    "office",
    "inspectorate",
    "department",
    "post",
    "parliament",
    "government",
    "union",
    "organisation",
    "other",
]


@cache
def _onto() -> Graph:
    return ontology_graph()


def _lkg_terms(g: Graph) -> set[str]:
    return {
        str(s)[len(NS) :] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)
    }


def test_vocab_and_ontology_declare_the_same_terms() -> None:
    assert _lkg_terms(_onto()) == set(LKG.__annotations__)


def test_every_lkg_term_used_anywhere_is_declared() -> None:
    used = {
        str(t)[len(NS) :]
        for g in (_onto(), shapes_graph())
        for triple in g
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(NS)
    }
    assert used <= set(LKG.__annotations__)


def test_unknown_terms_fail() -> None:
    with pytest.raises(AttributeError):
        _ = LKG.establishdBy
    with pytest.raises(AttributeError):
        _ = ELI.date_documnet


def test_eli_terms_in_the_ontology_match_kg_vocab() -> None:
    eli = str(ELI._NS)
    declared = {
        str(s)[len(eli) :] for s in _onto().subjects(RDF.type, None) if str(s).startswith(eli)
    }
    assert declared == set(ELI.__annotations__)


@pytest.mark.parametrize("term", sorted(LKG.__annotations__))
def test_every_term_is_documented(term: str) -> None:
    g, node = _onto(), LKG[term]
    langs = {lit.language for lit in g.objects(node, RDFS.label) if isinstance(lit, Literal)}
    assert {"en", "ar"} <= langs, "needs rdfs:label @en and @ar"
    assert g.value(node, RDFS.comment) is not None, "needs rdfs:comment"
    assert g.value(node, SKOS.example) is not None, "needs skos:example"
    kinds = set(g.objects(node, RDF.type))
    if kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}:
        assert g.value(node, RDFS.domain) is not None, "needs rdfs:domain"
        assert g.value(node, RDFS.range) is not None, "needs rdfs:range"
    else:
        assert OWL.Class in kinds


def test_owl_rl_closure_has_no_contradiction() -> None:
    g = Graph()
    g += _onto()
    g.parse(ROOT / "tests" / "data" / "shapes" / "valid.ttl", format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert list(g.objects(None, ERRNS.error)) == []
    # and the alignment works: an establishment is a W3C ORG change event and a PROV activity
    event = URIRef("https://w3id.org/legalkg/id/event/establishment/e1")
    assert (event, RDF.type, URIRef("http://www.w3.org/ns/prov#Activity")) in g


def test_owl_rl_finds_a_contradiction_in_disjoint_classes() -> None:
    """The closure check above can fail: a node both instrument and institution is reported."""
    g = Graph()
    g += _onto()
    g.add((URIRef("https://w3id.org/legalkg/id/x"), RDF.type, LKG.LegalInstrument))
    g.add((URIRef("https://w3id.org/legalkg/id/x"), RDF.type, LKG.Institution))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert list(g.objects(None, ERRNS.error)) != []


def _concepts(scheme: URIRef) -> dict[str, URIRef]:
    g = _onto()
    return {str(g.value(c, SKOS.notation)): c for c in g.subjects(SKOS.inScheme, scheme)}


def test_instrument_types_are_the_record_enum() -> None:
    concepts = _concepts(ITYPE.scheme)
    assert set(concepts) == {t.value for t in InstrumentType}
    assert all(iri == ITYPE[code] for code, iri in concepts.items())


def test_institution_kinds_are_the_agreed_codes() -> None:
    concepts = _concepts(IKIND.scheme)
    assert set(concepts) == set(INSTITUTION_KINDS)
    assert all(iri == IKIND[code] for code, iri in concepts.items())


@pytest.mark.parametrize("scheme", [ITYPE.scheme, IKIND.scheme])
def test_concepts_have_arabic_and_english_labels_and_are_top_concepts(scheme: URIRef) -> None:
    g = _onto()
    for concept in _concepts(scheme).values():
        langs = {lit.language for lit in g.objects(concept, SKOS.prefLabel)}
        assert langs == {"ar", "en"}, concept
        assert (scheme, SKOS.hasTopConcept, concept) in g


def test_lexicon_codes_are_concepts() -> None:
    """Codes written by the extraction lexicons exist in the ontology's schemes."""
    from kg.resources import read_tsv

    types = {r.get("type", "") for r in read_tsv("instrument_types.tsv")} - {""}
    assert types and types <= set(_concepts(ITYPE.scheme))
    kinds = {
        r.get("kind", "")
        for name in ("institution_heads.tsv", "issuers.tsv", "posts.tsv")
        for r in read_tsv(name)
    } - {""}
    assert kinds and kinds <= set(_concepts(IKIND.scheme))


# --- docs/ontology.md ------------------------------------------------------------------------


def _text(g: Graph, node: object, prop: URIRef, lang: str | None = None) -> str:
    values = sorted(
        str(v)
        for v in g.objects(node, prop)
        if lang is None or (isinstance(v, Literal) and v.language == lang)
    )
    return values[0] if values else ""


def _class_expr(g: Graph, node: object) -> str:
    if isinstance(node, BNode):
        union = g.value(node, OWL.unionOf)
        if union is not None:
            return " or ".join(_class_expr(g, m) for m in Collection(g, union))
    return f"`{compact(node)}`"


def _term_section(g: Graph, node: URIRef) -> list[str]:
    name = compact(node)
    lines = [
        f"### {name}",
        "",
        f"{_text(g, node, RDFS.label, 'en')} — {_text(g, node, RDFS.label, 'ar')}",
        "",
        _text(g, node, RDFS.comment),
        "",
    ]
    facts = []
    supers = [_class_expr(g, s) for s in g.objects(node, RDFS.subClassOf)]
    supers += [_class_expr(g, s) for s in g.objects(node, RDFS.subPropertyOf)]
    if supers:
        facts.append("- specialises " + ", ".join(sorted(supers)))
    if g.value(node, RDFS.domain) is not None:
        facts.append(
            f"- domain {_class_expr(g, g.value(node, RDFS.domain))}; "
            f"range {_class_expr(g, g.value(node, RDFS.range))}"
        )
    if (node, RDF.type, OWL.FunctionalProperty) in g:
        facts.append("- at most one value per subject")
    if facts:
        lines += [*facts, ""]
    lines += ["```turtle", _text(g, node, SKOS.example), "```", ""]
    return lines


def render_docs() -> str:
    """Return docs/ontology.md generated from the ontology and the shapes."""
    g, shapes = _onto(), shapes_graph()
    terms = sorted(LKG[t] for t in LKG.__annotations__)
    classes = [t for t in terms if (t, RDF.type, OWL.Class) in g]
    objects = [t for t in terms if (t, RDF.type, OWL.ObjectProperty) in g]
    datas = [t for t in terms if (t, RDF.type, OWL.DatatypeProperty) in g]
    out = [
        "# legalkg ontology",
        "",
        (
            "<!-- generated by tests/test_ontology.py from ontology/*.ttl and shapes/*.ttl; "
            "regenerate with UPDATE_DOCS=1 uv run pytest tests/test_ontology.py -->"
        ),
        "",
        (
            "Namespace `lkg: <https://w3id.org/legalkg/ontology#>` (file `ontology/legalkg.ttl`, which "
            "also holds the two SKOS concept schemes). Data IRIs live under "
            "`https://w3id.org/legalkg/id/`; see `docs/graph-model.md` for the whole graph contract."
        ),
        "",
        (
            "Standards are reused rather than re-invented: instruments are ELI `eli:LegalResource`s "
            "(`eli:type_document`, `eli:date_document`, `eli:passed_by`, `eli:number`, `eli:title`, "
            "`eli:has_part`/`eli:is_part_of`, `eli:amends`, `eli:repeals`, `eli:based_on`), institutions "
            "are W3C ORG `org:FormalOrganization`s, posts `org:Post`s, institutional changes "
            "`org:ChangeEvent`s with `org:originalOrganization` / `org:resultingOrganization`; provenance "
            "uses PROV-O (`prov:Entity`, `prov:Activity`, `prov:wasDerivedFrom`, `prov:used`, "
            "`prov:wasGeneratedBy`) and DCTERMS. Shortcut properties (`lkg:establishedBy`, "
            "`lkg:establishedOn`, `lkg:abolishedBy`) repeat what the events say, for easy queries."
        ),
        "",
        (
            "The ontology passes an OWL RL closure (owlrl) without contradiction "
            "(`tests/test_ontology.py`); `kg.vocab.LKG` mirrors it term for term."
        ),
        "",
        "## Classes",
        "",
    ]
    for node in classes:
        out += _term_section(g, node)
    out += ["## Object properties", ""]
    for node in objects:
        out += _term_section(g, node)
    out += ["## Datatype properties", ""]
    for node in datas:
        out += _term_section(g, node)
    for scheme, title in ((ITYPE.scheme, "Instrument types"), (IKIND.scheme, "Institution kinds")):
        out += [
            f"## {title} (`{compact(scheme)}`)",
            "",
            (
                f"Concept IRIs are `{str(scheme).rsplit('/', 1)[0]}/CODE`; the code is the "
                "concept's `skos:notation`."
            ),
            "",
            "| code | English | Arabic |",
            "|---|---|---|",
        ]
        for code, concept in sorted(_concepts(scheme).items()):
            out.append(
                f"| `{code}` | {_text(g, concept, SKOS.prefLabel, 'en')} | "
                f"{_text(g, concept, SKOS.prefLabel, 'ar')} |"
            )
        out.append("")
    out += [
        "## Shapes (`shapes/*.ttl`)",
        "",
        (
            "`legalkg validate GRAPH` checks these; Violation = broken data (exit 1), "
            "Warning = suspicious data (exit 0)."
        ),
        "",
        "| shape | severity | rule |",
        "|---|---|---|",
    ]
    named = sorted(
        {
            s
            for t in (SH.NodeShape, SH.PropertyShape)
            for s in shapes.subjects(RDF.type, t)
            if isinstance(s, URIRef)
        }
    )
    for shape in named:
        severity = compact(shapes.value(shape, SH.severity) or SH.Violation).split(":")[1]
        message = _text(shapes, shape, SH.message) or " ".join(
            _text(shapes, q, SH.message) for q in shapes.objects(shape, SH.sparql)
        )
        if not message and shape.endswith("TypedDate"):
            message = _text(shapes, URIRef(str(shape) + "-query"), SH.message)
        cell = message.replace("|", r"\|")
        out.append(f"| `{compact(shape)}` | {severity} | {cell} |")
    out.append("")
    return "\n".join(out)


def test_docs_document_every_term_and_are_up_to_date() -> None:
    text = render_docs()
    if os.environ.get("UPDATE_DOCS"):
        DOCS.write_text(text, encoding="utf-8")
    for term in LKG.__annotations__:
        assert f"### lkg:{term}\n" in text
    assert DOCS.read_text(encoding="utf-8") == text, (
        "docs/ontology.md is stale; run UPDATE_DOCS=1 uv run pytest tests/test_ontology.py"
    )
