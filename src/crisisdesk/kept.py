"""Values derived from data files, kept between runs beside the bytecode, as Python keeps
bytecode.

At every start the extractor parses its vocabularies (YAML) and builds regex text from
their phrase lists; neither changes unless the files do. ``Kept`` is a table of such
values in one file of ``marshal`` data, read on first use and written back at exit when
this run added to it. Every key holds all that its value is made from (the file's text,
the phrase list), so a kept value is the value that would be made: the table changes how
fast a value is had, never what it is.

The file is named after the interpreter (``marshal`` data is read back by the Python
that wrote it) and kept where bytecode is: beside the module, or under
``PYTHONPYCACHEPREFIX`` when set. Where Python writes no bytecode
(``PYTHONDONTWRITEBYTECODE``, which many container images set) it goes to the user's
cache folder instead (``$CRISISDESK_CACHE_DIR``, else ``$XDG_CACHE_HOME/crisisdesk``, else
``~/.cache/crisisdesk``), never into the source tree: without it every command would
compile the extractor's patterns again, seconds at each start. Written atomically; a
missing, unreadable or foreign file is an empty table. ``CRISISDESK_REGEX_CACHE=off``
turns it off, with the kept regex programs of ``crisisdesk.extract.compiled``.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any


class Kept:
    """One table of kept values, in ``<name>.<interpreter>.marshal`` beside the bytecode of
    the module at ``beside`` (its ``__file__``)."""

    def __init__(self, name: str, beside: str) -> None:
        self.name = name
        self.beside = beside
        self._store: dict[Any, Any] | None = None  # read from the file on first use
        self._new: dict[Any, Any] = {}  # made in this run, written at exit
        self._used: set[Any] = set()

    def get(self, key: Any) -> Any | None:
        """The value kept under ``key`` (hashable, of marshal's types), None if there is none."""
        store = self._read()
        value = store.get(key)
        if value is None:
            return self._new.get(key)
        self._used.add(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        """Keep ``value`` (of marshal's types: anything else is not kept) as it is now: a
        copy, so that what a caller does to its value later is not written."""
        if self._read() is _OFF:
            return
        try:
            self._new[key] = marshal.loads(marshal.dumps(value))
        except ValueError:
            return

    def path(self) -> Path | None:
        """Where the table is kept (None: not kept)."""
        return kept_path(f"{self.name}.{sys.implementation.cache_tag}.marshal", self.beside)

    def _read(self) -> dict[Any, Any]:
        if self._store is None:
            path = self.path()
            if path is None:
                self._store = _OFF
                return _OFF
            self._store = read_table(path)
            atexit.register(self._write, path)
        return self._store

    def _write(self, path: Path) -> None:
        """Keep this run's new values with the older ones (see ``write_table``)."""
        if self._store is not None:
            write_table(path, self._store, self._new, self._used, slack=20)


def kept_path(file: str, beside: str) -> Path | None:
    """Where a kept file of the module at ``beside`` lives: as its bytecode would (in its
    ``__pycache__``, or under ``PYTHONPYCACHEPREFIX``), or in the user's cache folder when
    Python writes no bytecode; None when keeping is turned off."""
    if os.environ.get("CRISISDESK_REGEX_CACHE", "").lower() in ("off", "0"):
        return None
    here = Path(beside).resolve().parent
    if sys.pycache_prefix:
        # the layout Python uses for bytecode under a prefix: the source folder's path
        return Path(sys.pycache_prefix) / here.relative_to(here.anchor) / file
    if sys.dont_write_bytecode:
        # one folder per installed copy, so that two checkouts do not evict each other's
        copy = hashlib.sha256(str(here).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return user_cache_dir() / copy / file
    return here / "__pycache__" / file


def user_cache_dir() -> Path:
    """The user's cache folder for crisisdesk (the XDG base-directory convention)."""
    if explicit := os.environ.get("CRISISDESK_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crisisdesk"


def read_table(path: Path) -> dict[Any, Any]:
    """A kept table; a missing, unreadable or foreign file is an empty one."""
    try:
        data: Any = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def write_table(
    path: Path, old: dict[Any, Any], new: dict[Any, Any], used: set[Any], slack: int
) -> None:
    """Keep ``new`` with the ``old`` values (only those ``used`` once more than ``slack``
    unused ones have piled up), as Python writes bytecode: atomically, and not at all
    when nothing is new (``kept_path`` chose where, by whether bytecode is written)."""
    if not new:
        return
    kept = dict(old)
    if len(kept) > 2 * len(used) + slack:  # stale values of older files
        kept = {k: v for k, v in kept.items() if k in used}
    kept.update(new)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps(kept))
        os.replace(tmp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):  # (no folder to hold it: nothing to remove)
            tmp.unlink(missing_ok=True)


_OFF: dict[Any, Any] = {}  # the table when keeping is turned off: always empty
