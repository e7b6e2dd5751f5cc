"""Sources: the evidence a source was read from, the publisher's voice, citations, and the
cost of looking back. Sentences of our own; the tricky-sentence cases are in
cases_sources.yaml."""

from __future__ import annotations

import sys

from crisisdesk.extract import extract_document
from crisisdesk.extract.sources import citations, document_context, organisations
from crisisdesk.model import Document
from crisisdesk.vocab import canonical_source, vocab_list


def _facts(text: str, publisher: str | None = None) -> dict[int | None, tuple[str | None, str]]:
    """value -> (source, the words the source was read from)."""
    doc = Document(id="t", text=text, publisher=publisher)
    out = {}
    for f in extract_document(doc):
        span = f.field_spans.source
        out[f.value] = (f.source, text[span[0] : span[1]] if span else "")
    return out


def test_carried_source_points_at_the_earlier_mention() -> None:
    text = "UNICEF published its figures on Monday. It said 48 children were killed."
    assert _facts(text)[48] == ("UNICEF", "UNICEF")


def test_anaphor_points_at_the_organisation_it_stands_for() -> None:
    text = (
        "The Palestinian Ministry of Health reported 210 deaths. "
        "The ministry added that 80 children were among them."
    )
    assert _facts(text)[80] == (
        "Palestinian Ministry of Health",
        "The Palestinian Ministry of Health",
    )


def test_first_person_publisher_speaks_for_its_figures_without_words() -> None:
    text = "Fighting reached the town on Monday. From the families counted, we have 300 children."
    facts = _facts(text, publisher="Kurdish Red Crescent (report posted on a partner site)")
    assert facts[300] == ("Kurdish Red Crescent", "")


def test_publisher_own_figures_are_nobody_s() -> None:
    text = "Some 12,000 people were displaced in Djugu territory last week."
    assert _facts(text, publisher="UN OCHA (via ReliefWeb)")[12000] == (None, "")


def test_we_inside_a_quotation_is_not_the_publisher() -> None:
    text = "“We have counted 40 dead,” a nurse said. Some 12,000 people fled Djugu."
    facts = _facts(text, publisher="The Daily Example")
    assert facts[12000] == (None, "")


def test_citation_and_definition() -> None:
    text = "Some 5,000 people fled Ariha (DRM). The Syrian Civil Defence (SCD) counted 9 dead."
    ctx = document_context(text, None)
    first = citations(text, 0, 35, ctx, [])
    assert [(c.name, text[c.start : c.end]) for c in first] == [("DRM", "DRM")]
    assert citations(text, 36, len(text), ctx, []) == []


def test_names_are_read_whole_by_pattern() -> None:
    text = "The Ministry of Migration and Displaced and the al-Qusayr Media Center spoke."
    names = [n for _, _, n in organisations(text, 0, len(text), document_context(text, None))]
    assert names == ["Ministry of Migration and Displaced", "al-Qusayr Media Center"]


def test_single_document_vocabulary_is_gone() -> None:
    assert canonical_source("Palestine Red Cresent Society") is None  # a publisher's typo
    assert canonical_source("Palestinian Red Crescent") == "Palestine Red Crescent Society"
    org_words = set(vocab_list("sources", "org_words"))
    assert not org_words & {"Sabah", "Baladi", "Reuters", "AFP", "Anadolu", "SANA"}


def _lines_run(text: str) -> tuple[int, list]:
    """Lines of Python executed extracting ``text`` (loop turns included): a count of work
    that does not depend on the machine's load, unlike a time."""
    count = 0

    def trace(*_: object) -> object:
        nonlocal count
        count += 1
        return trace

    extract_document(Document(id="warm", text=text[:200]))
    sys.settrace(trace)
    try:
        facts = extract_document(Document(id="long", text=text))
    finally:
        sys.settrace(None)
    return count, facts


def test_looking_back_is_bounded() -> None:
    """Each "It said" resolves against a bounded memory, and no reader walks every earlier
    sentence or figure for each figure: twice the report is twice the work, not four times."""
    para = "The Norwegian Refugee Council issued a report. It said 17 families fled Marib.\n"
    small, facts = _lines_run(para * 60)
    large, more = _lines_run(para * 120)
    assert len(facts) == 60 and len(more) == 120
    assert {f.source for f in more} == {"Norwegian Refugee Council"}
    assert large / small < 2.2, (small, large)


def test_many_tolls_cost_linear_work() -> None:
    """A long report of one toll after another: finding the parts of each toll and the
    country of "the army" look at the neighbouring sentences, not at every figure."""
    para = "Syrian army shelling killed 5 people in Ariha on Monday, the army said.\n"
    small, facts = _lines_run(para * 60)
    large, more = _lines_run(para * 120)
    assert len(facts) == 60 and len(more) == 120
    assert large / small < 2.2, (small, large)


def test_a_newsroom_we_credits_nobody() -> None:
    text = "We have learned that 12 people were killed in Marib on Sunday."
    assert _facts(text, publisher="Example Daily News")[12] == (None, "")


def test_a_region_in_parenthesis_is_no_citation() -> None:
    text = "Fighting displaced 4,000 people in the north-west (NW) of the country."
    assert _facts(text)[4000] == (None, "")


def test_we_at_an_organisation_points_at_its_name() -> None:
    text = "We at the White Helmets are exhausted. Since Monday, 41 people were killed in Ariha."
    assert _facts(text)[41] == ("Syrian Civil Defence", "the White Helmets")


def test_document_country_is_the_one_named_most() -> None:
    from crisisdesk.extract.country import document_demonym

    text = (
        "Fighting near the Syrian border went on. In Lebanon, Lebanese civilians fled;"
        " Lebanon's south emptied."
    )
    assert document_demonym(text) == "Lebanese"
    assert document_demonym("No country is named here.") is None


def test_national_names() -> None:
    from crisisdesk.extract.country import national_name

    assert (
        national_name("Minister of Public Health", lambda: "Lebanese")
        == "Lebanese Ministry of Public Health"
    )
    assert national_name("Ministry of Health", lambda: None) == "Ministry of Health"
    assert (
        national_name("Ministry of Water Resources", lambda: "Iraqi")
        == "Ministry of Water Resources"
    )


def test_ministry_source_points_at_the_title_or_acronym() -> None:
    text = "Strikes hit Libya again. Reports by the Minister of Health (MoH) indicate 31 deaths."
    source, words = _facts(text)[31]
    assert source == "Libyan Ministry of Health"
    assert words in ("Minister of Health", "MoH")


def test_office_source_points_at_the_office() -> None:
    text = (
        "Shelling killed 12 civilians in Martuni. It is reported in the study of the"
        " ombudsman of the region."
    )
    assert _facts(text)[12] == ("Ombudsman of Martuni", "ombudsman of the region")
