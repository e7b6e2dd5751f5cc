"""The highlighted document text: escaped everywhere, a mark at each span."""

from __future__ import annotations

from lxml import html as lxml_html

from crisisdesk.model import Category, Fact, FactStatus, FieldSpans, StoredFact, Unit
from crisisdesk.web.highlight import highlight, read_from


def _stored(fid: str, span: tuple[int, int], value: int, status=FactStatus.UNREVIEWED, **kw):
    fact = Fact(
        doc="d",
        quote="q",
        span=span,
        value=value,
        category=kw.pop("category", Category.KILLED),
        unit=kw.pop("unit", Unit.PEOPLE),
        **kw,
    )
    return StoredFact(id=fid, fact=fact, status=status)


def test_text_is_escaped_and_spans_are_marked():
    text = "<b>5</b> & 12 dead <script>x()</script>"
    start = text.index("12")
    html = str(highlight(text, [_stored("f1", (start, start + 2), 12)]))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "&amp;" in html
    assert 'data-fact-id="f1"' in html and ">12</a></mark>" in html
    assert "st-unreviewed" in html


def test_same_span_two_facts_and_overlaps():
    text = "Some 300 families fled."
    s = text.index("300")
    both = [
        _stored("a", (s, s + 3), 300, unit=Unit.FAMILIES),
        _stored(
            "b",
            (s, s + 3),
            300,
            status=FactStatus.VERIFIED,
            unit=Unit.FAMILIES,
            category=Category.DISPLACED,
        ),
        _stored("c", (s + 1, s + 5), 0),  # overlaps "300": left unmarked
        _stored("z", (90, 95), 1),  # outside the text: ignored
    ]
    html = str(highlight(text, both, selected="b"))
    assert html.count("<mark") == 1
    assert 'data-fact-ids="a b"' in html and "multi" in html and "selected" in html
    assert html.endswith(" families fled.</div>")


def test_attribute_values_cannot_break_out():
    text = "7 hurt"
    html = str(highlight(text, [_stored('x" onmouseover="alert(1)', (0, 1), 7)]))
    assert 'onmouseover="alert' not in html
    assert "&#34;" in html


def test_read_from_lists_the_words_of_each_field_in_text_order():
    text = "Between 3 and 9 May, shelling hit Kafr Nabl. The ministry said 14 people died there."
    period = (text.index("Between"), text.index(","))
    place = (text.index("Kafr"), text.index("."))
    source = (text.index("The ministry"), text.index(" said"))
    spans = FieldSpans(period=period, source=source, places=(place, (500, 510)))
    num = text.index("14")
    fact = _stored("f1", (num, num + 2), 14, field_spans=spans).fact
    got = read_from(text, fact)
    assert [(r.field, r.words) for r in got] == [
        ("period", "Between 3 and 9 May"),
        ("place", "Kafr Nabl"),
        ("source", "The ministry"),
    ]  # the span past the end of the text is skipped, not shown cut


def test_each_paragraph_takes_its_own_direction():
    """An Arabic paragraph and an English one, each a div with dir="auto"; every character
    of the text stays in the page, in order, so offsets over its text nodes still hold."""
    text = "قُتل 12 مدنياً في سرمين.\n\n  \nThe team counted 30 injured.\n"
    s12, s30 = text.index("12"), text.index("30")
    facts = [_stored("a", (s12, s12 + 2), 12), _stored("b", (s30, s30 + 2), 30)]
    html = str(highlight(text, facts))
    assert html.count('<div class="para" dir="auto" lang="ar">') == 1
    assert html.count('<div class="para" dir="auto" lang="en">') == 1
    root = lxml_html.fromstring(f"<article>{html}</article>")
    assert root.text_content() == text
    first, second = root.xpath("./div")
    assert "12" in first.text_content() and "\n\n  \n" in first.text_content()
    assert second.text_content().startswith("The team")


def test_a_mark_across_a_blank_line_keeps_its_paragraphs_together():
    text = "one 1\n\n2 two"
    html = str(highlight(text, [_stored("a", (4, 8), 12)]))
    assert html.count("<div") == 1 and "<mark" in html
