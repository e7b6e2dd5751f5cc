"""The compiled patterns of attribution: organisation names, reporting verbs, speakers.

Built once from the alias table (``data/vocab/sources.yaml``) and the phrase lists
of the sources vocabulary; ``sources.py`` and ``speakers.py`` read them by name.
"""

from __future__ import annotations

import re
from functools import cache

from crisisdesk.extract.compiled import compile_rx
from crisisdesk.extract.country import national_body_forms
from crisisdesk.extract.place_leads import held_by_word
from crisisdesk.vocab import (
    load_sources,
    month_numbers,
    number_words,
    phrase_pattern,
    vocab_list,
    weekday_numbers,
    word_led,
)

TRAILING_VERBS = "said|reported|says|reports|added|stated|announced|confirmed|documented|counted"
ARTICLE = compile_rx(r"^(?:the|an?)\s+", re.I)


def bare(alias: str) -> str:
    """The alias without a leading article."""
    return ARTICLE.sub("", alias)


# words that describe an organisation right before its name ("the spokesperson of the
# ethnic Kachin Independence Army", "the state-run Anadolu Agency"): still its lead
DESCRIBING_WORDS = ("ethnic", "local", "independent", "state-run", "rebel")
_DESCRIBING = "|".join(DESCRIBING_WORDS)
# a word of a person's name: capitalised, or an Arabic surname's "al-"/"el-" before a capital
# ("Information Minister Muammar al-Iryani said")
_PERSON_WORD = r"(?:(?:al|el)-)?[A-Z][\w’'-]+"


# words that describe a report before the name of its author ("according to confirmed UN
# data", "according to the latest OCHA figures")
REPORT_ADJECTIVES = ("latest", "new", "confirmed", "verified", "official", "preliminary", "initial")


# the head of a description before an organisation's name ("the UK-based war monitor, the
# Syrian Observatory"): read by the "according" pattern and by ``_attributed``
DESCRIBED_HEADS = r"(?:monitor|group|organi[sz]ation|network|agency|watchdog|body|ngo)"
_UN_WORD = re.compile(r"\bUN\b")
# After a place's name, "states" is the plural noun ("in Kachin and Shan states"), not a verb
# of saying; a speaker's "states that" stays a verb.
# a verb of giving a toll before the reporting one: "X gave the same toll and said that ..."
_GAVE_AND = r"(?:(?:gave|put|confirmed|cited)\s+[^.;]{0,50}?\band(?=\s+(?:said|added|reported)\b))"
_NO_STATES = r"(?!\s+states\b(?!\s+that\b))"
# an acronym in brackets written inside a name, before its last word ("the Flood Relief
# Coordination (FRC) Unit"): no part of the name itself
_INNER_ACRONYM = r"\([A-Z][A-Za-z]{1,9}\)"
INNER_ACRONYM = compile_rx(rf"\s*{_INNER_ACRONYM}(?=\s)")


@cache
def regexes() -> dict[str, re.Pattern[str]]:
    names: list[str] = []
    acronyms: list[str] = []
    for source in load_sources():
        for alias in (source.name, *source.aliases):
            if re.match(r"the\s", alias, re.I):
                # "the UN" must not win over "the UN refugee agency": every name may take
                # "the", so an alias written with it only says the bare word needs it.
                names.append(alias)
                continue
            letters = re.sub(r"[^A-Za-z]", "", alias)
            if alias.isupper() or (
                len(letters) <= 5 and letters[:1].isupper() and " " not in alias
            ):
                acronyms.append(alias)
            else:
                names.append(alias)
    names.extend(written for written, _ in national_body_forms())
    names.extend([n.replace("'", "’") for n in names if "'" in n])  # "Children’s" as typeset
    # "the U.N. High Commissioner for Human Rights": news agencies dot the acronym
    names.extend([_UN_WORD.sub("U.N.", n) for n in names if _UN_WORD.search(n)])
    spelt = {"Organization": "Organisation", "Organisation": "Organization"}
    spelt |= {" and ": " & ", " & ": " and "}  # "Protection & Return Monitoring Network"
    names.extend([n.replace(a, b) for a, b in spelt.items() for n in names if a in n])
    # (not "claimed responsibility for the attack that killed 12": a deed owned, no count told)
    owned = phrase_pattern(vocab_list("sources", "owned_deed_objects"))
    verbs = rf"(?:{phrase_pattern(vocab_list('sources', 'reporting_verbs'))})(?!\s+(?:{owned})\b)"
    adverbs = phrase_pattern(vocab_list("sources", "reporting_adverbs"))
    # "X managed to record", "X was able to document": a record kept with effort is X's
    able = (
        rf"(?:{phrase_pattern(vocab_list('sources', 'ability_leads'))})\s+"
        rf"(?:{phrase_pattern(vocab_list('sources', 'recording_verbs'))})"
    )
    nouns = phrase_pattern(vocab_list("sources", "report_nouns"))
    people = phrase_pattern(vocab_list("sources", "org_people"))
    # (no idiom of "taken": "the talks have taken place", "has taken control of")
    actions = (
        rf"(?:{phrase_pattern(vocab_list('sources', 'action_verbs'))})"
        r"(?!\s+(?:place|part|control|hold|shape|effect|steps|measures)\b)"
    )
    roles = phrase_pattern(vocab_list("sources", "person_roles"))
    counts = phrase_pattern(list(number_words().small))  # a count in words ("seven members of")
    agent_by = phrase_pattern(vocab_list("sources", "agent_by_verbs"))
    by_words = phrase_pattern(vocab_list("sources", "by_report_words"))
    heads = phrase_pattern(vocab_list("sources", "anaphor_heads"))
    units = phrase_pattern(vocab_list("sources", "body_units"))
    office = phrase_pattern(vocab_list("sources", "offices"))
    individuals = phrase_pattern(vocab_list("sources", "individual_speakers"))
    described = phrase_pattern(vocab_list("sources", "place_descriptions"))
    # (a dot inside a word, or closing a dotted acronym: "U.N."; not the full stop after
    # "... Service of Moldova.")
    word = r"[A-Z](?:[\w’'&\-]|\.(?=[A-Za-z]))*"
    cap = rf"(?:{word}(?<=\.[A-Z])\.|{word}|al-[A-Z][\w’'\-]*)"
    # "the rights group", "the U.K.-based NGO" (dots inside a word)
    described_org = rf"(?:[a-z](?:[\w-]|\.(?=[\w-]))*\s+){{0,2}}?(?:{heads}|{nouns})"
    published = (  # "issued its monthly report", "released a new report"
        rf"(?:{phrase_pattern(vocab_list('sources', 'publishing_verbs'))})\s+(?:its|their|a|an|the)"
        rf"\s+(?:[\w-]+\s+){{0,3}}?(?:{nouns})"
    )
    # "X condemned the attack, warning that ...": a deed of the organisation, then its words
    remark = (
        r"[a-z]+ed\b[^.;]{0,160}?,[”\"’]?\s+"
        rf"(?:{phrase_pattern(vocab_list('sources', 'remark_participles'))})\b"
    )
    days = phrase_pattern([*weekday_numbers(), "today", "yesterday"])
    # a dated day ("on 24 May", "on May 24") between a name and its verb
    months = phrase_pattern(list(month_numbers()))
    dated_day = rf"\d{{1,2}}\s+(?:{months})|(?:{months})\s+\d{{1,2}}(?:st|nd|rd|th)?"
    honorifics = phrase_pattern(vocab_list("sources", "honorifics"), lower=False)
    spokes = rf"(?:[a-z][\w-]*\s+)??(?:{phrase_pattern(vocab_list('sources', 'speaking_roles'))})"
    quote_back = phrase_pattern(vocab_list("sources", "quote_back_words"))
    return {
        "names": compile_rx(
            rf"(?<![\w-])(?:the\s+)?(?:{phrase_pattern([bare(n) for n in names])})(?![\w-])", re.I
        ),
        # Scanned over a lower-cased copy without IGNORECASE and without a leading
        # look-behind, so that the engine can skip ahead by first character (many times
        # faster); the word boundary before a match is checked in Python.
        "names_low": compile_rx(
            rf"{phrase_pattern([p for n in names for p in (bare(n), 'the ' + bare(n))])}(?![\w-])"
        ),
        "needs_the": compile_rx(
            rf"(?:{phrase_pattern([bare(n) for n in names if bare(n) != n])})$", re.I
        ),
        # (the role may name its field first: "director of supply and equipment at X")
        "role": compile_rx(
            rf"\b(?:{phrase_pattern(vocab_list('sources', 'person_roles'))})"
            r"(?:\s+of(?:\s+[a-z][\w-]*){1,4}?(?=\s+(?:at|with|for|in)\s))?"
            rf"\s+(?:of|for|at|with|from|in)\s+(?:the\s+)?(?:(?:{_DESCRIBING})\s+)?$",
            re.I,
        ),
        "after_role": compile_rx(
            r"(?:[’']s)?(?:\s*\([^)]{1,15}\))?(?:\s+(?:in|for|of|on)\s+(?:the\s+)?[A-Z][\w’'-]*"
            r"(?:\s+[A-Z][\w’'-]*){0,2})?,?[^.;!?]{0,60}?\b"
            rf"(?:{verbs})\b"
        ),
        "acronyms": compile_rx(rf"{phrase_pattern(acronyms, lower=False)}(?![\w-])"),
        # a name in apposition, closed by a comma before its verb ("A rights group, the X,
        # said"; "The aid group, Y (MSF), reported")
        "apposed": compile_rx(r",\s+(?:the\s+)?(?:[\w.’'-]+-based\s+)?$", re.I),  # "the UK-based X"
        "apposed_after": compile_rx(
            rf"(?:\s*\([^)]{{1,15}}\))?\s*,\s+(?:{_GAVE_AND}\s+)?(?:{verbs})\b", re.I
        ),
        "after": compile_rx(
            # its country office: "IOM Libya said", "UNICEF Yemen reported"
            rf"(?:\s+(?-i:[A-Z][a-z]{{2,}})(?=\s+(?:{verbs})\b))?"
            r"(?:[’']s)?[”\"’]?(?:\s*[\"“‘][^\"“”]{1,40}[\"”’])?(?:\s*\([^()]{1,48}\))?"
            # an apposition: "The White Helmets, also known as X, said" ("better known as")
            r"(?:,\s*(?:(?:also|better|commonly|widely|otherwise)\s+known\s+as|known\s+as|a|an|the|"
            r"which|who)\b[^,.;]{1,140}?,"
            # or the name of the person holding the office: "Lebanon's Health Minister, Firas
            # Abiad, said" (two to four capitalised words, after a form of address: "Mr.
            # Alabo Alfred"), and what they were doing ("..., while confirming the incident,")
            rf"|,\s*(?-i:(?:(?:{honorifics})\.?\s+)?{_PERSON_WORD}(?:\s+{_PERSON_WORD}){{1,3}}),"
            r"(?:\s*while\s+[a-z]+ing\b[^,.;]{0,40},)?"
            # or with no commas after a minister's title: "Health Minister Firass Abiad said"
            rf"|(?:(?<=minister)|(?<=rights))\s+(?-i:{_PERSON_WORD}(?:\s+{_PERSON_WORD}){{1,3}}))?"
            # (a place word, then "states": the plural of state, "in Rakhine and Chin states")
            # ("the Coordination of Resistance Committees in El Fasher said": a name of 2-3 words)
            rf"(?:\s+(?:in|of)\s+(?:{held_by_word()}\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+){{0,2}}{_NO_STATES})?"
            rf"(?:\s+(?:{people}))?"
            # a description after the name: "the White Helmets rescue group said", "SOHR war
            # monitor said" (up to two lower-case words, then an organisation's head noun)
            rf"(?:\s+(?-i:[a-z][\w-]*\s+){{0,2}}(?:{heads}))?"
            r"(?:\s+and\s+(?:its\s+)?(?:partners?\s+)?(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4}"
            rf"{_NO_STATES})?"
            rf"(?:\s+(?:{nouns})(?:\s+(?:in|for|of|on|from)\s+\S+)?)?"
            # "The Sudanese Ministry of Health as of July 11th have documented"
            r"(?:,?\s+as\s+(?:of|at)\s+[\w ]{3,25}?,?(?=\s+(?:has|have|had)\b))?"
            # the day between the name and its verb: "The ministry on Sunday said"
            rf"(?:,?\s+(?:(?:late|early)\s+)?(?:on\s+)?(?:{days}|{dated_day})"
            r"(?:\s+(?:morning|afternoon|evening|night))?,?)?"
            r"(?:\s+(?:has|have|had|also|further|later|then|previously|again|now|still|already|"
            rf"{adverbs}|are|is|was|were))*"
            r"(?:\s+[^.;]{0,80}?\bbut)?"  # "X are still verifying ... but can confirm"
            rf"(?:\s+{_GAVE_AND})?"  # "X gave the same toll and said that 15 ..."
            rf"\s+(?:{verbs}|{actions}|{published}|{remark}|{able})\b",
            re.I,
        ),
        # "according to X", "as per X", "according to activist Y and the UK-based X",
        # "according to the government's X"
        "according": compile_rx(
            r"(?:according\s+to|as\s+per|citing)\s+(?:[^,.;]{0,60}?\s+and\s+)?(?:the\s+|a\s+|an\s+)?"
            r"(?:(?:[\w’'-]+\s+)?[\w’'-]+[’']s\s+)?(?:[\w-]+[- ]based\s+)?"
            # "according to confirmed UN data", "according to the latest OCHA figures"
            rf"(?:(?:{'|'.join(REPORT_ADJECTIVES)})\s+)?"
            # ("according to the latest publication of the UN human rights office", "according to
            # verified information of the UN")
            r"(?:(?:figures|data|reports?|statistics|statements?|estimates|estimations?|updates?|"
            r"publications?|information)\s+(?:from|of|by)\s+(?:the\s+)?)?"
            # "according to a report by the UK-based war monitor(,) the Syrian Observatory"
            # (not a partner after it: "X and its partner organisation Y" is X's)
            r"(?:(?!its\s|their\s)(?:[\w-]+[- ]based\s+)?(?:[a-z][\w-]*\s+){0,3}?"
            # ("according to the volunteer rescue group known as the White Helmets")
            rf"{DESCRIBED_HEADS},?\s+(?:(?:also\s+)?known\s+as\s+)?(?:the\s+)?)?$",
            re.I,
        ),
        "by": compile_rx(
            r"(?:(?:study|report|statement|findings|survey|investigation)\s+(?:of|by)\s+(?:the\s+)?$)|"
            # an organisation counting its own work, after the work ("reached by WFP")
            rf"(?:\b(?:{agent_by})\s+by\s+(?:the\s+)?$)|"
            # ("a statement issued, on 28 January, by the X": a day between commas)
            rf"(?:{by_words})(?:,?\s+[\w,]+){{0,3}}?\s+(?:by|from)\s+(?:the\s+)?$",
            re.I,
        ),
        # "said the White Helmets", "Said UNOCHA report"
        "inverted": compile_rx(
            r"\b(?:said|says|added|stated|reported|reports|noted|wrote|tweeted|explained|confirmed|"
            r"announced|documented|estimated|estimates|warned|warns|read\s+part\s+of)\s+(?:the\s+)?"
            r"(?:[\w.’'-]+-based\s+)?"  # "said the Britain-based X"
            rf"(?:(?:[\w-]+\s+){{0,3}}?{DESCRIBED_HEADS}\s+)?$",  # "reported rights group X"
            re.I,
        ),
        "inverted_end": compile_rx(
            # ("said UNICEF's spokesman", "said a WHO representative": its person speaking; with
            # the office's place and the person's name: "said WFP Yemen Country Director Jane Doe")
            rf"(?:(?:[’']s)?\s+(?:[\w-]+\s+){{0,2}}?(?i:{roles})\b"
            r"(?:\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})?)?"
            r"(?:\s*\([^)]{1,15}\))?\s*(?:[,.;:!?”\"]|$|\s+(?:on|in|report|reports|statement|today)\b)"
        ),
        # "according to a spokesperson for X", "announced by the head of X", "according to
        # Col. Jane Doe, the spokesperson of X"
        "role_led": compile_rx(
            # (no count among the words between: "added that 15 members of X were killed"
            # counts the dead, no member speaks)
            r"\b(?:according\s+to|by|said|says|told|added)\s+(?:a|an|the)?\s*"
            rf"(?:(?!\d|(?:{counts})\b)[\w.,-]+\s+){{0,4}}?"
            rf"(?:{roles})\s+(?:of|for|at|with|from|in)\s+(?:the\s+)?(?:(?:{_DESCRIBING})\s+)?$",
            re.I,
        ),
        # "WHO spokesman Tarik Jasarevic told journalists"; "the UN humanitarian chief and relief
        # coordinator Stephen O'Brien said" (a remit before the role, a second role)
        "after_person": compile_rx(
            rf"(?:[’']s)?\s+(?:[\w-]+\s+)?(?:{roles})(?:\s+and\s+(?:[\w-]+\s+)?(?:{roles}))?"
            rf"(?:\s+(?:[A-Z][\w’'-]+\s+){{1,3}}"
            # or the name between commas, after the post: "UNICEF's representative in
            # Yemen, Jane Doe, said"
            rf"|(?:\s+(?:in|for|to)\s+(?:the\s+)?(?-i:[A-Z][\w’'-]+)(?:\s+(?-i:[A-Z][\w’'-]+)){{0,2}})?"
            rf",\s+(?-i:[A-Z][\w’'.-]*)(?:\s+(?-i:[A-Z][\w’'-]+)){{1,3}},\s+"
            # or no name at all: "UNICEF's spokesman said", "a WHO representative told"
            rf"|\s+)"
            rf"(?:also\s+|earlier\s+|later\s+)?(?:{verbs})\b",
            re.I,
        ),
        # "Jane Doe, UNICEF Regional Director for X, said": the role a person holds in it
        "role_after_name": compile_rx(
            rf"(?:[’']s)?\s+(?:[\w’'-]+\s+){{0,2}}?(?:{roles})\b[^.;!?“”\"]{{0,70}}?\b(?:{verbs})\b",
            re.I,
        ),
        # "UNHCR has sent 11,100 tents": the organisation reports what it did
        "action": compile_rx(
            r"(?:\s*\([^)]{1,15}\))?(?:,[^,.;]{1,40},)?(?:\s+(?:has|have|also|now|already|currently))*"
            rf"\s+(?:{actions})\b",
            re.I,
        ),
        # "X's Protection of Civilians Midyear Update 2021 documents"
        "titled": compile_rx(
            # (a numbered unit: "the army's 6th Infantry Division said")
            r"[’']s(?:\s+(?:[A-Z][\w-]*|\d{4}|\d{1,3}(?:st|nd|rd|th)|of|in|on|and|the)){1,10}?"
            rf"\s+(?:{verbs})\b"
        ),
        "colon_head": compile_rx(r"\s*:\s"),
        "source_label": compile_rx(r"\bsources?\s*:\s*$", re.I),
        "listener": compile_rx(
            r"(?:told|(?:said|spoke|speaking|talked)\s+to)\s+(?:the\s+)?$", re.I
        ),
        # "(MoPH)", "(DTM Emergency Tracking, 17 May)" after a figure: a citation; its source may
        # spell its own acronym ("(Ministry of Health (MoH), 30 June 2019)")
        "citation": compile_rx(r"\((?P<body>(?:[^()]|\([^()]{1,15}\)){2,90})\)"),
        "cited_acronym": compile_rx(r"[A-Z][A-Za-z]{0,2}[A-Z]{1,6}\b"),
        "anaphor": compile_rx(
            "(?P<np>"
            + word_led(
                "it",
                "they",
                *vocab_list("sources", "speaking_pronouns"),
                # "the ministry spokesperson Jane Doe said": the person's name may follow
                rf"the\s+{spokes}(?:\s+[\w’'-]+){{0,3}}?(?=\s+(?:{verbs})\b)",
                r"field\s+teams",
                r"report\s+no\.?\s*\d+",
                r"its\s+(?:staff|teams|researchers|report|statement|figures|data|latest\s+figures)",
                # "the group's report noted": the organisation named before, by its report
                rf"the\s+(?:{heads})[’']s\s+(?:{nouns})",
                # "the ministry's emergency service said", "the agency's spokesman said": the
                # organisation named before, by one of its bodies or its voice
                rf"the\s+(?:{heads})[’']s\s+(?:[a-z][\w-]*\s+)?(?:{heads}|{spokes})",
                # "the peacekeeping mission's human rights division documented": a unit of the
                # organisation named before, under a name of its own
                rf"the\s+(?:[a-z][\w-]*\s+){{0,2}}?(?:{heads})[’']s\s+(?:[a-z][\w-]*\s+){{0,3}}?"
                rf"(?:{units})",
                rf"the\s+{described_org}",
                rf"its\s+{described_org}",
                rf"an?\s+(?:{heads})\s+(?:{nouns})",  # "a ministry statement said": the one named
                # "a statement from the network said": the network named before
                rf"an?\s+(?:{nouns})\s+(?:from|by|of)\s+the\s+{described_org}",
            )
            + ")"
            r"(?:\s+(?:issued|published|released)(?:\s+[a-z]+){0,2})?"
            # "the group and opposition activists said": others speak with it
            rf"(?:\s+and\s+(?:[a-z][\w-]*\s+)?(?:{individuals}))?"
            r"(?:\s+(?:also|further|then|later|earlier|partly|now|again|has|have|had|today|yesterday))*"
            r"(?:\s+(?:went|goes|go)\s+on\s+to)?"  # "the group went on to say"
            r"(?:\s*,\s*[a-z]+day\s*,)?"  # "a statement from the network today, tuesday, said"
            # "the ministry on friday reported": the day of the report between
            r"(?:\s+(?:on|last)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))?"
            rf"\s+(?:(?P<said>{verbs})|{actions}|{remark})\b",
        ),
        # "Jane Doe, the spokesman of the ministry, said": a person speaking for the
        # organisation named before, which the words after the role stand for
        "role_anaphor": compile_rx(
            rf",\s+(?:the\s+|a\s+|an\s+)?(?:[a-z][\w-]*\s+)?(?:{roles})\s+(?:of|for|at|with|in)\s+"
            rf"(?P<np>the\s+{described_org}),\s+(?:[a-z]+\s+)?(?P<said>{verbs})\b"
        ),
        "according_anaphor": compile_rx(
            r"(?:according\s+to|as\s+stated\s+in|added|says|said|read\s+part\s+of)\s+"
            rf"(?P<np>(?:the|its)\s+(?:{described_org}|{spokes})|him|her|them)\b"
            # the person heading the organisation named before ("according to Jane Doe, the
            # new head of the mission,"): the organisation (the head word is the last)
            rf"|according\s+to\s+(?:[\w’'.-]+\s+){{0,3}}?[\w’'.-]+,\s+(?P<np2>(?:the\s+)?"
            rf"(?:[a-z]+\s+)?(?:{roles})\s+(?:of|for|at)\s+(?:the|its)\s+{described_org})\b",
        ),
        # (not "an activist group": a description of the organisation named before it)
        "individual": compile_rx(
            rf"(?:according\s+to\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){{0,3}}?(?P<w1>{individuals})\b"
            # ("In a report issued on Monday, the network said": the setting, not the speaker)
            rf"|(?:\A|,\s*|[”\"]\s*)(?!in\s)(?:[\w-]+\s+){{0,2}}?(?P<w2>{individuals})\b(?!\s+(?:[\w-]+\s+)?(?:{heads})\b)"
            rf"[^.;\"“”]{{0,60}}?\b(?:{verbs}|indicated?|suggested?|saying)\b"
            rf"|\b(?:said|says|told)\s+(?P<w3>{individuals})\b)",
        ),
        # scanned on lower-cased text; the place is read back from the text as written
        "office": compile_rx(
            rf"\b(?P<office>{office})\s+of\s+"
            rf"(?:(?P<described>the\s+{described})"
            r"|(?:the\s+)?(?P<place>[a-z][\w-]*(?:\s+[a-z][\w-]*)?))\b"
        ),
        "office_owned": compile_rx(  # "armenia's human rights defender": the owner's place
            rf"\b(?P<place>(?:\w[\w-]*\s+)?\w[\w-]*)[’']s\s+(?P<office>{office})\b"
        ),
        "reports_after": compile_rx(rf"(?:[’']s)?\s+(?:{nouns})\b"),  # on lower-cased text
        # "the UN agency said": a parent's word for one of its bodies (lower-cased text)
        "body_after": compile_rx(
            r"(?:[’']s)?[\s-]+(?:agency|body|office|mission|organi[sz]ation)\b"
        ),
        # on lower-cased text, right after a figure
        "third_party": compile_rx(
            rf"\s+(?:{phrase_pattern(vocab_list('sources', 'third_party_participles'))})\b"
            rf"|(?:\s+[a-z-]+){{1,2}}\s+"
            rf"(?:{phrase_pattern(vocab_list('sources', 'third_party_passives'))})\b"
        ),
        # (a quotation refers back when its words speak of the figures: "“We know that the
        # actual figures are higher,” said X"; not a reaction quote opening a new paragraph:
        # "“It would be a disaster for them,” said X")
        "back_reference": compile_rx(
            rf"[“\"][^”\"]{{0,200}}?\b(?:{quote_back})\b"
            rf"|(?:{phrase_pattern(vocab_list('sources', 'back_references'))})\b",
            re.I,
        ),
        # these two are scanned on lower-cased text
        "demonstrative": compile_rx(r"\b(?:these|those)\s+(?:[a-z]+\s+)?[a-z]+s\b"),
        "opener": compile_rx(
            rf"(?:{phrase_pattern(vocab_list('sources', 'continuing_openers'))})\b"
        ),
        "voice": compile_rx(r"\bwe(?:,)?\s+(?:at|in|from)?\s*(?:the\s+)?$", re.I),
        # "..., the group said." at the end: the source named before speaks again
        "trailing_anaphor": compile_rx(
            r",\s*(?:it|they|the\s+(?:[a-z\-]+\s+)?(?:group|organi[sz]ation|agency|monitor|network|ministry|"
            r"office|observatory|cent(?:re|er)|mission|team|rescuers|volunteers))"
            # "the group and activists said"
            rf"(?:\s+and\s+(?:[a-z][\w-]*\s+)?(?:{individuals}))?\s+"
            rf"(?:also\s+|further\s+)?(?:{verbs})\b[^.;]{{0,40}}[.!]?[\"”]?\s*$",
            re.I,
        ),
        "trailing": compile_rx(
            # the speaker is a name, not a passive ("..., 2,880 people were also reported
            # wounded": no one is named)
            r",\s*(?:the\s+)?(?P<org>[^\W\d_](?:(?!\s(?:were|was|are|is|been)\s)[^,.;]){1,79}?)"
            rf"\s+(?:{TRAILING_VERBS})\b[^.;]{{0,40}}[.!]?\s*$",
            re.I,
        ),
        "trailing_verb": compile_rx(rf"\b(?:{TRAILING_VERBS})\b"),  # on lower-cased text
        "acronym_paren": compile_rx(r"\((?P<acr>[A-Z][A-Za-z]{1,9})\)"),
        "acronym_full": compile_rx(
            r"(?P<full>(?:[A-Z][\w’'\-]*\s+(?:(?:of|for|the|and|on)\s+)*){1,8})$"
        ),
        "we": compile_rx(r"\bwe\b", re.I),
        "first_person": compile_rx(  # "we documented", "we also documented"
            rf"\bwe\s+(?:(?:also|further|again)\s+)?"
            rf"(?:{phrase_pattern(vocab_list('sources', 'first_person_verbs'))})\b",
            re.I,
        ),
        # "This is an update from the head of the White Helmets, ...": who the first person
        # of the text that follows speaks for
        "voice_intro": compile_rx(
            rf"\b(?:{phrase_pattern(vocab_list('sources', 'voice_intro_nouns'))})\s+from\s+"
            rf"(?:the\s+)?(?:{phrase_pattern(vocab_list('sources', 'voice_intro_roles'))})"
            r"\s+of\s+$",
            re.I,
        ),
        # a headline that says whose words the text is ("Comment by Jane Doe, Head of the UN
        # Mission in X on ..."): the text's "we" and "our" speak for that organisation
        "title_voice": compile_rx(
            rf"^\s*(?:{phrase_pattern(vocab_list('sources', 'voice_intro_nouns'))})\s+by\s+"
            r"[^,;:]{3,60},\s+(?:the\s+)?"
            rf"(?:{phrase_pattern(vocab_list('sources', 'voice_intro_roles'))})"
            r"\s+(?:of|for|at)\s+(?:the\s+)?$",
            re.I,
        ),
        "org_word": compile_rx(
            rf"(?-i:{phrase_pattern(vocab_list('sources', 'org_words'), lower=False)}\b)"
        ),
        # (an acronym may stand inside the name: "the Disaster Risk Management (DRM) Unit")
        "org_left": compile_rx(
            rf"(?-i:(?:{cap}\s+(?:(?:of|for|the|and|on|in)\s+)*){{1,6}}(?:{_INNER_ACRONYM}\s+)?)$"
        ),
        "org_more": compile_rx(
            rf"(?-i:(?:\s+{cap}){{0,2}}\s+"
            rf"{phrase_pattern(vocab_list('sources', 'org_words'), lower=False)}\b)"
        ),
        "org_right": compile_rx(
            # "for the Management of IDPs Camps": of/for may join the name's words again
            rf"(?-i:(?:\s+(?:of|for|on)\s+(?:the\s+)?{cap}"
            rf"(?:\s+(?:and\s+|&\s+|(?:of|for)\s+(?:the\s+)?)?{cap}){{0,4}})?)"
        ),
    }
