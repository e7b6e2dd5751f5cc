"""Places: the offline gazetteer, name matching, regions, and resolving a fact's places.

``Gazetteer.open()`` opens the bundled GeoNames-derived file (plus a user
overlay); ``resolve_facts`` fills each fact's ``resolved`` places.
"""

from crisisdesk.geo.context import GeoContext
from crisisdesk.geo.gazetteer import Gazetteer, bundled_path, default_overlay_path
from crisisdesk.geo.importer import ImportSummary, import_gazetteer
from crisisdesk.geo.resolve import resolve_facts

__all__ = [
    "GeoContext",
    "Gazetteer",
    "ImportSummary",
    "bundled_path",
    "default_overlay_path",
    "import_gazetteer",
    "resolve_facts",
]
