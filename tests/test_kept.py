"""Kept values: read back as made, a bad file is an empty table, nothing written when told not."""

from __future__ import annotations

import pytest

from crisisdesk import kept as kept_module
from crisisdesk import vocab
from crisisdesk.kept import Kept


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


def test_no_file_written_without_bytecode(table, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    t, path = table
    monkeypatch.setattr(kept_module.sys, "dont_write_bytecode", True)
    t.put("k", "v")
    t._write(path)
    assert not path.exists()


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
