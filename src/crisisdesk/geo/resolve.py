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

    All the document's places are read together: the names its facts are about, with
    its headline and text, make one context (its countries, provinces and the points its
    unambiguous places fix), so "Ariha" in a report about Saraqib is the Idlib town. Each
    distinct name is resolved once per document. A name the gazetteer cannot place is
    kept, as written, with precision ``unresolved``; nothing is dropped and nothing is
    forced.
    """
    facts = list(facts)
    names = list(dict.fromkeys(name for fact in facts for name in fact.places))
    context = GeoContext.from_document(doc, gaz, names)
    resolved = {name: gaz.resolve(name, context=context) for name in names}
    missing = [n for n, r in resolved.items() if r.precision is Precision.UNRESOLVED]
    if missing:
        log.debug("doc %s: unresolved places %s", doc.id, missing)
    return [fact.with_(resolved=tuple(resolved[n] for n in fact.places)) for fact in facts]
