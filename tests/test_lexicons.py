"""lexicons/: every file parses, codes are valid, forms are unique, and examples do what they say."""

from __future__ import annotations

import pytest

from kg.lexicon import fold_form, table
from kg.normalize import normalize
from kg.records import InstrumentType, RelationKind
from kg.resources import lexicons_dir, read_tsv
from kg.vocab import IKIND

TSV = sorted(p.name for p in lexicons_dir().glob("*.tsv"))


@pytest.mark.parametrize("name", TSV)
def test_lexicon_parses_with_a_header(name: str) -> None:
    rows = read_tsv(name)
    assert rows, f"{name} has no rows"


# split_words.tsv lists letters by kind: a letter may appear under two kinds on purpose
@pytest.mark.parametrize(
    "name", [n for n in TSV if "form" in read_tsv(n)[0] and n != "split_words.tsv"]
)
def test_forms_are_unique_after_folding(name: str) -> None:
    forms = [fold_form(r["form"]) for r in read_tsv(name)]
    dupes = sorted({f for f in forms if forms.count(f) > 1})
    assert not dupes, f"{name}: duplicate forms {dupes}"


def test_codes_are_known() -> None:
    types = {t.value for t in InstrumentType}
    assert {r["type"] for r in read_tsv("instrument_types.tsv")} <= types
    assert {r["needs"] for r in read_tsv("instrument_types.tsv")} <= {"-", "attr", "name", "name+attr", "name+act"}
    codes = {r["code"] for r in read_tsv("issuers.tsv")}
    assert {r["issuer"] for r in read_tsv("instrument_types.tsv")} - {""} <= codes
    kinds = {k.value for k in RelationKind}
    assert {r["relation"] for r in read_tsv("triggers.tsv")} <= kinds
    assert {r["voice"] for r in read_tsv("triggers.tsv")} <= {
        "after", "before", "both", "active", "of", "former", "guarded",
    }
    assert {r["planned"] for r in read_tsv("triggers.tsv")} <= {"0", "1"}
    assert {r["role"] for r in read_tsv("amendments.tsv")} <= {"head", "verb", "relative"}
    assert {r["role"] for r in read_tsv("name_grammar.tsv")} <= {
        "continue", "stop", "state", "relational", "generic_before", "generic_after", "state_body",
        "purpose_object", "object_link", "link_after", "region", "plural_head", "link_quantifier", "fixed_phrase",
    }


def test_institution_kinds_are_ontology_concepts() -> None:
    from rdflib import Graph

    from kg.resources import ontology_dir

    g = Graph()
    for path in ontology_dir().glob("*.ttl"):
        g.parse(path)
    concepts = {str(s)[len(str(IKIND)) :] for s in g.subjects() if str(s).startswith(str(IKIND))}
    used = {r["kind"] for r in read_tsv("institution_heads.tsv")} | {
        r["kind"] for r in read_tsv("posts.tsv")
    }
    assert used <= concepts, used - concepts


def test_patterns_compile() -> None:
    from kg.rules import _attribute_patterns

    assert "date" in _attribute_patterns() and "title_about" in _attribute_patterns()


def _finds(nlp, text: str):
    return nlp(normalize(text).text).user_data["kg"]


INSTRUMENT_EXAMPLES = [r for r in read_tsv("instrument_types.tsv") if r["example"]]


@pytest.mark.parametrize(
    "row", INSTRUMENT_EXAMPLES, ids=[r["form"] for r in INSTRUMENT_EXAMPLES]
)
def test_instrument_type_example(nlp, row: dict[str, str]) -> None:
    found = _finds(nlp, row["example"])
    assert row["type"] in [i.type for i in found.instruments], [
        (i.type, i.label) for i in found.instruments
    ]


HEAD_EXAMPLES = [r for r in read_tsv("institution_heads.tsv") if r["example"]]


@pytest.mark.parametrize("row", HEAD_EXAMPLES, ids=[r["form"] for r in HEAD_EXAMPLES])
def test_institution_head_example(nlp, row: dict[str, str]) -> None:
    found = _finds(nlp, "وقالت " + row["example"] + " إن العمل مستمر.")
    head = fold_form(row["form"]).split()[0]
    assert any(head in fold_form(i.label) for i in found.institutions), [
        i.label for i in found.institutions
    ]


@pytest.mark.parametrize("row", read_tsv("ambiguous_heads.tsv"), ids=lambda r: r["form"])
def test_ambiguous_head_counter_example(nlp, row: dict[str, str]) -> None:
    found = _finds(nlp, "وتسعى الوزارة " + row["counter_example"] + " في المصانع.")
    assert not [i for i in found.institutions if fold_form(row["form"]) in fold_form(i.label)]
    found = _finds(nlp, "وتتولى " + row["example"] + " هذه المهمة.")
    assert found.institutions


def test_not_institutions_are_never_extracted(nlp) -> None:
    for form in table("not_institutions.tsv"):
        found = _finds(nlp, f"وتعاونت الحكومة مع {form} في هذا المجال.")
        assert not found.institutions, (form, [i.label for i in found.institutions])
