"""Counts as analysts type them: "1,200", "٤٦" (Arabic-Indic digits), "1.2k", "3 million".

The editor's value fields go through here (form and API alike), so a refusal
names the field ("value: ...") rather than the fact.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from crisisdesk.errors import ValidationError

# Arabic-Indic and Eastern Arabic-Indic digits, the Arabic thousands and decimal signs
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_SIGNS = {0x066C: ",", 0x066B: ".", 0x060C: ",", 0x00A0: " ", 0x202F: " ", 0x2009: " "}
_TABLE = str.maketrans({**_DIGITS, **_SIGNS})
_SCALES = {
    "": 1, "k": 1_000, "thousand": 1_000, "m": 1_000_000, "mn": 1_000_000,
    "million": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000, "billion": 1_000_000_000,
}  # fmt: skip
_COUNT = re.compile(r"^(\d[\d,' ]*(?:\.\d+)?|\.\d+)\s*([a-z]*)$")


def parse_count(raw: object, field: str = "value") -> int | None:
    """``raw`` as a whole count (None when blank); ValidationError naming ``field``."""
    if raw is None or isinstance(raw, bool):
        return None if raw is None else _refuse(field, raw)
    if isinstance(raw, int):
        return raw
    text = str(raw).translate(_TABLE).strip().lower()
    if not text:
        return None
    m = _COUNT.match(text)
    if not m or m.group(2) not in _SCALES:
        return _refuse(field, raw)
    try:
        number = Decimal(m.group(1).replace(",", "").replace("'", "").replace(" ", ""))
    except InvalidOperation:
        return _refuse(field, raw)
    value = number * _SCALES[m.group(2)]
    if value != value.to_integral_value():
        raise ValidationError(f"{raw!r} is not a whole number", where=field)
    return int(value)


def _refuse(field: str, raw: object) -> int:
    raise ValidationError(f"{raw!r} is not a number (digits, 1,200, ١٢٠٠ or 1.2k)", where=field)
