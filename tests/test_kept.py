"""Kept values: read back as made, a bad file is an empty table, nothing written when told not."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisdesk import kept as kept_module
from crisisdesk import vocab
from crisisdesk.kept import Kept, kept_path


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch, tmp_path):  # noqa: ANN201
    """A table kept in ``tmp_path``, its exit hook not registered."""
    path = tmp_path / "t.marshal"
    monkeypatch.setattr(kept_module.atexit, "register", lambda *a: None)
    monkeypatch.setattr(kept_module.sys, "dont_write_bytecode", False)
    t = Kept("t", __file__)
    monkeypatch.setattr(t, "path", lambda: path)
    return t, path


def test_values_read_back(table) -> None:  # noqa: ANN001
    t, path = table
    value = {"a": [1, 2.5, "x"], "b": {"c": None, "d": True}}
    assert t.get(("yaml", "raw")) is None
    t.put(("yaml", "raw"), value)
    assert t.get(("yaml", "raw")) == value  # this run's own
    t._write(path)
    again = Kept("t", __file__)
    again.path = lambda: path  # type: ignore[method-assign]
    assert again.get(("yaml", "raw")) == value
    assert again.get(("yaml", "other")) is None


def test_unmarshallable_value_not_kept(table) -> None:  # noqa: ANN001
    t, _ = table
    t.put("k", object())
    assert t.get("k") is None


def test_damaged_file_is_an_empty_table(table) -> None:  # noqa: ANN001
    t, path = table
    path.write_bytes(b"not marshal data")
    assert t.get("k") is None


def test_kept_beside_the_bytecode_when_python_writes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept_module.sys, "dont_write_bytecode", False)
    monkeypatch.setattr(kept_module.sys, "pycache_prefix", None)
    path = Kept("t", kept_module.__file__).path()
    assert path is not None and path.parent.name == "__pycache__"
    assert path.parent.parent == Path(kept_module.__file__).resolve().parent


def test_kept_in_the_user_cache_without_bytecode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Under PYTHONDONTWRITEBYTECODE nothing goes into the source tree, but the table is
    still kept (in the user's cache folder), one folder per installed copy."""
    monkeypatch.setattr(kept_module.atexit, "register", lambda *a: None)
    monkeypatch.setattr(kept_module.sys, "dont_write_bytecode", True)
    monkeypatch.setattr(kept_module.sys, "pycache_prefix", None)
    monkeypatch.delenv("CRISISDESK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    t = Kept("t", kept_module.__file__)
    path = t.path()
    assert path is not None and path.is_relative_to(tmp_path / "xdg" / "crisisdesk")
    other = kept_path("t.marshal", str(tmp_path / "another" / "copy" / "kept.py"))
    assert other is not None and other.parent != path.parent
    t.put("k", "v")
    t._write(path)
    again = Kept("t", kept_module.__file__)
    assert again.get("k") == "v"
    source_tree = Path(kept_module.__file__).resolve().parent
    assert not any(p.name.startswith("t.") for p in source_tree.glob("__pycache__/*"))
    monkeypatch.setenv("CRISISDESK_CACHE_DIR", str(tmp_path / "mine"))
    assert t.path() is not None and t.path().is_relative_to(tmp_path / "mine")


def test_turned_off(table, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("CRISISDESK_REGEX_CACHE", "off")
    t = Kept("t", __file__)
    assert t.path() is None
    t.put("k", "v")
    assert t.get("k") is None


def test_phrase_pattern_kept_is_the_built_one() -> None:
    phrases = frozenset({"killed", "kill", "wounded", "the town of"})
    built = vocab._trie_pattern(phrases, r"\s+", True)
    assert vocab._phrase_pattern.__wrapped__(phrases, r"\s+", True) == built


def test_value_kept_as_put(table) -> None:  # noqa: ANN001
    t, _ = table
    value = {"a": [1, 2]}
    t.put("k", value)
    value["a"].append(3)  # a caller changing its own value later
    assert t.get("k") == {"a": [1, 2]}


def test_unwritable_cache_folder_loses_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A cache folder that cannot be made (a file stands where it should be) is no error:
    the run goes on, nothing is written, and the next run makes its values again."""
    monkeypatch.setattr(kept_module.atexit, "register", lambda *a: None)
    monkeypatch.setattr(kept_module.sys, "dont_write_bytecode", True)
    monkeypatch.setattr(kept_module.sys, "pycache_prefix", None)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file", encoding="utf-8")
    monkeypatch.setenv("CRISISDESK_CACHE_DIR", str(blocker))
    t = Kept("t", kept_module.__file__)
    path = t.path()
    assert path is not None and path.is_relative_to(blocker)
    t.put("k", "v")
    assert t.get("k") == "v"  # this run's own value still serves
    t._write(path)
    assert blocker.read_text(encoding="utf-8") == "a file"
    assert Kept("t", kept_module.__file__).get("k") is None
