"""Scoring extracted facts against gold facts, and explaining the differences.

``score`` reproduces the referee (../shared/tools/score_facts.py) number for
number: a predicted fact matches a gold fact in the same document with the
same value when its span (else its quote) overlaps the gold quote; pairs are
made one to one, closest first. ``diagnose`` lists what was missed and what was
invented, grouped by the likely cause, so that the next rule to write is plain.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

FIELDS = ("category", "unit", "qualifier", "dates", "places", "source", "is_total")
_STOPWORDS = frozenset({"the", "of", "in", "for"})

Range = tuple[int, int]


# Arabic letters written in more than one way: alef maqsura as ya, ta marbuta as ha (hamza
# forms come apart under NFKD and lose their combining hamza like any accent).
_ARABIC_FOLD = str.maketrans({"\u0649": "\u064a", "\u0629": "\u0647"})
_TATWEEL = "\u0640"


def _kept(ch: str) -> str:
    """ASCII stays; a letter or digit of a non-Latin script stays (its digits read as 0-9);
    anything else goes, as an accented Latin letter without an ascii form always has."""
    if ch.isascii():
        return ch
    if unicodedata.category(ch)[0] in "LN" and "LATIN" not in unicodedata.name(ch, ""):
        digit = unicodedata.digit(ch, None)
        return ch if digit is None else str(digit)
    return ""


def _folded_words(text: str | None) -> str:
    """Folded words joined by single spaces, as the referee compares strings: case, accents,
    punctuation, tatweel and Arabic letter variants folded, digits of any script as 0-9."""
    flat = unicodedata.normalize("NFKD", text or "")
    flat = "".join(_kept(c) for c in flat if not unicodedata.combining(c) and c != _TATWEEL)
    flat = flat.translate(_ARABIC_FOLD).lower()
    return re.sub(r"[^a-z0-9\u0080-\U0010ffff]+", " ", flat).strip()


# An Arabic article (with a joined wa/fa/bi/ka) before a word of three letters or more.
_ARTICLE = re.compile(r"(?<!\w)[\u0648\u0641\u0628\u0643]?\u0627\u0644(?=\w{3})")


def _vague_words(text: str | None) -> str:
    """A vague amount with or without the Arabic article: "العشرات" and "عشرات" are one amount."""
    return _folded_words(_ARTICLE.sub("", text or ""))


def _source_words(name: str | None) -> str:
    words = _folded_words(name).replace("defense", "defence").split()
    return " ".join(w for w in words if w not in _STOPWORDS)


def _quote_range(text: str, quote: str | None) -> Range | None:
    if not quote:
        return None
    at = text.find(quote)
    return None if at < 0 else (at, at + len(quote))


def _evidence(text: str, fact: Mapping[str, Any]) -> Range | None:
    span = fact.get("span")
    if isinstance(span, list | tuple) and len(span) == 2:
        return int(span[0]), int(span[1])
    return _quote_range(text, fact.get("quote"))


def _overlaps(a: Range | None, b: Range | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def same_value(g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
    if g.get("value") is None:
        return p.get("value") is None and _vague_words(g.get("value_text")) == _vague_words(
            p.get("value_text")
        )
    return g.get("value") == p.get("value") and (g.get("value_high") or None) == (
        p.get("value_high") or None
    )


def _places_ok(g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
    wanted = {_folded_words(x) for x in g.get("places") or []}
    given = {_folded_words(x) for x in p.get("places") or []}
    if not wanted:
        return not given
    return all(any(w in x or x in w for x in given) for w in wanted)


def field_ok(name: str, g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
    """Whether a matched prediction has field ``name`` right, as the referee judges it."""
    if name == "dates":
        return (g.get("date_start"), g.get("date_end")) == (p.get("date_start"), p.get("date_end"))
    if name == "places":
        return _places_ok(g, p)
    if name == "source":
        return _source_words(g.get("source")) == _source_words(p.get("source"))
    if name == "is_total":
        return bool(g.get("is_total")) == bool(p.get("is_total"))
    return g.get(name) == p.get(name)


def pair_up(
    docs: Mapping[str, str], gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs, closest evidence first."""
    gold_at: dict[str, list[int]] = defaultdict(list)
    pred_at: dict[str | None, list[int]] = defaultdict(list)
    for i, g in enumerate(gold):
        gold_at[g["doc"]].append(i)
    for j, p in enumerate(pred):
        pred_at[p.get("doc")].append(j)
    pairs: list[tuple[int, int]] = []
    for doc_id, g_idx in gold_at.items():
        text = docs.get(doc_id, "")
        options = []
        for gi, i in enumerate(g_idx):
            g_range = _quote_range(text, gold[i].get("quote"))
            for pj, j in enumerate(pred_at.get(doc_id, [])):
                p_range = _evidence(text, pred[j])
                if same_value(gold[i], pred[j]) and _overlaps(g_range, p_range):
                    assert g_range is not None and p_range is not None
                    options.append((abs(g_range[0] - p_range[0]), gi, pj, i, j))
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, _, _, i, j in sorted(options):
            if i in used_g or j in used_p:
                continue
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def _prf(hits: int, n_gold: int, n_pred: int) -> tuple[float, float, float]:
    p = hits / n_pred if n_pred else 0.0
    r = hits / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def _restrict(docs: Mapping[str, str], facts: Sequence[Mapping[str, Any]]) -> list:
    return [f for f in facts if f.get("doc") in docs]


def score(docs: dict[str, str], gold: list[dict], pred: list[dict]) -> dict:
    """The referee's numbers: detection P/R/F1, strict P/R/F1, field accuracy, per category."""
    gold = _restrict(docs, gold)
    pred = _restrict(docs, pred)
    pairs = pair_up(docs, gold, pred)
    p, r, f = _prf(len(pairs), len(gold), len(pred))
    strict_hits = sum(
        1
        for i, j in pairs
        if all(field_ok(k, gold[i], pred[j]) for k in ("category", "unit", "qualifier"))
    )
    sp, sr, sf = _prf(strict_hits, len(gold), len(pred))
    accuracy = {
        k: (
            round(sum(field_ok(k, gold[i], pred[j]) for i, j in pairs) / len(pairs), 4)
            if pairs
            else 0.0
        )
        for k in FIELDS
    }
    by_category = {}
    for name in sorted({g["category"] for g in gold}):
        n_gold = sum(1 for g in gold if g["category"] == name)
        n_pred = sum(1 for q in pred if q.get("category") == name)
        hits = sum(
            1 for i, j in pairs if gold[i]["category"] == name and pred[j].get("category") == name
        )
        cp, cr, cf = _prf(hits, n_gold, n_pred)
        by_category[name] = {"precision": cp, "recall": cr, "f1": cf, "gold": n_gold}
    return {
        "gold": len(gold),
        "predicted": len(pred),
        "matched": len(pairs),
        "precision": p,
        "recall": r,
        "f1": f,
        "strict_precision": sp,
        "strict_recall": sr,
        "strict_f1": sf,
        "field_accuracy": accuracy,
        "by_category": by_category,
    }


def format_score(result: Mapping[str, Any], by_category: bool = True) -> str:
    """The referee's text layout."""
    lines = [
        f"gold {result['gold']}  predicted {result['predicted']}  matched {result['matched']}",
        f"detection  P {result['precision']:.3f}  R {result['recall']:.3f}  F1 {result['f1']:.3f}",
        f"strict     P {result['strict_precision']:.3f}  R {result['strict_recall']:.3f}  "
        f"F1 {result['strict_f1']:.3f}",
    ]
    lines += [f"  {k:<10} {v:.3f}" for k, v in result["field_accuracy"].items()]
    if by_category:
        for name, m in result["by_category"].items():
            lines.append(
                f"  {name:<20} gold {m['gold']:>4}  P {m['precision']:.3f}  R {m['recall']:.3f}  "
                f"F1 {m['f1']:.3f}"
            )
    return "\n".join(lines)


# --- diagnosis -----------------------------------------------------------------

_FIELD_CAUSE = {
    "category": "category wrong",
    "unit": "unit wrong",
    "qualifier": "qualifier wrong",
    "dates": "date wrong",
    "places": "places wrong",
    "source": "source wrong",
    "is_total": "is_total wrong",
}


def _value_text(f: Mapping[str, Any]) -> str:
    if f.get("value") is None:
        return str(f.get("value_text"))
    high = f.get("value_high")
    return f"{f['value']}" + (f"-{high}" if high else "")


def _why_missed(text: str, g: Mapping[str, Any], preds: list[Mapping[str, Any]]) -> str:
    """The likely reason a gold fact has no matching prediction, as the extractor sees it."""
    g_range = _quote_range(text, g.get("quote"))
    if g_range is None:
        return "gold quote not found in the text"
    if any(_overlaps(g_range, _evidence(text, p)) and not same_value(g, p) for p in preds):
        return "value parsed differently"
    drafts = [d for d in _drafts(text) if g_range[0] <= d.m.start < g_range[1]]
    same = [d for d in drafts if same_value(g, _mention_json(d.m))]
    if not same:
        return (
            "vague amount not recognised"
            if g.get("value") is None
            else ("no figure found in the gold quote")
        )
    draft = same[0]
    if draft.dropped:
        if draft.dropped in _NOT_FIGURE_REASONS:
            return f"number that is not a figure ({draft.dropped})"
        if "vague" in draft.dropped:
            return "vague amount dropped (no counted noun)"
        return f"dropped: {draft.dropped}"
    if any(_overlaps(g_range, _evidence(text, p)) and same_value(g, p) for p in preds):
        return "matched twice (pairing used the prediction elsewhere)"
    return "not in the predictions (the extractor finds it now)"


_NOT_FIGURE_REASONS = frozenset(
    {
        "decimal",
        "year",
        "date",
        "time",
        "footnote mark",
        "identifier",
        "phone number",
        "age",
        "percentage",
        "rate or ordinal",
        "measure, duration or money",
        "rate, money or age",
        "pronoun",
        "pronoun or article",
    }
)


def _mention_json(m: Any) -> dict[str, Any]:
    return {"value": m.value, "value_high": m.value_high, "value_text": m.value_text}


@lru_cache(maxsize=64)
def _drafts(text: str) -> tuple:
    from crisisdesk.extract import draft_document
    from crisisdesk.model import Document

    return tuple(draft_document(Document(id="diagnose", text=text)))


def _why_spurious(text: str, p: Mapping[str, Any], gold: list[Mapping[str, Any]]) -> str:
    """The likely reason a prediction has no gold partner."""
    p_range = _evidence(text, p)
    near = [g for g in gold if _overlaps(_quote_range(text, g.get("quote")), p_range)]
    if near:
        if any(same_value(g, p) for g in near):
            return "duplicate of a matched figure"
        return "value parsed differently"
    if p_range is not None:
        from crisisdesk.extract import find_numbers, non_figure

        for m in find_numbers(text):
            if p_range[0] <= m.start < p_range[1] and same_value(_mention_json(m), p):
                reason = non_figure(text, m)
                if reason:
                    return f"number that is not a figure ({reason})"
                break
    if p.get("value") is None:
        return "vague amount not annotated"
    if p.get("category") == "other":
        return "count with no humanitarian meaning (category other)"
    return "figure not in gold (check the annotation conventions)"


def diagnose(docs: dict[str, str], gold: list[dict], pred: list[dict]) -> dict:
    """Misses, false alarms and wrong fields, grouped by cause, each with its quote."""
    gold = _restrict(docs, gold)
    pred = _restrict(docs, pred)
    pairs = pair_up(docs, gold, pred)
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    preds_by_doc: dict[str, list] = defaultdict(list)  # unmatched predictions only
    gold_by_doc: dict[str, list] = defaultdict(list)
    for j, p in enumerate(pred):
        if j not in matched_p:
            preds_by_doc[p["doc"]].append(p)
    for g in gold:
        gold_by_doc[g["doc"]].append(g)
    missed: dict[str, list[dict]] = defaultdict(list)
    for i, g in enumerate(gold):
        if i in matched_g:
            continue
        text = docs[g["doc"]]
        cause = _why_missed(text, g, preds_by_doc[g["doc"]])
        missed[cause].append({"doc": g["doc"], "value": _value_text(g), "quote": g.get("quote")})
    spurious: dict[str, list[dict]] = defaultdict(list)
    for j, p in enumerate(pred):
        if j in matched_p:
            continue
        text = docs[p["doc"]]
        cause = _why_spurious(text, p, gold_by_doc[p["doc"]])
        spurious[cause].append(
            {
                "doc": p["doc"],
                "value": _value_text(p),
                "category": p.get("category"),
                "quote": p.get("quote"),
            }
        )
    wrong: dict[str, list[dict]] = defaultdict(list)
    for i, j in pairs:
        g, p = gold[i], pred[j]
        for name in FIELDS:
            if field_ok(name, g, p):
                continue
            want: Any
            got: Any
            if name == "dates":
                want = [g.get("date_start"), g.get("date_end")]
                got = [p.get("date_start"), p.get("date_end")]
            else:
                want, got = g.get(name), p.get(name)
            row = {
                "doc": g["doc"],
                "value": _value_text(g),
                "gold": want,
                "predicted": got,
                "quote": g.get("quote"),
            }
            read_from = _read_from(docs[g["doc"]], name, p.get("evidence"))
            if read_from is not None:
                row["read_from"] = read_from
            wrong[_FIELD_CAUSE[name]].append(row)
    return {
        "missed": dict(sorted(missed.items(), key=lambda kv: -len(kv[1]))),
        "spurious": dict(sorted(spurious.items(), key=lambda kv: -len(kv[1]))),
        "wrong_fields": dict(sorted(wrong.items(), key=lambda kv: -len(kv[1]))),
    }


_EVIDENCE_KEY = {"dates": "period", "source": "source", "places": "places"}


def _read_from(text: str, name: str, evidence: Any) -> str | list[str] | None:
    """The words the extractor read a field from (its ``evidence`` spans), so that a
    wrong period, source or place shows why it was chosen; None when not recorded."""
    key = _EVIDENCE_KEY.get(name)
    if key is None or not isinstance(evidence, Mapping):
        return None
    spans = evidence.get(key)
    if not spans:
        return None

    def words(span: Any) -> str:
        start, end = int(span[0]), int(span[1])
        return text[start:end] if 0 <= start < end <= len(text) else ""

    if key == "places":
        return [words(s) for s in spans]
    return words(spans)


def format_diagnosis(report: Mapping[str, Any]) -> str:
    """Plain-text listing of a diagnosis, most frequent cause first."""
    lines: list[str] = []
    titles = (
        ("missed", "Missed (in gold, not found)"),
        ("spurious", "False alarms (found, not in gold)"),
        ("wrong_fields", "Matched with a wrong field"),
    )
    for key, title in titles:
        groups = report.get(key) or {}
        total = sum(len(v) for v in groups.values())
        lines.append(f"{title}: {total}")
        for cause, items in groups.items():
            lines.append(f"  {cause} ({len(items)})")
            for it in items:
                extra = ""
                if "gold" in it:
                    extra = f"  gold={it['gold']} predicted={it['predicted']}"
                    if it.get("read_from"):
                        extra += f" (read from {it['read_from']!r})"
                elif it.get("category"):
                    extra = f"  [{it['category']}]"
                lines.append(f"    - {it['doc']}: {it['value']}{extra}  «{it['quote']}»")
    return "\n".join(lines)
