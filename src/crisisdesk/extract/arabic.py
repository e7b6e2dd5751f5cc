"""Arabic documents through the extraction pipeline: the language's reading step and
its document pass, returning the same ``Draft`` records the English steps return.

``core.draft_document`` picks the steps by the document's language
(crisisdesk.language); facts, quotes, spans and evidence are built from the drafts by
the same code for every language.
"""

from __future__ import annotations

from crisisdesk.extract.arabic_context import fill_context
from crisisdesk.extract.arabic_reading import ArabicText, read_arabic
from crisisdesk.extract.draft import Draft
from crisisdesk.model import Document

__all__ = ["draft_arabic"]


def draft_arabic(doc: Document) -> list[Draft]:
    """All drafts of an Arabic document, the dropped ones included."""
    at = ArabicText(doc.text)
    drafts = read_arabic(at)
    kept = [d for d in drafts if not d.dropped]
    fill_context(at, doc, kept)
    return drafts
