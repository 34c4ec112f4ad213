"""Dates in text: day-level phrases ("On September 8", "4 settembre", "on Thursday", "tomorrow")
resolved against a reference date, and publication dates inferred for undated dump items.

Month and weekday names come from babel (CLDR) and the words for today, yesterday and tomorrow
from dateparser's language data, for the languages in DATE_LANGUAGES.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

DATE_LANGUAGES = ("en", "fr", "de", "it", "es", "pt", "uk", "ru", "pl", "nl")
"""Languages whose month, weekday and relative-day words the extractor knows."""

_LEAD = r"(?:(?:on|On|ON|since|by|until|from|le|Le|am|Am|il|Il|el|El|в|В|у|У)\s+)?"
_DAY_SUFFIX = r"(?:st|nd|rd|th|er|\.|º|°)?"
_AMBIGUOUS = {"morgen"}  # German "tomorrow" is also "morning"
_SHIFTS = {"last": -1, "next": 1, "this": 0, "dernier": -1, "prochain": 1, "scorso": -1}


@dataclass(frozen=True)
class DateMention:
    """A day named in a text: the ISO date, the phrase, its span, and how it was named."""

    date: str
    phrase: str
    start: int
    end: int
    kind: str  # "absolute" (a month and day) or "relative" (a weekday, today, tomorrow)


@dataclass(frozen=True)
class InferredDate:
    """A publication date inferred for an undated item, with the evidence for it."""

    date: str
    evidence: str


@dataclass(frozen=True)
class _Vocabulary:
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    english_months: frozenset[str]
    pattern: re.Pattern[str]


def find_event_dates(text: str, reference: date | None) -> list[DateMention]:
    """Day-level dates named in `text`; phrases without a year or relative ones need `reference`."""
    if not text:
        return []
    vocabulary = _vocabulary()
    found: list[DateMention] = []
    for match in vocabulary.pattern.finditer(text):
        if _is_lowercase_english_month(match, vocabulary):
            continue
        day = _resolve(match, vocabulary, reference)
        if day is None:
            continue
        kind = "relative" if match.group("weekday") or match.group("relative") else "absolute"
        phrase = match.group(0).rstrip(" ,")
        found.append(
            DateMention(day.isoformat(), phrase, match.start(), match.start() + len(phrase), kind)
        )
    return found


def infer_publication_dates(
    texts: Sequence[str], known: Sequence[str | None], as_of: date | None
) -> list[InferredDate | None]:
    """Dates for the items of a newest-first dump: from the days they name and their neighbours.

    `known` holds each item's own publication date where it has one. An item that names days
    is placed on the latest of them that is not after `as_of` or after its newer neighbour; an
    item that names none lies between its dated neighbours. Nothing is placed after `as_of`.
    """
    anchors = [_anchor(text, day, as_of) for text, day in zip(texts, known, strict=True)]
    ceiling, result = as_of, list[InferredDate | None]()
    bounded: list[tuple[date, str] | None] = []
    for anchor in anchors:
        if anchor is not None and ceiling is not None and anchor[0] > ceiling:
            anchor = (ceiling, f"{anchor[1]}, held to the newer item's date {ceiling}")
        if anchor is not None:
            ceiling = anchor[0]
        bounded.append(anchor)
    for index, anchor in enumerate(bounded):
        if anchor is not None:
            result.append(InferredDate(anchor[0].isoformat(), anchor[1]))
        else:
            result.append(_between(bounded, index, as_of))
    return result


def _anchor(text: str, known: str | None, as_of: date | None) -> tuple[date, str] | None:
    if known:
        return date.fromisoformat(known[:10]), f"its own date {known[:10]}"
    if as_of is None:
        return None
    days = [
        (date.fromisoformat(m.date), m.phrase)
        for m in find_event_dates(text, as_of)
        if m.kind == "absolute"
    ]
    past = [(d, p) for d, p in days if d <= as_of]
    if not past:
        return None
    day, phrase = max(past)
    return day, f"names {phrase!r} ({day})"


def _between(
    anchors: Sequence[tuple[date, str] | None], index: int, as_of: date | None
) -> InferredDate | None:
    newer = next(((i, a) for i in range(index - 1, -1, -1) if (a := anchors[i])), None)
    older = next(((i, a) for i in range(index + 1, len(anchors)) if (a := anchors[i])), None)
    if newer is None and older is None:
        if as_of is None:
            return None
        return InferredDate(as_of.isoformat(), f"no dated neighbour; the reference date {as_of}")
    if newer is None:
        assert older is not None
        top = as_of or older[1][0]
        return InferredDate(top.isoformat(), f"newer than item {older[0] + 1} ({older[1][0]})")
    if older is None:
        return InferredDate(
            newer[1][0].isoformat(), f"older than item {newer[0] + 1} ({newer[1][0]})"
        )
    span = (newer[1][0] - older[1][0]).days
    share = (index - newer[0]) / (older[0] - newer[0])
    day = newer[1][0] - timedelta(days=round(span * share))
    evidence = (
        f"between item {newer[0] + 1} ({newer[1][0]}) and item {older[0] + 1} ({older[1][0]})"
    )
    return InferredDate(day.isoformat(), evidence)


def _is_lowercase_english_month(match: re.Match[str], vocabulary: _Vocabulary) -> bool:
    """ "may 5" and "march 3" are English words before a number, not dates."""
    name = match.group("month1") or match.group("month2")
    return bool(name) and name.islower() and name in vocabulary.english_months


def _resolve(match: re.Match[str], vocabulary: _Vocabulary, reference: date | None) -> date | None:
    groups = match.groupdict()
    if groups["relative"]:
        if reference is None:
            return None
        return reference + timedelta(days=vocabulary.relative[groups["relative"].lower()])
    if groups["weekday"]:
        if reference is None:
            return None
        shift = _SHIFTS.get((groups["shift"] or "").lower())
        return _nearest_weekday(reference, vocabulary.weekdays[groups["weekday"].lower()], shift)
    month_name = groups["month1"] or groups["month2"]
    day_text = groups["day1"] or groups["day2"]
    year_text = groups["year1"] or groups["year2"]
    month = vocabulary.months[month_name.lower().rstrip(".")]
    return _calendar_day(int(day_text), month, int(year_text) if year_text else None, reference)


def _calendar_day(day: int, month: int, year: int | None, reference: date | None) -> date | None:
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    if reference is None:
        return None
    options = []
    for candidate in (reference.year - 1, reference.year, reference.year + 1):
        try:
            options.append(date(candidate, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - reference).days), default=None)


def _nearest_weekday(reference: date, weekday: int, shift: int | None) -> date:
    ahead = (weekday - reference.weekday()) % 7
    if shift == 1:
        return reference + timedelta(days=ahead or 7)
    if shift == -1:
        return reference - timedelta(days=(7 - ahead) % 7 or 7)
    behind = (7 - ahead) % 7
    return (
        reference + timedelta(days=ahead) if ahead <= behind else reference - timedelta(days=behind)
    )


@cache
def _vocabulary() -> _Vocabulary:
    from babel import Locale

    months: dict[str, int] = {"sept": 9}
    weekdays: dict[str, int] = {}
    for language in DATE_LANGUAGES:
        locale = Locale(language)
        for context in ("format", "stand-alone"):
            for number, name in locale.months[context]["wide"].items():
                months[name.lower()] = number
            for number, name in locale.days[context]["wide"].items():
                weekdays[name.lower()] = number
    relative = _relative_words()
    english = frozenset(n.lower() for n in Locale("en").months["format"]["wide"].values())
    return _Vocabulary(
        months, weekdays, relative, english | {"sept"}, _compile(months, weekdays, relative)
    )


def _relative_words() -> dict[str, int]:
    from importlib import import_module

    words: dict[str, int] = {}
    offsets = {"0 day ago": 0, "1 day ago": -1, "in 1 day": 1}
    for language in DATE_LANGUAGES:
        info = import_module(f"dateparser.data.date_translation_data.{language}").info
        for key, offset in offsets.items():
            for word in info.get("relative-type", {}).get(key, []):
                if word.isalpha() and len(word) > 3 and word.lower() not in _AMBIGUOUS:
                    words[word.lower()] = offset
    return words


def _alternatives(names: Sequence[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _compile(
    months: dict[str, int], weekdays: dict[str, int], relative: dict[str, int]
) -> re.Pattern[str]:
    month = _alternatives(list(months))
    day = r"[0-3]?\d"
    year = r"(?:19|20)\d\d"
    day_month = (
        rf"(?P<day1>{day}){_DAY_SUFFIX}\s+(?:de\s+|of\s+)?(?P<month1>{month})\b"
        rf"(?:\.?\s+(?:de\s+)?(?P<year1>{year})\b)?"
    )
    month_day = (
        rf"(?P<month2>{month})\.?\s+(?P<day2>{day}){_DAY_SUFFIX}(?![\d:])\b"
        rf"(?:,?\s+(?P<year2>{year})\b)?"
    )
    shift = _alternatives(list(_SHIFTS))
    weekday = rf"(?:(?P<shift>{shift})\s+)?(?P<weekday>{_alternatives(list(weekdays))})\b"
    words = rf"(?P<relative>{_alternatives(list(relative))})\b"
    body = rf"(?:{day_month}|{month_day}|{weekday}|{words})"
    return re.compile(rf"(?<!\w){_LEAD}{body}", re.IGNORECASE)
