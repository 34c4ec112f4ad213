"""Sentences of a text and the possible pledgers in each: countries, people, coalitions."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from worldtake.claims.lexicon import COALITION, Lexicon
from worldtake.enrich.entities import Mention
from worldtake.enrich.gazetteer import load_gazetteer
from worldtake.sentences import sentence_spans

_COORDINATION = re.compile(
    r"^(?:\s*,\s*|\s*,?\s*(?:and|or|et|ou|e|o|und|oder|y|i|oraz|та|і|й)\s+)(?:the\s+)?$",
    re.IGNORECASE,
)
_ARTICLE = frozenset(["the", "la", "le", "les", "l", "il", "lo", "die", "der", "den", "dem", "el"])
_WORD = re.compile(r"[\w']+$")
_QUOTE_OPENS = re.compile(r"(?<=[.!?])(?=[\"“«„][A-ZÀ-ÖØ-Þ])")
_WITH_ACTOR = re.compile(r"^\s+(?!during\b)\w+ing\b")


@dataclass(frozen=True)
class Segment:
    """A sentence's span in the text."""

    start: int
    end: int


@dataclass(frozen=True)
class Owner:
    """A possible pledger in a sentence: country codes (or COALITION) and its span there.

    `location` marks a mention that is not the actor: a place or recipient ("in Ukraine",
    "for France") or the nationality of media or companies ("German publications").
    """

    keys: tuple[str, ...]
    start: int
    end: int
    location: bool
    pledger: bool


def text_segments(text: str) -> list[Segment]:
    """Sentences of `text`, line by line, so headings and bullets stand on their own."""
    segments: list[Segment] = []
    offset = 0
    for line in text.split("\n"):
        for start, end in sentence_spans(line):
            segments.extend(_split_at_quotes(line, offset, start, end))
        offset += len(line) + 1
    return segments


def _split_at_quotes(line: str, offset: int, start: int, end: int) -> list[Segment]:
    """Cut where a quotation opens right after a full stop with no space ('Paris."Each')."""
    cuts = [start, *(start + m.start() for m in _QUOTE_OPENS.finditer(line[start:end])), end]
    return [Segment(offset + a, offset + b) for a, b in itertools.pairwise(cuts) if b > a]


def find_owners(
    sentence: str, offset: int, mentions: Sequence[Mention], lexicon: Lexicon
) -> list[Owner]:
    """Possible pledgers in `sentence` (which starts at `offset`), coordinated ones merged."""
    spans: dict[tuple[int, int], list[str]] = {}
    local = [m for m in mentions if offset <= m.start and m.end <= offset + len(sentence)]
    for mention in local:
        key = _country_of(mention)
        if mention.kind == "person":  # "German Foreign Minister": the post's own country
            key = _nested_country(mention, local) or key
        if key is not None:
            span = (mention.start - offset, mention.end - offset)
            spans.setdefault(span, [])
            if key not in spans[span]:
                spans[span].append(key)
    for match in lexicon.coalition.finditer(sentence):
        if not any(a < match.end() and match.start() < b for a, b in spans):
            spans[(match.start(), match.end())] = [COALITION]
    owners = [
        Owner(
            tuple(keys),
            start,
            end,
            _is_location(sentence, start, lexicon) or _is_attribute(sentence, start, end, lexicon),
            not set(keys) & lexicon.non_pledgers,
        )
        for (start, end), keys in sorted(spans.items())
        if not _is_nested(start, end, spans)
    ]
    return [_actor_after_with(sentence, o) for o in _coordinate(sentence, owners)]


def _is_attribute(sentence: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """The nationality of media, companies or observers ("German publications", "la presse
    allemande") names no actor."""
    after = sentence[end : end + 60]
    before = sentence[max(0, start - 40) : start]
    return bool(lexicon.non_actor_after.match(after) or lexicon.non_actor_before.search(before))


def _actor_after_with(sentence: str, owner: Owner) -> Owner:
    """ "with France and Britain leading the ground component": the country acts after all."""
    if not owner.location or not _WITH_ACTOR.match(sentence[owner.end :]):
        return owner
    words = sentence[: owner.start].lower().split()
    if words and words[-1] in ("with", "avec", "con", "mit"):
        return Owner(owner.keys, owner.start, owner.end, False, owner.pledger)
    return owner


def _country_of(mention: Mention) -> str | None:
    if mention.kind == "country":
        return mention.key
    if mention.kind == "person":
        person = person_countries().get(mention.key)
        return person
    return None


def _nested_country(mention: Mention, mentions: Sequence[Mention]) -> str | None:
    return next(
        (
            m.key
            for m in mentions
            if m.kind == "country" and mention.start <= m.start and m.end <= mention.end
        ),
        None,
    )


@cache
def person_countries() -> dict[str, str]:
    """Each curated person's country (a state: not the EU, NATO or UN), from people.json."""
    import pycountry

    states = {c.alpha_2 for c in pycountry.countries}
    people = load_gazetteer().people.items()
    return {pid: p.country for pid, p in people if p.country and p.country in states}


def _is_nested(start: int, end: int, spans: dict[tuple[int, int], list[str]]) -> bool:
    return any(a <= start and end <= b and (a, b) != (start, end) for a, b in spans)


def _is_location(sentence: str, start: int, lexicon: Lexicon) -> bool:
    words = sentence[:start].lower().replace("’", "'").split()
    while words and words[-1].strip("'") in _ARTICLE:
        words.pop()
    if not words:
        return False
    word = words[-1].strip(',;:"“”«»()')
    if word.endswith("'"):
        word = word[:-1]
    return word in lexicon.location_prepositions


def _coordinate(sentence: str, owners: list[Owner]) -> list[Owner]:
    merged: list[Owner] = []
    for owner in owners:
        if merged:
            last = merged[-1]
            gap = sentence[last.end : owner.start]
            if _COORDINATION.match(gap) and last.pledger == owner.pledger:
                keys = tuple(dict.fromkeys(last.keys + owner.keys))
                merged[-1] = Owner(keys, last.start, owner.end, last.location, last.pledger)
                continue
        merged.append(owner)
    return merged
