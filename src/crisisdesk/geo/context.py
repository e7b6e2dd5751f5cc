"""What a document says about where it is: the countries and governorates it names.

A bare "Rafah" or "Aleppo" is read in the light of the document around it.
The context is built once per document and passed to every ``resolve`` call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crisisdesk.geo.normalise import key
from crisisdesk.geo.schema import FORM_KEY
from crisisdesk.model import Document

if TYPE_CHECKING:
    from crisisdesk.geo.gazetteer import Gazetteer

# Capitalised word runs (Latin) and Arabic word runs: the places a text may name.
_CANDIDATE = re.compile(r"(?:[A-Z][\w'’-]+)(?:\s+(?:al-|el-|ad-|as-|an-)?[A-Z][\w'’-]+){0,2}")
_ARABIC_WORD = re.compile(r"[\u0600-\u06ff]{3,}")
_MAX_PROBES = 2000


@dataclass(frozen=True, slots=True)
class GeoContext:
    """Countries (ISO alpha-2) and admin1 codes a document names, for disambiguation."""

    countries: frozenset[str] = frozenset()
    admin1_codes: frozenset[str] = frozenset()

    @classmethod
    def from_document(cls, doc: Document, gaz: Gazetteer) -> GeoContext:
        """Scan the document's capitalised names for countries and governorates."""
        countries: set[str] = set()
        admin1: set[str] = set()
        phrases: list[str] = []
        for m in _CANDIDATE.finditer(doc.text):
            words = m.group(0).split()
            for i in range(len(words)):
                for j in range(i + 1, min(len(words), i + 3) + 1):
                    phrases.append(" ".join(words[i:j]))
        phrases.extend(_ARABIC_WORD.findall(doc.text))
        seen: set[str] = set()
        for phrase in phrases[:_MAX_PROBES]:
            k = key(phrase)
            if not k or k in seen:
                continue
            seen.add(k)
            for place in gaz.lookup(FORM_KEY, k):
                if place.kind == "country":
                    countries.add(place.country)
                elif place.kind in ("adm1", "region") and place.admin1_code:
                    admin1.add(place.admin1_code)
                    countries.add(place.country)
        return cls(frozenset(countries), frozenset(admin1))
