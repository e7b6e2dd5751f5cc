"""The extractor type-checks: it is the package mypyc compiles (benchmarks/compiled_extract.py),
and a split or a merge that shadows a name or passes the wrong record is a type error
mypy finds before a corpus run does."""

from __future__ import annotations

import os
from pathlib import Path

from mypy import api

EXTRACT = Path(__file__).resolve().parents[1] / "src" / "crisisdesk" / "extract"


def test_extract_package_type_checks() -> None:
    out, err, status = api.run(
        ["--ignore-missing-imports", "--cache-dir", os.devnull, "--no-error-summary", str(EXTRACT)]
    )
    assert status == 0, f"mypy found type errors in crisisdesk.extract:\n{out}{err}"
