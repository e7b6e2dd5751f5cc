"""An Arabic benchmark input made from sentence templates written for crisisdesk.

The sentences are ours (no corpus sentence is copied): the kinds of statement an Arabic
field report holds — tolls with a source, displacement in families and people, strikes,
barrel bombs and shells, facilities put out of service, camps — with numbers written as
Arabic writes them (Latin digits, Arabic-Indic digits, number words, vague amounts),
Levantine and Gulf month names, weekdays, places with their generic words and regions.
Deterministic for a seed, so that two runs time the same text.

usage: python benchmarks/arabic_corpus.py OUT.jsonl [--mb 4] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

# organisations named as the subject of a verb in the masculine ("قال", "أحصى")...
SPEAKERS = (
    "الدفاع المدني السوري",
    "فريق منسقو استجابة سوريا",
    "المرصد السوري لحقوق الإنسان",
    "مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية",
)
# ...and any of them after "بحسب" or "وفق"
SOURCES = (*SPEAKERS, "الشبكة السورية لحقوق الإنسان", "مديرية صحة إدلب", "منظمة الصحة العالمية")
PLACES = (
    "سرمين", "أريحا", "معرة النعمان", "سراقب", "أطمة", "الأتارب", "كفرنبل", "جسر الشغور",
    "دارة عزة", "بنش", "تفتناز", "خان شيخون", "حاس", "كفرتخاريم", "سلقين", "حارم",
)  # fmt: skip
GENERIC = ("مدينة", "بلدة", "قرية", "حي", "مخيم")
REGIONS = ("ريف إدلب الجنوبي", "ريف إدلب الشرقي", "ريف حلب الغربي", "جبل الزاوية", "سهل الغاب")
MONTHS = (
    "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
    "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
)  # fmt: skip
WEEKDAYS = ("السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")
VAGUE = ("عشرات", "العشرات من", "مئات", "آلاف", "عشرات الآلاف من")
QUALIFIERS = ("أكثر من", "ما لا يقل عن", "نحو", "حوالي", "قرابة", "زهاء", "ما يقارب")
INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# {few}: 3 to 10, before a plural noun; {many}: 11 and more, before a singular one
TEMPLATES = (
    "قال {speaker} إن {many} مدنياً قُتلوا وأصيب {few} آخرون في غارات جوية على {generic} "
    "{place} يوم {weekday}.",
    "أحصى {speaker} نزوح {q} {big} عائلة من {place} و{region} خلال الأسبوع الماضي باتجاه "
    "المخيمات القريبة من الحدود.",
    "استهدفت {many} غارة جوية {generic} {place} منذ صباح {weekday}، بحسب {source}.",
    "وأفادت مصادر محلية بسقوط {many} قذيفة مدفعية على الأحياء السكنية في {place} ليلة {weekday}.",
    "وثّق {speaker} مقتل {word} أشخاص بينهم {few} أطفال في {region} خلال شهر {month}.",
    "وخرج مستشفى {place} عن الخدمة بعد قصف صاروخي في {day} {month}، بحسب {source}.",
    "وبلغ عدد النازحين منذ مطلع {month} {q} {big} شخص، وفق تقديرات {source}.",
    "وألقت المروحيات {few} براميل متفجرة على قرى {region}، ما أدى إلى إصابة {many} مدنياً.",
    "وأشار {speaker} إلى أن فرقه انتشلت جثث {word} أشخاص من تحت الأنقاض في {place}.",
    "وتضررت {vague} المنازل ومدرستان في {place} جراء القصف، وفرّت {vague} العائلات نحو الشمال.",
    "وسجّلت فرق الرصد {many} هجوماً على المرافق الصحية منذ {day} {month} {year}.",
    "ويعيش {q} {big} نازح في {many} مخيماً عشوائياً قرب {place} دون تدفئة كافية.",
    "ولقي {word} من عناصر الفصائل حتفهم في اشتباكات على أطراف {place} أمس.",
    "وأعلن {speaker} خلال الـ 24 ساعة الماضية عن {many} إصابة جديدة في {region}.",
    "وعادت {many} عائلة إلى {place} بعد توقف القصف، فيما لا تزال {big} عائلة في المخيمات.",
)
NUMBER_WORDS_FEW = ("ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة")


def _number(rng: random.Random, low: int, high: int) -> str:
    """A number as Arabic reports write it: Latin digits mostly, Arabic-Indic often."""
    value = str(rng.randint(low, high))
    return value.translate(INDIC) if rng.random() < 0.35 else value


def _big(rng: random.Random) -> str:
    value = rng.randint(120, 98000)
    text = f"{value:,}" if rng.random() < 0.5 else str(value)
    return text.translate(INDIC) if rng.random() < 0.3 else text


def sentence(rng: random.Random) -> str:
    template = rng.choice(TEMPLATES)
    return template.format(
        speaker=rng.choice(SPEAKERS),
        source=rng.choice(SOURCES),
        place=rng.choice(PLACES),
        generic=rng.choice(GENERIC),
        region=rng.choice(REGIONS),
        month=rng.choice(MONTHS),
        weekday=rng.choice(WEEKDAYS),
        word=rng.choice(NUMBER_WORDS_FEW),
        vague=rng.choice(VAGUE),
        q=rng.choice(QUALIFIERS),
        few=_number(rng, 3, 10),
        many=_number(rng, 11, 400),
        big=_big(rng),
        day=_number(rng, 1, 28),
        year=rng.choice(("2019", "2020", "٢٠٢٠")),
    )


def document(rng: random.Random, number: int) -> dict[str, str]:
    """One report: a dateline, then two to four paragraphs of three to six sentences."""
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    dateline = f"إدلب، {day} {MONTHS[month - 1]} 2020"
    paragraphs = [
        " ".join(sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(rng.randint(2, 4))
    ]
    return {
        "id": f"ar-bench-{number}",
        "published": f"2020-{month:02d}-{day:02d}",
        "text": "\n\n".join([dateline, *paragraphs]),
    }


def build_arabic_input(dest: Path, target_bytes: int, seed: int = 0) -> tuple[int, int]:
    """Write reports to ``dest`` (JSON lines) until their texts hold ``target_bytes`` bytes
    of UTF-8 (an Arabic letter is two bytes); the number of characters and of documents."""
    rng = random.Random(seed)
    size = chars = n = 0
    with dest.open("w", encoding="utf-8") as out:
        while size < target_bytes:
            doc = document(rng, n)
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            chars += len(doc["text"])
            size += len(doc["text"].encode("utf-8"))
            n += 1
    return chars, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=float, default=4.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    chars, n = build_arabic_input(args.out, int(args.mb * 1_000_000), args.seed)
    size = args.out.stat().st_size / 1e6
    sys.stderr.write(f"{n:,} documents, {chars / 1e6:.1f} M characters ({size:.1f} MB file)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
