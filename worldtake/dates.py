"""Publication dates: parse what sources give into an ISO string and a precision."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_published(value: str) -> tuple[str, str]:
    """Return (ISO string, precision) for an ISO 8601 or RFC 2822 date; raise ValueError."""
    text = value.strip()
    if not text:
        raise ValueError("empty date")
    month = _MONTH.match(text)
    if month:
        year, mon = int(month.group(1)), int(month.group(2))
        date(year, mon, 1)
        return f"{year:04d}-{mon:02d}", "month"
    if len(text) == 10:
        return date.fromisoformat(text).isoformat(), "day"
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(), "exact"
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat(), "exact"
    except (TypeError, ValueError, IndexError) as exc:
        raise ValueError(f"unrecognised date {value!r}") from exc
