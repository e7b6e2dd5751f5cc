"""The document pass for Arabic figures: places, periods, sources and is_total."""

from __future__ import annotations

from crisisdesk.extract.arabic_reading import ArabicText
from crisisdesk.extract.draft import Draft
from crisisdesk.model import Document


def fill_context(at: ArabicText, doc: Document, drafts: list[Draft]) -> None:
    """Fill each figure's places, period, source and is_total from the whole document."""
    return None
