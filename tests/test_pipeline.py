"""Building a pipeline from registered components, and running it into a store."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from crisisdesk.errors import ConfigError, IngestError
from crisisdesk.model import Category, Document, Fact, Ingested, Unit
from crisisdesk.pipeline import Pipeline, Work
from crisisdesk.registry import Component, Registry
from crisisdesk.store import Store


def _digits_step(_options: dict[str, Any]) -> Callable[[Work], Work]:
    """A tiny real extractor: every run of digits followed by 'killed' is a fact."""

    def step(work: Work) -> Work:
        if work.facts is not None:
            return work
        facts = []
        for m in re.finditer(r"(\d+) killed", work.document.text):
            if m.group(1) == "666":
                raise RuntimeError("this step chokes on 666")
            facts.append(
                Fact(
                    doc=work.document.id,
                    quote=m.group(0),
                    quote_start=m.start(),
                    span=m.span(1),
                    value=int(m.group(1)),
                    category=Category.KILLED,
                    unit=Unit.PEOPLE,
                )
            )
        return work.with_facts(tuple(facts))

    return step


def _registry() -> Registry:
    registry = Registry()
    registry.register(Component("test.digits.v1", ("document",), ("facts",), _digits_step))
    registry.register(
        Component("test.needs_places.v1", ("places",), ("x",), lambda _o: lambda w: w)
    )
    return registry


def test_unmet_requirement_is_named_at_build_time() -> None:
    with pytest.raises(ConfigError, match="needs places"):
        Pipeline.build(["test.digits.v1", "test.needs_places.v1"], registry=_registry())


def test_unknown_component_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="test.digits.v1"):
        Pipeline.build(["extract.magic.v9"], registry=_registry())


def test_registering_a_name_twice_fails() -> None:
    registry = _registry()
    with pytest.raises(ConfigError):
        registry.register(Component("test.digits.v1", (), (), _digits_step))


def test_ingest_stores_skips_and_reports(sqlite_store: Store) -> None:
    pipeline = Pipeline.build(["test.digits.v1"], registry=_registry())
    good = Document.from_text("Shelling: 4 killed in the morning, 2 killed at night.", origin="a")
    broken = Document.from_text("The log says 666 killed, which breaks the step.", origin="b")
    stated = Ingested(
        Document.from_text("A row from a table.", origin="c"),
        facts=(),
    )
    items = [
        Ingested(good),
        IngestError("binary file, not text", where="d.txt"),
        Ingested(broken),
        stated,
    ]
    report = pipeline.ingest(sqlite_store, items)
    assert report.added == [good.id, stated.document.id]
    assert report.facts == 2
    assert ("d.txt", "binary file, not text") in report.failed
    assert any(w == "b" and "666" in m for w, m in report.failed)
    assert sorted(sf.fact.value for sf in sqlite_store.iter_facts()) == [2, 4]
    again = pipeline.ingest(sqlite_store, [Ingested(good)])
    assert again.added == [] and again.skipped == [good.id]
    assert sqlite_store.count_facts() == 2


def test_document_limits_name_the_limit_and_its_setting(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document over a limit is refused with what was over, the limit and the setting
    that raises it; the other documents of the batch still go in."""
    monkeypatch.setenv("CRISISDESK_MAX_DOC_FACTS", "2")
    monkeypatch.setenv("CRISISDESK_MAX_DOC_CHARS", "80")
    pipeline = Pipeline.build(["test.digits.v1"], registry=_registry())
    fits = Document.from_text("4 killed, 2 killed.", origin="fits")
    many = Document.from_text("1 killed, 2 killed, 3 killed.", origin="many")
    long = Document.from_text("5 killed " + "and more words " * 10, origin="long")
    pages = Document.from_text("7 killed.", origin="pages")
    pages = replace(pages, locations=((0, "page 1"), (5, "page 2")))
    monkeypatch.setenv("CRISISDESK_MAX_DOC_PAGES", "1")
    pipeline = Pipeline.build(["test.digits.v1"], registry=_registry())
    report = pipeline.ingest(sqlite_store, [Ingested(d) for d in (fits, many, long, pages)])
    assert report.added == [fits.id]
    failed = dict(report.failed)
    assert failed["many"] == ("the document has 3 facts, over the limit of 2 facts per "
                              "document (raise it with CRISISDESK_MAX_DOC_FACTS)")  # fmt: skip
    assert "over the limit of 80 characters" in failed["long"]
    assert "CRISISDESK_MAX_DOC_CHARS" in failed["long"]
    assert "2 pages, over the limit of 1 pages" in failed["pages"]
    monkeypatch.setenv("CRISISDESK_MAX_DOC_FACTS", "lots")
    with pytest.raises(ConfigError, match="CRISISDESK_MAX_DOC_FACTS must be a whole number"):
        Pipeline.build(["test.digits.v1"], registry=_registry())
