"""A report over real reports: the shared dev corpus with its gold facts as the store.

Read from ../shared at test time (nothing copied into the repository). Every
gold quote must come out as a footnote, quoted exactly and tied to its
document, and every export must read back as the same facts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crisisdesk.ingest import read_file
from crisisdesk.model import Document, Fact, Ingested
from crisisdesk.report import build_sitrep, export, render_html
from crisisdesk.store import Store


@pytest.fixture
def dev_store(dev_corpus: Path, tmp_path: Path) -> Iterator[Store]:
    docs: dict[str, Document] = {}
    for line in (dev_corpus / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        published = date.fromisoformat(r["published"]) if r.get("published") else None
        docs[r["id"]] = Document.from_text(
            r["text"],
            id=r["id"],
            url=r.get("url"),
            title=r.get("title"),
            publisher=r.get("publisher"),
            published=published,
        )
    facts: dict[str, list[Fact]] = {}
    for line in (dev_corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        start = docs[r["doc"]].text.index(r["quote"])  # gold quotes occur exactly once
        fact = Fact.from_json({**r, "quote_start": start, "span": [start, start + len(r["quote"])]})
        facts.setdefault(r["doc"], []).append(fact)
    store = Store.open(f"sqlite:///{tmp_path / 'dev.sqlite'}")
    for doc_id, doc in docs.items():
        store.add_document(doc, facts.get(doc_id, []))
    yield store
    store.close()


def test_every_gold_quote_is_a_footnote(dev_store: Store) -> None:
    sitrep = build_sitrep(dev_store)
    page = lxml_html.fromstring(render_html(sitrep))
    notes = page.xpath("//section[@id='sources']//li")
    quoted = {n.xpath("./q")[0].text_content() for n in notes}
    gold = {s.fact.quote for s in dev_store.iter_facts()}
    assert quoted == gold
    for note in sitrep.footnotes:
        text = dev_store.get_document(note.doc_id).text
        assert text[note.span[0] : note.span[1]] == note.quote
    assert len(page.xpath("//table[@class='figures']/tbody/tr")) == len(sitrep.rows)
    assert sum(len(r.footnotes) for r in sitrep.rows) >= len(sitrep.rows)


@pytest.mark.parametrize(("fmt", "suffix"), [("csv", ".csv"), ("hxl", ".csv"), ("json", ".json")])
def test_exports_of_real_reports_round_trip(
    dev_store: Store, tmp_path: Path, fmt: str, suffix: str
) -> None:
    out = tmp_path / f"dev-{fmt}{suffix}"
    assert export(dev_store, fmt, out) == dev_store.count_facts()
    fresh = Store.open(f"sqlite:///{tmp_path / f'fresh-{fmt}.sqlite'}")
    for item in read_file(out):
        assert isinstance(item, Ingested), item
        fresh.add_document(item.document, item.facts or ())
    key = lambda f: (f.doc, f.key)  # noqa: E731
    assert sorted((s.fact for s in fresh.iter_facts()), key=key) == sorted(
        (s.fact for s in dev_store.iter_facts()), key=key
    )
    fresh.close()
