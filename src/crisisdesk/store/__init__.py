"""Storage: SQLite by default, PostgreSQL for a team server, one schema for both.

The only package that speaks SQL: everyone else calls ``Store`` methods with
and for records.
"""

from crisisdesk.store.records import (
    FactRow,
    FactsState,
    FigureRow,
    FiguresRead,
    PlaceMatch,
    Question,
    StoredFigure,
)
from crisisdesk.store.store import (
    DEFAULT_URL,
    BulkResult,
    Excerpt,
    FactQuery,
    MadeMemo,
    SessionRecord,
    StaleVersion,
    Store,
    UndoStep,
    normalise_url,
)

__all__ = [
    "DEFAULT_URL",
    "BulkResult",
    "Excerpt",
    "FactQuery",
    "FactRow",
    "FactsState",
    "MadeMemo",
    "FigureRow",
    "FiguresRead",
    "PlaceMatch",
    "Question",
    "SessionRecord",
    "StaleVersion",
    "Store",
    "StoredFigure",
    "UndoStep",
    "normalise_url",
]
