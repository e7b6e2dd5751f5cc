"""Bytes to text: encodings we meet in the field, and refusing binary files."""

from __future__ import annotations

import codecs

import pytest

from crisisdesk.errors import IngestError
from crisisdesk.ingest.common import make_document
from crisisdesk.ingest.decode import decode_bytes, looks_binary

ARABIC = "أفاد متطوعون بنزوح 300 عائلة من القرى الجنوبية خلال الليل بعد قصف متواصل."
FRENCH = "Les équipes ont compté 14 blessés près de l'école détruite à l'aube."


def test_utf8_is_kept_verbatim_with_its_line_endings() -> None:
    text = "Line one: 5 killed.\r\nLine two: 7 injured.\n"
    assert decode_bytes(text.encode("utf-8")) == text


def test_utf8_bom_is_dropped() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + b"Eight trucks.") == "Eight trucks."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_wide_encodings_with_bom(encoding: str) -> None:
    # Python writes the BOM for the bare "utf-16"/"utf-32" codecs.
    assert decode_bytes(ARABIC.encode(encoding)) == ARABIC


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_not_called_binary(encoding: str) -> None:
    text = "Nine families returned to the village on Friday."
    assert decode_bytes(text.encode(encoding)) == text


def test_windows_1256_arabic() -> None:
    data = ARABIC.encode("cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the case we are testing: not UTF-8
    assert decode_bytes(data) == ARABIC


def test_latin1_french() -> None:
    assert decode_bytes(FRENCH.encode("latin-1")) == FRENCH


@pytest.mark.parametrize(
    "data",
    [
        bytes.fromhex("89504e470d0a1a0a0000000d4948445200000010"),  # a PNG header
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)),  # a zip entry
        b"plain start\x00\x01\x02\x03 then nulls",
        bytes(range(128, 256)) * 4,  # high bytes with no text in them
    ],
)
def test_binary_is_refused_with_a_clear_message(data: bytes) -> None:
    with pytest.raises(IngestError, match="binary file, not text") as info:
        decode_bytes(data, where="upload.txt")
    assert info.value.where == "upload.txt"


def test_broken_bom_says_what_is_wrong() -> None:
    with pytest.raises(IngestError, match="byte-order mark"):
        decode_bytes(codecs.BOM_UTF8 + b"\xff\xfe\xfa broken")


def test_looks_binary() -> None:
    assert looks_binary(b"\x00\x01abc")
    assert not looks_binary(b'{"text": "fine"}')
    assert not looks_binary("x".encode("utf-16"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ARABIC, "ar"),
        (FRENCH, "en"),  # Latin script: read as English
        ("Five killed. " + ARABIC, "ar"),  # mostly Arabic letters
        ("A long English sentence about 40 shelters and their residents. قصف", "en"),
        ("12345 --- 678", "und"),  # no letters: undetermined
    ],
)
def test_ingest_records_the_language_by_script(text: str, expected: str) -> None:
    """The document's language, when the source does not state it (crisisdesk.language)."""
    assert make_document(text, origin=None, fmt="text").language == expected
    stated = make_document(text, origin=None, fmt="text", language="fr")
    assert stated.language == "fr"  # the source's word wins


def test_document_language_is_detect_language_on_the_opening(dev_corpus) -> None:
    """The shortcut for Latin-only texts never changes the detector's answer."""
    import json

    from crisisdesk.ingest.common import LANGUAGE_SAMPLE, document_language
    from crisisdesk.language import detect_language

    texts = [ARABIC, FRENCH, "12345 --- 678", "Über 40 Häuser", "ÉÀ", "¿?", "x" * 30_000 + ARABIC]
    ar_dev = dev_corpus.parent / "ar-dev" / "docs.jsonl"
    for path in (dev_corpus / "docs.jsonl", ar_dev):
        if path.exists():
            texts += [json.loads(x)["text"] for x in path.read_text(encoding="utf-8").splitlines()]
    for text in texts:
        assert document_language(text) == detect_language(text[:LANGUAGE_SAMPLE])
