"""The extractor's regular expressions, compiled once and kept between runs as bytecode is.

Python's ``re`` parses and compiles a pattern in pure Python, and the extractor's
patterns are built from the vocabularies (tries of thousands of phrases): compiling
them is about two seconds at every start of ``extract-file``. ``compile_rx``
returns the same pattern object ``re.compile`` does (same pattern text, flags and
program), built from the program kept in a file beside this module's bytecode when
that pattern was compiled before, so a second run skips the parser.

The file is named after the interpreter and its regex engine (a program is only read
back by the engine that wrote it) and kept where ``crisisdesk.kept.kept_path`` says:
beside the bytecode, under ``PYTHONPYCACHEPREFIX`` when set, in the user's cache folder
under ``PYTHONDONTWRITEBYTECODE``. A missing,
unreadable or foreign file, or an interpreter without these internals, means plain
``re.compile``: the cache changes how fast a pattern is built, never what it matches.
``CRISISDESK_REGEX_CACHE=off`` turns it off.
"""

from __future__ import annotations

import array
import atexit
import re
import sys
from pathlib import Path

from crisisdesk.kept import kept_path, read_table, write_table

try:  # CPython's own compiler and engine; anything else compiles with re.compile
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _TAG: str | None = (
        f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{sys.maxunicode}"
    )
    if array.array("I").itemsize != _sre.CODESIZE:  # pragma: no cover - an odd platform
        _TAG = None
except (ImportError, AttributeError):  # pragma: no cover - another interpreter
    _TAG = None

# The engine's code is kept as the bytes of an array of code words, not a list of ints:
# ``marshal`` reads a list one int object at a time (the whole file, every pattern, about
# a thirtieth of a second at every start), bytes at once; each pattern used is unpacked
# when it is compiled.
Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]

_store: dict[tuple[str, int], Program] | None = None  # programs read from the file
_new: dict[tuple[str, int], Program] = {}  # compiled in this run, written at exit
_used: set[tuple[str, int]] = set()


def compile_rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from a kept program when there is one."""
    store = _programs()
    if store is None:
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    prog = store.get(key) or _new.get(key)
    if prog is not None:
        try:
            rx = _sre.compile(pattern, prog[0], _words(prog[1]), *prog[2:])
        except Exception:  # noqa: BLE001 - a damaged entry: compile afresh
            prog = None
        else:
            _used.add(key)
            return rx
    try:
        prog = _program(pattern, int(flags))
        rx = _sre.compile(pattern, prog[0], _words(prog[1]), *prog[2:])
    except Exception:  # noqa: BLE001 - internals not as expected: the public way
        return re.compile(pattern, flags)
    _new[key] = prog
    _used.add(key)
    return rx


def _program(pattern: str, flags: int) -> Program:
    """What ``re._compiler.compile`` hands the engine, as plain values ``marshal`` keeps."""
    tree = _parser.parse(pattern, flags)
    code = _compiler._code(tree, flags)
    groupindex = {str(k): int(v) for k, v in tree.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * tree.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (
        int(flags | tree.state.flags),
        array.array("I", code).tobytes(),
        tree.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def _words(code: bytes) -> list[int]:
    """The code words kept as bytes, as the list the engine takes."""
    words = array.array("I")
    words.frombytes(code)
    return words.tolist()


def cache_file() -> Path | None:
    """Where the programs are kept (None: not kept)."""
    if _TAG is None:
        return None
    return kept_path(f"regex2.{_TAG}.marshal", __file__)  # 2: code kept as bytes


def _programs() -> dict[tuple[str, int], Program] | None:
    global _store
    if _store is None:
        path = cache_file()
        if path is None:
            return None
        _store = read_table(path)
        atexit.register(_write, path)
    return _store


def _write(path: Path) -> None:
    """Keep this run's new programs with the older ones (``crisisdesk.kept.write_table``)."""
    if _store is not None:
        write_table(path, _store, _new, _used, slack=100)  # stale: older vocabularies'
