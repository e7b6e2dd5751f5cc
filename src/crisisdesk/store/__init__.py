"""Storage: SQLite by default, PostgreSQL for a team server, one schema for both."""

from crisisdesk.store.store import DEFAULT_URL, FactQuery, Store, normalise_url

__all__ = ["DEFAULT_URL", "FactQuery", "Store", "normalise_url"]
