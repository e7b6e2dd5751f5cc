"""Kept regex programs: the same pattern objects as re.compile, and a bad file is ignored."""

from __future__ import annotations

import marshal
import re

import pytest

from crisisdesk.extract import compiled


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path):  # noqa: ANN201
    """An empty program store read from a file in ``tmp_path``."""
    path = tmp_path / "regex.marshal"
    monkeypatch.setattr(compiled, "cache_file", lambda: path)
    monkeypatch.setattr(compiled, "_store", None)
    monkeypatch.setattr(compiled, "_new", {})
    monkeypatch.setattr(compiled, "_used", set())
    monkeypatch.setattr(compiled.atexit, "register", lambda *a: None)
    return path


PATTERNS = [
    (r"(?P<n>\d+)\s+(?:people|persons)\b", re.I),
    (r"(?<![\w-])(?:fled\s+to|arrived\s+in)\s+(?P<place>[A-Z]\w+)", 0),
    (r"(?<![^\W\d_])(?:منذ|خلال)\s+(\d+)", 0),
]


def test_same_pattern_as_re_compile(fresh) -> None:  # noqa: ANN001
    for text, flags in PATTERNS:
        got, want = compiled.compile_rx(text, flags), re.compile(text, flags)
        assert got == want
        assert (got.groups, got.groupindex, got.flags) == (want.groups, want.groupindex, want.flags)


def test_programs_read_back(fresh, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(compiled.sys, "dont_write_bytecode", False)
    for text, flags in PATTERNS:
        compiled.compile_rx(text, flags)
    compiled._write(fresh)
    monkeypatch.setattr(compiled, "_store", None)
    monkeypatch.setattr(compiled, "_new", {})
    for text, flags in PATTERNS:
        rx = compiled.compile_rx(text, flags)
        assert rx == re.compile(text, flags)
        assert rx.search("x 12 People fled") is not None or flags == 0
    assert compiled._new == {}  # every program came from the file


def test_no_file_written_when_nothing_is_new(fresh) -> None:  # noqa: ANN001
    compiled._write(fresh)
    assert not fresh.exists()
    compiled.compile_rx(r"\d+ killed")
    compiled._write(fresh)
    assert fresh.exists()


def test_kept_out_of_the_source_tree_without_bytecode(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # noqa: ANN001
    monkeypatch.setattr(compiled.sys, "dont_write_bytecode", True)
    monkeypatch.setattr(compiled.sys, "pycache_prefix", None)
    monkeypatch.setenv("CRISISDESK_CACHE_DIR", str(tmp_path))
    path = compiled.cache_file()
    assert path is None or path.is_relative_to(tmp_path)  # None: not CPython's engine


def test_damaged_file_is_ignored(fresh) -> None:  # noqa: ANN001
    fresh.write_bytes(b"not marshal data")
    assert compiled.compile_rx(r"\d+") == re.compile(r"\d+")
    fresh.write_bytes(marshal.dumps({(r"\d+", 0): (0, [1, 2, 3], 0, {}, ())}))
    compiled._store = None
    assert compiled.compile_rx(r"\d+") == re.compile(r"\d+")


def test_invalid_pattern_raises_as_re_does(fresh) -> None:  # noqa: ANN001
    with pytest.raises(re.error):
        compiled.compile_rx(r"(unclosed")
