"""The pledge lexicon: contribution kinds, polarity, condition and speech cues, compiled once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

KINDS = (
    "ground_troops",
    "air",
    "naval",
    "air_defense",
    "logistics",
    "intelligence",
    "monitoring",
    "training",
    "weapons",
    "funding",
    "demining",
    "bases",
)
POLARITIES = ("offer", "refuse", "conditional", "undecided")
LANGUAGES = ("en", "fr", "it", "de", "es", "pl", "uk")
COALITION = "COALITION"

_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True)
class Cue:
    """A lexicon match in a text: its label (a kind, a polarity...) and its character span."""

    label: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Lexicon:
    """Compiled cue patterns, each as (label, pattern) pairs, for one set of languages."""

    kinds: tuple[tuple[str, re.Pattern[str]], ...]
    polarity: tuple[tuple[str, re.Pattern[str]], ...]
    refuse_after: re.Pattern[str]
    conditions: tuple[tuple[str, re.Pattern[str]], ...]
    coalition: re.Pattern[str]
    contrast: re.Pattern[str]
    object_context: re.Pattern[str]
    own_markers: re.Pattern[str]
    anaphora: re.Pattern[str]
    beneficiary: re.Pattern[str]
    amounts: re.Pattern[str]
    handover: re.Pattern[str]
    location_prepositions: frozenset[str]
    non_pledgers: frozenset[str]
    reporting_verbs: tuple[tuple[str, re.Pattern[str]], ...]
    unnamed_speakers: re.Pattern[str]
    non_actor_after: re.Pattern[str]
    non_actor_before: re.Pattern[str]
    first_person: re.Pattern[str]
    clause_subject: re.Pattern[str]
    institution_sources: re.Pattern[str]
    stances: tuple[tuple[str, re.Pattern[str]], ...]
    stance_topics: re.Pattern[str]

    def find(self, table: Iterable[tuple[str, re.Pattern[str]]], text: str) -> list[Cue]:
        """Every match of every labelled pattern in `text`, overlaps included."""
        return [
            Cue(label, m.start(), m.end(), m.group())
            for label, pattern in table
            for m in pattern.finditer(text)
            if m.end() > m.start()
        ]


@cache
def load_raw_lexicon() -> dict[str, Any]:
    """The lexicon file as written: worldtake/data/pledge_lexicon.json."""
    path = resources.files("worldtake") / "data" / "pledge_lexicon.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def load_lexicon(languages: tuple[str, ...] | None = None) -> Lexicon:
    """Compile the lexicon for `languages` (every language when None)."""
    raw = load_raw_lexicon()
    langs = tuple(languages) if languages else LANGUAGES
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown:
        langs = tuple(lang for lang in langs if lang in LANGUAGES) or LANGUAGES
    return Lexicon(
        kinds=tuple((kind, _word_pattern(_patterns(raw["kinds"][kind], langs))) for kind in KINDS),
        polarity=tuple(
            (label, _word_pattern(_patterns(raw["polarity"][label], langs)))
            for label in ("undecided", "refuse", "offer", "block")
        ),
        refuse_after=_word_pattern(_patterns(raw["refuse_after"], langs)),
        conditions=tuple(
            (label, _word_pattern(_patterns(raw["conditions"][label], langs)))
            for label in ("explicit", "timing")
        ),
        coalition=_word_pattern(_patterns(raw["coalition"], langs)),
        contrast=re.compile("|".join(_patterns(raw["contrast"], langs)), _FLAGS),
        object_context=re.compile(
            "(?:" + "|".join(_patterns(raw["object_context"], langs)) + ")$", _FLAGS
        ),
        own_markers=_word_pattern(_patterns(raw["own_markers"], langs)),
        anaphora=_word_pattern(_patterns(raw["anaphora"], langs)),
        beneficiary=_word_pattern(raw["beneficiary"]["all"]),
        amounts=_word_pattern(raw["amounts"]["all"]),
        handover=_word_pattern(raw["weapons_handover"]),
        location_prepositions=frozenset(
            word for lang in langs for word in raw["location_prepositions"].get(lang, [])
        ),
        non_pledgers=frozenset(raw["non_pledgers"]["countries"]),
        reporting_verbs=_verb_table(raw["reporting_verbs"], langs),
        unnamed_speakers=_word_pattern(raw["unnamed_speakers"]["all"]),
        non_actor_after=_anchored(_patterns(raw["non_actor_heads"]["after"], langs), r"^\s*"),
        non_actor_before=_anchored(_patterns(raw["non_actor_heads"]["before"], langs), ""),
        first_person=_word_pattern(_patterns(raw["first_person"], langs)),
        institution_sources=_word_pattern(_patterns(raw["institution_sources"], langs)),
        stances=tuple(
            (label, _word_pattern(_patterns(raw["stances"][label], langs)))
            for label in ("opposes", "supports")
        ),
        stance_topics=_word_pattern(
            _patterns(raw["stances"]["topics"], langs)
            + _patterns(raw["kinds"]["ground_troops"], langs)
        ),
        clause_subject=_anchored(
            _patterns(raw["clause_subjects"], langs), r"^['’]?s?\s+", r"(?![\w-])"
        ),
    )


def _anchored(patterns: list[str], head: str, tail: str = "") -> re.Pattern[str]:
    if not patterns:
        return re.compile(r"(?!x)x")
    return re.compile(head + "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")" + tail, _FLAGS)


def _patterns(table: dict[str, Any], langs: tuple[str, ...]) -> list[str]:
    return [p for lang in langs for p in table.get(lang, [])]


def _word_pattern(patterns: list[str]) -> re.Pattern[str]:
    if not patterns:
        return re.compile(r"(?!x)x")
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", _FLAGS)


def _verb_table(
    table: dict[str, dict[str, str]], langs: tuple[str, ...]
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    pairs: dict[str, list[str]] = {}
    for lang in langs:
        for pattern, verb in table.get(lang, {}).items():
            pairs.setdefault(verb, []).append(pattern)
    return tuple((verb, _word_pattern(patterns)) for verb, patterns in pairs.items())
