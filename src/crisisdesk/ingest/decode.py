"""Bytes to text: byte-order marks, UTF-8, UTF-16, Arabic code pages, Latin-1.

Reports reach us as files saved by many tools. A BOM is believed first, then
strict UTF-8 (by far the commonest), then Arabic in its two 8-bit code pages
(Windows-1256, ISO-8859-6: told apart by how Arabic each reading looks, and
refused with a clear message when nothing tells them apart), then
charset-normalizer restricted to the encodings a Western or Arabic-speaking
office produces, and only then unrestricted. Anything that is none of these,
or holds NUL bytes that are not UTF-16 or UTF-32, is a binary file and is
refused rather than turned into mojibake that the extractor would read
numbers from.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from crisisdesk.errors import IngestError

log = logging.getLogger(__name__)

# Order matters for the BOM check: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Tried before an unrestricted guess: a short Arabic text is otherwise often
# taken for a CJK code page, and French for a Mac one.
_LIKELY_ENCODINGS = ["utf_8", "cp1252", "latin_1", "cp1256", "iso8859_6", "utf_16", "utf_32"]

_SNIFF = 8192  # bytes looked at for NULs and the UTF-16 pattern
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1c\x1d\x1e\x1f\x85")
_MAX_CONTROL_SHARE = 0.01  # more control characters than this and it is not a text


def _bom_encoding(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _too_many_controls(text: str) -> bool:
    sample = text[: _SNIFF * 4]
    if not sample:
        return False
    controls = sum(
        1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS
    )
    return controls > _MAX_CONTROL_SHARE * len(sample)


def _binary(where: str | None) -> IngestError:
    return IngestError("binary file, not text", where=where)


def decode_bytes(data: bytes, *, where: str | None = None) -> str:
    """Decode a file's bytes to text, or raise IngestError("binary file, not text").

    A leading BOM is dropped (it is an encoding mark, not text); everything
    else is returned exactly as decoded, line endings included.
    """
    found = _bom_encoding(data)
    if found:
        encoding, skip = found
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}",
                where=where,
            ) from exc
        if _too_many_controls(text):
            raise _binary(where)
        return text

    head = data[:_SNIFF]
    if b"\x00" in head:
        utf16 = _bomless_utf16(head)
        if utf16 is None:
            raise _binary(where)
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise _binary(where) from exc
        if _too_many_controls(text):
            raise _binary(where)
        return text

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _guess(data, where)
    if "\x00" in text or _too_many_controls(text):
        raise _binary(where)
    return text


# Arabic in an 8-bit code page: Windows-1256 (Windows, most files) or ISO-8859-6 (older Unix
# and mail). Both put the letters ء..ض on the same bytes and the rest elsewhere, so a file
# decodes in both; the wrong one shows Latin letters (ç, è, é...) or vowel marks where
# letters belong, and loses the article "ال" that starts a good share of Arabic words.
_ARABIC_PAGES = ("cp1256", "iso8859_6")
_ARABIC_LETTER = re.compile("[\u0621-\u063a\u0641-\u064a]")
_MARK = "\u064b-\u0652"  # tanwin, short vowels, shadda, sukun
# what an Arabic text in these pages holds beyond ASCII: letters, marks, Arabic and
# typographic punctuation (Windows-1256 has “ ” – — • … « »)
_ARABIC_OK = re.compile(
    f"[\u0621-\u063a\u0640-\u064a{_MARK}\u060c\u061b\u061f\u00a0«»\u2010-\u2027]"
)
_LETTER = "\u0621-\u063a\u0641-\u064a"
# a mark with no letter before it, or a tanwin of kasra/damma (word-final) inside a word
_STRAY_MARK = re.compile(f"(?<![{_LETTER}{_MARK}])[{_MARK}]|[\u064c\u064d](?=[{_LETTER}])")
_C1_CONTROL = re.compile("[\u0080-\u009f]")  # where ISO-8859-6 has no character
_ARTICLE = re.compile(f"(?<![{_LETTER}])[\u0648\u0628\u0641\u0644]?\u0627\u0644")
# the commonest Arabic letters (alef, lam, ya, mim, waw, nun, ha, ta marbuta, ra, ta, ba)
# and the rarest (tha, dhal, dad, zah, ghain, hamza forms on waw and ya, madda): a wrong
# page turns common letters into rarer ones, which settles a short text
_COMMON = re.compile("[\u0627\u0644\u064a\u0645\u0648\u0646\u0647\u0629\u0631\u062a\u0628]")
_RARE = re.compile("[\u062b\u0630\u0636\u0638\u063a\u0624\u0626\u0622]")


def _letter_score(text: str) -> int:
    return len(_COMMON.findall(text)) - 2 * len(_RARE.findall(text))


def _foreign(text: str) -> int:
    """Characters beyond ASCII that an Arabic text in these code pages does not hold."""
    return sum(1 for ch in text if ord(ch) > 0x7F and not _ARABIC_OK.match(ch))


def _arabic_score(text: str) -> int:
    """How much ``text`` reads as Arabic: articles at word starts, less every character an
    Arabic text in these code pages does not hold (Latin letters, controls, marks where no
    mark can be)."""
    foreign = _foreign(text)
    stray = len(_STRAY_MARK.findall(text)) + 2 * len(_C1_CONTROL.findall(text))
    return 2 * len(_ARTICLE.findall(text)) - foreign - stray


def _arabic_8bit(data: bytes, where: str | None) -> str | None:
    """Arabic text in Windows-1256 or ISO-8859-6, decoded; None when ``data`` is not Arabic
    in either. Raises IngestError when it is, but nothing tells which of the two it is."""
    decoded = []
    for page in _ARABIC_PAGES:
        try:
            text = data.decode(page)
        except UnicodeDecodeError:
            continue
        high = sum(1 for ch in text if ord(ch) > 0x7F)
        if _foreign(text) * 10 <= high:  # bytes that are not Arabic text in this page
            decoded.append(text)
    if not decoded:
        return None
    letters = sum(1 for ch in decoded[0] if ch.isalpha())
    arabic = len(_ARABIC_LETTER.findall(decoded[0]))
    if arabic * 2 <= letters:  # not mostly Arabic letters: a Latin text, left to the guesser
        return None
    if len(decoded) == 1 or decoded[0] == decoded[1]:
        return decoded[0]
    scores = [(_arabic_score(t), _letter_score(t)) for t in decoded]
    if scores[0] == scores[1]:
        raise IngestError(
            "Arabic text in an 8-bit encoding that cannot be told (Windows-1256 or "
            "ISO-8859-6?): save the file as UTF-8",
            where=where,
        )
    best = 0 if scores[0] > scores[1] else 1
    log.debug("%s: Arabic decoded as %s", where or "<bytes>", _ARABIC_PAGES[best])
    return decoded[best]


def _guess(data: bytes, where: str | None) -> str:
    """Not UTF-8: Arabic in one of its two 8-bit code pages, else charset-normalizer,
    likely encodings first."""
    arabic = _arabic_8bit(data, where)
    if arabic is not None:
        return arabic
    # imported here: it loads every CJK codec, a tenth of the start-up of ``extract-file``,
    # whose UTF-8 lines never need a guess
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=_LIKELY_ENCODINGS).best()
    if best is None:
        best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise _binary(where)
    log.debug("%s: decoded as %s", where or "<bytes>", best.encoding)
    return str(best)


def looks_binary(head: bytes) -> bool:
    """A quick check on a file's first bytes, for streamed formats read line by line."""
    if _bom_encoding(head):
        return False
    return b"\x00" in head[:_SNIFF]
