"""``crisisdesk demo`` end to end, and ``crisisdesk ingest`` on good and bad files."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from crisisdesk.cli import build_app
from crisisdesk.store import Store

# Figures the bundled example reports state (we wrote them; see src/crisisdesk/examples).
EXAMPLE_FIGURES = {
    46, 22, 8, 3, 21,  # strikes on the Maarat al-Numan countryside
    38560, 216152, 1200,  # displacement from southern Idlib
    9, 17,  # Ariha market
    670, 1440, 808, 130, 263,  # January monthly count
    586000, 2800000, 1900,  # OCHA flash update
    520000, 41,  # response coordinators
    53, 87,  # facilities in 2019
    359, 85,  # fighters
    5, 12, 4,  # Atarib
    7, 19, 14,  # Saraqib, in Arabic
}  # fmt: skip


def _run(*args: str):
    return CliRunner().invoke(build_app(), list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict]:
    out = tmp_path_factory.mktemp("demo")
    db = f"sqlite:///{out / 'demo.sqlite'}"
    result = _run("demo", "--db", db, "--out-dir", str(out), "--json")
    assert result.exit_code == 0, result.output
    return out, db, json.loads(result.stdout)


def test_demo_extracts_the_examples_figures(demo_run: tuple[Path, str, dict]) -> None:
    _out, db, summary = demo_run
    assert summary["ok"] and summary["ingest"]["added"] == 11
    with Store.open(db) as store:
        values = {sf.fact.value for sf in store.iter_facts()}
    missing = EXAMPLE_FIGURES - values
    assert not missing, f"figures of the examples not extracted: {sorted(missing)}"


def test_demo_report_quotes_the_evidence_of_every_figure(demo_run: tuple[Path, str, dict]) -> None:
    out, db, summary = demo_run
    page = (out / "sitrep.html").read_text(encoding="utf-8")
    with Store.open(db) as store:
        facts = list(store.iter_facts())
        assert facts
        for sf in facts:
            doc = store.get_document(sf.fact.doc)
            sf.fact.evidence.check(doc.text)  # the quote is the text at its offsets
            assert html.escape(sf.fact.quote, quote=False) in page or sf.fact.quote in page, (
                f"no footnote quoting {sf.fact.quote!r}"
            )
    headline = {row["label"]: row for row in summary["summary"]}
    assert {"People killed", "People displaced", "Families displaced", "Air strikes"} <= set(
        headline
    )
    # two organisations disagree on displacement since 1 December: a range, not a sum
    displaced = headline["People displaced"]
    assert displaced["low"] <= 520000 and displaced["high"] >= 586000
    assert displaced["best"] < 520000 + 586000


def test_demo_writes_a_real_pdf(demo_run: tuple[Path, str, dict]) -> None:
    out, _db, summary = demo_run
    assert str(out / "sitrep.pdf") in summary["outputs"]
    reader = PdfReader(out / "sitrep.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    assert "586,000" in text and "38,560" in text


def test_demo_is_idempotent(demo_run: tuple[Path, str, dict]) -> None:
    out, db, _summary = demo_run
    again = _run("demo", "--db", db, "--out-dir", str(out), "--json", "--no-pdf")
    data = json.loads(again.stdout)
    assert data["ingest"]["added"] == 0 and data["ingest"]["skipped"] == 11
    with Store.open(db) as store:
        assert store.count_documents() == 11


def test_demo_prints_a_summary_table(tmp_path: Path) -> None:
    """The human output, through the installed entry point as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "crisisdesk.cli", "demo", "--no-pdf"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Headline figures" in done.stdout and "People displaced" in done.stdout
    assert (tmp_path / "sitrep.html").exists() and (tmp_path / "crisisdesk.sqlite").exists()


def _bad_and_good_files(folder: Path) -> dict[str, str]:
    """Files written by us; returns name -> the reason the CLI must give."""
    (folder / "good.txt").write_text(
        "Published: 2020-01-05\n\nShelling killed 4 civilians in Sarmin on Saturday.\n",
        encoding="utf-8",
    )
    (folder / "arabic.txt").write_bytes("قتل 7 مدنيين في قصف على أريحا يوم الأحد.".encode("cp1256"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "blank.html").write_text("<html><body><div></div></body></html>", encoding="utf-8")
    (folder / "cut.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    return {
        "empty.txt": "empty",
        "image.txt": "binary",
        "blank.html": "no readable text",
        "cut.pdf": "",
    }


def test_ingest_reports_each_bad_file_and_keeps_the_good(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    reasons = _bad_and_good_files(folder)
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = CliRunner().invoke(build_app(), ["ingest", str(folder), "--db", db, "--json"])
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert data["added"] == 2  # good.txt and the Windows-1256 Arabic file
    failed = {Path(f["where"].split(",")[0]).name: f["error"] for f in data["failed"]}
    assert set(failed) == set(reasons)
    for name, reason in reasons.items():
        assert reason in failed[name], (name, failed[name])
    with Store.open(db) as store:
        texts = [d.text for d in store.iter_documents()]
        assert any("أريحا" in t for t in texts)
        assert any(sf.fact.value == 4 for sf in store.iter_facts())
    # re-running changes nothing and still names the bad files
    again = CliRunner().invoke(build_app(), ["ingest", str(folder), "--db", db, "--json"])
    assert json.loads(again.stdout)["skipped"] == 2


def test_ingest_missing_path_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        build_app(), ["ingest", str(tmp_path / "nowhere"), "--db", f"sqlite:///{tmp_path}/x.db"]
    )
    assert result.exit_code != 0
    assert "nowhere" in result.output and "Traceback" not in result.output


def test_folder_ingest_lists_every_file_it_skipped_and_why(tmp_path: Path) -> None:
    """Files a folder holds that are not read are named with the reason, on the terminal
    and in --json; none is dropped without a word."""
    folder = tmp_path / "in"
    (folder / ".cache").mkdir(parents=True)
    (folder / "good.txt").write_text("On 3 March 2020, 4 civilians were killed in Ariha.\n")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04\x00\x00binary word file")
    (folder / "blob.bin").write_bytes(bytes(range(256)))
    (folder / "empty.xyz").write_bytes(b"")
    (folder / ".hidden.txt").write_text("a hidden note")
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = CliRunner().invoke(build_app(), ["ingest", str(folder), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["added"] == 1
    skipped = {Path(s["path"]).name: s["reason"] for s in data["skipped_files"]}
    assert set(skipped) == {"notes.docx", "blob.bin", "empty.xyz", ".hidden.txt", ".cache"}
    assert skipped["notes.docx"].startswith("unsupported type .docx (binary)")
    assert skipped["blob.bin"].startswith("unsupported type .bin (binary)")
    assert skipped["empty.xyz"].startswith("unsupported type .xyz (empty)")
    assert skipped[".hidden.txt"] == "hidden file" and skipped[".cache"] == "hidden folder"
    shown = CliRunner().invoke(build_app(), ["ingest", str(folder), "--db", db])
    assert "5 files in the folders given were not read" in shown.stdout
    assert "notes.docx: unsupported type .docx" in shown.stdout
