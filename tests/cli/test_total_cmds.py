"""``crisisdesk total`` and ``crisisdesk reconcile`` through the real command line."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crisisdesk.cli import build_app
from crisisdesk.store import Store

HERE = Path(__file__).resolve().parent


def _scenario():
    spec = importlib.util.spec_from_file_location(
        "reconcile_scenario", HERE.parent / "reconcile" / "scenario.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    with Store.open(url) as store:
        _scenario().load_into(store)
    return url


def _run(*args: str):
    return CliRunner().invoke(build_app(), list(args))


IDLIB_JANUARY = ("total", "--category", "displaced", "--place", "Idlib",
                 "--from", "2020-01-01", "--to", "2020-01-31")  # fmt: skip


def test_total_json_is_one_object(db: str) -> None:
    out = _run(*IDLIB_JANUARY, "--db", db, "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    keys = {"best", "low", "high", "figures", "excluded", "flags", "not_placed", "notes"}
    assert set(data) == keys
    assert (data["best"], data["low"], data["high"]) == (1500, 1500, 2100)
    codes = sorted(e["code"] for e in data["excluded"])
    assert codes == ["outside_period", "part_of_total", "part_of_total", "part_of_total"]


def test_total_table_names_the_exclusions(db: str) -> None:
    out = _run(*IDLIB_JANUARY, "--db", db)
    assert out.exit_code == 0, out.output
    assert "best 1,500" in out.stdout and "high 2,100" in out.stdout
    assert "left out" in out.stdout and "Saraqib" in out.stdout


def test_bad_input_is_one_clear_line(db: str) -> None:
    out = _run("total", "--category", "fled", "--db", db)
    assert out.exit_code == 2
    assert "unknown category 'fled'" in out.output
    out = _run("total", "--category", "killed", "--from", "January", "--db", db, "--json")
    assert out.exit_code == 2
    assert json.loads(out.stdout)["code"] == "config_error"


def test_reconcile_command(db: str) -> None:
    out = _run("reconcile", "--db", db, "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["figures"] == 6
    out = _run("reconcile", "--db", db)
    assert out.exit_code == 0, out.output
    assert "8 facts -> 6 figures" in out.stdout


def test_reconcile_names_the_figures_it_flags(db: str) -> None:
    """ "1 flagged for review" says which: OCHA's 1,500 against SARC's 2,100."""
    data = json.loads(_run("reconcile", "--db", db, "--json").stdout)
    assert data["flagged"] == len(data["flagged_figures"]) >= 1
    disagree = [f for f in data["flagged_figures"] if f["best"] == 1500]
    assert disagree and any("sources_disagree" in flag for flag in disagree[0]["flags"])
    assert disagree[0]["date_start"] == "2020-01-01" and disagree[0]["place"]
    out = _run("reconcile", "--db", db, "--full")  # the default pass: nothing changed since
    assert f"figure {disagree[0]['figure']}: 1,500 displaced (people)" in out.stdout


def test_a_long_list_of_left_out_figures_is_summed_up(tmp_path: Path) -> None:
    """After ``reconcile``, a quarter holding 55 day counts: the table shows the first
    rows left out and counts the rest by reason; --json lists every one."""
    from datetime import date, timedelta

    from crisisdesk.model import Category, Document, Fact, Unit

    url = f"sqlite:///{tmp_path / 'month.sqlite'}"

    def add(store: Store, text: str, n: int, place: str, start: date, end: date,
            source: str = "Desk") -> None:  # fmt: skip
        doc = Document.from_text(text, publisher=source, published=end)
        at = text.index(str(n))
        store.add_document(doc, [Fact(
            doc=doc.id, quote=text, quote_start=0, span=(at, at + len(str(n))), value=n,
            category=Category.KILLED, unit=Unit.PEOPLE, places=(place,), date_start=start,
            date_end=end, is_total=start != end, source=source,
        )])  # fmt: skip

    with Store.open(url) as store:
        add(store, "Over the quarter 9000 people were killed in Idlib.", 9000, "Idlib",
            date(2020, 1, 1), date(2020, 3, 31))  # fmt: skip
        for i in range(55):
            day = date(2020, 1, 1) + timedelta(days=i)
            add(store, f"On that day {i + 1} people were killed in Idlib.", i + 1, "Idlib",
                day, day)  # fmt: skip
            if i < 25:  # another desk disagrees: a flag each
                add(store, f"Another desk says {i + 100} were killed in Idlib.", i + 100,
                    "Idlib", day, day, source="Other Desk")  # fmt: skip
    assert _run("reconcile", "--db", url).exit_code == 0
    args = ["total", "--category", "killed", "--from", "2020-01-01", "--to", "2020-03-31"]
    data = json.loads(_run(*args, "--db", url, "--json").stdout)
    assert data["best"] == 9000
    hidden = len(data["excluded"]) - 40
    assert hidden > 0
    out = _run(*args, "--db", url)
    assert out.exit_code == 0, out.output
    text = " ".join(out.stdout.split())
    assert f"Figures left out, and why ({len(data['excluded'])})" in text
    assert f"and {hidden} more left out ({hidden} part of a total that is counted)" in text
    assert len(data["flags"]) == 25
    assert "and 5 more flags (5 sources_disagree); --json lists them all" in text


def test_total_unknown_place_is_exit_5_naming_the_nearest(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Not "best 0": an unknown --place is the not-found error, with names to try."""
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    text = tmp_path / "r.txt"
    text.write_text("On 3 March 2020, 4 civilians were killed in Saraqib, rescuers said.\n")
    assert CliRunner().invoke(build_app(), ["ingest", str(text), "--db", db]).exit_code == 0
    out = CliRunner().invoke(
        build_app(), ["total", "--category", "killed", "--place", "Narnia", "--db", db, "--json"]
    )
    assert out.exit_code == 5
    error = json.loads(out.stdout)
    assert error["code"] == "not_found" and "nearest known names:" in error["error"]
    out = CliRunner().invoke(
        build_app(), ["total", "--category", "killed", "--place", "Saraqeeb", "--db", db]
    )
    assert out.exit_code == 5 and "Saraqib (SY)" in out.stderr
    out = CliRunner().invoke(build_app(), ["report", "--place", "Narnia", "-o",
                                           str(tmp_path / "r.html"), "--db", db])  # fmt: skip
    assert out.exit_code == 5 and not (tmp_path / "r.html").exists()


def test_a_known_place_with_no_figure_says_so_not_zero(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A gazetteer place nobody reported on: "no figure reported", never "best 0" (a zero
    reads as "nobody was killed"); a place with figures still prints its best."""
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    text = tmp_path / "r.txt"
    text.write_text("On 3 March 2020, 4 civilians were killed in Saraqib, rescuers said.\n")
    assert CliRunner().invoke(build_app(), ["ingest", str(text), "--db", db]).exit_code == 0
    quiet = _run("total", "--category", "killed", "--place", "Sarmin", "--db", db)
    assert quiet.exit_code == 0
    assert "no figure reported" in quiet.stdout and "best 0" not in quiet.stdout
    named = _run("total", "--category", "killed", "--place", "Saraqib", "--db", db)
    assert "best 4" in named.stdout and "no figure reported" not in named.stdout
