"""Near-duplicate reports: the same words typeset again are a repeat; the same
template with other figures, or another town, is a new report."""

from __future__ import annotations

from crisisdesk.ingest.dedupe import fingerprint, repeats, sketch

# written for this test; the figures are invented
REPORT = (
    "Displacement update for the western camps. The camp committee in Kafr Lusin said on "
    "12 March that 840 families had arrived during the past week, most of them from the "
    "villages east of the highway. The committee said another 190 families were sheltering "
    "in two schools, and that the water points had been doubled. Volunteers said 3 people "
    "died of the cold on the road north."
)


def test_the_same_words_with_other_line_breaks_and_a_running_header_repeat() -> None:
    rewrapped = REPORT.replace(". ", ".\n").replace(" the ", " the\n")
    hyphenated = rewrapped.replace("committee", "commit-\ntee")
    hyphenated = hyphenated.replace("villages", "vil\u2010\nlages")
    typeset = "Western camps update\n" + hyphenated + "\n1\nWestern camps update"
    assert fingerprint(rewrapped) == fingerprint(REPORT)
    assert repeats(sketch(REPORT), sketch(typeset)) > 0.95
    assert repeats(sketch(typeset), sketch(REPORT)) > 0.95


def test_new_figures_or_another_town_are_a_new_report() -> None:
    updated = REPORT.replace("840", "1,120").replace("190", "230")
    assert repeats(sketch(REPORT), sketch(updated)) == 0.0
    elsewhere = REPORT.replace("Kafr Lusin", "Qah").replace("western", "northern")
    elsewhere = elsewhere.replace("east of the highway", "along the border")
    assert repeats(sketch(REPORT), sketch(elsewhere)) == 0.0


def test_short_texts_are_never_called_repeats() -> None:
    assert sketch("Five families arrived.") == {}
    assert repeats(sketch("Five families arrived."), sketch(REPORT)) == 0.0


def test_the_answer_kept_for_the_last_text_never_answers_for_another() -> None:
    # a document is signed twice in a row (repeat check, then its row): the second
    # answer is the first, and any other text, even between the two, gets its own
    updated = REPORT.replace("840", "1,120")
    first = sketch(REPORT)
    assert sketch(REPORT) is first
    assert sketch(updated) != first
    assert fingerprint(updated) != fingerprint(REPORT)
    again = "".join(list(REPORT))  # equal words, another string object: read afresh
    assert again is not REPORT and sketch(again) == first
    assert fingerprint(again) == fingerprint(REPORT)
