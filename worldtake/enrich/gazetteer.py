"""The entity gazetteer: country, group, organisation and people names, indexed for matching.

Country names come from pycountry and babel (in the gazetteer languages); demonyms,
capitals, government metonyms, places, groups and organisations from
`worldtake/data/gazetteer.json`; people, their aliases and dated roles from
`worldtake/data/people.json`. `load_gazetteer()` builds the index once per process.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

NAME_LANGUAGES = ("en", "fr", "de", "it", "es", "pt", "pl", "uk", "ru", "nl", "sv", "da", "cs")
"""Languages whose country names babel gives us; the JSON files add demonyms in others."""

AMBIGUOUS_NAMES = frozenset({"reunion", "jersey", "guernsey"})
"""Country names that are common words ("réunion" is a meeting) or part of others (New Jersey)."""

_TOKEN = re.compile(r"[^\W_]+")
_COMBINING = re.compile(r"[\u0300-\u036f]")


@dataclass(frozen=True)
class Entry:
    """What one alias names: kind, key, group members, and the case the text must have."""

    kind: str
    key: str
    case: str = "any"
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Role:
    """A post held by a person between two dates (ISO strings; None = open)."""

    person: str
    title: str
    country: str | None
    start: str | None = None
    end: str | None = None

    def is_held_on(self, on_date: str | None) -> bool:
        """True when the post is held on `on_date` (any date when None)."""
        if on_date is None:
            return self.end is None
        day = on_date[:10]
        return (self.start is None or self.start[:10] <= day) and (
            self.end is None or day <= self.end[:10]
        )


@dataclass(frozen=True)
class Person:
    """A curated person: id, canonical name, country, aliases and roles."""

    id: str
    name: str
    country: str | None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    """Aliases indexed by their normalised token sequence, plus people and their roles."""

    index: dict[str, tuple[Entry, ...]]
    starts: dict[str, int]
    people: dict[str, Person] = field(default_factory=dict)
    roles: tuple[Role, ...] = ()
    role_titles: dict[str, str] = field(default_factory=dict)

    def lookup(self, key: str) -> tuple[Entry, ...]:
        """Entries for a normalised token sequence (empty when unknown)."""
        return self.index.get(key, ())

    def holders(self, title: str, country: str | None, on_date: str | None) -> list[str]:
        """Person ids holding `title` for `country` on `on_date`."""
        return [
            r.person
            for r in self.roles
            if r.title == title and r.country == country and r.is_held_on(on_date)
        ]


def normalise(text: str) -> str:
    """Casefold and strip accents, so "Sánchez" and "SANCHEZ" compare equal."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def split_tokens(text: str) -> Iterator[re.Match[str]]:
    """Word tokens of `text` (letters and digits; hyphens and apostrophes split words)."""
    return _TOKEN.finditer(text)


def alias_key(alias: str) -> str:
    """The index key of an alias: its normalised tokens joined by single spaces."""
    return " ".join(normalise(m.group()) for m in split_tokens(alias))


def case_rule(alias: str) -> str:
    """ "upper" for acronyms (US, EU), "title" for capitalised names, "any" otherwise."""
    letters = [c for c in alias if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters) and len(letters) <= 5:
        return "upper"
    if letters and letters[0].isupper():
        return "title"
    return "any"


@cache
def load_gazetteer() -> Gazetteer:
    """Build the gazetteer from pycountry, babel and the shipped JSON files (once)."""
    gazetteer_data = _read_data("gazetteer.json")
    people_data = _read_data("people.json")
    people = list(read_people(people_data))
    aliases: list[tuple[str, Entry]] = []
    aliases += country_names()
    aliases += read_places(gazetteer_data)
    aliases += read_ambiguous(gazetteer_data)
    aliases += read_places({"countries": _read_data("places.json")})
    aliases += read_organisations(gazetteer_data)
    aliases += read_groups(gazetteer_data)
    aliases += person_aliases(people)
    titles = read_role_titles(gazetteer_data, people)
    aliases += [(variant, Entry("role", title)) for variant, title in titles.items()]
    return build_gazetteer(aliases, people, titles)


def build_gazetteer(
    aliases: Iterable[tuple[str, Entry]], people: list[Person], titles: dict[str, str]
) -> Gazetteer:
    """Index (alias, entry) pairs; the first entry given for an alias and kind wins."""
    index: dict[str, list[Entry]] = {}
    starts: dict[str, int] = {}
    for alias, entry in aliases:
        key = alias_key(alias)
        if not key:
            continue
        found = index.setdefault(key, [])
        if any(e.kind == entry.kind and e.key == entry.key for e in found):
            continue
        found.append(entry)
        first, size = key.split(" ", 1)[0], key.count(" ") + 1
        starts[first] = max(starts.get(first, 0), size)
    roles = tuple(r for p in people for r in p.roles)
    return Gazetteer(
        index={k: tuple(v) for k, v in index.items()},
        starts=starts,
        people={p.id: p for p in people},
        roles=roles,
        role_titles=titles,
    )


def country_names() -> list[tuple[str, Entry]]:
    """Country names from pycountry (English) and babel (NAME_LANGUAGES)."""
    import pycountry
    from babel import Locale

    codes = {c.alpha_2 for c in pycountry.countries}
    pairs: list[tuple[str, Entry]] = []
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None)):
            if name and alias_key(name) not in AMBIGUOUS_NAMES:
                pairs.append((name, Entry("country", country.alpha_2, case_rule(name))))
    for language in NAME_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in codes and len(name) > 3 and alias_key(name) not in AMBIGUOUS_NAMES:
                pairs.append((name, Entry("country", code, case_rule(name))))
    return pairs


def read_places(data: dict[str, Any]) -> list[tuple[str, Entry]]:
    """Country aliases from gazetteer.json: names, demonyms, capitals, metonyms, places."""
    pairs: list[tuple[str, Entry]] = []
    for code, record in _records(data.get("countries", {})):
        code = str(record.get("code") or record.get("iso") or code).upper()
        for alias in _strings(record, exclude=("code", "iso", "id", "note")):
            pairs.append((alias, Entry("country", code, case_rule(alias))))
    return pairs


PLACE_RULES = frozenset(
    {
        "government-context",
        "venue-context",
        "region-not-country",
        "constituent-country",
        "part-for-whole",
        "territory",
        "city-or-country",
        "island-vs-state",
        "continent-vs-country",
        "disambiguate",
    }
)
"""Rules of gazetteer.json's `ambiguous` list whose names still count for their country: a
capital, a venue, a region or a constituent part is a place inside it."""

NOT_PLACES = frozenset({"english"})  # a language far more often than a country


def read_ambiguous(data: dict[str, Any]) -> list[tuple[str, Entry]]:
    """Names from the `ambiguous` list that still name a place inside their country."""
    pairs: list[tuple[str, Entry]] = []
    for record in data.get("ambiguous", []):
        text, code = record.get("text", ""), str(record.get("country", ""))
        if record.get("rule") not in PLACE_RULES or alias_key(text) in NOT_PLACES:
            continue
        if len(code) == 2 and code not in ("EU", "UN"):
            pairs.append((text, Entry("country", code, case_rule(text))))
    return pairs


def read_organisations(data: dict[str, Any]) -> list[tuple[str, Entry]]:
    """Organisation aliases from gazetteer.json."""
    pairs: list[tuple[str, Entry]] = []
    for key, record in _records(data.get("organisations", data.get("organizations", {}))):
        key = str(record.get("id") or key)
        for alias in _strings(record, exclude=("id", "note", "members", "country", "kind")):
            pairs.append((alias, Entry("organisation", key, case_rule(alias))))
    return pairs


def read_groups(data: dict[str, Any]) -> list[tuple[str, Entry]]:
    """Multi-country groups from gazetteer.json, each with its member codes."""
    pairs: list[tuple[str, Entry]] = []
    for key, record in _records(data.get("groups", {})):
        key = str(record.get("id") or key)
        members = tuple(str(m).upper() for m in record.get("members", ()))
        for alias in _strings(record, exclude=("id", "note", "members")):
            pairs.append((alias, Entry("group", key, case_rule(alias), members)))
    return pairs


def read_people(data: Any) -> Iterator[Person]:
    """People from people.json (a list, or a dict keyed by id or under "people")."""
    if isinstance(data, dict) and "people" in data:
        data = data["people"]
    for key, record in _records(data):
        person_id = str(record.get("id") or key)
        name = str(record.get("name") or person_id)
        country = record.get("country")
        aliases = tuple(_strings(record, only=("aliases", "transliterations", "names")))
        roles = tuple(_read_role(person_id, country, r) for r in record.get("roles", ()))
        yield Person(person_id, name, country, aliases, roles)


def _read_role(person_id: str, country: str | None, record: dict[str, Any]) -> Role:
    title = str(record.get("title") or record.get("role") or "")
    return Role(
        person=person_id,
        title=normalise_title(title),
        country=record.get("country", country),
        start=record.get("start") or record.get("from") or record.get("valid_from"),
        end=record.get("end") or record.get("to") or record.get("until") or record.get("valid_to"),
    )


def person_aliases(people: list[Person]) -> list[tuple[str, Entry]]:
    """A person's name and listed aliases.

    A surname alone counts only where people.json lists it: the table leaves out surnames that
    are also common words or names ("Frieden", "Martin"), so deriving them here would undo that.
    """
    pairs: list[tuple[str, Entry]] = []
    for person in people:
        for alias in (person.name, *person.aliases):
            pairs.append((alias, Entry("person", person.id, case_rule(alias))))
    return pairs


def read_role_titles(data: dict[str, Any], people: list[Person]) -> dict[str, str]:
    """Role phrases ("foreign minister", "chancellor") mapped to their canonical title."""
    titles = {alias_key(r.title): r.title for p in people for r in p.roles if r.title}
    listed = dict(data.get("role_titles", {}))
    listed.setdefault("leader", ["leader", "leaders", "dirigeant", "leader", "Regierungschef"])
    for title, variants in listed.items():
        for variant in [title, *variants]:
            titles[alias_key(variant)] = normalise_title(title)
            if _is_english_singular(variant):
                titles[alias_key(variant) + "s"] = normalise_title(title)
    return titles


def _is_english_singular(variant: str) -> bool:
    key = alias_key(variant)
    return key.isascii() and key.replace(" ", "").isalpha() and not key.endswith("s")


def normalise_title(title: str) -> str:
    """A role title in one spelling: lower case, "defense" as "defence"."""
    return alias_key(title).replace("defense", "defence")


def _records(data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict):
                yield str(key), value
            elif isinstance(value, list):
                yield str(key), {"aliases": value}
    elif isinstance(data, list):
        for value in data:
            if isinstance(value, dict):
                yield str(value.get("id") or value.get("code") or value.get("name")), value


def _strings(
    record: dict[str, Any], exclude: tuple[str, ...] = (), only: tuple[str, ...] | None = None
) -> Iterator[str]:
    for name, value in record.items():
        if name in exclude or (only is not None and name not in only):
            continue
        yield from _flatten(value)


def _flatten(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)


def _read_data(name: str) -> Any:
    path = resources.files("worldtake") / "data" / name
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))
