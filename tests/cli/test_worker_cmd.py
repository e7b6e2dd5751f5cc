"""``crisisdesk worker``: the review desk's upload worker run by hand (or as a service)
extracts the queued uploads, and leaves at once (exit 3) when another worker has the store."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from crisisdesk.cli import build_app
from crisisdesk.store import Store

runner = CliRunner()
# a short report of ours
NOTE = b"Volunteers in Ariha said on 4 March that 7 civilians were killed when a school was hit."


def test_worker_reads_queued_uploads(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.sqlite'}"
    with Store.open(url) as store:
        job = store.add_job("note.txt", NOTE, {}, "ana")
    done = runner.invoke(build_app("worker"), ["worker", "--linger", "0", "--db", url])
    assert done.exit_code == 0, done.output
    with Store.open(url) as store:
        read = store.get_job(job.id)
        assert read is not None and read.state == "done" and read.result is not None
        assert read.result["added"] == 1 and read.result["facts"] >= 1
        assert store.count_documents() == 1
        with store.job_claim() as mine:  # another worker holds the store
            assert mine
            busy = runner.invoke(build_app("worker"), ["worker", "--linger", "0", "--db", url])
    assert busy.exit_code == 3
