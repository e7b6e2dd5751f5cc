"""The streamed ingest (``--workers``, .gz/.tar inputs) names near-duplicate reports as
the one-by-one ingest does: a report typeset again, whether its first copy was stored
before the run, earlier in the same block or in an earlier block, is stored naming
it (``duplicate_of``) without its figures unless duplicates are allowed; the store
ends the same whichever path took the input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from crisisdesk.engine import Engine, ingest_stream
from crisisdesk.ingest import read_paths
from crisisdesk.pipeline import Pipeline
from crisisdesk.store import Store, duplicates

# written for this test; the places are real, the figures invented
TEMPLATE = (
    "Situation note {n}. The local council in {town} said on {day} March that {a} families "
    "had arrived over the past week, most of them from villages east of the main road. The "
    "council said another {b} families were sheltering in two schools and a mosque, and that "
    "the water points had been doubled. Medics said {c} people were killed by shelling near "
    "the market and {d} were injured."
)
TOWNS = ["Sarmada", "Atarib", "Binnish", "Harim", "Salqin", "Dana", "Qah", "Ariha"]


def _report(i: int) -> str:
    return TEMPLATE.format(
        n=i, town=TOWNS[i % len(TOWNS)], day=i % 27 + 1, a=100 + i * 7, b=30 + i, c=2 + i % 9,
        d=5 + i % 11,
    )  # fmt: skip


def _typeset(text_: str) -> str:
    """The same report as a PDF gives it: other line breaks, a running header, a page."""
    body = text_.replace(". ", ".\n").replace(" the ", " the\n")
    return f"Situation note\n{body}\n2\nSituation note"


def _line(ident: str, body: str) -> str:
    return json.dumps({"id": ident, "published": "2021-03-28", "text": body})


def _inputs(tmp: Path) -> tuple[Path, Path]:
    before = tmp / "before.jsonl"
    before.write_text(_line("old", _report(0)) + "\n", encoding="utf-8")
    lines = [
        _line("r1", _report(1)),
        _line("old-again", _typeset(_report(0))),  # repeats a report stored before
        _line("r2", _report(2)),
        _line("r1-again", _typeset(_report(1))),  # repeats one earlier in its block
        _line("r3", _report(3)),
        _line("r4", _report(4)),
        _line("r2-words", _report(2).replace(". ", ".\n\n")),  # the same words exactly
        _line("r3-again", _typeset(_report(3))),  # repeats one of an earlier block
        _line("r5", _report(5)),
        _line("r4-update", _report(4).replace(str(100 + 4 * 7), "512")),  # new figures
    ]
    stream = tmp / "feed.jsonl"  # plain: the one-by-one ingest reads it too
    stream.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return before, stream


def _state(url: str) -> tuple[list[tuple[str, str | None]], list[tuple[str, int]]]:
    """(document, the one it repeats) for every document, and facts per document."""
    with Store.open(url) as store, store.engine.connect() as conn:
        docs = conn.execute(text("SELECT id, duplicate_of FROM documents ORDER BY id")).all()
        facts = conn.execute(
            text("SELECT doc_id, count(*) FROM facts GROUP BY doc_id ORDER BY doc_id")
        ).all()
    return [tuple(r) for r in docs], [tuple(r) for r in facts]  # type: ignore[misc]


def _one_by_one(url: str, before: Path, stream: Path, allow: bool) -> list[tuple[str, str]]:
    pipeline = Pipeline.build()
    with Store.open(url) as store:
        pipeline.ingest(store, read_paths([before]))
        report = pipeline.ingest(store, read_paths([stream]), allow_duplicate=allow)
    return sorted(report.duplicates)


def test_two_workers_name_the_repeats_the_one_by_one_ingest_names(
    store_url: str, tmp_path: Path
) -> None:
    before, stream = _inputs(tmp_path)
    serial_url = f"sqlite:///{tmp_path / 'serial.sqlite'}"
    expected = _one_by_one(serial_url, before, stream, allow=False)
    assert expected == [
        ("old-again", "old"), ("r1-again", "r1"), ("r2-words", "r2"), ("r3-again", "r3"),
    ]  # fmt: skip
    with Store.open(store_url) as store:
        Pipeline.build().ingest(store, read_paths([before]))
        done = ingest_stream(
            store, [stream], Pipeline.build, engine=Engine(workers=2), block_records=4
        )
    assert sorted(done.duplicates) == expected
    assert len(done.added) == 6 and not set(done.added) & {d for d, _ in expected}
    state = _state(store_url)
    assert state == _state(serial_url)
    assert {d for d, n in state[1]}.isdisjoint(d for d, _ in expected)  # no figures twice


def test_allowed_duplicates_keep_their_figures_and_still_name_the_first(
    store_url: str, tmp_path: Path
) -> None:
    before, stream = _inputs(tmp_path)
    serial_url = f"sqlite:///{tmp_path / 'serial.sqlite'}"
    expected = _one_by_one(serial_url, before, stream, allow=True)
    with Store.open(store_url) as store:
        Pipeline.build().ingest(store, read_paths([before]))
        done = ingest_stream(store, [stream], Pipeline.build, block_records=3, allow_duplicate=True)
    assert sorted(done.duplicates) == expected and len(expected) == 4
    assert len(done.added) == 10
    state = _state(store_url)
    assert state == _state(serial_url)
    assert {d for d, _ in expected} <= {d for d, n in state[1]}


def test_anchors_many_stored_reports_hold_are_no_lead_on_either_path(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(duplicates, "COMMON", 1)  # an anchor two documents hold: boilerplate
    before, stream = _inputs(tmp_path)
    serial_url = f"sqlite:///{tmp_path / 'serial.sqlite'}"
    expected = _one_by_one(serial_url, before, stream, allow=False)
    with Store.open(store_url) as store:
        Pipeline.build().ingest(store, read_paths([before]))
        done = ingest_stream(store, [stream], Pipeline.build, block_records=1)
        with store.engine.connect() as conn:
            held = conn.execute(text("SELECT hash FROM document_sketch")).scalars().all()
            assert duplicates.common_anchors(conn, held)  # some are common now
    assert sorted(done.duplicates) == expected
    assert ("r2-words", "r2") in expected  # the same words are still found
    assert _state(store_url) == _state(serial_url)
