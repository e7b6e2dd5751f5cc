"""The pipeline's resolve stage for places: every name in a fact gets a ResolvedPlace."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from crisisdesk.geo.context import GeoContext
from crisisdesk.geo.gazetteer import Gazetteer
from crisisdesk.model import Document, Fact, Precision

log = logging.getLogger(__name__)


def resolve_facts(facts: Iterable[Fact], doc: Document, gaz: Gazetteer) -> list[Fact]:
    """Facts with ``resolved`` filled: one entry per name in ``places``, in order.

    A name the gazetteer cannot place is kept, as written, with precision
    ``unresolved``; nothing is dropped and nothing is forced.
    """
    context = GeoContext.from_document(doc, gaz)
    out = []
    for fact in facts:
        resolved = tuple(gaz.resolve(name, context=context) for name in fact.places)
        missing = [r.name for r in resolved if r.precision is Precision.UNRESOLVED]
        if missing:
            log.debug("doc %s: unresolved places %s", doc.id, missing)
        out.append(fact.with_(resolved=resolved))
    return out
