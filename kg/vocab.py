"""RDF vocabularies: our own namespace (mirrors ``ontology/legalkg.ttl``) and ELI.

``_fail = True`` makes a typo such as ``LKG.establishdBy`` an error instead of a new IRI.
A test keeps :class:`LKG` and the ontology file equal both ways.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/legalkg/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
ITYPE = Namespace(BASE + "ontology/instrument-type/")
IKIND = Namespace(BASE + "ontology/institution-kind/")

# The prefixes every serialisation of ours uses (graph.ttl, exports, JSON-LD context).
PREFIXES = {
    "lkg": BASE + "ontology#",
    "id": BASE + "id/",
    "graph": BASE + "graph/",
    "itype": BASE + "ontology/instrument-type/",
    "ikind": BASE + "ontology/institution-kind/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
SHAPES = Namespace(BASE + "shapes#")  # SHACL shapes in shapes/*.ttl (lkgsh:)


class LKG(DefinedNamespace):
    """legalkg ontology terms."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Document: URIRef
    Paragraph: URIRef
    Mention: URIRef
    ExtractionRun: URIRef
    LegalInstrument: URIRef
    Article: URIRef
    Institution: URIRef
    Post: URIRef
    Establishment: URIRef
    Abolition: URIRef
    Replacement: URIRef
    Renaming: URIRef
    Merger: URIRef
    Reorganisation: URIRef
    TreatyAction: URIRef
    InstrumentTypeScheme: URIRef
    InstitutionKindScheme: URIRef

    # provenance
    document: URIRef  # Paragraph -> Document
    paragraphNumber: URIRef  # Paragraph -> xsd:string ("157"; "0" = before the first number)
    paragraphIndex: URIRef  # Paragraph -> xsd:integer (order in the document)
    inParagraph: URIRef  # Mention -> Paragraph
    startOffset: URIRef  # Mention/Paragraph -> xsd:integer, into the original text
    endOffset: URIRef
    snippet: URIRef  # Mention -> verbatim original text
    denotes: URIRef  # Mention -> the entity it names
    evidence: URIRef  # event / fact node -> Mention that states it
    fileName: URIRef
    sha256: URIRef
    symbol: URIRef  # UN document symbol when the text states it
    toolVersion: URIRef

    # instruments
    typeCode: URIRef  # LegalInstrument -> xsd:string code (decree, law, ...)
    periodStart: URIRef  # xsd:gYear
    periodEnd: URIRef
    approves: URIRef  # LegalInstrument -> LegalInstrument
    replaces: URIRef  # LegalInstrument|Institution -> same class
    articleNumber: URIRef  # Article -> xsd:string
    cites: URIRef  # Paragraph -> LegalInstrument|Article

    # institutions
    institutionKind: URIRef  # Institution -> skos:Concept
    establishedBy: URIRef  # Institution -> LegalInstrument (shortcut of an Establishment)
    establishedOn: URIRef  # Institution -> date typed by precision
    abolishedBy: URIRef
    subordinateTo: URIRef  # Institution -> Institution|Post
    renamedFrom: URIRef  # Institution -> Institution (its earlier name)
    mergedInto: URIRef
    planned: URIRef  # Establishment -> xsd:boolean (creation only envisaged)

    # events
    legalBasis: URIRef  # ChangeEvent|TreatyAction -> LegalInstrument
    date: URIRef  # event -> date typed by precision
    treaty: URIRef  # TreatyAction -> LegalInstrument
    actionKind: URIRef  # TreatyAction -> "ratification" | "accession" | "signature"

    # summary (graph/summary: derived at build time, see kg/summary.py)
    mentionCount: URIRef  # entity -> mentions denoting it; Document -> mentions in it
    documentCount: URIRef  # entity -> documents with a mention of it
    firstMention: URIRef  # entity -> its first mention (document id, paragraph, offset)
    lookupKey: URIRef  # node -> its IRI and each label as plain xsd:string
    paragraphCount: URIRef  # Document -> xsd:integer
    instrumentCount: URIRef  # Document -> distinct instruments its mentions denote
    institutionCount: URIRef  # Document -> distinct institutions its mentions denote


class ELI(DefinedNamespace):
    """The European Legislation Identifier ontology terms legalkg uses."""

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    type_document: URIRef
    date_document: URIRef
    passed_by: URIRef
    number: URIRef
    title: URIRef
    has_part: URIRef
    is_part_of: URIRef
    cites: URIRef
    amends: URIRef
    repeals: URIRef
    based_on: URIRef
