"""Arabic saved in an 8-bit code page: Windows-1256 and ISO-8859-6 files decode to the
same text as the UTF-8 one, or, when nothing tells the two pages apart, are refused with
a message that says what to do. Fixtures are ours (tests/fixtures/arabic/README.md); the
ar-dev corpus, re-encoded line by line, checks that no Arabic text is turned into mojibake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crisisdesk.errors import IngestError
from crisisdesk.ingest import read_file
from crisisdesk.ingest.decode import decode_bytes
from crisisdesk.model import Ingested

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "arabic"
AR_DEV = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "ar-dev" / "docs.jsonl"
REFERENCE = (FIXTURES / "hamidiya.utf8.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["hamidiya.cp1256.txt", "hamidiya.iso8859-6.txt"])
def test_8bit_arabic_file_decodes_to_the_utf8_text(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the case under test: not UTF-8
    assert decode_bytes(data) == REFERENCE
    # the two pages differ on these bytes: decoding in the other one gives other text
    other = "iso8859_6" if "cp1256" in name else "cp1256"
    assert data.decode(other, errors="replace") != REFERENCE


@pytest.mark.parametrize("name", ["hamidiya.cp1256.txt", "hamidiya.iso8859-6.txt"])
def test_8bit_arabic_file_ingests_as_the_utf8_document(name: str) -> None:
    want = next(iter(read_file(FIXTURES / "hamidiya.utf8.txt")))
    got = next(iter(read_file(FIXTURES / name)))
    assert isinstance(got, Ingested) and isinstance(want, Ingested)
    assert got.document.text == want.document.text
    assert got.document.id == want.document.id  # the same report, whatever its encoding
    assert got.document.title == "قصف على الحميدية" and got.document.language == "ar"


@pytest.mark.parametrize("text", ["نزحت 40 عائلة", "إصابة 9 أطفال", "قتل 4 مدنيين"])
def test_short_iso_8859_6_lines_are_not_taken_for_windows_1256(text: str) -> None:
    """A one-line note in ISO-8859-6 also decodes in Windows-1256, as other Arabic
    letters (نزحت عائلة -> وزحت ظائنة); the reading with the commoner letters wins."""
    assert decode_bytes(text.encode("iso8859_6")) == text


def test_undecidable_8bit_arabic_is_refused_clearly() -> None:
    path = FIXTURES / "short.cp1256.txt"
    (error,) = list(read_file(path))
    assert isinstance(error, IngestError)
    assert "Windows-1256 or ISO-8859-6" in error.message and "UTF-8" in error.message
    assert error.where == str(path)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Les équipes ont compté 14 blessés près de l'école détruite à l'aube.", "cp1252"),
        ("Die Häuser wurden zerstört; schätzungsweise 40 Tote, äußerst ernst.", "latin-1"),
        ("Five killed in Ariha – the civil defence said “at least”.", "cp1252"),
    ],
)
def test_latin_texts_are_not_taken_for_arabic(text: str, encoding: str) -> None:
    """Windows-1256 keeps French letters and puts Arabic ones where German has ä and ß:
    only a text that is mostly Arabic letters is read as Arabic."""
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.skipif(not AR_DEV.exists(), reason="../shared/corpus/ar-dev is not present")
@pytest.mark.parametrize("encoding", ["cp1256", "iso8859_6"])
def test_real_arabic_lines_are_never_mojibake(encoding: str) -> None:
    """Every line of the Arabic dev reports (25 characters and more) that the page can
    hold decodes back exactly; none is decoded in the wrong page."""
    lines = [
        line.strip()
        for row in AR_DEV.read_text(encoding="utf-8").splitlines()
        for line in json.loads(row)["text"].split("\n")
        if len(line.strip()) >= 25
    ]
    checked = 0
    for line in lines:
        try:
            data = line.encode(encoding)
        except UnicodeEncodeError:
            continue  # a character this page does not have (Persian letters, emoji...)
        assert decode_bytes(data) == line
        checked += 1
    assert checked >= 0.8 * len(lines)
