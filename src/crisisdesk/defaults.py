"""Defaults every front end shares, in a module that imports nothing: the command
line reads them before it loads the store (and SQLAlchemy) or anything else."""

from __future__ import annotations

# The store when none is given: a SQLite file in the current folder (DESIGN.md,
# "Every command takes --db URL").
DEFAULT_DB_URL = "sqlite:///crisisdesk.sqlite"
