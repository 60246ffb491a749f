"""One conforming and one violating snippet per SHACL shape, asserting shape, path and severity.

Each snippet writes ``K`` where a case key goes; the runner gives every case its own key, so all
conforming snippets are validated together in one graph and all violating ones in another, and
a result belongs to a case when its focus IRI contains the case's key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.validation import Report, ValidationResult, load_graph_file, shapes_graph, validate
from kg.vocab import SHAPES

V, W = "Violation", "Warning"
HEADER = """
@base <https://w3id.org/legalkg/id/> .
@prefix lkg: <https://w3id.org/legalkg/ontology#> .
@prefix itype: <https://w3id.org/legalkg/ontology/instrument-type/> .
@prefix ikind: <https://w3id.org/legalkg/ontology/institution-kind/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
FIXTURES = Path(__file__).parent / "data" / "shapes"

DOC = "<doc/K.txt> a lkg:Document"
RUN = "<run/K> a lkg:ExtractionRun"
PAR = "<doc/K.txt/p/1> a lkg:Paragraph ; lkg:document <doc/K.txt>"
MEN = "<doc/K.txt/m/0-3-x> a lkg:Mention"
INS = "<instrument/decree/2011/K> a lkg:LegalInstrument"
INS2 = "<instrument/law/2012/K-b> a lkg:LegalInstrument"
ART = "<instrument/decree/2011/K/article/2> a lkg:Article"
INST = "<institution/K> a lkg:Institution"
INST2 = "<institution/K-b> a lkg:Institution"
POST = "<institution/K-p> a lkg:Post"
EST = "<event/establishment/K> a lkg:Establishment , org:ChangeEvent"
ABO = "<event/abolition/K> a lkg:Abolition , org:ChangeEvent"
REP = "<event/replacement/K> a lkg:Replacement , org:ChangeEvent"
TA = "<event/treaty/K> a lkg:TreatyAction"
CON = "<https://example.org/concept/K> a skos:Concept"
SCH = "<https://example.org/scheme/K> a skos:ConceptScheme"
DOC_DATED = f'{PAR} . {DOC} ; dcterms:date "2021-03-02"^^xsd:date .'


@dataclass(frozen=True)
class Case:
    shape: str  # local name in lkgsh:
    path: str  # expected sh:resultPath as rendered ("" for node-level results)
    severity: str
    good: str
    bad: str
    alone: bool = False  # validate on its own (the bad focus is a blank node)


def _rel(shape: str, prop: str, subject: str, ok_target: str, bad_target: str) -> Case:
    """A value-class case: the value of ``prop`` must be typed; the bad one has the wrong type."""
    return Case(
        shape,
        prop,
        V,
        f"{subject} ; {prop} {ok_target.split(' a ')[0]} . {ok_target} .",
        f"{subject} ; {prop} {bad_target.split(' a ')[0]} . {bad_target} .",
    )


CASES: tuple[Case, ...] = (
    # common
    Case(
        "TypedDate",
        "eli:date_document",
        V,
        f'{INS} ; eli:date_document "2011-12"^^xsd:gYearMonth .',
        f'{INS} ; eli:date_document "2011-13-01"^^xsd:date .',
    ),
    # documents and runs
    Case("DocumentShape", "", V, f"{DOC} .", "<https://example.org/K> a lkg:Document ."),
    Case("Document-fileName", "lkg:fileName", V, f'{DOC} ; lkg:fileName "K.txt" .', f"{DOC} ."),
    Case(
        "Document-sha256",
        "lkg:sha256",
        V,
        f'{DOC} ; lkg:sha256 "{"a" * 64}" .',
        f'{DOC} ; lkg:sha256 "ABC" .',
    ),
    Case(
        "Document-identifier",
        "dcterms:identifier",
        V,
        f'{DOC} ; dcterms:identifier "K.txt" .',
        f"{DOC} .",
    ),
    Case(
        "Document-title",
        "dcterms:title",
        V,
        f'{DOC} ; dcterms:title "تقرير"@ar .',
        f'{DOC} ; dcterms:title "rapport"@fr .',
    ),
    Case(
        "Document-date",
        "dcterms:date",
        V,
        f'{DOC} ; dcterms:date "2021-03-02"^^xsd:date .',
        f'{DOC} ; dcterms:date "2021-03-02"^^xsd:date , "2021"^^xsd:gYear .',
    ),
    Case(
        "Document-symbol",
        "lkg:symbol",
        V,
        f'{DOC} ; lkg:symbol "E/C.12/AZE/4" .',
        f'{DOC} ; lkg:symbol "" .',
    ),
    Case(
        "Document-wasGeneratedBy",
        "prov:wasGeneratedBy",
        V,
        f"{DOC} ; prov:wasGeneratedBy <run/K> . {RUN} .",
        f"{DOC} .",
    ),
    Case(
        "ExtractionRunShape", "", V, f"{RUN} .", "<https://example.org/run/K> a lkg:ExtractionRun ."
    ),
    Case(
        "ExtractionRun-toolVersion",
        "lkg:toolVersion",
        V,
        f'{RUN} ; lkg:toolVersion "0.1.0" .',
        f"{RUN} .",
    ),
    Case(
        "ExtractionRun-startedAtTime",
        "prov:startedAtTime",
        V,
        f'{RUN} ; prov:startedAtTime "2024-01-01T10:00:00"^^xsd:dateTime .',
        f'{RUN} ; prov:startedAtTime "2024-01-01"^^xsd:date .',
    ),
    # paragraphs
    Case("ParagraphShape", "", V, f"{PAR} .", "<doc/K.txt/para/1> a lkg:Paragraph ."),
    Case(
        "Paragraph-document",
        "lkg:document",
        V,
        f"{PAR} . {DOC} .",
        "<doc/K.txt/p/1> a lkg:Paragraph .",
    ),
    Case(
        "Paragraph-paragraphNumber",
        "lkg:paragraphNumber",
        V,
        f'{PAR} ; lkg:paragraphNumber "157" .',
        f'{PAR} ; lkg:paragraphNumber "157a" .',
    ),
    Case(
        "Paragraph-paragraphIndex",
        "lkg:paragraphIndex",
        V,
        f"{PAR} ; lkg:paragraphIndex 3 .",
        f"{PAR} ; lkg:paragraphIndex -1 .",
    ),
    Case(
        "Paragraph-startOffset",
        "lkg:startOffset",
        V,
        f"{PAR} ; lkg:startOffset 0 .",
        f'{PAR} ; lkg:startOffset "0" .',
    ),
    Case("Paragraph-endOffset", "lkg:endOffset", V, f"{PAR} ; lkg:endOffset 10 .", f"{PAR} ."),
    Case(
        "Paragraph-offsetOrder",
        "lkg:startOffset",
        V,
        f"{PAR} ; lkg:startOffset 5 ; lkg:endOffset 9 .",
        f"{PAR} ; lkg:startOffset 9 ; lkg:endOffset 5 .",
    ),
    _rel("Paragraph-cites", "lkg:cites", PAR, INS, INST),
    # mentions
    Case("MentionShape", "", V, f"{MEN} .", "<doc/K.txt/m/zero-3> a lkg:Mention ."),
    Case(
        "Mention-inParagraph",
        "lkg:inParagraph",
        V,
        f"{MEN} ; lkg:inParagraph <doc/K.txt/p/1> . {PAR} .",
        f"{MEN} ; lkg:inParagraph <doc/K.txt/p/1> .",
    ),
    Case(
        "Mention-startOffset",
        "lkg:startOffset",
        V,
        f"{MEN} ; lkg:startOffset 0 .",
        f"{MEN} ; lkg:startOffset -4 .",
    ),
    Case(
        "Mention-endOffset",
        "lkg:endOffset",
        V,
        f"{MEN} ; lkg:endOffset 3 .",
        f"{MEN} ; lkg:endOffset 3 , 4 .",
    ),
    Case(
        "Mention-offsetOrder",
        "lkg:startOffset",
        V,
        f"{MEN} ; lkg:startOffset 0 ; lkg:endOffset 3 .",
        f"{MEN} ; lkg:startOffset 4 ; lkg:endOffset 3 .",
    ),
    Case(
        "Mention-snippet",
        "lkg:snippet",
        V,
        f'{MEN} ; lkg:snippet "قرار" .',
        f'{MEN} ; lkg:snippet "قرار"@ar .',
    ),
    Case(
        "Mention-denotes",
        "lkg:denotes",
        V,
        f"{MEN} ; lkg:denotes <institution/K> .",
        f'{MEN} ; lkg:denotes "وزارة" .',
    ),
    Case(
        "Mention-snippetLength",
        "lkg:snippet",
        V,
        f'{MEN} ; lkg:startOffset 0 ; lkg:endOffset 4 ; lkg:snippet "قرار" .',
        f'{MEN} ; lkg:startOffset 0 ; lkg:endOffset 3 ; lkg:snippet "قرار" .',
    ),
    Case(
        "Mention-withinParagraph",
        "lkg:startOffset",
        W,
        f"{MEN} ; lkg:startOffset 10 ; lkg:endOffset 14 ; lkg:inParagraph <doc/K.txt/p/1> . "
        f"{PAR} ; lkg:startOffset 0 ; lkg:endOffset 100 .",
        f"{MEN} ; lkg:startOffset 10 ; lkg:endOffset 14 ; lkg:inParagraph <doc/K.txt/p/1> . "
        f"{PAR} ; lkg:startOffset 20 ; lkg:endOffset 100 .",
    ),
    # instruments
    Case(
        "LegalInstrumentShape",
        "",
        V,
        f"{INS} .",
        "<instrument/edict/2011/K> a lkg:LegalInstrument .",
    ),
    Case(
        "LegalInstrument-typeCode",
        "lkg:typeCode",
        V,
        f'{INS} ; lkg:typeCode "decree" .',
        f'{INS} ; lkg:typeCode "edict" .',
    ),
    Case(
        "LegalInstrument-type_document",
        "eli:type_document",
        V,
        f"{INS} ; eli:type_document itype:decree .",
        f"{INS} ; eli:type_document ikind:agency .",
    ),
    Case(
        "LegalInstrument-typeAgreement",
        "eli:type_document",
        V,
        f'{INS} ; lkg:typeCode "decree" ; eli:type_document itype:decree .',
        f'{INS} ; lkg:typeCode "decree" ; eli:type_document itype:law .',
    ),
    Case(
        "LegalInstrument-date_document",
        "eli:date_document",
        V,
        f'{INS} ; eli:date_document "2011"^^xsd:gYear .',
        f'{INS} ; eli:date_document "2011"^^xsd:gYear , "2012"^^xsd:gYear .',
    ),
    Case(
        "LegalInstrument-dateNotAfterSource",
        "eli:date_document",
        V,
        f'{INS} ; eli:date_document "2021-03"^^xsd:gYearMonth . '
        f"{MEN} ; lkg:denotes <instrument/decree/2011/K> ; lkg:inParagraph <doc/K.txt/p/1> . {DOC_DATED}",
        f'{INS} ; eli:date_document "2021-04-01"^^xsd:date . '
        f"{MEN} ; lkg:denotes <instrument/decree/2011/K> ; lkg:inParagraph <doc/K.txt/p/1> . {DOC_DATED}",
    ),
    _rel("LegalInstrument-passed_by", "eli:passed_by", INS, POST, DOC),
    Case(
        "LegalInstrument-number",
        "eli:number",
        V,
        f'{INS} ; eli:number "534" .',
        f'{INS} ; eli:number "534" , "535" .',
    ),
    Case(
        "LegalInstrument-title",
        "eli:title",
        V,
        f'{INS} ; eli:title "بشأن الشباب"@ar .',
        f'{INS} ; eli:title "on youth" .',
    ),
    Case(
        "LegalInstrument-label",
        "rdfs:label",
        V,
        f'{INS} ; rdfs:label "مرسوم"@ar .',
        f'{INS} ; rdfs:label "مرسوم"@ar , "المرسوم"@ar .',
    ),
    Case(
        "LegalInstrument-labelAr",
        "rdfs:label",
        V,
        f'{INS} ; rdfs:label "مرسوم"@ar .',
        f'{INS} ; rdfs:label "decree"@en .',
    ),
    Case(
        "LegalInstrument-altLabel",
        "skos:altLabel",
        V,
        f'{INS} ; skos:altLabel "م"@ar .',
        f'{INS} ; skos:altLabel "m" .',
    ),
    Case(
        "LegalInstrument-periodStart",
        "lkg:periodStart",
        V,
        f'{INS} ; lkg:periodStart "2020"^^xsd:gYear .',
        f'{INS} ; lkg:periodStart "2020" .',
    ),
    Case(
        "LegalInstrument-periodEnd",
        "lkg:periodEnd",
        V,
        f'{INS} ; lkg:periodEnd "2024"^^xsd:gYear .',
        f"{INS} ; lkg:periodEnd 2024 .",
    ),
    Case(
        "LegalInstrument-periodOrder",
        "lkg:periodStart",
        V,
        f'{INS} ; lkg:periodStart "2020"^^xsd:gYear ; lkg:periodEnd "2024"^^xsd:gYear .',
        f'{INS} ; lkg:periodStart "2024"^^xsd:gYear ; lkg:periodEnd "2020"^^xsd:gYear .',
    ),
    _rel("LegalInstrument-amends", "eli:amends", INS, INS2, INST),
    _rel("LegalInstrument-repeals", "eli:repeals", INS, INS2, INST),
    _rel("LegalInstrument-approves", "lkg:approves", INS, INS2, INST),
    _rel("LegalInstrument-replaces", "lkg:replaces", INS, INS2, INST),
    _rel("LegalInstrument-based_on", "eli:based_on", INS, INS2, INST),
    _rel("LegalInstrument-has_part", "eli:has_part", INS, ART, INST),
    Case(
        "LegalInstrument-mentioned",
        "^lkg:denotes",
        V,
        f"{INS} . {MEN} ; lkg:denotes <instrument/decree/2011/K> .",
        f"{INS} .",
    ),
    Case(
        "LegalInstrument-notSelf",
        "eli:repeals",
        V,
        f"{INS} ; eli:repeals <instrument/law/2012/K-b> . {INS2} .",
        f"{INS} ; eli:repeals <instrument/decree/2011/K> .",
    ),
    Case(
        "LegalInstrument-identifiable",
        "eli:date_document",
        W,
        f'{INS} ; eli:number "5" .',
        f"{INS} .",
    ),
    Case("ArticleShape", "", V, f"{ART} .", "<article/K/2> a lkg:Article ."),
    Case(
        "Article-is_part_of",
        "eli:is_part_of",
        V,
        f"{ART} ; eli:is_part_of <instrument/decree/2011/K> . {INS} .",
        f"{ART} .",
    ),
    Case(
        "Article-articleNumber",
        "lkg:articleNumber",
        V,
        f'{ART} ; lkg:articleNumber "2" .',
        f"{ART} ; lkg:articleNumber 2 .",
    ),
    Case(
        "Article-label",
        "rdfs:label",
        V,
        f'{ART} ; rdfs:label "المادة 2"@ar .',
        f'{ART} ; rdfs:label "Artikel 2"@de .',
    ),
    Case(
        "Article-mentioned",
        "^lkg:denotes",
        W,
        f"{ART} . {MEN} ; lkg:denotes <instrument/decree/2011/K/article/2> .",
        f"{ART} .",
    ),
    # institutions and posts
    Case("InstitutionShape", "", V, f"{INST} .", "<institution/K/unit> a lkg:Institution ."),
    Case("Institution-label", "rdfs:label", V, f'{INST} ; rdfs:label "وزارة"@ar .', f"{INST} ."),
    Case(
        "Institution-labelAr",
        "rdfs:label",
        V,
        f'{INST} ; rdfs:label "وزارة"@ar .',
        f'{INST} ; rdfs:label "Ministry"@en .',
    ),
    Case(
        "Institution-prefLabel",
        "skos:prefLabel",
        V,
        f'{INST} ; skos:prefLabel "وزارة"@ar .',
        f'{INST} ; skos:prefLabel "وزارة"@ar , "الوزارة"@ar .',
    ),
    Case(
        "Institution-altLabel",
        "skos:altLabel",
        V,
        f'{INST} ; skos:altLabel "و"@ar .',
        f'{INST} ; skos:altLabel "w" .',
    ),
    Case(
        "Institution-institutionKind",
        "lkg:institutionKind",
        V,
        f"{INST} ; lkg:institutionKind ikind:ministry .",
        f"{INST} ; lkg:institutionKind itype:law .",
    ),
    _rel("Institution-establishedBy", "lkg:establishedBy", INST, INS, INST2),
    Case(
        "Institution-establishedOn",
        "lkg:establishedOn",
        V,
        f'{INST} ; lkg:establishedOn "2011"^^xsd:gYear .',
        f'{INST} ; lkg:establishedOn "2011"^^xsd:gYear , "2012"^^xsd:gYear .',
    ),
    _rel("Institution-abolishedBy", "lkg:abolishedBy", INST, INS, INST2),
    _rel("Institution-subordinateTo", "lkg:subordinateTo", INST, POST, DOC),
    _rel("Institution-subOrganizationOf", "org:subOrganizationOf", INST, INST2, POST),
    _rel("Institution-renamedFrom", "lkg:renamedFrom", INST, INST2, POST),
    _rel("Institution-mergedInto", "lkg:mergedInto", INST, INST2, POST),
    _rel("Institution-replaces", "lkg:replaces", INST, INST2, INS),
    Case(
        "Institution-mentioned",
        "^lkg:denotes",
        V,
        f"{INST} . {MEN} ; lkg:denotes <institution/K> .",
        f"{INST} .",
    ),
    Case(
        "Institution-notOwnParent",
        "lkg:subordinateTo",
        V,
        f"{INST} ; lkg:subordinateTo <institution/K-b> . {INST2} .",
        f"{INST} ; lkg:subordinateTo <institution/K-b> . {INST2} ; lkg:subordinateTo <institution/K> .",
    ),
    Case(
        "Institution-origin",
        "lkg:establishedBy",
        W,
        f'{INST} ; lkg:establishedOn "2011"^^xsd:gYear .',
        f"{INST} .",
    ),
    Case("PostShape", "", V, f"{POST} .", "<person/K> a lkg:Post ."),
    Case("Post-label", "rdfs:label", V, f'{POST} ; rdfs:label "الرئيس"@ar .', f"{POST} ."),
    Case(
        "Post-labelAr",
        "rdfs:label",
        V,
        f'{POST} ; rdfs:label "الرئيس"@ar .',
        f'{POST} ; rdfs:label "President"@en .',
    ),
    Case(
        "Post-mentioned",
        "^lkg:denotes",
        W,
        f"{POST} . {MEN} ; lkg:denotes <institution/K-p> .",
        f"{POST} .",
    ),
    # change events
    Case(
        "ChangeEventShape",
        "",
        V,
        f"{EST} .",
        "[] a lkg:Establishment , org:ChangeEvent .",
        alone=True,
    ),
    _rel("ChangeEvent-legalBasis", "lkg:legalBasis", EST, INS, INST),
    Case(
        "ChangeEvent-date",
        "lkg:date",
        V,
        f'{EST} ; lkg:date "2011"^^xsd:gYear .',
        f'{EST} ; lkg:date "2011"^^xsd:gYear , "2011-12"^^xsd:gYearMonth .',
    ),
    Case(
        "ChangeEvent-planned",
        "lkg:planned",
        V,
        f"{EST} ; lkg:planned true .",
        f'{EST} ; lkg:planned "yes" .',
    ),
    _rel("ChangeEvent-evidence", "lkg:evidence", EST, MEN, INST),
    _rel("ChangeEvent-originalOrganization", "org:originalOrganization", ABO, INST2, POST),
    # a post may be created («أنشئ هذا المنصب»), a document may not
    _rel("ChangeEvent-resultingOrganization", "org:resultingOrganization", EST, POST, DOC),
    Case(
        "ChangeEvent-distinctOrganizations",
        "org:resultingOrganization",
        V,
        f"{REP} ; org:originalOrganization <institution/K> ; org:resultingOrganization <institution/K-b> .",
        f"{REP} ; org:originalOrganization <institution/K> ; org:resultingOrganization <institution/K> .",
    ),
    Case(
        "ChangeEvent-evidenced",
        "lkg:evidence",
        V,
        f"{EST} ; lkg:evidence <doc/K.txt/m/0-3-x> . {MEN} .",
        f"{EST} .",
    ),
    Case(
        "ChangeEvent-evidenceDenotes",
        "lkg:evidence",
        W,
        f"{EST} ; lkg:evidence <doc/K.txt/m/0-3-x> . {MEN} ; lkg:denotes <event/establishment/K> .",
        f"{EST} ; lkg:evidence <doc/K.txt/m/0-3-x> . {MEN} .",
    ),
    Case(
        "ChangeEvent-dateNotAfterSource",
        "lkg:date",
        W,
        f'{EST} ; lkg:date "2022"^^xsd:gYear ; lkg:planned true ; lkg:evidence <doc/K.txt/m/0-3-x> . '
        f"{MEN} ; lkg:inParagraph <doc/K.txt/p/1> . {DOC_DATED}",
        f'{EST} ; lkg:date "2022"^^xsd:gYear ; lkg:evidence <doc/K.txt/m/0-3-x> . '
        f"{MEN} ; lkg:inParagraph <doc/K.txt/p/1> . {DOC_DATED}",
    ),
    Case("EstablishmentShape", "", V, f"{EST} .", "<event/creation/K> a lkg:Establishment ."),
    Case(
        "Establishment-resultingOrganization",
        "org:resultingOrganization",
        V,
        f"{EST} ; org:resultingOrganization <institution/K> .",
        f"{EST} .",
    ),
    Case(
        "Establishment-basisOrDate",
        "lkg:legalBasis",
        W,
        f'{EST} ; lkg:date "2011"^^xsd:gYear .',
        f"{EST} .",
    ),
    Case(
        "Establishment-shortcut",
        "lkg:legalBasis",
        W,
        f"{EST} ; lkg:legalBasis <instrument/decree/2011/K> ; org:resultingOrganization <institution/K> . "
        f"{INST} ; lkg:establishedBy <instrument/decree/2011/K> .",
        f"{EST} ; lkg:legalBasis <instrument/decree/2011/K> ; org:resultingOrganization <institution/K> . "
        f"{INST} .",
    ),
    Case("AbolitionShape", "", V, f"{ABO} .", "<event/end/K> a lkg:Abolition ."),
    Case(
        "Abolition-originalOrganization",
        "org:originalOrganization",
        V,
        f"{ABO} ; org:originalOrganization <institution/K> .",
        f"{ABO} .",
    ),
    Case("ReplacementShape", "", V, f"{REP} .", "<event/swap/K> a lkg:Replacement ."),
    Case(
        "Replacement-originalOrganization",
        "org:originalOrganization",
        V,
        f"{REP} ; org:originalOrganization <institution/K> .",
        f"{REP} .",
    ),
    Case(
        "Replacement-resultingOrganization",
        "org:resultingOrganization",
        V,
        f"{REP} ; org:resultingOrganization <institution/K> .",
        f"{REP} ; org:resultingOrganization <institution/K> , <institution/K-b> .",
    ),
    Case(
        "RenamingShape",
        "",
        V,
        "<event/renaming/K> a lkg:Renaming .",
        "<event/rename/K> a lkg:Renaming .",
    ),
    Case(
        "Renaming-originalOrganization",
        "org:originalOrganization",
        V,
        "<event/renaming/K> a lkg:Renaming ; org:originalOrganization <institution/K> .",
        "<event/renaming/K> a lkg:Renaming ; org:originalOrganization <institution/K> , <institution/K-b> .",
    ),
    Case(
        "Renaming-resultingOrganization",
        "org:resultingOrganization",
        V,
        "<event/renaming/K> a lkg:Renaming ; org:resultingOrganization <institution/K> .",
        "<event/renaming/K> a lkg:Renaming .",
    ),
    Case(
        "MergerShape", "", V, "<event/merger/K> a lkg:Merger .", "<event/fusion/K> a lkg:Merger ."
    ),
    Case(
        "Merger-originalOrganization",
        "org:originalOrganization",
        V,
        "<event/merger/K> a lkg:Merger ; org:originalOrganization <institution/K> .",
        "<event/merger/K> a lkg:Merger .",
    ),
    Case(
        "Merger-resultingOrganization",
        "org:resultingOrganization",
        V,
        "<event/merger/K> a lkg:Merger ; org:resultingOrganization <institution/K> .",
        "<event/merger/K> a lkg:Merger .",
    ),
    Case(
        "ReorganisationShape",
        "",
        V,
        "<event/reorganisation/K> a lkg:Reorganisation .",
        "<event/reorganization/K> a lkg:Reorganisation .",
    ),
    Case(
        "Reorganisation-originalOrganization",
        "org:originalOrganization",
        V,
        "<event/reorganisation/K> a lkg:Reorganisation ; org:originalOrganization <institution/K> .",
        "<event/reorganisation/K> a lkg:Reorganisation .",
    ),
    # treaty actions
    Case("TreatyActionShape", "", V, f"{TA} .", "<event/ratification/K> a lkg:TreatyAction ."),
    Case(
        "TreatyAction-treaty",
        "lkg:treaty",
        V,
        f"{TA} ; lkg:treaty <instrument/decree/2011/K> . {INS} .",
        f"{TA} .",
    ),
    Case(
        "TreatyAction-actionKind",
        "lkg:actionKind",
        V,
        f'{TA} ; lkg:actionKind "accession" .',
        f'{TA} ; lkg:actionKind "ratified" .',
    ),
    _rel("TreatyAction-legalBasis", "lkg:legalBasis", TA, INS, INST),
    Case(
        "TreatyAction-date",
        "lkg:date",
        V,
        f'{TA} ; lkg:date "1992-08"^^xsd:gYearMonth .',
        f'{TA} ; lkg:date "1992-08"^^xsd:gYearMonth , "1992"^^xsd:gYear .',
    ),
    _rel("TreatyAction-evidence", "lkg:evidence", TA, MEN, INST),
    Case(
        "TreatyAction-treatyType",
        "lkg:treaty",
        W,
        f'{TA} ; lkg:treaty <instrument/decree/2011/K> . {INS} ; lkg:typeCode "treaty" .',
        f'{TA} ; lkg:treaty <instrument/decree/2011/K> . {INS} ; lkg:typeCode "law" .',
    ),
    Case(
        "TreatyAction-evidenced",
        "lkg:evidence",
        V,
        f"{TA} . {MEN} ; lkg:denotes <event/treaty/K> .",
        f"{TA} .",
    ),
    # concept schemes
    Case("ConceptShape", "", V, f"{CON} .", "[] a skos:Concept .", alone=True),
    Case(
        "Concept-notation",
        "skos:notation",
        V,
        f'{CON} ; skos:notation "decree" .',
        f'{CON} ; skos:notation "Decree" .',
    ),
    _rel("Concept-inScheme", "skos:inScheme", CON, SCH, INST),
    Case(
        "Concept-prefLabel",
        "skos:prefLabel",
        V,
        f'{CON} ; skos:prefLabel "مرسوم"@ar .',
        f'{CON} ; skos:prefLabel "مرسوم"@ar , "مراسيم"@ar .',
    ),
    Case(
        "Concept-prefLabelAr",
        "skos:prefLabel",
        V,
        f'{CON} ; skos:prefLabel "مرسوم"@ar .',
        f'{CON} ; skos:prefLabel "decree"@en .',
    ),
    Case(
        "Concept-prefLabelEn",
        "skos:prefLabel",
        V,
        f'{CON} ; skos:prefLabel "decree"@en .',
        f'{CON} ; skos:prefLabel "مرسوم"@ar .',
    ),
    Case("ConceptSchemeShape", "", V, f"{SCH} .", "[] a skos:ConceptScheme .", alone=True),
    Case(
        "ConceptScheme-prefLabel",
        "skos:prefLabel",
        V,
        f'{SCH} ; skos:prefLabel "types"@en .',
        f"{SCH} .",
    ),
    _rel(
        "ConceptScheme-hasTopConcept", "skos:hasTopConcept", SCH, CON.replace("/K>", "/K-c>"), INST
    ),
)


def _key(index: int) -> str:
    return f"case{index:03d}"


def _keyed(snippet: str, index: int) -> str:
    """Put the case key where the snippet writes ``K`` on its own (not in ``actionKind``)."""
    return re.sub(r"(?<![A-Za-z])K(?![a-z])", _key(index), snippet)


def _graph(snippets: list[str]) -> Graph:
    return Graph().parse(data=HEADER + "\n".join(snippets), format="turtle")


@cache
def _reports() -> tuple[Report, Report]:
    """Validate all merged conforming snippets, then all merged violating ones."""
    merged = [i for i, c in enumerate(CASES) if not c.alone]
    good = _graph([_keyed(CASES[i].good, i) for i in merged])
    bad = _graph([_keyed(CASES[i].bad, i) for i in merged])
    return validate(good), validate(bad)


def _own(report: Report, index: int, case: Case) -> list[ValidationResult]:
    """Results of ``case``'s shape on the case's own nodes."""
    key = _key(index)
    return [
        r
        for r in report.results
        if r.source_shape == f"lkgsh:{case.shape}" and (case.alone or key in r.focus)
    ]


def _ids() -> list[str]:
    return [c.shape for c in CASES]


@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=_ids())
def test_shape_accepts_conforming_and_reports_violating(index: int, case: Case) -> None:
    if case.alone:
        good = validate(_graph([_keyed(case.good, index)]))
        bad = validate(_graph([_keyed(case.bad, index)]))
    else:
        good, bad = _reports()
    assert _own(good, index, case) == [], "the conforming snippet was reported"
    found = _own(bad, index, case)
    assert found, f"lkgsh:{case.shape} did not report the violating snippet"
    assert {(r.path, r.severity) for r in found} == {(case.path, case.severity)}
    assert all(r.message and "\n" not in r.message for r in found)


def test_every_shape_has_a_case() -> None:
    shapes = shapes_graph()
    named = {
        str(s)[len(str(SHAPES)) :]
        for t in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, t)
        if str(s).startswith(str(SHAPES))
    }
    assert named == {c.shape for c in CASES}


def test_every_property_shape_is_targeted_and_explained() -> None:
    """A shape without a target never runs; one without a message reports pySHACL's jargon."""
    shapes = shapes_graph()
    for t in (SH.NodeShape, SH.PropertyShape):
        for s in shapes.subjects(RDF.type, t):
            if s == SHAPES.TypedDate:
                continue
            targets = [shapes.value(s, p) for p in (SH.targetClass, SH.target)]
            assert any(targets), f"{s} has no target"
            messages = set(shapes.objects(s, SH.message)) | {
                m for q in shapes.objects(s, SH.sparql) for m in shapes.objects(q, SH.message)
            }
            assert messages or t == SH.NodeShape and not shapes.value(s, SH.pattern), (
                f"{s} has no message"
            )


@pytest.mark.parametrize(
    ("triple", "ok"),
    [
        ('lkg:date "2011-12-19"^^xsd:date', True),
        ('lkg:date "2011-12"^^xsd:gYearMonth', True),
        ('lkg:date "2011"^^xsd:gYear', True),
        ('lkg:date "2011"', False),
        ('lkg:date "2011-12"^^xsd:gYear', False),
        ('lkg:date "19/12/2011"^^xsd:date', False),
        ('lkg:date "2011-12-19T00:00:00"^^xsd:dateTime', False),
        ("lkg:date <https://example.org/2011>", False),
        ('lkg:establishedOn "2011-02-30x"^^xsd:date', False),
        ('dcterms:date "2011-00"^^xsd:gYearMonth', False),
    ],
)
def test_dates_are_typed_by_precision(triple: str, ok: bool) -> None:
    report = validate(_graph([f"<event/establishment/x> a lkg:Establishment ; {triple} ."]))
    typed = [r for r in report.results if r.source_shape == "lkgsh:TypedDate"]
    assert (typed == []) is ok
    if not ok:
        assert typed[0].path == triple.split()[0]


def test_cycle_through_sub_organisation_is_reported_for_both_institutions() -> None:
    report = validate(
        _graph(
            [
                "<institution/a> a lkg:Institution ; org:subOrganizationOf <institution/b> .",
                "<institution/b> a lkg:Institution ; org:subOrganizationOf <institution/a> .",
                "<institution/c> a lkg:Institution ; lkg:subordinateTo <institution/c> .",
            ]
        )
    )
    cycles = {
        (r.focus.rsplit("/", 1)[-1], r.path)
        for r in report.results
        if r.source_shape == "lkgsh:Institution-notOwnParent"
    }
    assert cycles == {
        ("a", "org:subOrganizationOf"),
        ("b", "org:subOrganizationOf"),
        ("c", "lkg:subordinateTo"),
    }


def test_the_graph_model_example_conforms_without_any_result() -> None:
    report = validate(load_graph_file(FIXTURES / "valid.ttl"))
    assert report.results == ()
    assert report.conforms
