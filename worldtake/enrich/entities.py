"""Entity mentions: countries, people, organisations and groups, with their character spans.

How to call it::

    from worldtake.enrich.entities import find_mentions, countries_of

    mentions = find_mentions("French President Emmanuel Macron met Polish officials in Kyiv.",
                             on_date="2025-09-04")
    # Mention(kind="country", key="FR", text="French", start=0, end=6)
    # Mention(kind="person", key="emmanuel-macron", text="Emmanuel Macron", ...)
    # Mention(kind="country", key="PL", text="Polish", ...), Mention("country", "UA", "Kyiv", ...)
    countries_of(mentions)  # ["FR", "PL", "UA"]

`kind` is one of `country`, `person`, `organisation`, `group`. `key` is the ISO 3166-1
alpha-2 code for a country (GB for the UK), the person id from `worldtake/data/people.json`,
the organisation id or the group id from `worldtake/data/gazetteer.json`. A group ("the Baltic
states") gives one `group` mention and one `country` mention per member, all with the group's
span. `on_date` (ISO date) resolves roles ("the German Chancellor" -> the chancellor of that
day) and is optional. `text[m.start:m.end] == m.text` always holds. Mentions come in text
order. `role` is set on a person found only through a post ("the President of France"). A person
the curated table does not know, signalled by a title or a reporting verb ("Senator Jane Roe
said"), gets the key `name:<the name as written>`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from worldtake.enrich.gazetteer import Entry, Gazetteer, load_gazetteer, normalise, split_tokens
from worldtake.enrich.names import find_unknown_names

KINDS = ("country", "person", "organisation", "group")

PRESIDENTIAL = frozenset(
    {"US", "FR", "UA", "RU", "TR", "BR", "MX", "AR", "KR", "BY", "KZ", "AZ", "IR", "CY", "ID"}
)
"""Countries whose leader is the president; elsewhere "the leader" is the head of government."""


@dataclass(frozen=True)
class Mention:
    """One entity named in a text: kind, normalised key, surface text and character span."""

    kind: str
    key: str
    text: str
    start: int
    end: int
    role: str | None = None


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    norm: str


@dataclass(frozen=True)
class _Match:
    first: int
    last: int
    start: int
    end: int
    entries: tuple[Entry, ...]


def find_mentions(
    text: str, on_date: str | None = None, gazetteer: Gazetteer | None = None
) -> list[Mention]:
    """Every country, person, organisation and group named in `text`, in text order."""
    if not text:
        return []
    gaz = gazetteer or load_gazetteer()
    tokens = [_Token(m.start(), m.end(), normalise(m.group())) for m in split_tokens(text)]
    matches = _match_aliases(text, tokens, gaz)
    mentions: list[Mention] = []
    for position, match in enumerate(matches):
        surface = text[match.start : match.end]
        if any(e.kind == "role" for e in match.entries):
            mentions.extend(_resolve_role(text, tokens, matches, position, gaz, on_date))
            continue
        mentions.extend(_mentions_of(match, surface, gaz, on_date))
    mentions.extend(_unknown_people(text, matches))
    mentions.sort(key=lambda m: (m.start, m.end, KINDS.index(m.kind)))
    return mentions


def _unknown_people(text: str, matches: Sequence[_Match]) -> list[Mention]:
    """Names the gazetteer does not know, kept with the key `name:<name>`."""
    taken = [(m.start, m.end) for m in matches]
    found = []
    for name, start, end in find_unknown_names(text):
        if any(s < end and start < e for s, e in taken):
            continue  # part of it is a known country, person or organisation
        found.append(Mention("person", f"name:{name}", name, start, end))
    return found


def countries_of(mentions: Iterable[Mention]) -> list[str]:
    """Sorted distinct country codes among `mentions`."""
    return sorted({m.key for m in mentions if m.kind == "country"})


def keys_of(mentions: Iterable[Mention], kind: str) -> list[str]:
    """Sorted distinct keys of one kind among `mentions`."""
    return sorted({m.key for m in mentions if m.kind == kind})


def _match_aliases(text: str, tokens: Sequence[_Token], gaz: Gazetteer) -> list[_Match]:
    """Longest alias match at each token, left to right, respecting each alias's case rule."""
    matches: list[_Match] = []
    i, count = 0, len(tokens)
    while i < count:
        longest = gaz.starts.get(tokens[i].norm, 0)
        step = 1
        for size in range(min(longest, count - i), 0, -1):
            key = " ".join(t.norm for t in tokens[i : i + size])
            start, end = tokens[i].start, tokens[i + size - 1].end
            entries = _fitting(gaz.lookup(key), text[start:end])
            if entries:
                matches.append(_Match(i, i + size - 1, start, end, entries))
                step = size
                break
        i += step
    return matches


def _fitting(entries: tuple[Entry, ...], surface: str) -> tuple[Entry, ...]:
    return tuple(e for e in entries if _fits_case(e.case, surface))


def _fits_case(rule: str, surface: str) -> bool:
    if rule == "upper":
        return surface.isupper()
    if rule == "title":
        return surface[:1].isupper()
    return True


def _mentions_of(match: _Match, surface: str, gaz: Gazetteer, on_date: str | None) -> list[Mention]:
    entries = list(match.entries)
    people = [e for e in entries if e.kind == "person"]
    if len(people) > 1:
        current = [e for e in people if _holds_any_role(gaz, e.key, on_date)]
        entries = [e for e in entries if e.kind != "person"] + (current[:1] or people[:1])
    mentions = []
    kinds_seen: set[str] = set()
    for entry in entries:
        if entry.kind in kinds_seen:
            continue  # "Alliance": the first organisation listed for an alias wins
        kinds_seen.add(entry.kind)
        mentions.append(Mention(entry.kind, entry.key, surface, match.start, match.end))
        for member in entry.members:
            mentions.append(Mention("country", member, surface, match.start, match.end))
    return mentions


def _holds_any_role(gaz: Gazetteer, person_id: str, on_date: str | None) -> bool:
    return any(r.person == person_id and r.is_held_on(on_date) for r in gaz.roles)


def _resolve_role(
    text: str,
    tokens: Sequence[_Token],
    matches: Sequence[_Match],
    position: int,
    gaz: Gazetteer,
    on_date: str | None,
) -> list[Mention]:
    """A post with its country ("French President", "President of France") -> its holder."""
    match = matches[position]
    title = next(e.key for e in match.entries if e.kind == "role")
    after = match.last + 1
    if after < len(tokens) and tokens[after].norm == "s" and text[match.end] in "'’":
        return []  # "the US President's envoy" names the envoy, not the president
    following = matches[position + 1] if position + 1 < len(matches) else None
    if following and following.first == after and _has_kind(following, "person"):
        return []  # "President Emmanuel Macron": the name itself is the mention
    country, start = _country_before(tokens, matches, position)
    countries, end = ([country], match.end) if country else ([], match.end)
    if not countries:
        countries, end = _countries_after(tokens, matches, position)
        start = match.start
    mentions = []
    for code in countries:
        holder = _holder(gaz, title, code, on_date)
        if holder is not None:
            mentions.append(Mention("person", holder, text[start:end], start, end, role=title))
    return mentions


def _holder(gaz: Gazetteer, title: str, country: str, on_date: str | None) -> str | None:
    """The one person holding the post; a "leader" is the head of government or state."""
    for candidate in leader_titles(country) if title == "leader" else (title,):
        holders = gaz.holders(candidate, country, on_date)
        if len(holders) == 1:
            return holders[0]
    return None


def leader_titles(country: str) -> tuple[str, ...]:
    """The posts "the French leader" may mean, most likely first."""
    if country in PRESIDENTIAL:
        return ("president", "prime minister")
    return ("prime minister", "chancellor", "president")


def _country_before(
    tokens: Sequence[_Token], matches: Sequence[_Match], position: int
) -> tuple[str | None, int]:
    if position == 0:
        return None, 0
    previous, match = matches[position - 1], matches[position]
    gap = [t.norm for t in tokens[previous.last + 1 : match.first]]
    if gap not in ([], ["s"]):
        return None, 0
    country = _country_key(previous)
    return country, previous.start


def _countries_after(
    tokens: Sequence[_Token], matches: Sequence[_Match], position: int
) -> tuple[list[str], int]:
    """Countries in "of [the] X", "of X and Y", "of X, Y and Z" or an adjective after a post."""
    countries: list[str] = []
    end, last = matches[position].end, matches[position].last
    # "President of France", and "président français" (the adjective after the post)
    allowed: tuple[list[str], ...] = (["of"], ["of", "the"], [])
    for following in matches[position + 1 :]:
        gap = [t.norm for t in tokens[last + 1 : following.first]]
        country = _country_key(following)
        if gap not in allowed or country is None:
            break
        countries.append(country)
        end, last = following.end, following.last
        allowed = ([], ["and"], ["and", "the"], ["the"])
    return countries, end


def _country_key(match: _Match) -> str | None:
    countries = [e.key for e in match.entries if e.kind == "country"]
    return countries[0] if len(countries) == 1 else None


def _has_kind(match: _Match, kind: str) -> bool:
    return any(e.kind == kind for e in match.entries)
