"""Where the benchmarks find the checkout and the shared development corpora.

The corpora live in ``shared/corpus`` beside the checkout, or beside a folder that holds it
(a git worktree under another folder); the extraction benchmarks default to dev, dev2 and
dev3."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = next(
    (p / "shared" / "corpus" for p in REPO.parents if (p / "shared" / "corpus").is_dir()),
    REPO.parent / "shared" / "corpus",
)
DEFAULT_DOCS = [CORPUS / name / "docs.jsonl" for name in ("dev", "dev2", "dev3")]
