"""Date lines of saved pages in many languages: "6 septembre 2025 à 18:35", "Thursday, September 4".

Month and weekday names for en, fr, it, de, es, pt, pl, uk and ru; a date without a year takes the
year, nearest before the reference date, in which its weekday falls on that day.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_MONTHS: dict[int, str] = {
    1: (
        "january jan janvier janv gennaio genn januar jänner enero ene janeiro stycznia "
        "styczeń січня січень января январь"
    ),
    2: (
        "february feb février fevrier févr febbraio febr februar febrero fevereiro fev "
        "lutego luty лютого лютий февраля февраль"
    ),
    3: ("march mar mars marzo märz marz março marco marca marzec березня березень марта март"),
    4: ("april apr avril avr aprile abril abr kwietnia kwiecień квітня квітень апреля апрель"),
    5: "may mai maggio mag mayo maio maja maj травня травень мая май",
    6: ("june jun juin giugno giu juni junio junho czerwca czerwiec червня червень июня июнь"),
    7: ("july jul juillet juil luglio lug juli julio julho lipca lipiec липня липень июля июль"),
    8: "august aug août aout agosto ago sierpnia sierpień серпня серпень августа август",
    9: (
        "september sep sept septembre settembre sett set septiembre setembro września "
        "wrzesień вересня вересень сентября сентябрь"
    ),
    10: (
        "october oct octobre ottobre ott oktober okt octubre outubro out października "
        "październik жовтня жовтень октября октябрь"
    ),
    11: (
        "november nov novembre noviembre novembro listopada listopad листопада листопад "
        "ноября ноябрь"
    ),
    12: (
        "december dec décembre decembre déc dicembre dic dezember dez diciembre dezembro "
        "grudnia grudzień грудня грудень декабря декабрь"
    ),
}
_WEEKDAYS: dict[int, str] = {
    0: ("monday mon lundi lunedì lunedi montag lunes segunda poniedziałek понеділок понедельник"),
    1: ("tuesday tue tues mardi martedì martedi dienstag martes terça wtorek вівторок вторник"),
    2: (
        "wednesday wed mercredi mercoledì mercoledi mittwoch miércoles miercoles quarta "
        "środa середа среда"
    ),
    3: (
        "thursday thu thurs jeudi giovedì giovedi donnerstag jueves quinta czwartek четвер четверг"
    ),
    4: (
        "friday fri vendredi venerdì venerdi freitag viernes sexta piątek пʼятниця п'ятниця пятница"
    ),
    5: "saturday sat samedi sabato samstag sábado sabado sobota субота суббота",
    6: "sunday sun dimanche domenica sonntag domingo niedziela неділя воскресенье",
}
_MONTH_OF = {name: number for number, names in _MONTHS.items() for name in names.split()}
_WEEKDAY_OF = {name: number for number, names in _WEEKDAYS.items() for name in names.split()}
_FILLER_WORDS = (
    "à a at alle um o de del le la el the on am uhr h hrs r. г. року года published publié "
    "publiée pubblicato veröffentlicht publicado opublikowano"
)
_FILLERS = frozenset(_FILLER_WORDS.split())
_NAME = r"[^\W\d_][^\W\d_'ʼ.]*\.?"
_TIME = r"(?:\D{0,12}?(?P<hour>[01]?\d|2[0-3])[:.h](?P<minute>[0-5]\d))?"
_DAY_MONTH = re.compile(
    rf"(?P<day>[0-3]?\d)\.?\s+(?:de\s+)?(?P<month>{_NAME})(?:\s+(?:de\s+)?(?P<year>\d{{4}}))?{_TIME}",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"(?P<month>{_NAME})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?{_TIME}",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"(?:(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"|(?P<day2>\d{1,2})[./](?P<month2>\d{1,2})[./](?P<year2>\d{4}))" + _TIME
)
_MAX_WORDS = 9


def parse_date_line(line: str, reference: date | None = None) -> tuple[str, str] | None:
    """Return (ISO date or datetime, precision) when `line` is nothing but a date, else None."""
    text = unicodedata.normalize("NFC", line.strip())
    if not text or len(text.split()) > _MAX_WORDS or not any(c.isdigit() for c in text):
        return None
    for pattern in (_NUMERIC, _DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(text):
            found = _date_of(match, text, reference or date.today())
            if found is not None and _is_only_date(text, match):
                return found
    return None


def _date_of(match: re.Match[str], text: str, reference: date) -> tuple[str, str] | None:
    groups = match.groupdict()
    if groups.get("day2"):
        day, month, year = int(groups["day2"]), int(groups["month2"]), int(groups["year2"])
    else:
        month_name = (groups.get("month") or "").lower().rstrip(".")
        month = int(month_name) if month_name.isdigit() else _MONTH_OF.get(month_name, 0)
        day = int(groups["day"])
        year = int(groups["year"]) if groups.get("year") else 0
    if not month:
        return None
    if not year:
        year = _year_from_weekday(text, month, day, reference)
        if not year:
            return None
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    if groups.get("hour"):
        moment = datetime(year, month, day, int(groups["hour"]), int(groups["minute"]))
        return moment.isoformat(), "exact"
    return when.isoformat(), "day"


def _year_from_weekday(text: str, month: int, day: int, reference: date) -> int:
    """The latest year not after the reference in which day/month falls on the named weekday."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    weekdays = {_WEEKDAY_OF[w] for w in words if w in _WEEKDAY_OF}
    if len(weekdays) != 1:
        return 0
    weekday = weekdays.pop()
    for year in range(reference.year + 1, reference.year - 12, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() == weekday and (candidate - reference).days <= 31:
            return year
    return 0


def _is_only_date(text: str, match: re.Match[str]) -> bool:
    rest = text[: match.start()] + " " + text[match.end() :]
    words = re.findall(r"[^\W\d_]+\.?|\d+", rest.lower())
    return all(w in _FILLERS or w.rstrip(".") in _WEEKDAY_OF or w in _FILLERS for w in words)
