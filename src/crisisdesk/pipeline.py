"""Build, check and run the stages: documents in, stored facts out.

``Pipeline.build`` assembles registered components in order and checks their
declared inputs; ``Pipeline.process`` turns one ingested document into its
facts (pure: no store involved, so it can be mapped over partitions);
``Pipeline.ingest`` writes each document with its facts in one transaction
and skips documents already stored, so a re-run after a crash is safe.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from crisisdesk.errors import ConfigError, CrisisdeskError, IngestError
from crisisdesk.model import Document, Fact, Ingested
from crisisdesk.registry import Component, Registry

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Work:
    """One document moving through the stages."""

    document: Document
    facts: tuple[Fact, ...] | None = None

    def with_facts(self, facts: tuple[Fact, ...]) -> Work:
        return replace(self, facts=facts)


@dataclass
class IngestReport:
    """What an ingest run did, for the CLI, the API and the tests."""

    added: list[str] = field(default_factory=list)  # document ids written
    skipped: list[str] = field(default_factory=list)  # already in the store
    failed: list[tuple[str, str]] = field(default_factory=list)  # (where, message)
    facts: int = 0
    languages: dict[str, str | None] = field(default_factory=dict)  # added document id -> language
    # files inside the folders given that were not read: (path, why)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    # (document id, stored document it repeats): kept, its figures not counted again
    duplicates: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_json(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "skipped": len(self.skipped),
            "failed": [{"where": w, "error": m} for w, m in self.failed],
            "facts": self.facts,
            "documents": self.added,
            "languages": {doc_id: self.languages.get(doc_id) for doc_id in self.added},
            "skipped_files": [{"path": p, "reason": why} for p, why in self.skipped_files],
            "duplicates": [{"document": d, "duplicate_of": of} for d, of in self.duplicates],
        }


def _extract_factory(options: dict[str, Any]) -> Callable[[Work], Work]:
    from crisisdesk.extract import extract_document

    def step(work: Work) -> Work:
        if work.facts is None:  # facts stated by the source (ACLED, our exports) are kept
            work = work.with_facts(tuple(extract_document(work.document)))
        return work

    return step


def _geo_factory(options: dict[str, Any]) -> Callable[[Work], Work]:
    from crisisdesk.geo import Gazetteer, default_overlay_path, resolve_facts

    overlay = options.get("gazetteer_overlay") or default_overlay_path()
    gazetteer = options.get("gazetteer") or Gazetteer.open(
        options.get("gazetteer_path"), overlay=overlay if overlay and overlay.exists() else None
    )

    def step(work: Work) -> Work:
        facts = work.facts or ()
        if not facts:
            return work
        return work.with_facts(tuple(resolve_facts(facts, work.document, gazetteer)))

    return step


def default_registry() -> Registry:
    """The built-in components. Imports of heavy stages happen only when built."""
    registry = Registry()
    registry.register(
        Component(
            "extract.rules.v1",
            requires=("document",),
            assigns=("facts",),
            factory=_extract_factory,
            doc="Rule-based figure extraction (numbers, qualifiers, categories, periods, sources).",
        )
    )
    registry.register(
        Component(
            "geo.gazetteer.v1",
            requires=("document", "facts"),
            assigns=("facts.places",),
            factory=_geo_factory,
            doc="Resolve each fact's place names against the offline gazetteer.",
        )
    )
    return registry


DEFAULT_STEPS = ("extract.rules.v1", "geo.gazetteer.v1")


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """What one document may hold, so that one upload cannot take the server down:
    characters and pages before extraction, facts after it. Each is raised by its
    environment variable (``from_env``); the error names both."""

    characters: int = 20_000_000
    pages: int = 10_000
    facts: int = 200_000

    SETTINGS = {
        "characters": "CRISISDESK_MAX_DOC_CHARS",
        "pages": "CRISISDESK_MAX_DOC_PAGES",
        "facts": "CRISISDESK_MAX_DOC_FACTS",
    }

    @classmethod
    def from_env(cls) -> DocumentLimits:
        values: dict[str, int] = {}
        for name, var in cls.SETTINGS.items():
            raw = os.environ.get(var)
            if raw is None or not raw.strip():
                continue
            try:
                values[name] = int(raw.replace("_", "").replace(",", ""))
            except ValueError:
                raise ConfigError(f"{var} must be a whole number, not {raw!r}") from None
            if values[name] <= 0:
                raise ConfigError(f"{var} must be above 0, not {raw!r}")
        return cls(**values)

    def check(self, what: str, count: int, where: str) -> None:
        """An IngestError naming the limit and the setting that raises it, when over."""
        limit = getattr(self, what)
        if count > limit:
            raise IngestError(
                f"the document has {count:,} {what}, over the limit of {limit:,} {what} per "
                f"document (raise it with {self.SETTINGS[what]})",
                where=where,
            )


class Pipeline:
    """An ordered list of checked steps."""

    def __init__(
        self,
        steps: Sequence[tuple[str, Callable[[Work], Work]]],
        limits: DocumentLimits | None = None,
    ) -> None:
        self.steps = list(steps)
        self.limits = limits or DocumentLimits.from_env()

    @classmethod
    def build(
        cls,
        names: Sequence[str] = DEFAULT_STEPS,
        *,
        registry: Registry | None = None,
        options: dict[str, Any] | None = None,
    ) -> Pipeline:
        """Assemble components, failing early when one's input is never produced."""
        registry = registry or default_registry()
        options = options or {}
        available = {"document"}
        steps = []
        for name in names:
            component = registry.get(name)
            missing = [r for r in component.requires if r not in available]
            if missing:
                raise ConfigError(
                    f"component {name!r} needs {', '.join(missing)}, which no earlier step assigns"
                )
            available.update(component.assigns)
            try:
                steps.append((name, component.factory(options)))
            except ImportError as exc:
                raise ConfigError(f"component {name!r} cannot be loaded: {exc}") from exc
        return cls(steps)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.steps]

    def process(self, item: Ingested) -> Work:
        """Run every step on one document; returns its facts (never touches a store).
        A document over one of ``limits`` is an IngestError before (characters, pages)
        or after extraction (facts)."""
        doc = item.document
        where = doc.origin or doc.id
        self.limits.check("characters", len(doc.text), where)
        self.limits.check("pages", sum(1 for _, label in doc.locations if label.startswith("page")),
                          where)  # fmt: skip
        work = Work(doc, item.facts)
        for _name, step in self.steps:
            work = step(work)
        if work.facts is None:
            work = work.with_facts(())
        self.limits.check("facts", len(work.facts or ()), where)
        return work

    def count_repeat(
        self, store: Any, doc_id: str, *, user: str, note: str | None = None
    ) -> list[str]:
        """Count a near-duplicate after all (``Store.count_document``): a repeat stored
        without figures is extracted now; one marked a duplicate gets its own back."""
        facts = self.repeat_figures(store, doc_id)
        return list(store.count_document(doc_id, user=user, facts=facts, note=note))

    def repeat_figures(self, store: Any, doc_id: str) -> tuple[Fact, ...]:
        """The figures a repeat needs to count: none when it has its own stored
        (they were marked duplicates), else its text extracted now."""
        doc = store.get_document(doc_id)
        if store.counting(doc.id).facts:
            return ()
        return tuple(self.process(Ingested(doc)).facts or ())

    def ingest(
        self,
        store: Any,
        items: Iterable[Ingested | CrisisdeskError],
        *,
        on_item: Callable[[str], None] | None = None,
        allow_duplicate: bool = False,
    ) -> IngestReport:
        """Process and store each item; a bad item is reported and the rest go in.

        Documents already in the store are skipped before any extraction, so a
        re-run costs little and changes nothing. A document that repeats a stored
        one in other words' layout (``Store.find_duplicate``: the report typeset
        again) is stored to be read, named in ``duplicates``, and its figures are
        not counted again unless ``allow_duplicate``.
        """
        report = IngestReport()
        for item in items:
            if isinstance(item, CrisisdeskError):
                report.failed.append((item.where or "?", item.message))
                if on_item:
                    on_item(item.where or "?")
                continue
            doc = item.document
            label = doc.origin or doc.id
            try:
                repeats = None if store.has_document(doc.id) else store.find_duplicate(doc)
                if store.has_document(doc.id):
                    report.skipped.append(doc.id)
                elif repeats and not allow_duplicate:
                    store.add_document(doc, (), duplicate_of=repeats)
                    report.duplicates.append((doc.id, repeats))
                else:
                    if repeats:
                        report.duplicates.append((doc.id, repeats))
                    work = self.process(item)
                    if store.add_document(work.document, work.facts or (), duplicate_of=repeats):
                        report.added.append(doc.id)
                        report.languages[doc.id] = work.document.language
                        report.facts += len(work.facts or ())
                    else:  # another process stored it meanwhile
                        report.skipped.append(doc.id)
            except CrisisdeskError as exc:
                report.failed.append((exc.where or label, exc.message))
            except Exception as exc:  # a bug in one document must not lose the batch
                log.exception("unexpected failure on %s", label)
                report.failed.append((label, f"internal error: {exc!r}"))
            if on_item:
                on_item(label)
        return report


def ingest_paths(
    store: Any,
    paths: Iterable[Any],
    *,
    pipeline: Pipeline | None = None,
    on_item: Callable[[str], None] | None = None,
    allow_duplicate: bool = False,
) -> IngestReport:
    """Read files and folders and store their documents and facts."""
    from crisisdesk.ingest import read_paths

    pipeline = pipeline or Pipeline.build()
    return pipeline.ingest(
        store, read_paths(paths), on_item=on_item, allow_duplicate=allow_duplicate
    )


def ingest_bytes(
    store: Any,
    data: bytes,
    name: str,
    *,
    pipeline: Pipeline | None = None,
    allow_duplicate: bool = False,
) -> IngestReport:
    """Store an uploaded file (the web API's entry point)."""
    from crisisdesk.ingest import read_bytes

    pipeline = pipeline or Pipeline.build()
    try:
        items: list[Ingested | CrisisdeskError] = list(read_bytes(data, name))
    except IngestError as exc:
        items = [exc]
    return pipeline.ingest(store, items, allow_duplicate=allow_duplicate)
