"""Stances on deploying foreign troops in Ukraine: who supports it and who opposes it.

Read from statements, not pledges: a sentence with a stance cue ("supports the idea", "oppose
it", "unacceptable", "legitimate targets") on the deployment topic (in the sentence or the one
before). The holder is the speaker of the sentence's statement when it has one, else the
countries named before the cue in its clause, else the subject carried from the sentence
before. Any country may hold a stance, Russia included (unlike pledges).
"""

from __future__ import annotations

from collections.abc import Sequence

from worldtake.claims.lexicon import COALITION, Cue, Lexicon, load_lexicon
from worldtake.claims.records import StanceClaim, Statement
from worldtake.claims.text import Owner, find_owners, text_segments
from worldtake.enrich.entities import Mention

STANCES = ("supports", "opposes")
_CONTRAST_CUTS = (", while ", " while ", ", but ", " but ", "; ", ", whereas ")


def extract_stances(
    text: str,
    mentions: Sequence[Mention],
    statements: Sequence[Statement] = (),
    languages: tuple[str, ...] | None = None,
) -> list[StanceClaim]:
    """Every country's stance on the deployment of foreign troops that `text` reports."""
    lexicon = load_lexicon(languages)
    found: dict[tuple[str, str], StanceClaim] = {}
    topic_before = False
    carried: tuple[str, ...] = ()
    for segment in text_segments(text):
        sentence = text[segment.start : segment.end]
        owners = find_owners(sentence, segment.start, mentions, lexicon)
        on_topic = bool(lexicon.stance_topics.search(sentence))
        speaker = _speaker_country(segment.start, segment.end, statements)
        for cue in _stance_cues(sentence, lexicon) if on_topic or topic_before else []:
            holders = _holders(sentence, cue, owners, speaker) or carried
            for country in holders:
                claim = StanceClaim(country, cue.label, None, sentence, segment.start, segment.end)
                found.setdefault((country, cue.label), claim)
        topic_before = on_topic
        actors = [o for o in owners if not o.location]
        carried = _keys(actors[:1]) if actors else (carried if not owners else ())
    return sorted(found.values(), key=lambda c: (c.start, c.country))


def _stance_cues(sentence: str, lexicon: Lexicon) -> list[Cue]:
    cues = sorted(lexicon.find(lexicon.stances, sentence), key=lambda c: (c.start, -c.end))
    kept: list[Cue] = []
    for cue in cues:
        if all(cue.start >= k.end or cue.end <= k.start for k in kept):
            kept.append(cue)
    return kept


def _holders(sentence: str, cue: Cue, owners: list[Owner], speaker: str | None) -> tuple[str, ...]:
    """Countries named before the cue in its clause; the speaker when the clause names none."""
    start = max([sentence.rfind(cut, 0, cue.start) for cut in _CONTRAST_CUTS] + [0])
    before = [o for o in owners if start <= o.start and o.end <= cue.start and not o.location]
    keys = _keys(before)
    if speaker is not None and (not keys or speaker in keys):
        return (speaker,)
    return keys


def _keys(owners: Sequence[Owner]) -> tuple[str, ...]:
    keys = (k for o in owners for k in o.keys if k not in (COALITION, "UA"))
    return tuple(dict.fromkeys(keys))


def _speaker_country(start: int, end: int, statements: Sequence[Statement]) -> str | None:
    for statement in statements:
        if statement.start <= start < statement.end or start <= statement.start < end:
            return statement.speaker_country
    return None
