"""Publication dates: parse what sources give into an ISO string and a precision.

ISO 8601 and RFC 2822 dates are read directly; dates written in words in any language
dateparser knows ("6 septembre 2025 à 18:35", "30 серпня 2025", "4 settembre") go through
dateparser, with their time zone kept when they give one. Days named inside article texts are
found by `worldtake.enrich.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from email.utils import parsedate_to_datetime

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_CLOCK = re.compile(r"\d{1,2}\s*[:h]\s*\d{2}|\d{1,2}\.\d{2}\s*(?:Uhr|h)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def parse_published(
    value: str, languages: Sequence[str] | None = None, reference: date | None = None
) -> tuple[str, str]:
    """Return (ISO string, precision) for a date in ISO, RFC 2822 or words; raise ValueError.

    `languages` (ISO 639-1) narrows dateparser's guess; `reference` resolves a date written
    without its year to the nearest such day not after it.
    """
    text = value.strip()
    if not text:
        raise ValueError("empty date")
    month = _MONTH.match(text)
    if month:
        year, mon = int(month.group(1)), int(month.group(2))
        date(year, mon, 1)
        return f"{year:04d}-{mon:02d}", "month"
    if len(text) == 10 and text[4] == "-":
        return date.fromisoformat(text).isoformat(), "day"
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(), "exact"
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat(), "exact"
    except (TypeError, ValueError, IndexError):
        pass
    return _parse_words(text, languages, reference)


def _parse_words(
    text: str, languages: Sequence[str] | None, reference: date | None
) -> tuple[str, str]:
    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if reference is not None:
        settings["RELATIVE_BASE"] = datetime.combine(reference, time(23, 59))
    try:
        parsed = dateparser.parse(
            text, languages=list(languages) if languages else None, settings=settings
        )
    except (ValueError, OverflowError, TypeError) as exc:
        raise ValueError(f"unrecognised date {text!r}") from exc
    if parsed is None:
        raise ValueError(f"unrecognised date {text!r}")
    if not _YEAR.search(text) and reference is None:
        raise ValueError(f"date {text!r} has no year and no reference date to take it from")
    if _CLOCK.search(text):
        return parsed.isoformat(), "exact"
    return parsed.date().isoformat(), "day"
