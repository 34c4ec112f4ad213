"""Attributed statements: who (person, government, organisation, unnamed officials) said what.

Rules over reporting verbs from the lexicon: "X said (that) ...", "..., X said", "according to
X, ...", and direct quotes next to any of them. The speaker is the entity mention nearest the
verb on its side; a person brings the country of their post.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from worldtake.claims.lexicon import Cue, Lexicon, load_lexicon
from worldtake.claims.records import Statement
from worldtake.claims.text import person_countries, text_segments
from worldtake.enrich.entities import Mention
from worldtake.enrich.gazetteer import load_gazetteer

_QUOTE = re.compile(r"[“\"«„]([^”\"»“]{3,})[”\"»“]")
_SPEAKER_REACH = 90
_KIND_ORDER = {"person": 0, "organisation": 1, "country": 2, "group": 3}


def extract_statements(
    text: str, mentions: Sequence[Mention], languages: tuple[str, ...] | None = None
) -> list[Statement]:
    """Every attributed statement in `text`, with speaker, verb, content and span."""
    lexicon = load_lexicon(languages)
    statements: list[Statement] = []
    for segment in text_segments(text):
        sentence = text[segment.start : segment.end]
        local = [m for m in mentions if segment.start <= m.start and m.end <= segment.end]
        statement = _sentence_statement(sentence, segment.start, local, lexicon)
        if statement is not None and all(s.content != statement.content for s in statements):
            statements.append(statement)
    return statements


def _sentence_statement(
    sentence: str, offset: int, mentions: list[Mention], lexicon: Lexicon
) -> Statement | None:
    verbs = sorted(lexicon.find(lexicon.reporting_verbs, sentence), key=lambda c: c.start)
    quotes = list(_QUOTE.finditer(sentence))
    for verb in verbs:
        if any(q.start() < verb.start < q.end() for q in quotes):
            continue
        speaker = _speaker(sentence, offset, verb, mentions, lexicon)
        if speaker is None:
            continue
        name, kind, country = speaker
        content, direct = _content(sentence, verb, quotes)
        if len(content) < 8:
            continue
        return Statement(
            name, kind, country, verb.label, content, direct, offset, offset + len(sentence)
        )
    return None


def _speaker(
    sentence: str, offset: int, verb: Cue, mentions: list[Mention], lexicon: Lexicon
) -> tuple[str, str, str | None] | None:
    """The mention nearest the verb: before it ("X said") or after ("said X", "according to X")."""
    before = [m for m in mentions if m.end - offset <= verb.start]
    after = [m for m in mentions if m.start - offset >= verb.end]
    inverted = verb.label == "according to" or sentence[: verb.start].rstrip().endswith(",")
    candidates: list[Mention] = []
    if inverted and after:
        comma = sentence.find(",", verb.end)
        stop = comma if comma >= 0 else verb.end + _SPEAKER_REACH // 2
        candidates = [m for m in after if m.end - offset <= stop] or after[:1]
    elif before:
        last = before[-1].end - offset
        if verb.start - last <= _SPEAKER_REACH:
            candidates = [m for m in before if last - (m.end - offset) <= 40]
    if candidates:
        best = min(
            candidates,
            key=lambda m: (_KIND_ORDER.get(m.kind, 9), abs(m.start - offset - verb.start)),
        )
        return _describe(best)
    unnamed = lexicon.unnamed_speakers.search(sentence, max(0, verb.start - 60), verb.start)
    if unnamed is not None:
        return ("unnamed officials", "unnamed", None)
    return None


def _describe(mention: Mention) -> tuple[str, str, str | None]:
    if mention.kind == "person":
        person = load_gazetteer().people.get(mention.key)
        name = person.name if person else mention.text
        return (name, "person", person_countries().get(mention.key))
    if mention.kind == "country":
        return (mention.key, "government", mention.key)
    return (mention.text, "organisation", None)


def _content(sentence: str, verb: Cue, quotes: list[re.Match[str]]) -> tuple[str, bool]:
    """A quote near the verb when there is one, else the reported clause after (or before) it."""
    if quotes:
        nearest = min(
            quotes, key=lambda q: min(abs(q.start() - verb.end), abs(verb.start - q.end()))
        )
        return nearest.group(1).strip(" ,."), True
    after = sentence[verb.end :].strip(" :,")
    after = re.sub(r"^(?:that|que|che|dass|że|що)\s+", "", after, flags=re.IGNORECASE)
    if (
        verb.label != "according to"
        and len(after) >= 8
        and not sentence[: verb.start].rstrip().endswith(",")
    ):
        return after.rstrip(" ."), False
    if verb.label == "according to":
        comma = after.find(",")
        return (after[comma + 1 :].strip(" .") if comma >= 0 else after), False
    head = sentence[: verb.start].rstrip(" ,")
    comma = head.rfind(",")
    return (head[:comma] if comma > 0 else head).strip(" ."), False
