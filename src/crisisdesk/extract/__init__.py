"""The extract stage: documents in, facts out.

``extract_document`` is pure and deterministic (it reads only the document and
the cached vocabularies), so it can be mapped over partitions with Dask or a
process pool; ``extract_documents`` streams.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from crisisdesk.extract.core import Draft, draft_document, extract_document
from crisisdesk.extract.filters import non_figure
from crisisdesk.extract.numbers import NumberMention, find_numbers
from crisisdesk.model import Document, Fact

__all__ = [
    "Draft",
    "NumberMention",
    "draft_document",
    "extract_document",
    "extract_documents",
    "find_numbers",
    "non_figure",
]


def extract_documents(docs: Iterable[Document]) -> Iterator[Fact]:
    """Facts of each document in turn, without holding more than one document."""
    for doc in docs:
        yield from extract_document(doc)
