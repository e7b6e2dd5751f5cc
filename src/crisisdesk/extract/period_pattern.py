"""The one pattern that finds date expressions, by kind (periods.py resolves them).

One lower-case regular expression of alternatives, each ending in an empty named group
that tells its kind; its phrases come from data/vocab/periods.yaml. Built once, on the
first document.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.date_strings import DAY as _DAY
from crisisdesk.extract.date_strings import NUMERIC_DAY as _NUMERIC_DAY
from crisisdesk.extract.date_strings import YEAR as _YEAR
from crisisdesk.extract.date_strings import YEAR_AFTER_DAY as _YEARISH
from crisisdesk.extract.period_vocab import table, words, year_parts
from crisisdesk.vocab import (
    month_numbers,
    number_words,
    phrase_pattern,
    weekday_numbers,
)

# a count right ahead ("... killed at least 40"): the word before it is a verb, not a count's noun
COUNT_AHEAD = r"\s+(?:at\s+least\s+|more\s+than\s+|nearly\s+|some\s+|about\s+|over\s+)?\d"
# "from 4 a.m. on 24 February, when the war began, to 24:00 midnight on 5 March"
TIME = r"(?:(?:\d{1,2}[:.]\d\d(?:\s*midnight)?|\d{1,2}\s*[ap]\.?m\.?)\s+on\s+)"
# "from 3 May, when ...,", "between 27 October, 18:00, and 28 October" (a clock time)
ASIDE = r"(?:,\s+(?:when|which|as|after)\b[^,;.()]{1,100},|,\s*\d{1,2}:\d\d,)"


def _parts() -> dict[str, str]:
    """The alternatives of the pattern, by kind, in the order they are tried."""
    names = list(month_numbers())
    short = [n for n in names if any(o != n and o.startswith(n) for o in names)]  # "jun"
    long = phrase_pattern([n for n in names if n not in short])
    m = rf"(?:{long}|{phrase_pattern(short)}\.?)"  # the dot of "Jun.", not the full stop of "June."
    weekdays = phrase_pattern(list(weekday_numbers()))
    date_txt = (
        rf"(?:{_NUMERIC_DAY}|{_DAY}\s+(?:of\s+)?{m}{_YEARISH}?|\d{{1,2}}/{m}(?:/{_YEAR})?|"
        rf"{m}\s+{_DAY}(?!\d){_YEARISH}?|"
        rf"{m},?\s+{_YEAR}|{m}\s+(?:of\s+)?(?:last|this)\s+year|{m})"  # "February last year"
    )
    # a date that names its day (a week is counted from it)
    day_date = (
        rf"(?:{_NUMERIC_DAY}|{_DAY}\s+(?:of\s+)?{m}{_YEARISH}?|{m}\s+{_DAY}(?!\d){_YEARISH}?)"
    )
    part = rf"(?:{phrase_pattern(words('month_parts'))})[\s-]+"
    point = rf"(?:{part})?{date_txt}"
    # "mid-2020", "late 2019", "the end of 2021": a part of a year, as an end of a range
    part_year = rf"(?:{part}){_YEAR}"
    n = rf"(?:\d+|{phrase_pattern([*number_words().small, 'a', 'an', 'a few', 'several'])})"
    unit = rf"(?:{phrase_pattern(list(table('durations')))})s?"
    since = phrase_pattern(words("since_leads"))
    activities = phrase_pattern(words("span_activities"))  # "in three days of fighting"
    to = r"\s*(?:up\s+(?:un)?to|to|and|until|till|through|-|–)\s*(?:the\s+)?"
    # "from the beginning of 2023 until 10 December", "from the start of the year to ...",
    # "since the outset of the current year, 2023, up to 27 August"
    starts = phrase_pattern(words("start_nouns"))
    now = phrase_pattern(words("year_now_words"))
    year_start = (
        rf"(?:{starts})\s+of\s+(?:{_YEAR}|(?:the|this)\s+(?:{now}\s+)?year(?:,\s*{_YEAR}(?=,))?)"
    )
    return {
        # bare after a label's colon: "Period of report: 24 February to 3 March 2022"; or
        # named as a period: "the 24 February to 1 March period"
        "range": rf"(?:(?:from|between)\s+|(?<=:\s)"
        rf"|(?<=\bthe\s)(?=[^.;\n]{{3,20}}?\sto\s[^.;\n]{{3,20}}?\speriod\b))"
        rf"(?:the\s+)?{TIME}?"
        rf"(?:{point}|{year_start}|{part_year}){ASIDE}?{to}{TIME}?"
        # ("from December 1 till today": up to the day it was written)
        rf"(?:(?:[\w’' ]{{1,30}}?\s+on\s+)?{point}|{part_year}|(?:today|now|date|the\s+present)\b)"
        # "since January 2014 through November 10, 2016": a running count closed by its end
        rf"|since\s+(?:the\s+)?(?:{point}|{year_start}){ASIDE}?,?\s*"
        rf"(?:until|till|through|up\s+(?:un)?to)\s*(?:the\s+)?(?:{weekdays},?\s+)?{point}",
        # (also in brackets, each with its year: "in two months (December 2019 and January 2020)")
        "months": rf"(?:(?:in|during|within|throughout|over)\s+|(?<=\())"
        rf"{m}(?:\s+{_YEAR})?\s+and\s+{m}(?:,?\s+{_YEAR})?",
        "dayrange": rf"(?:(?:between|from)\s+)?\d{{1,2}}(?:,\s*\d{{1,2}})*,?\s*(?:-|–|to|and|until)"
        rf"\s*{_DAY}\s+{m}(?:,?\s+{_YEAR})?",
        # "between November 11 and 20", "from March 3 to 9" (the second number a day)
        "mdayrange": rf"(?:between|from)\s+{m}\s+{_DAY}\s*(?:-|–|to|and|until|through)\s*{_DAY}"
        rf"(?![\d,.]*\d)(?:,?\s+{_YEAR})?",
        "span": rf"{date_txt}\s*[-–]\s*{date_txt}",
        # "have killed 3,000 people through Friday since Oct. 7, 2023": the start, then the day
        "until_since": rf"(?:through|until|till)\s+(?:last\s+)?{weekdays}\s+since\s+{point}",
        # "since the start of ...", "following the onset of armed conflict on 5 April"
        "since_start": rf"(?:since|following|after)\s+(?:at\s+least\s+)?(?:the\s+)?"
        rf"(?:{phrase_pattern(words('start_nouns'))})\s+of\s+"
        rf"(?:(?:the\s+)?(?:year\s+)?(?:{m},?\s+{_YEAR}|{_YEAR}|this\s+year|the\s+year)"
        # "of fighting in Sudan in mid-April", "of armed conflict in the southern areas of
        # Tripoli on 04 April 2019", "of military action in North East Syria (NES) on 9 October"
        # (or a bare year: "of the Syrian civil war in 2011")
        rf"|[\w’'\-() ]{{3,60}}?(?=\s+(?:on|in)\s+(?:{point}|{_YEAR}\b))"
        # (a long name: "of the military campaign of the Syrian regime forces on the region")
        r"|[\w’'\- ]{3,70}?(?=[,.;)]|\s+(?:has|have|had|until|to|in|on|and|was|were|is)\b|$))"
        rf"(?:\s+(?:on|in)\s+(?:{point}|{_YEAR}\b))?",
        # "since the war began", "since the fighting erupted": a start the text may date elsewhere
        "since_began": rf"since\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,2}}?"
        rf"(?:{phrase_pattern(words('conflict_nouns'))})\s+"
        rf"(?:{phrase_pattern(words('start_verbs'))})\b"
        r"(?!\s+(?:on|in|at|following|after)\s|[^.;,]{0,30}\bago\b)",
        # (not "since Sunday, July 4": the date after the weekday is the start)
        "since_day": rf"since\s+(?:last\s+)?{weekdays}"
        rf"(?!,?\s+(?:{_DAY}\s+(?:of\s+)?{m}|{m}\s+{_DAY}))",
        "since_rel": rf"since\s+(?:{phrase_pattern(list(table('since_relative')))}|then)",
        "since": rf"(?:{since})\s+(?:last\s+)?(?:the\s+)?(?:{weekdays},?\s+)?"
        rf"(?:(?:{part})?(?:{date_txt}|{_YEAR})|{n}\s+{unit}\s+ago)",
        # "since the city's takeover by the Rapid Support Forces (RSF) last month"
        # ("since the end of the truce on Friday": a weekday, the latest before publication)
        # ("since the war began after the rebels' March 3, 2021 offensive": the dated event it
        # followed, up to two words of its owner between)
        "since_event": rf"since\s+(?:the\s+)?[\w’'\-() ]{{2,80}}?\s+(?:(?:on|in|at)\s+"
        rf"(?:{point}|{_YEAR}|(?:last\s+)?(?:{weekdays})\b)|(?:(?:about|nearly|almost|some|over)\s+)?{n}\s+{unit}\s+ago"
        rf"|(?:following|after)\s+(?:[\w’'-]+\s+){{0,2}}?{point}"
        r"|last\s+(?:week|month|year))",
        # "the first two weeks of February", "the last ten days of January"
        "days_of": rf"(?:(?:in|during|over|for|within)\s+)?(?:the\s+)?(?:first|last)\s+{n}\s+"
        rf"(?:days|weeks)\s+of\s+{m}(?:,?\s+{_YEAR})?",
        # "in the week to 8 March", "the two weeks ending 3 May", "the seven days up to 9
        # June"; "the week of 26 February", "the week starting 3 May": a day-dated week
        "week_to": rf"(?:(?:in|during|over|for|within)\s+)?the\s+(?:{n}\s+)?(?:days?|weeks?)\s+"
        rf"(?:to|ending|ended|up\s+to|through|until)\s+(?:{weekdays},?\s+)?(?:the\s+)?{day_date}",
        "week_from": rf"(?:(?:in|during|over|for)\s+)?the\s+week\s+"
        rf"(?:of|starting|beginning|commencing)\s+(?:{weekdays},?\s+)?(?:the\s+)?{day_date}",
        "week_of": rf"(?:the\s+)?(?:{phrase_pattern(list(table('week_ordinals')))})\s+week\s+of\s+"
        rf"(?:{m}(?:,?\s+{_YEAR})?|{_YEAR}(?![\d-]))",
        # ("the first four months in 2016" as well as "of 2016")
        "half": rf"(?:the\s+)?(?:{phrase_pattern(list(year_parts()))})\s+(?:(?:of|in)\s+)?"
        rf"(?:{_YEAR}|(?:the|this)\s+year\b)",
        "sofar": rf"so\s+far\s+this\s+year|this\s+year\s+so\s+far|so\s+far\s+in\s+{_YEAR}",
        "ago": rf"{n}\s+{unit}\s+ago",
        "next": rf"(?:in|over|during|within)\s+the\s+(?:next|following)\s+{n}\s+{unit}\s+"
        rf"(?:after|following|from)\s+{point}",
        # (before past; not "the day before yesterday")
        "reference": phrase_pattern(words("period_references")) + r"(?!\s+(?:of|yesterday)\b)",
        # "in recent weeks", "over the past few days": a span with no count has no dates
        "vague": rf"(?:in|over|during|within|for)\s+(?:the\s+)?(?:(?:past|last)\s+)?"
        rf"(?:{phrase_pattern(words('vague_counts'))})\s+{unit}",
        "past": rf"(?:{phrase_pattern(words('past_leads'))})\s+(?:the\s+)?"
        rf"(?:(?:past|last|previous)\s+)?(?:(?:{n}\s+)?{unit}(?!\s+since\b)"  # not "months since"
        rf"|(?:an?\s+)?\d+-{unit}\s+period)",  # "over a 24-hour period"
        # "In ten days, 45 people were killed": a count opening its sentence (see _resolve_opening);
        # "40,000 people were displaced in ten days": right after a participle
        "opening": rf"in\s+{n}\s+{unit}(?=\s*,)"
        rf"|(?<=ed )in\s+{n}\s+{unit}"
        rf"(?!\s+of\b(?!\s+(?:[a-z]+\s+)?(?:{activities})\b)|[’']|\s+time\b)",
        "relm": r"(?:in\s+|during\s+|over\s+)?(?:last|this|the\s+previous|the\s+past)\s+"
        r"(?:month|year|week)(?:\s+alone)?",
        "part": rf"{part}{m}(?:,?\s+{_YEAR})?",
        # "overnight Thursday to Friday", "on the night of Saturday into Sunday" (before the
        # day word "overnight", which alone is the publication day)
        "night": rf"(?:overnight(?:\s+(?:from|between))?|(?:on\s+|during\s+|in\s+)?the\s+night"
        rf"\s+(?:of|from|between))\s+{weekdays}(?:\s*(?:and|to|into|until|-|–)\s*{weekdays})?",
        "dayword": phrase_pattern(list(table("day_words"))),
        # "on Saturday and Sunday", "between Monday and Wednesday"
        "weekday": rf"(?:(?:between|from|on)\s+{weekdays}\s*(?:and|to|until|-|–)\s*"
        rf"|(?:on|last|this)\s+)?"
        rf"(?:{weekdays}|(?<=last |this )weekend|(?:over|during|at)\s+the\s+weekend"
        # "only this past weekend", "over the past weekend"
        r"|(?:(?:over|during|in)\s+)?(?:this|the)\s+past\s+weekend)"
        r"(?:\s+(?:morning|afternoon|evening|night))?"
        rf"(?:,?\s+(?:the\s+)?{_DAY}\s+(?:of\s+)?{m}(?:,?\s+{_YEAR})?)?",
        "date": date_txt,
        "year_end": rf"(?:{phrase_pattern(words('year_end_leads'))})\s+{_YEAR}(?![\d-])",
        # "between 2018 and 2020", "from 2014 to 2015", "in 2014 and 2015": whole years
        "years": rf"(?:between|from|in|during)\s+{_YEAR}\s+(?:and|to|until|through)\s+"
        rf"{_YEAR}(?![\d-])"
        # "in 2023-2024", "during 2022–23": two years with a dash (the second may be short)
        # (not a school, fiscal or crop year: "the 2018-2019 academic year")
        rf"|(?:in|during|throughout|over)\s+{_YEAR}\s*[-–/]\s*(?:{_YEAR}|\d\d)"
        r"(?![\d-])(?!\s+(?:academic|school|fiscal|financial|budget|agricultural|crop|harvest|"
        r"cropping|lean|rainy|winter|season)\b)",
        # ("the death of 1939 persons": a count, no year)
        # (a counted word after the year is its verb when a count follows: "in 2019 killed 40")
        "year": rf"(?:in|during|of|for|throughout)\s+{_YEAR}(?![\d-])"
        rf"(?!\s+(?:{phrase_pattern(words('counted_after_year'))})\b(?!{COUNT_AHEAD}))",
    }


@cache
def _pattern() -> str:
    """The one pattern, of lower-case words; a lookahead on first words lets it skip ahead.

    Each kind is told by an empty group at the end of its alternative (``lastgroup``), not
    by a group around it: the engine then enters an alternative through its own first
    words, which fail at once where they do not match (12-15% less time in the pattern,
    which is tried at every first word of every sentence; same matches and kinds)."""
    body = "|".join(f"(?:{v})(?P<{k}>)" for k, v in _parts().items())
    lists = ("month_parts", "since_leads", "past_leads", "period_references", "year_end_leads")
    firsts = {p.split()[0] for key in lists for p in words(key)}
    firsts |= {p.split()[0] for key in ("day_words",) for p in table(key)}
    firsts |= {*month_numbers(), *weekday_numbers(), *number_words().small}
    firsts |= {"from", "between", "the", "first", "second", "so", "this", "in", "during", "for"}
    firsts |= {"last", "on", "of", "throughout", "a", "an", "several", "within", "over"}
    firsts |= {"following"}  # "following the onset of armed conflict on 5 April"
    firsts |= {"through", "until", "till"}  # "through Friday since Oct. 7, 2023"
    firsts |= {p.split()[0] for p in year_parts()}  # "q1", "third quarter"
    trigger = rf"(?=\d|{phrase_pattern(sorted(firsts))}\b)"
    return rf"\b{trigger}(?:{body})(?![\w])"


@cache
def regex_low() -> re.Pattern[str]:
    """The pattern without IGNORECASE, for a lower-cased copy of the text (about 3x faster)."""
    return compile_rx(_pattern())
