"""Spreadsheet cells that cannot run: formula-injection neutralisation for CSV exports.

A spreadsheet opening a CSV treats a cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula (OWASP, "CSV
Injection"). Text from documents may begin with any of them, so every text
cell of the CSV, HXL and ACLED exports that does is prefixed with a single
quote, which spreadsheets read as "this is text" and do not show. Numbers
(``-12.5``, ``+3``, ``1e5``) are left alone: they stay numbers.

The rule is reversible: a cell that already begins with quotes followed by a
trigger gets one more quote, and ``restore`` takes exactly one away, so an
export read back (``crisisdesk.ingest.tabular``) gives the same text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

# the OWASP list, and the full-width forms some spreadsheets also accept
TRIGGERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_NEUTRALISED = re.compile(f"'+[{re.escape(TRIGGERS)}]")


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet will show it as text, never run it."""
    if not cell or (cell[0] not in TRIGGERS and cell[0] != "'"):
        return cell  # most cells: nothing a spreadsheet runs, nothing to undo
    if _NUMBER.fullmatch(cell):
        return cell
    if cell[0] in TRIGGERS or _NEUTRALISED.match(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The text ``neutralise`` was given (reading our own exports back)."""
    if _NEUTRALISED.match(cell) and not _NUMBER.fullmatch(cell[1:]):
        return cell[1:]
    return cell


class SafeWriter:
    """A ``csv.writer`` whose every text cell goes through ``neutralise``."""

    def __init__(self, handle: IO[str]) -> None:
        self._writer = csv.writer(handle, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(c) if isinstance(c, str) else c for c in row])


def safe_writer(handle: IO[str]) -> SafeWriter:
    """What the CSV, HXL and ACLED writers write with."""
    return SafeWriter(handle)
