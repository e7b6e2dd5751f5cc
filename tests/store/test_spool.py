"""Figure rows spooled to disk a batch at a time come back in the order a sort of
all of them gives, however the batches split them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.store import spool as spool_module
from crisisdesk.store.figures import area_order
from crisisdesk.store.records import FigureRow
from crisisdesk.store.spool import FigureSpool


def _row(n: int, category: str, admin1: str | None, start: int | None) -> FigureRow:
    return FigureRow(
        id=f"{(n * 7919) % 1000:04d}-{n}", category=category, unit="people", subject="",
        place_name=None, place_id=None, country=None, admin1_code=admin1, admin2_code=None,
        start=start, end=start, low=n, best=n, high=n, rule="single", explanation="",
        is_total=False, sources=(), flags=(), part_of=(), places=(), facts=(f"f{n}", f"e{n}"),
        parts=(f"p{n}",) if n % 3 == 0 else (),
    )  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["killed", "injured", "displaced"]),
            st.sampled_from([None, "SY01", "SY02"]),
            st.one_of(st.none(), st.integers(737000, 737010)),
        ),
        max_size=40,
    ),
    batch=st.integers(1, 9),
)
def test_spooled_rows_come_back_sorted(rows, batch) -> None:
    figures = [_row(n, *spec) for n, spec in enumerate(rows)]
    was = spool_module.CHUNK
    spool_module.CHUNK = 4  # several chunks per batch
    try:
        with FigureSpool(area_order) as spool:
            for at in range(0, len(figures), batch):
                spool.add(figures[at : at + batch])
            assert len(spool) == len(figures)
            assert list(spool.in_area_order()) == sorted(figures, key=area_order)
            by_id = sorted(figures, key=lambda f: f.id)
            assert list(spool.in_id_order()) == [(f.id, f.facts, f.parts) for f in by_id]
            assert list(spool.in_id_order()) == [(f.id, f.facts, f.parts) for f in by_id]
    finally:
        spool_module.CHUNK = was
