"""Is this report one already stored, typeset again? Fingerprints of the words.

The same report saved as text and as a PDF differs in line breaks, hyphenation,
spacing, page headers and numbers, so its bytes and its document id differ.
Two measures on the words alone (case, punctuation and layout removed):
``fingerprint`` is equal when the words are the same words; ``sketch`` is a
bottom-k sketch of the word 5-grams (the k smallest hashes, and how many there
are), from which ``containment`` estimates how much of the shorter text the
longer one holds: a running header or a page number the PDF adds leaves the
report contained whole (about 1.0), while the same template filled in for
another town or another day changes content words and falls well below.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import re
import struct
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

SHINGLE = 5  # words per shingle
K = 128  # hashes kept per signature
NEAR = 0.93  # share of the shorter text's 5-grams in the longer: from here, a repeat
MAX_NUMBERS = 2000  # distinct numbers kept per sketch
ANCHORS = 12  # smallest hashes indexed per document to find candidates by
MIN_WORDS = 40  # shorter texts are too short to call repeats on shared wording
# a word hyphenated across a line: ASCII hyphen, Unicode hyphen, soft hyphen
_HYPHEN_BREAK = re.compile(r"(\w)[-\u2010\u00ad]\s*\n\s*(\w)")
_WORD = re.compile(r"\w+")


def _last_text(fn: Callable[[str], T]) -> Callable[[str], T]:
    """``fn`` with the answer for the last text kept: storing a document asks for its
    words and its sketch twice each (is it a repeat, then its row), and a long document
    should be read once. Only the very same string object counts as seen, and only one
    answer is held, so nothing grows."""
    last: list[tuple[str, T] | None] = [None]  # one slot, read and replaced whole

    @functools.wraps(fn)
    def kept(text: str) -> T:
        seen = last[0]
        if seen is not None and seen[0] is text:
            return seen[1]
        answer = fn(text)
        last[0] = (text, answer)
        return answer

    return kept


@_last_text
def words(text: str) -> tuple[str, ...]:
    """The text's words, case-folded, with words hyphenated across a line joined."""
    text = unicodedata.normalize("NFKC", text)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    return tuple(_WORD.findall(text.casefold()))


def fingerprint(text: str) -> str:
    """The same for two texts with the same words in the same order."""
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def _hash(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")


@_last_text
def sketch(text: str) -> dict[str, Any]:
    """``{"n": 5-grams, "k": their K smallest hashes}`` (empty when too short)."""
    ws = words(text)
    if len(ws) < MIN_WORDS:
        return {}
    shingles = {" ".join(ws[i : i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1)}
    numbers = sorted({w for w in ws if w.isdigit()})  # "1,340" reads as 1 and 340: fine
    return {
        "n": len(shingles),
        "k": sorted(heapq.nsmallest(K, map(_hash, shingles))),
        "nums": numbers[:MAX_NUMBERS],
    }


# a sketch as stored (migration 0015): a format byte (1: numbers follow; 0: a sketch made
# before sketches had numbers), the count of 5-grams, how many hashes, the hashes as
# unsigned 64-bit little-endian, then the numbers as UTF-8 separated by spaces (a word
# holds none). About 1.1 KB against 2.7 KB of JSON, and no JSON for the server to parse.
_HEAD = struct.Struct("<BIH")


def packed(sk: dict[str, Any]) -> bytes:
    """``sk`` (a non-empty ``sketch``) as the store keeps it; ``unpacked`` reads it back."""
    k = sk["k"]
    nums = sk.get("nums")
    head = _HEAD.pack(0 if nums is None else 1, sk["n"], len(k))
    body = struct.pack(f"<{len(k)}Q", *k)
    return head + body + (" ".join(nums).encode() if nums else b"")


def unpacked(data: bytes) -> dict[str, Any]:
    """The sketch ``packed`` made (the same dict)."""
    fmt, n, count = _HEAD.unpack_from(data)
    end = _HEAD.size + 8 * count
    out: dict[str, Any] = {"n": n, "k": list(struct.unpack_from(f"<{count}Q", data, _HEAD.size))}
    if fmt:
        rest = bytes(data[end:])
        out["nums"] = rest.decode().split(" ") if rest else []
    return out


def containment(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Estimated share of the smaller text's 5-grams that the other holds, 0..1:
    resemblance J from the union's K smallest hashes, then |A∩B| = J(|A|+|B|)/(1+J)."""
    if not a or not b or not a.get("k") or not b.get("k"):
        return 0.0
    sa, sb = set(a["k"]), set(b["k"])
    union = sorted(sa | sb)[:K]  # the K smallest (a sort in C beats a heap in Python)
    j = len(sa.intersection(sb).intersection(union)) / len(union)
    shared = j * (a["n"] + b["n"]) / (1 + j)
    return min(1.0, shared / min(a["n"], b["n"]))


def anchors(sk: dict[str, Any]) -> list[str]:
    """The ``ANCHORS`` smallest hashes as hex, what candidates are looked up by: a
    repeat shares most of its 5-grams, so it shares some of these."""
    return [f"{h:016x}" for h in sk.get("k", [])[:ANCHORS]]


def repeats(a: dict[str, Any], b: dict[str, Any]) -> float:
    """How surely one text repeats the other (0 when not): their ``containment``,
    when every number of the shorter is in the longer. An update that changes its
    figures is a new report however much wording it keeps; a PDF's page numbers
    only add numbers to the longer."""
    short, long_ = (a, b) if a.get("n", 0) <= b.get("n", 0) else (b, a)
    if not set(short.get("nums", ())) <= set(long_.get("nums", ())):
        return 0.0  # the cheaper test first
    c = containment(a, b)
    return c if c >= NEAR else 0.0
