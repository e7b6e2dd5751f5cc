"""`crisisdesk eval` gives the referee's numbers on Arabic: places, sources and vague amounts
compared after folding Arabic letter variants, digits of any script read as 0-9, and a vague
amount matched with or without its article.

The predictions are the ar-dev gold facts perturbed the way an extractor's output differs from
an annotator's: other spellings of the same place (hamza forms, ta marbuta, alef maqsura,
tatweel, diacritics), Arabic-Indic digits, a vague amount with or without "ال"; and, so that
the numbers are not all 1.0, some facts wrong on purpose (another place, another amount, a
dropped fact, an invented one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crisisdesk.evaluate import field_ok, same_value, score

REPO = Path(__file__).resolve().parents[1]
AR_DEV = REPO.parent / "shared" / "corpus" / "ar-dev"

_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# Each respelling writes the same name another way; the referee must fold it back.
_RESPELLINGS = (
    lambda s: s.replace("إ", "ا").replace("أ", "ا").replace("آ", "ا"),  # hamza on alef dropped
    lambda s: s.replace("ة", "ه"),  # ta marbuta as ha
    lambda s: s[:-1] + "ى" if s.endswith("ي") else s.replace("ى", "ي"),  # alef maqsura
    lambda s: s[:1] + "ـ" + s[1:] if len(s) > 2 else s,  # tatweel
    lambda s: s[:1] + "َ" + s[1:] if len(s) > 2 else s,  # a fatha
)


def _respell(place: str, i: int) -> str:
    """Another spelling of ``place``: the i-th respelling that changes it, else the name as is."""
    for k in range(len(_RESPELLINGS)):
        other = _RESPELLINGS[(i + k) % len(_RESPELLINGS)](place)
        if other != place:
            return other
    return place


def _toggle_article(amount: str) -> str:
    return amount[2:] if amount.startswith("ال") else "ال" + amount


def _perturb(gold: list[dict]) -> list[dict]:
    pred: list[dict] = []
    for i, g in enumerate(gold):
        if i % 13 == 5:
            continue  # missed
        p = dict(g)
        p["places"] = [_respell(x, i + n) for n, x in enumerate(g.get("places") or [])]
        if g.get("value") is None:
            p["value_text"] = _toggle_article(g["value_text"]) if i % 2 else g["value_text"]
            if i % 9 == 4:
                p["value_text"] = "مئات" if "عشرات" in g["value_text"] else "عشرات"  # wrong amount
        else:
            digits = _INDIC if i % 2 else _PERSIAN
            p["value_text"] = str(g["value"]).translate(digits)
            if i % 17 == 3:
                p["value"] = g["value"] + 1  # wrong value: no match
        if i % 7 == 2 and p["places"]:
            p["places"] = ["حلب"]  # wrong place
        if g.get("source") == "Syrian Civil Defence" and i % 3 == 0:
            p["source"] = "the Syrian civil defense"
        elif g.get("source") and i % 11 == 1:
            p["source"] = "الدفاع المدني"  # an Arabic name is not the canonical one
        pred.append(p)
        if i % 19 == 0:
            pred.append(dict(p, value=None, value_text="عشرات", category="other"))  # invented
    return pred


@pytest.fixture(scope="module")
def ar_dev() -> Path:
    if not (AR_DEV / "docs.jsonl").exists() or not (AR_DEV / "gold.jsonl").exists():
        pytest.skip("../shared/corpus/ar-dev is not present")
    return AR_DEV


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _run(*args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_eval_equals_referee_on_perturbed_ar_dev(ar_dev: Path, tmp_path: Path) -> None:
    referee = REPO.parent / "shared" / "tools" / "score_facts.py"
    if not referee.exists():
        pytest.skip("../shared/tools/score_facts.py is not present")
    gold = _jsonl(ar_dev / "gold.jsonl")
    pred_path = tmp_path / "pred.jsonl"
    pred = _perturb(gold)
    pred_path.write_text(
        "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pred), encoding="utf-8"
    )
    docs, gold_path = ar_dev / "docs.jsonl", ar_dev / "gold.jsonl"
    theirs = _run(str(referee), str(docs), str(gold_path), str(pred_path), "--json")
    ours = _run(
        "-m",
        "crisisdesk.cli",
        "eval",
        "--docs",
        str(docs),
        "--gold",
        str(gold_path),
        "--pred",
        str(pred_path),
        "--json",
    )["score"]
    assert ours == theirs
    # the perturbation is neither all right nor all wrong, so equality says something
    assert 0.8 < theirs["f1"] < 1.0
    assert 0.8 < theirs["field_accuracy"]["places"] < 1.0
    assert 0.8 < theirs["field_accuracy"]["source"] < 1.0
    texts = {d["id"]: d["text"] for d in _jsonl(docs)}
    assert score(texts, gold, pred) == theirs


@pytest.mark.parametrize(
    ("gold", "pred", "same"),
    [
        ("العشرات", "عشرات", True),
        ("عشرات", "بالعشرات", True),
        ("الآلاف", "آلاف", True),
        ("مئات آلاف", "المئات آلاف", True),
        ("عشرات", "مئات", False),
        ("آلاف", "عشرات الآلاف", False),
    ],
)
def test_vague_amount_with_or_without_article(gold: str, pred: str, same: bool) -> None:
    g = {"value": None, "value_text": gold}
    p = {"value": None, "value_text": pred}
    assert same_value(g, p) is same


@pytest.mark.parametrize(
    ("gold", "pred", "same"),
    [
        ("معرّة النعمان", "معرة النعمان", True),  # shadda
        ("إدلب", "ادلب", True),  # hamza below
        ("كفرنبل", "كفرنبـل", True),  # tatweel
        ("الرقة", "الرقه", True),  # ta marbuta
        ("حلب", "إدلب", False),
        ("حي ٣", "حي 3", True),  # Arabic-Indic digit
        ("إدلب", "", False),
    ],
)
def test_places_fold_arabic_variants(gold: str, pred: str, same: bool) -> None:
    g = {"places": [gold]}
    p = {"places": [pred] if pred else []}
    assert field_ok("places", g, p) is same
