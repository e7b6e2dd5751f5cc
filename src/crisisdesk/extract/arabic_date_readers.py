"""One small reader per kind of Arabic date expression (a numeric date, a day, a month,
"the week of", "last year", a span back from the report ...), each turning a match of its
pattern into the first and last day it covers, against the publication date or, with
none, the year the text states for that month. ``ArabicDates`` finds the expressions and
combines them into periods; it inherits these readers."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from crisisdesk.extract.arabic_date_vocab import AFTER_SPAN, _vocab
from crisisdesk.extract.arabic_numbers import numbers_vocab
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.tokens import fold
from crisisdesk.vocab import load_lang_yaml

_HALF = compile_rx(r"النصف\s+ال(?:ا(ول)|ثاني)\s+(?:من\s+)?$")
# a quarter or a half of the year written after it ("الربع الأول من العام 2024")
_YEAR_PART_ORDINALS = ("اول", "ثاني", "ثالث", "رابع")
# ("الربع الأخير", "النصف الأخير": the last one)
_PART_OF_YEAR = compile_rx(r"ال(ربع|نصف)\s+ال(اول|ثاني|ثالث|رابع|اخير)\s+(?:من\s+)?$")


class DateReaders:
    """The readers of date expressions; the document they read is the subclass's."""

    folded: str
    published: date | None
    stated: dict[int, int]

    def _month(self, written: str) -> int | None:
        months = _vocab().months
        words = written.replace("/", " ").replace("-", " ").split()
        for n in (2, 1):
            for i in range(len(words) - n + 1):
                key = " ".join(words[i : i + n])
                if key in months:
                    return months[key]
        return None

    def _year_for(self, month: int, day: int = 1) -> int | None:
        pub = self.published
        if pub is not None:
            return pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1
        return self.stated.get(month)

    def _read_numeric(self, m: re.Match[str]) -> tuple[date, date] | None:
        if m.group(1):
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            d, y = int(m.group(4)), int(m.group(6))
            mo = self._month(m.group(5)) or 0
        day = safe_date(y, mo, d)
        return (day, day) if day else None

    def _read_day_range(self, m: re.Match[str]) -> tuple[date | None, date | None] | None:
        mo = self._month(m.group(3))
        if mo is None:
            return None
        d1, d2 = int(m.group(1)), int(m.group(2))
        y = int(m.group(4)) if m.group(4) else self._year_for(mo, d1)
        if y is None:
            return (None, None)
        a, b = safe_date(y, mo, d1), safe_date(y, mo, d2)
        return (a, b) if a and b and a <= b else None

    def _read_day(self, m: re.Match[str]) -> tuple[date | None, date | None] | None:
        mo = self._month(m.group(2))
        raw = m.group(1)
        d = int(raw) if raw.isdigit() else ordinal(raw)
        if mo is None or d is None:
            return None
        y = int(m.group(3)) if m.group(3) else self._year_for(mo, d)
        if y is None:
            return (None, None)
        day = safe_date(y, mo, d)
        return (day, day) if day else None

    def _read_month(self, m: re.Match[str]) -> tuple[date | None, date | None] | None:
        mo = self._month(m.group(1))
        if mo is None:
            return None
        alone = not (m.group(2) or m.group(3) or m.group(4)) and "شهر" not in m.group(0)
        if alone and " ".join(m.group(1).split()) in _vocab().ambiguous_names:
            return None
        rel = m.group(2)
        pub = self.published
        if m.group(3):
            y: int | None = int(m.group(3))
        elif m.group(4) and pub is not None:
            y = pub.year - 1
        elif rel and pub is not None and fold("الجاري") != rel and fold("الحالي") != rel:
            y = pub.year if mo < pub.month else pub.year - 1
        else:
            y = self._year_for(mo)
        if y is None:
            return (None, None)
        last = date(y, mo, calendar.monthrange(y, mo)[1])
        half = _HALF.search(self.folded, max(0, m.start() - 20), m.start())
        if half:  # "النصف الأول من شهر آب": 1-15; "النصف الثاني": 16 to the end
            return (date(y, mo, 1), date(y, mo, 15)) if half[1] == "ول" else (date(y, mo, 16), last)
        return date(y, mo, 1), last

    def _read_week_of(self, m: re.Match[str]) -> tuple[date | None, date | None] | None:
        """ "الأسبوع الرابع من يناير": days 22-28 of the month; "الأسبوع الأول من العام
        الجاري": the year's first seven days."""
        n = ordinal(m.group(1))
        if n is None or n > 5:
            return None
        pub = self.published
        if m.group(2) is None:  # a week of a year: the one written, else the publication's
            y = int(m.group(5)) if m.group(5) else pub.year if pub else None
            if y is None:
                return (None, None)
            first = date(y, 1, 1) + timedelta(days=7 * (n - 1))
            return first, first + timedelta(days=6)
        mo = self._month(m.group(2))
        if mo is None:
            return None
        rel = m.group(3)
        if m.group(4):
            y = int(m.group(4))
        elif rel in _vocab().last_month and pub is not None:
            y = pub.year if mo < pub.month else pub.year - 1
        else:
            y = self._year_for(mo)
        if y is None:
            return (None, None)
        end = date(y, mo, calendar.monthrange(y, mo)[1])
        first = date(y, mo, 7 * (n - 1) + 1)
        return (first, min(end, first + timedelta(days=6))) if first <= end else None

    def _read_day_this_month(self, m: re.Match[str]) -> tuple[date | None, date | None] | None:
        """ "19 من الشهر الجاري": a day of the publication's month; "12 من الشهر الماضي":
        of the month before."""
        pub = self.published
        raw = m.group(1)
        d = int(raw) if raw.isdigit() else ordinal(raw)
        if d is None:
            return None
        if pub is None or m.group(2) in _vocab().same_month:
            return (None, None)  # (the same month's day: read with the date before it)
        if m.group(2) in _vocab().last_month:
            first, _ = last_month(pub)
            day = safe_date(first.year, first.month, d)
            return (day, day) if day else None
        day = safe_date(pub.year, pub.month, d)
        return (day, day) if day and day <= pub else None

    def _read_last_year(self, m: re.Match[str]) -> tuple[date | None, date | None]:
        """ "خلال العام الفائت": the calendar year before publication."""
        pub = self.published
        return (date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31)) if pub else (None, None)

    def _read_year_start(self, m: re.Match[str]) -> tuple[date | None, date | None]:
        """ "بداية العام": from the first day of the publication's year."""
        pub = self.published
        return (date(pub.year, 1, 1), pub) if pub else (None, None)

    def _read_weekend(self, m: re.Match[str]) -> tuple[date | None, date | None]:
        """ "خلال عطلة نهاية الأسبوع": the Saturday and Sunday on or before publication."""
        pub = self.published
        if pub is None:
            return (None, None)
        sunday = pub - timedelta(days=(pub.weekday() - 6) % 7)
        return sunday - timedelta(days=1), sunday

    def _read_month_start(self, m: re.Match[str]) -> tuple[date | None, date | None]:
        """ "مطلع الشهر الجاري": from the first day of the publication's month."""
        pub = self.published
        return (date(pub.year, pub.month, 1), pub) if pub else (None, None)

    def _read_year_only(self, m: re.Match[str]) -> tuple[date, date]:
        """ "خلال عام 2023": the whole year; "الربع الأول من العام 2024" its first quarter,
        "النصف الثاني من عام 2023" its second half, "الربع الأخير" its last quarter."""
        y = int(m.group(1))
        part = _PART_OF_YEAR.search(self.folded, max(0, m.start() - 20), m.start())
        if part:
            size = 3 if part[1] == "ربع" else 6
            nth = _YEAR_PART_ORDINALS.index(part[2]) if part[2] != "اخير" else 12 // size - 1
            first = 1 + size * nth
            if first <= 12:
                last = first + size - 1
                return date(y, first, 1), date(y, last, calendar.monthrange(y, last)[1])
        return date(y, 1, 1), date(y, 12, 31)

    @staticmethod
    def span_count(m: re.Match[str]) -> int:
        """How many units a "last N units" span counts ("الـ72 ساعة" 72, "الأيام الثلاثة" 3;
        0 when it counts none: "خلال أيام")."""
        after = (m.group(4) or "").removeprefix("ال").strip()
        if m.group(1) or after.isdigit():  # "الـ24 ساعة", "الساعات الـ24"
            return int(m.group(1) or after)
        return _count(m.group(2) or after)

    def _read_last_span(self, m: re.Match[str]) -> tuple[date | None, date | None] | None:
        if m.group(4) and self._month(m.group(4)) is not None:
            return None  # "خلال شهر حزيران الماضي": the month of June, read as a month
        pub = self.published
        unit = _vocab().span_units.get(m.group(3), 1)
        n = self.span_count(m)
        if m.group(0).lstrip("وف").startswith(AFTER_SPAN):
            nxt = self.folded[m.end() : m.end() + 30].split()[:2]
            return (None, None) if nxt[1:] and nxt[1] in _vocab().after_span_of else None
        if m.end() == m.end(3) and m.group(3) in _vocab().counted_units:
            nxt = self.folded[m.end() : m.end() + 12].split()[:1]
            if nxt and nxt[0] == "من" and (n > 1 or m.group(3) == "اسبوع"):
                # "خلال 4 أيام من سيطرة ...", "خلال 21 يوما من شهر رمضان": days counted from an
                # event or within a month, not to today; still days, which the text does not date
                return (None, None)
            if nxt and (nxt[0] == "علي" or nxt[0][:1].isdigit() or _weekday(nxt[0])):
                return None  # "خلال 4 أيام على ...", "خلال 3 أيام 5-7 آذار": dated elsewhere
            if m.group(3) == "يوم":
                return (None, None)  # "خلال يوم": one day, which one the text does not say
            if n == 0 and m.group(3) not in ("يوم", "اسبوع"):
                return None  # "خلال عدة أيام", "في أيام", "خلال أشهر": not counted, no span
        if pub is None:
            return (None, None)
        if n == 0 and self._last_month_named(m.group(0)):
            return last_month(pub)  # "خلال الشهر الماضي": the calendar month before
        if unit == 0:  # the last 24 hours: the day before publication to publication
            return pub - timedelta(days=max(1, -(-n // 24))), pub  # "الـ48 ساعة": two days
        return pub - timedelta(days=unit * max(n, 1)), pub

    def _read_bare_span(self, m: re.Match[str]) -> tuple[date | None, date | None] | None:
        """ "الأسبوع الماضي" (the seven days to publication), "الشهر الماضي" (the calendar
        month before), with no "خلال" before them."""
        pub = self.published
        if pub is None:
            return (None, None)
        if self._last_month_named(m.group(0)):
            return last_month(pub)
        unit = _vocab().span_units.get(m.group(1).removeprefix("ال"), 0)
        return (pub - timedelta(days=unit), pub) if unit else None

    @staticmethod
    def _last_month_named(words: str) -> bool:
        """Whether a span names "الشهر" (singular, no count) with a word for "the one before"
        ("الماضي", "المنصرم"): that month is a calendar month, as after a month name."""
        parts = words.split()
        return len(parts) >= 2 and parts[-2].endswith("الشهر") and parts[-1] in _vocab().last_month

    def _relative(self, kind: str, m: re.Match[str]) -> date | None:
        pub = self.published
        if pub is None:
            return None
        if kind == "yesterday":
            words = load_lang_yaml("ar", "periods")["day_before_yesterday"]
            before = any(fold(str(w)) in m.group(0) for w in words)
            return pub - timedelta(days=2 if before else 1)
        if kind == "today":
            return pub
        wd = _vocab().weekdays.get(m.group(1))
        if wd is None:
            return None
        return pub - timedelta(days=(pub.weekday() - wd) % 7)


def ordinal(raw: str) -> int | None:
    """An ordinal day as written ("الثامن", "والثامن" at the end of a range)."""
    return _vocab().ordinals.get(" ".join(raw.removeprefix("و").split()))


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def last_month(pub: date) -> tuple[date, date]:
    """The calendar month before the one of ``pub``."""
    last = pub.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _weekday(word: str) -> bool:
    """ "الجمعة", "الثلاثاء": a weekday after "يوم" names that day ("خلال يوم الجمعة")."""
    return any(fold(str(w)) == word for w in load_lang_yaml("ar", "periods")["weekdays"])


def _count(words: str) -> int:
    """ "السبعة" -> 7, "الأربع والعشرين" -> 24: a small number written in words."""
    nv = numbers_vocab()
    total = 0
    for w in words.split():
        w = w.removeprefix("و").removeprefix("ال")
        total += nv.units.get(w, 0) or nv.tens.get(w, 0) or nv.units.get(w + "ه", 0)
    return total
