"""Place names an analyst typed, resolved at once in their document's frame.

A correction from "Saraqib" to "Saraqib; Sarmin" must keep the figure on the
map: the new names are read against the gazetteer with the same document
context the pipeline used (``GeoContext.from_document``), and a name that does
not resolve says why, with the nearest known names.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from crisisdesk.errors import GazetteerError
from crisisdesk.geo.context import GeoContext
from crisisdesk.geo.gazetteer import Gazetteer, default_overlay_path
from crisisdesk.geo.nearest import nearest_names
from crisisdesk.model import Document, Precision, ResolvedPlace


def open_default() -> Gazetteer:
    """The bundled gazetteer with the user's overlay, as the pipeline opens it."""
    overlay = default_overlay_path()
    return Gazetteer.open(None, overlay=overlay if overlay.is_file() else None)


NEAR_KEPT = 4096  # names whose nearest names are kept


class PlaceResolver:
    """Opens the gazetteer on first use and serialises reads (one SQLite connection)."""

    def __init__(self, opener: Callable[[], Gazetteer] = open_default) -> None:
        self._opener = opener
        self._gaz: Gazetteer | None = None
        self._lock = threading.Lock()
        self.failed: str | None = None  # why the gazetteer could not be opened
        # nearest names by (name, country): a fuzzy pass over every gazetteer key costs
        # ~10 ms, and every read of a fact with an unplaced name asks it again
        self._near: dict[tuple[str, str | None], list[str]] = {}

    def _gazetteer(self) -> Gazetteer | None:
        if self._gaz is None and self.failed is None:
            try:
                self._gaz = self._opener()
            except GazetteerError as exc:
                self.failed = exc.message
        return self._gaz

    def resolve(self, doc: Document, names: Sequence[str]) -> list[ResolvedPlace] | None:
        """Each name as the gazetteer reads it in ``doc``'s frame; None without a gazetteer."""
        with self._lock:
            gaz = self._gazetteer()
            if gaz is None:
                return None
            context = GeoContext.from_document(doc, gaz, names)
            return [gaz.resolve(n, context=context) for n in names]

    def nearest(self, name: str, country: str | None = None) -> list[str]:
        """Known names closest to ``name`` (for a place that did not resolve); kept
        for the next read of the same name (the gazetteer does not change under us)."""
        asked = (name, country)
        with self._lock:
            found = self._near.get(asked)
            if found is None:
                gaz = self._gazetteer()
                found = nearest_names(gaz, name, country=country) if gaz is not None else []
                if len(self._near) >= NEAR_KEPT:
                    self._near.pop(next(iter(self._near)))  # the oldest out
                self._near[asked] = found
            return list(found)


def place_json(p: ResolvedPlace, nearest: list[str] | None = None) -> dict[str, Any]:
    """A place as the fact's ``places_resolved`` shows it: where it is, or why not."""
    data: dict[str, Any] = {
        "name": p.name,
        "place_id": p.place_id,
        "canonical": p.canonical,
        "country": p.country,
        "admin1": p.admin1,
        "admin1_code": p.admin1_code,
        "admin2": p.admin2,
        "admin2_code": p.admin2_code,
        "lat": p.lat,
        "lon": p.lon,
        "precision": str(p.precision),
    }
    if p.place_id is None or p.precision == Precision.UNRESOLVED:
        data["place_id"] = None
        data["why"] = (
            f"ambiguous: {len(p.candidates)} places have this name and the document does "
            "not say which"
            if p.candidates
            else "the gazetteer gave no place for this name as written in this document"
        )
        data["nearest"] = list(nearest or [])
    return data
