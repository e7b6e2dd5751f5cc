"""Giving freed memory back to the system between the steps of a full reconcile.

A reconcile frees most of what a step allocated before the next begins (the
items of a category, the write's SQLite page cache of 256 MiB), but glibc's
``malloc`` keeps freed memory in the heap, where it still counts in the
process's resident memory: the dashboard's headlines after the write then
added to what the write had left, and a million facts went over the 1 GiB
budget of issue 18. ``malloc_trim(0)`` returns the free pages of every arena.
Other C libraries (musl, macOS, Windows) have no such call, or give memory
back by themselves; there this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (looked up at
    each call: the C library is loaded already, and nothing is kept at module level)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def give_back() -> bool:
    """Return the heap's free pages to the system; whether any were returned (False
    where the C library cannot say or has no such call). Costs a walk of the heap:
    milliseconds, so call it between steps, not in loops."""
    trim = _malloc_trim()
    if trim is None:
        return False
    released = bool(trim(0))
    log.debug("malloc_trim: %s", "memory returned" if released else "nothing to return")
    return released
