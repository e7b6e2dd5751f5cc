"""Periods in Arabic text: dates, months, relative days and spans, resolved against the
publication date, and the period each figure covers.

Month names are data (``data/vocab/ar/periods.yaml``): the Levantine and Iraqi names
(كانون الثاني ... كانون الأول), the Egyptian/Gulf ones (يناير ... ديسمبر) and the
Maghrebi ones, alone or written together ("يناير/كانون الثاني"). We match on a folded
copy of the text with an offset map, so every period's span indexes the original.

dateparser is not used here: its plain "ar" locale does not know the Levantine month
names (they sit under ar-SY, ar-LB ...), it reads منذ as "ago" where conflict reports
mean "since", and it reads one date, not the ranges ("بين 26 و29 أكتوبر",
"من 16/01/2020 وحتى 21/01/2020") that carry most periods. Our own reader is also
what keeps Arabic extraction fast; the English reader still calls dateparser for the
rare formats it does not know.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import compress, count

from crisisdesk.extract.arabic_date_readers import DateReaders, ordinal, safe_date
from crisisdesk.extract.arabic_date_vocab import (
    _DIGIT_LED,
    _DIGITS_RUN,
    _SAID_KINDS,
    _SPAN_KINDS,
    _vocab,
    bound_word,
    same_start,
)
from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.periods import Period
from crisisdesk.extract.tokens import (
    fold_with_offsets,
    folded_words,
    matches_at,
    span_back,
)

__all__ = ["ArabicDates"]


@dataclass(slots=True)
class _Point:
    """A date expression: its folded span and the days it covers (None: undated)."""

    start: int
    end: int
    first: date | None
    last: date | None
    kind: str  # day, month, span, relative


class ArabicDates(DateReaders):
    """Periods of one Arabic document, resolved against its publication date (or, with
    none, only where the text writes the year)."""

    def __init__(
        self,
        text: str,
        published: date | None,
        folded: tuple[str, list[int]] | None = None,
        words: tuple[list[str], list[int]] | None = None,
    ) -> None:
        """``folded`` is the document's ``fold_with_offsets`` and ``words`` the words of
        that copy with their starts in it (``folded_words``), when the caller has them."""
        self.text = text
        self.folded, self.offsets = folded or fold_with_offsets(text)
        self.published = published
        self._words = words
        self._starts: dict[str, list[int]] | None = None
        self._all: list[_Point] | None = None
        # days a report was made on that announce an event right after ("أعلن المرصد اليوم
        # الخميس، مقتل 22"): the event's day when its sentence states no other
        self._event_starts: set[int] = set()
        self._all_starts: list[int] = []
        self._said: list[tuple[int, date]] = []  # (where, the day) a report was made on
        # with no publication date, a month takes the year the text writes for it
        # elsewhere ("في كانون الثاني 2020" ... "في كانون الثاني المنصرم")
        self.stated: dict[int, int] = {}
        if published is None:
            for kind in ("day", "month"):
                for m in self._matches(kind, 0, len(self.folded)):
                    year = m.group(3)
                    mo = self._month(m.group(2) if kind == "day" else m.group(1))
                    if year and mo:
                        self.stated[mo] = int(year)

    def _matches(self, kind: str, fs: int, fe: int) -> Iterator[re.Match[str]]:
        """``rx[kind].finditer`` over ``folded[fs:fe]``, the same matches found faster:
        the engine would try a pattern led by a look-behind at every character; here it
        is tried only where a match can start (``_start_index``)."""
        rx = _vocab().rx[kind]
        starts = self._start_index().get(kind)
        if starts is None:  # a pattern with no index: run as it is
            return rx.finditer(self.folded, fs, fe)
        return matches_at(rx, self.folded, starts, fs, fe)

    def _start_index(self) -> dict[str, list[int]]:
        """Per pattern, the folded offsets where a match may start, in order: one pass
        over the document's words (``_leads``) and digit runs, shared by every pattern
        and every sentence."""
        if self._starts is not None:
            return self._starts
        leads = _vocab().leads
        out: dict[str, list[int]] = {kind: [] for kind in _vocab().indexed}
        norms, fstarts = self._words or folded_words(self.folded)[:2]
        for i in compress(count(), map(leads.__contains__, norms)):
            for kind in leads[norms[i]]:
                out[kind].append(fstarts[i])
        digits = [m.start() for m in _DIGITS_RUN.finditer(self.folded)]
        for kind in _DIGIT_LED:
            out[kind] = sorted(out[kind] + digits) if out[kind] else digits
        self._starts = out
        return out

    def _f(self, pos: int) -> int:
        """The folded offset of an original offset (the next kept character)."""
        return bisect.bisect_left(self.offsets, pos)

    def periods(self, start: int, end: int) -> list[Period]:
        """The periods stated in ``text[start:end]``, with spans into the original text."""
        fs, fe = self._f(start), self._f(end)
        points = self._points_in(fs, fe)
        if any(p.start not in self._event_starts for p in points):
            points = [p for p in points if p.start not in self._event_starts]
        return self._combine(points, fs)

    def _points_in(self, fs: int, fe: int) -> list[_Point]:
        """The date expressions inside ``[fs, fe)``, read once for the whole document."""
        if self._all is None:
            self._all = self._points(0, len(self.folded))
            self._all_starts = [p.start for p in self._all]
        a = bisect.bisect_left(self._all_starts, fs)
        b = bisect.bisect_left(self._all_starts, fe)
        return [p for p in self._all[a:b] if p.end <= fe]

    # --- reading points ----------------------------------------------------------------

    def _points(self, fs: int, fe: int) -> list[_Point]:
        v = _vocab()
        s = self.folded
        found: list[_Point] = []
        taken: list[tuple[int, int]] = []
        said = self._said  # the days a sentence's report was made on

        def free(a: int, b: int) -> bool:
            return all(b <= x or a >= y for x, y in taken)

        for kind in (
            "week_of",
            "numeric",
            "day_range",
            "day",
            "day_this_month",
            "day_of_it",
            "last_span",
            "bare_span",
            "month",
            "year_only",
            "year_start",
            "month_start",
            "last_year",
            "weekend",
        ):
            for m in self._matches(kind, fs, fe):
                if not free(m.start(), m.end()):
                    continue
                if kind in _SAID_KINDS and self._reported_on(m.start(), m.end(), fs):
                    taken.append((m.start(), m.end()))
                    on = getattr(self, f"_read_{kind}")(m)
                    if on is not None and on[0] is not None and on[0] == on[1]:
                        said.append((m.start(), on[0]))
                    continue  # "أعلنت ... الأسبوع الماضي أن", "في تقرير نشرته أمس الجمعة 1 أيار"
                    # (the day a report came out): when it was said
                got = getattr(self, f"_read_{kind}")(m)
                if got is not None:
                    hours = kind == "last_span" and not v.span_units.get(m.group(3), 1)
                    long = got[0] is not None and got[1] is not None and (got[1] - got[0]).days > 1
                    long = long or hours and self.span_count(m) > 24  # undated, as dated
                    # the last 24 hours: one day's count; 48 hours are two days, dated or not
                    kind_of = "last_day" if hours and not long else kind
                    found.append(_Point(m.start(), m.end(), got[0], got[1], kind_of))
                    taken.append((m.start(), m.end()))
        pub = self.published
        said_ends: list[int] = []  # where the days a report was made on end
        for kind in ("yesterday", "today", "weekday"):
            for m in self._matches(kind, fs, fe):
                if not free(m.start(), m.end()):
                    continue
                taken.append((m.start(), m.end()))
                if self._reported_on(m.start(), m.end(), fs):
                    if not self._announces(m.end()):
                        on = self._relative(kind, m)
                        if on is not None:
                            said.append((m.start(), on))
                        said_ends.append(m.end())
                        continue  # when the report was made, not what its figures cover
                    self._event_starts.add(m.start())
                day = self._relative(kind, m)
                found.append(_Point(m.start(), m.end(), day, day, "relative"))
        if said_ends:
            found = self._drop_said_dates(found, said_ends)
        found.sort(key=lambda p: p.start)
        self._same_month(found)
        for p in found:  # "قال ... أمس إن ... خلال العام الجاري": the year to the day it was said
            if p.kind in ("year_start", "month_start") and p.last == pub:
                days = [
                    d
                    for at, d in said
                    if at < p.start
                    and p.first is not None
                    and p.first <= d
                    and not _SENTENCE_END.search(s, at, p.start)  # in the same sentence
                ]
                if days:
                    p.last = days[-1]
        # "أمس الثلاثاء", "اليوم الخميس": one day, not two
        merged: list[_Point] = []
        for p in found:
            if (
                merged
                and merged[-1].kind == "relative"
                and p.kind == "day"
                and not s[merged[-1].end : p.start].strip(" ،,")
            ):
                p.start = merged[-1].start  # "أمس الجمعة 15 تشرين الثاني": the date names the day
                merged[-1] = p
                continue
            if (
                merged
                and merged[-1].kind == p.kind == "relative"
                and not s[merged[-1].end : p.start].strip(" ،,")
            ):
                q = merged[-1]
                q.end = p.end
                if s[p.start] == "و" and None in (q.first, p.first):
                    q.kind = "days"  # "يومي الخميس والجمعة" with no publication date: two days
                elif s[p.start] == "و" and q.first != p.first:
                    # "يومي الثلاثاء والأربعاء": both days, not one
                    q.first, q.last = min(q.first, p.first), max(q.last, p.last)  # type: ignore[type-var]
                elif q.first is None or pub is None:
                    q.first = q.last = p.first
                continue
            merged.append(p)
        return merged

    def _drop_said_dates(self, found: list[_Point], said_ends: list[int]) -> list[_Point]:
        """ "وثقت الشبكة أمس الأحد 1 آب مقتل 129 مدنياً خلال تموز": the date right after the
        day a report was made on names that day; it is when the report was made too (as a
        date right after the reporting word is), not what the figures cover."""
        s = self.folded
        kept = []
        for p in found:
            if p.kind == "day" and any(
                e <= p.start and not s[e : p.start].strip(" ،,") for e in said_ends
            ):
                if p.first is not None:
                    self._said.append((p.start, p.first))
                continue
            kept.append(p)
        return kept

    def _read_day_of_it(self, m: re.Match[str]) -> tuple[None, None]:
        return (None, None)  # read with the date before it (``_same_month``)

    def _same_month(self, found: list[_Point]) -> None:
        """ "بين 16 أيلول و27 من الشهر ذاته", "منذ مطلع يناير وحتى الـ 28 منه": a day of
        the month of the date before it."""
        v = _vocab()
        for k, p in enumerate(found):
            if p.kind not in ("day_this_month", "day_of_it") or p.first is not None:
                continue
            m = v.rx[p.kind].match(self.folded, p.start)
            before = next((q.last for q in reversed(found[:k]) if q.last), None)
            if m is None or before is None:
                continue
            if p.kind == "day_this_month" and m.group(2) not in v.same_month:
                continue
            raw = m.group(1)
            d = int(raw) if raw.isdigit() else ordinal(raw)
            day = safe_date(before.year, before.month, d) if d else None
            if day:
                p.first, p.last, p.kind = day, day, "day"

    def _reported_on(self, start: int, end: int, fs: int) -> bool:
        """A day named right after a reporting verb or noun, or right before "أن"; not one
        "حتى" stands before ("تقدر المنظمة حتى يوم الثلاثاء أن ...": the day counts run to)."""
        v = _vocab()
        s = self.folded
        if v.rx["until_end"].search(s, max(fs, start - 16), start):
            return False
        window = s[max(fs, start - 40) : start]
        said = v.rx["report"].search(window)
        if said and not re.search(r"(?<![^\W\d_])(?:ان|انه|انها|بان)(?![^\W\d_])", said.group(0)):
            return True  # not "أعلن في بيان أن غارات يوم أمس": that day is the figures'"
        after = end
        for kind in ("yesterday", "today", "weekday"):  # "اليوم الأربعاء إن"
            gap = s[after : after + 3]
            m = v.rx[kind].match(s, after + len(gap) - len(gap.lstrip(" ،,")))
            if m:
                after = m.end()
        if v.rx["report_after"].match(s, after):
            return True
        if not v.rx["about_after"].match(s, after):
            return False
        head = s[max(fs, start - 200) : start]
        head = head[max(head.rfind(c) for c in ".!?؟\n") + 1 :]  # the sentence so far
        return v.rx["report_any"].search(head) is not None

    def _announces(self, end: int) -> bool:
        """A reported day followed by the event it announces ("أعلن المرصد اليوم الخميس،
        مقتل 22 عنصرا")."""
        v = _vocab()
        s = self.folded
        after = end
        for kind in ("yesterday", "today", "weekday"):
            gap = s[after : after + 3]
            m = v.rx[kind].match(s, after + len(gap) - len(gap.lstrip(" ،,")))
            if m:
                after = m.end()
        if v.rx["event_after"].match(s, after) is not None:
            return True
        return v.rx["event_clause_after"].match(s, after) is not None

    # --- combining points into periods -----------------------------------------------

    def _combine(self, points: list[_Point], fs: int) -> list[Period]:
        v = _vocab()
        s = self.folded
        out: list[Period] = []
        i = 0
        prev_end = fs
        as_of: date | None = None  # "حتى يوم الثلاثاء أن ... منذ 26 أكتوبر": the span's end
        while i < len(points):
            p = points[i]
            lo = max(prev_end, p.start - 90)
            before = s[lo : p.start]
            since = _last(v.rx["since"], before)
            start, first, last = p.start, p.first, p.last
            cumulative = False
            joined = False
            p0 = p
            if i + 1 < len(points):
                q = points[i + 1]
                joint = s[p.end : q.start]
                # ("والـ15 من أيلول": the "و" of a range and the article of a day)
                linked: re.Match[str] | bool | None
                linked = v.rx["until"].search(joint) or joint.strip() in (
                    "و",
                    "-",
                    "–",
                    "الي",
                    "وال",
                )
                # "بين 20 تشرين الأول 2014، و20 حزيران 2015": a comma before the "و" of a range
                linked = linked or joint.strip(" ،,") == "و" and v.rx["between"].search(before)
                linked = linked or not joint.strip() and s.startswith("و", q.start)
                if len(joint.strip(" ،,")) < 12 and linked:  # "، حتى تاريخ 24 حزيران"
                    p = self._in_year_of(p, q)
                    first, last = _join(p, q)
                    if v.rx["year"].search(s, p.start, p.end):
                        first = p.first  # "منذ 23 أيلول 2014 وحتى 23 تشرين الثاني 2015"
                    i += 1
                    p = q
                    joined = True
                    opens = v.rx["between"].search(before)  # "في الفترة بين": its evidence too
                    start = lo + opens.start() if opens else start
            if since is not None:
                start = lo + since.start()
                cumulative = True
                if v.rx["until"].search(s[lo + since.end() : p0.start]):
                    first = None  # "منذ بدء العدوان حتى يوم أمس": the day is the end
                elif not joined and i + 1 < len(points) and self._ends(points[i + 1]):
                    i += 1  # "ومنذ 23 سبتمبر، ... 962 شهيدا ... حتى بعد ظهر الاثنين"
                    p, last = points[i], points[i].last
                elif not joined:  # to the day said in its sentence, else publication
                    last = self._until(p.end) or as_of or self._said_before(start) or self.published
            side = None if since is not None or joined else bound_word(before, p.kind)
            if side is not None:  # the bound word is the period's evidence too
                start, cumulative = lo + side.start(), True
            if side is not None and side.re is v.rx["before_date"]:
                first = None  # "قبل 15 أيلول": a running count up to the day before
                last = p.first - timedelta(days=1) if p.first else None
            elif side is not None:  # "بعد 15 أيلول": from that day on
                last = self._until(p.end) or as_of or self.published
            if since is None and side is None and not joined and self._ends(p):
                if p.last is not None and self._since_follows(points[i + 1 :], p.end):
                    as_of, prev_end = p.last, p.end  # the end of the span "منذ ..." states later
                    i += 1
                    continue
                first, cumulative = None, True  # "إلى 3961 ... حتى يوم الثلاثاء": a running toll
            period = self._period(start, p.end, first, last, cumulative)
            if period.length == "none" and (p.kind in _SPAN_KINDS or joined):
                period = replace(period, length="multi")  # "خلال شهر أغسطس" with no year
            one_day = p.kind == "last_day" or p.kind == "relative" and p.first == p.last
            # a day, dated or not ("يومي ..." are two); not the end of a range ("من أول تشرين
            # الثاني وحتى اليوم" is many days, when no publication date resolves them)
            if one_day and not cumulative and not joined:
                period = replace(period, length="day")
            out.append(period)
            prev_end = p.end
            i += 1
        return out

    def _in_year_of(self, p: _Point, q: _Point) -> _Point:
        """ "بين يوليو وسبتمبر 2020", "بين 20 أكتوبر و13 نوفمبر 2024": the first date of a
        range, written without a year, takes the year written at its end (the year before
        when its month comes later)."""
        rx = _vocab().rx
        if p.kind not in ("day", "month") or q.last is None:
            return p
        year = rx["year"]
        if year.search(self.folded, p.start, p.end) or not year.search(self.folded, q.start, q.end):
            return p
        m = rx[p.kind].match(self.folded, p.start)
        if m is None:
            return p
        raw = m.group(1) if p.kind == "day" else "1"
        d = int(raw) if raw.isdigit() else ordinal(raw)
        mo = self._month(m.group(2) if p.kind == "day" else m.group(1))
        if not d or not mo:
            return p
        end = q.last
        y = end.year if (mo, d) <= (end.month, end.day) else end.year - 1
        first = safe_date(y, mo, d)
        if first is None:
            return p
        last = first if p.kind == "day" else date(y, mo, calendar.monthrange(y, mo)[1])
        return replace(p, first=first, last=last)

    def _since_follows(self, later: list[_Point], after: int) -> bool:
        """A later date of the sentence that "منذ" opens."""
        s, since = self.folded, _vocab().rx["since"]
        return any(_last(since, s[max(after, q.start - 90) : q.start]) for q in later)

    def _ends(self, q: _Point) -> bool:
        """A later day of the sentence that "حتى" ends the period at ("حتى بعد ظهر الاثنين")."""
        before = self.folded[max(0, q.start - 16) : q.start]
        return q.kind in ("relative", "day") and _vocab().rx["until_end"].search(before) is not None

    def refers_back(self, start: int, end: int) -> int | None:
        """Where ``text[start:end]`` says "in the same period" ("في الفترة ذاتها"), or None."""
        m = next(self._matches("same", self._f(start), self._f(end)), None)
        return None if m is None else self.offsets[m.start()]

    def open_since(self, start: int, end: int) -> list[Period]:
        """ "منذ بدء التصعيد", "منذ بدء العدوان حتى يوم أمس": a running count with no
        stated start (start None; end the stated end or publication)."""
        fs, fe = self._f(start), self._f(end)
        out = []
        points: list[_Point] | None = None  # read only when the sentence says "منذ ..."
        for m in self._matches("since_open", fs, fe):
            if points is None:
                points = self._points_in(fs, fe)
            if any(m.end() <= p.start < m.end() + 90 for p in points):
                continue  # a dated start follows ("منذ بدء هجوم ... في الرابع من أبريل")
            end_day = self._until(m.end()) or self.published
            out.append(self._period(m.start(), m.end(), self._dated_before(m), end_day, True))
        for m in self._matches("ongoing_since", fs, fe):  # "المستمر منذ 19 شهرا"
            out.append(self._period(m.start(), m.end(), None, self.published, True))
        for m in () if out else self._matches("so_far", fs, fe):
            if _NEGATED.search(self.folded, max(fs, m.start() - 50), m.start()):
                continue  # "لم تعلن أي جهة مسؤوليتها حتى الآن": what has not happened yet
            if points is None:
                points = self._points_in(fs, fe)
            # no dated start before it ("منذ 4 أبريل حتى الآن"); a date after it is another
            # clause's ("حتى الآن، وهو ما يفوق ضحايا حرب عام 2006")
            if not any(p.start < m.start() for p in points):
                so_far = self._period(m.start(), m.end(), None, self.published, True)
                out.append(replace(so_far, as_of=True))  # a start carried to it stays
        return out

    def _dated_before(self, m: re.Match[str]) -> date | None:
        """ "منذ بدء الحملة" said again: the start the text gave the same beginning before
        ("منذ بدء الحملة العسكرية، في مطلع شباط الماضي"), if it did."""
        what = _WORD.findall(self.folded, m.end(), m.end() + 30)[:1]  # ("العدوان،": the word)
        for e in self._matches("since_open", 0, m.start()):
            if (
                same_start(e.group(0), m.group(0))
                and _WORD.findall(self.folded, e.end(), e.end() + 30)[:1] == what
            ):
                got = [p.first for p in self._points_in(e.end(), e.end() + 90) if p.first]
                if got:
                    return got[0]
        return None

    def _said_before(self, pos: int) -> date | None:
        """The day a report was made on, said earlier in the same sentence ("أعلنت الوزارة،
        مساء السبت 14 مارس، أن الحصيلة منذ 2 مارس ارتفعت"): where a running count ends."""
        s = self.folded
        days = [d for at, d in self._said if at < pos and not _SENTENCE_END.search(s, at, pos)]
        return days[-1] if days else None

    def _until(self, pos: int) -> date | None:
        """The day a "حتى ..." right after ``pos`` names ("حتى يوم أمس"), if any."""
        v = _vocab()
        window = self.folded[pos : pos + 60]
        m = v.rx["until"].search(window)
        if m is None or len(window[: m.start()].strip(" ،,")) > 30:
            return None
        rest = window[m.end() :].lstrip()
        for kind in ("yesterday", "today"):
            got = v.rx[kind].match(rest)
            if got:
                return self._relative(kind, got)
        return None

    def _period(
        self, fs: int, fe: int, first: date | None, last: date | None, cumulative: bool
    ) -> Period:
        start, end = span_back(self.text, self.offsets, fs, fe)
        if self.published is None and (first is None) != (last is None):
            first = last = None  # no publication date: no half-open period ("منذ 2011 حتى أمس")
        if first is not None and last is not None and first > last:
            first, last = last, first
        length = "day" if first is not None and first == last else "multi"
        if first is None and last is None:
            length = "none"
        return Period(start, end, first, last, length, cumulative=cumulative)


_NEGATED = compile_rx(r"(?<![^\W\d_])و?(?:لم|لا|لن)(?![^\W\d_])")
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_WORD = re.compile(r"[^\W\d_]+")


def _join(p: _Point, q: _Point) -> tuple[date | None, date | None]:
    """ "من 16/01/2020 وحتى 21/01/2020", "12 يناير ... وحتى 6 مارس 2020": a day without a
    year takes the year of the end."""
    first, last = p.first, q.last
    if first is not None and last is not None and first > last and first.year == last.year:
        first = safe_date(last.year - 1, first.month, first.day)
    if p.kind == "day" and first is not None and last is not None and first.year != last.year:
        maybe = safe_date(last.year, first.month, first.day)
        if maybe is not None and maybe <= last:
            first = maybe
    return first, last


def _last(rx: re.Pattern[str], window: str) -> re.Match[str] | None:
    found = None
    for m in rx.finditer(window):
        found = m
    return found
