"""extract-file and eval through the real command line (Typer's CliRunner)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from crisisdesk.cli import build_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
runner = CliRunner()


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_extract_file_writes_facts_with_exact_spans(tmp_path: Path) -> None:
    out = tmp_path / "facts.jsonl"
    result = runner.invoke(
        build_app(), ["extract-file", str(FIXTURES / "docs.jsonl"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    facts = _lines(out)
    texts = {d["id"]: d["text"] for d in _lines(FIXTURES / "docs.jsonl")}
    assert {f["doc"] for f in facts} == {"fx-1", "fx-2"}
    for f in facts:
        text = texts[f["doc"]]
        assert text[f["quote_start"] : f["quote_start"] + len(f["quote"])] == f["quote"]
        assert f["span"][0] >= f["quote_start"]
    killed = next(f for f in facts if f["value"] == 14)
    assert killed["category"] == "killed" and killed["places"] == ["Dar Kabira"]
    assert killed["source"] == "Syrian Network for Human Rights"
    assert not any(f["value"] in (2020, 2254) for f in facts)


def test_extract_file_pipes_stdin_to_stdout(tmp_path: Path) -> None:
    """``-`` reads documents from stdin and writes facts to stdout, the summary to stderr:
    the same facts as through files, and no file called "-" left behind."""
    docs = FIXTURES / "docs.jsonl"
    out = tmp_path / "facts.jsonl"
    assert runner.invoke(build_app(), ["extract-file", str(docs), "-o", str(out)]).exit_code == 0
    piped = subprocess.run(
        [sys.executable, "-m", "crisisdesk.cli", "extract-file", "-", "-o", "-", "--json"],
        input=docs.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert piped.stdout == out.read_text(encoding="utf-8")
    summary = json.loads(piped.stderr)
    assert summary["ok"] and summary["facts"] == len(_lines(out)) > 0
    assert not (tmp_path / "-").exists()


def test_extract_file_reports_bad_lines_and_goes_on(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        '{"id": "a", "text": "Nine people were killed in the shelling."}\n'
        "{not json\n"
        '{"id": "b", "published": "yesterday", "text": "Four homes were hit."}\n'
        '{"id": "c"}\n'
        '{"id": "d", "text": "At least 30 families fled the village."}\n',
        encoding="utf-8",
    )
    out = tmp_path / "facts.jsonl"
    result = runner.invoke(build_app(), ["extract-file", str(docs), "-o", str(out), "--json"])
    assert result.exit_code == 2
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["ok"] is False and summary["documents"] == 2
    assert [e.split(":")[0] for e in summary["errors"]] == ["line 2", "line 3", "line 4"]
    assert "published" in summary["errors"][1] and "text" in summary["errors"][2]
    assert sorted(f["doc"] for f in _lines(out)) == ["a", "d"]


def test_extract_file_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(
        build_app(), ["extract-file", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.jsonl")]
    )
    assert result.exit_code == 3
    assert "cannot read documents file" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_eval_json_prints_referee_numbers_and_causes() -> None:
    args = [
        "eval",
        "--docs",
        str(FIXTURES / "docs.jsonl"),
        "--gold",
        str(FIXTURES / "gold.jsonl"),
        "--pred",
        str(FIXTURES / "pred.jsonl"),
        "--json",
    ]
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["score"]["matched"] == 3 and body["score"]["gold"] == 7
    assert "value parsed differently" in body["diagnosis"]["missed"]


def test_eval_runs_the_extractor_without_pred() -> None:
    args = ["eval", "--docs", str(FIXTURES / "docs.jsonl"), "--gold", str(FIXTURES / "gold.jsonl")]
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("gold 7  predicted")
    assert "Missed (in gold, not found)" in result.stdout


def test_eval_agrees_with_referee_on_dev(dev_corpus: Path, referee: Path, tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    docs, gold = dev_corpus / "docs.jsonl", dev_corpus / "gold.jsonl"
    assert runner.invoke(build_app(), ["extract-file", str(docs), "-o", str(pred)]).exit_code == 0
    ours = runner.invoke(build_app(), ["eval", "--docs", str(docs), "--gold", str(gold), "--json"])
    theirs = subprocess.run(
        [sys.executable, str(referee), str(docs), str(gold), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(ours.stdout)["score"] == json.loads(theirs.stdout)


def test_eval_bad_gold_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc": "fx-1"}\n[1, 2]\n', encoding="utf-8")
    args = ["eval", "--docs", str(FIXTURES / "docs.jsonl"), "--gold", str(gold)]
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 2
    assert "line 2" in " ".join(result.output.split())
