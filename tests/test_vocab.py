"""The vocabularies load, are consistent, and map aliases to canonical names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from crisisdesk import vocab
from crisisdesk.model import Category, Unit


def test_sources_have_reliability_and_unique_aliases() -> None:
    sources = vocab.load_sources()
    assert len(sources) > 20
    names = [s.name for s in sources]
    assert len(names) == len(set(names))
    for s in sources:
        assert 0.0 <= s.reliability <= 1.0


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("White Helmets", "Syrian Civil Defence"),
        ("the Syrian Civil Defense", "Syrian Civil Defence"),
        ("SCD", "Syrian Civil Defence"),
        ("UNOCHA", "UN OCHA"),
        ("Syrian Response Coordination Group", "Syrian Response Coordinators Group"),
        ("Syrian Observatory", "Syrian Observatory for Human Rights"),
        ("DTM", "IOM DTM"),
        ("UN refugee agency", "UNHCR"),
        ("the International Organization for Migration", "IOM"),
        ("UN Human Rights Monitoring Mission", "UN Human Rights Monitoring Mission in Ukraine"),
        ("Doctors Without Borders", "Médecins Sans Frontières"),
    ],
)
def test_canonical_source(alias: str, canonical: str) -> None:
    assert vocab.canonical_source(alias) == canonical


def test_unknown_source_is_none() -> None:
    assert vocab.canonical_source("Some Local Committee") is None
    assert vocab.canonical_source("  ") is None


def test_nouns_use_schema_units_and_categories() -> None:
    for phrase, entry in vocab.nouns().items():
        assert Unit(entry.unit), phrase
        if entry.category:
            assert Category(entry.category), phrase
    for side in ("after", "before"):
        for phrase, category in vocab.cues()[side].items():
            assert Category(category), phrase


def test_broken_vocab_name_is_a_config_error() -> None:
    from crisisdesk.errors import ConfigError

    with pytest.raises(ConfigError):
        vocab.load_yaml("does-not-exist")


def _scalars(node: object, where: str) -> list[tuple[str, object]]:
    if isinstance(node, dict):
        return [x for k, v in node.items() for x in _scalars(v, f"{where}/{k}")]
    if isinstance(node, list):
        return [x for i, v in enumerate(node) for x in _scalars(v, f"{where}[{i}]")]
    return [(where, node)]


@pytest.mark.parametrize(
    "name",
    [
        "categories",
        "filters",
        "links",
        "numbers",
        "periods",
        "places",
        "qualifiers",
        "sources",
        "text",
    ],
)
def test_no_yaml_booleans_in_vocabularies(name: str) -> None:
    """YAML reads a bare on/off/no/yes as a boolean: a word list would silently lose it."""
    booleans = [w for w, v in _scalars(dict(vocab.load_yaml(name)), name) if isinstance(v, bool)]
    assert booleans == []


def test_a_language_is_a_folder_of_vocabularies() -> None:
    from crisisdesk.errors import ConfigError
    from crisisdesk.vocab import load_lang_yaml

    numbers = load_lang_yaml("ar", "numbers")
    assert numbers["units"]["ثلاثة"] == 3
    for name in (
        "tokens",
        "categories",
        "qualifiers",
        "links",
        "filters",
        "periods",
        "sources",
        "places",
        "totals",
    ):
        assert load_lang_yaml("ar", name)
    import pytest

    with pytest.raises(ConfigError):
        load_lang_yaml("../en", "numbers")
    with pytest.raises(ConfigError):
        load_lang_yaml("zz", "numbers")


def test_arabic_organisations_resolve_to_names_of_the_english_table() -> None:
    from crisisdesk.vocab import canonical_source, load_lang_yaml

    for org in load_lang_yaml("ar", "sources")["organisations"]:
        national = org["name"].split(" Ministry of ")[0] in ("Lebanese", "Palestinian")
        # a national ministry is built as the English table builds it (demonym + portfolio)
        assert canonical_source(org["name"]) == org["name"] or national, org["name"]


def test_every_vocabulary_list_is_read() -> None:
    """A word list that no code reads is a promise the extractor does not keep: each
    top-level key of every vocabulary file is named somewhere in the package's code."""
    package = Path(vocab.__file__).parent
    code = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    unread = []
    for path in sorted((package / "data" / "vocab").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in data if isinstance(data, dict) else ():
            if f'"{key}"' not in code and f"'{key}'" not in code:
                unread.append(f"{path.parent.name}/{path.name}: {key}")
    assert unread == []


@pytest.mark.parametrize(
    "text",
    [
        "it said",
        "xit said; it, it",
        "_it it_ it",
        "éit it",
        "3it it",
        "the ministry has, has, hashas",
        "",
        "i",
        "(it)[has]",
    ],
)
def test_word_led_matches_as_a_leading_word_boundary(text: str) -> None:
    alternatives = ("it", "has", r"has\s+been", "the")
    fast = re.compile(vocab.word_led(*alternatives))
    slow = re.compile(r"\b(?:" + "|".join(alternatives) + ")")
    for pos in range(len(text) + 1):
        assert [m.span() for m in fast.finditer(text, pos)] == [
            m.span() for m in slow.finditer(text, pos)
        ]


def test_word_led_refuses_what_it_cannot_write() -> None:
    with pytest.raises(ValueError):
        vocab.word_led("It")
    with pytest.raises(ValueError):
        vocab.word_led("a?b")
