"""Formula-injection neutralisation: text cells never start a formula, numbers stay
numbers, and our reader gives back exactly the text the exporter was given."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crisisdesk.ingest.tabular import _unquoted
from crisisdesk.report.cells import TRIGGERS, neutralise, restore

cells = st.text(alphabet=st.sampled_from("=+-@'\t\r\uff1dab1.eE 5"), max_size=8) | st.text(
    max_size=12
)


@given(cells)
def test_reading_back_restores_the_text(cell: str) -> None:
    safe = neutralise(cell)
    assert restore(safe) == cell
    assert _unquoted(safe) == cell  # the ingest reader applies the same rule


@given(cells)
def test_no_text_cell_starts_a_formula(cell: str) -> None:
    safe = neutralise(cell)
    if safe and safe[0] in TRIGGERS:
        float(safe)  # only a number may start with + or -


def test_examples() -> None:
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\tcmd") == "'\tcmd"
    assert neutralise("-2+3") == "'-2+3"
    assert neutralise("-12.5") == "-12.5" and neutralise("+3") == "+3"
    assert neutralise("shelling") == "shelling" and neutralise("") == ""
