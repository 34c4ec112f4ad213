"""People the curated table does not know, found by rules: a capitalised name after a title
("Senator Thom Tillis", "expert Stanislav Zhelikhovsky") or before a reporting verb."""

from __future__ import annotations

import re
from collections.abc import Iterator

_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž]+(?:[-'’][A-Z]?[a-zß-öø-ÿā-ž]+)?"
_GAP = r"[ \t]+"
_PARTICLE = r"(?:von der|van der|de|da|di|van|von)"
_NAME = rf"(?P<name>{_WORD}(?:{_GAP}{_PARTICLE}{_GAP}{_WORD}|{_GAP}{_WORD}){{1,2}})"
_CUES = (
    "senator|representative|congressman|congresswoman|general|gen\\.|admiral|ambassador|envoy|"
    "spokesperson|spokesman|spokeswoman|expert|analyst|commander|colonel|minister|secretary|"
    "mayor|governor|ceo|chairman|chairwoman|director|deputy|adviser|advisor|mp|mep|lawmaker|"
    "politician|journalist|chancellor|president|premier|prime minister"
)
_REPORTING = "said|says|told|stated|announced|added|wrote|noted|warned|stressed|explained"
_AFTER_CUE = re.compile(rf"\b(?i:{_CUES}){_GAP}{_NAME}\b")
_BEFORE_VERB = re.compile(rf"(?<![\w.]){_NAME}{_GAP}(?:(?:has|had){_GAP})?(?:{_REPORTING})\b")
_NOT_NAMES = frozenset(
    {
        "The",
        "This",
        "That",
        "These",
        "Those",
        "His",
        "Her",
        "Their",
        "Its",
        "Our",
        "A",
        "An",
        "On",
        "In",
        "At",
        "After",
        "Before",
        "During",
        "Meanwhile",
        "However",
        "According",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Prime",
        "Foreign",
        "Defence",
        "Defense",
        "Minister",
        "President",
        "Office",
        "Ministry",
        "Council",
    }
)


_CUE_WORDS = frozenset(w.replace("\\", "") for w in _CUES.split("|"))


def find_unknown_names(text: str) -> Iterator[tuple[str, int, int]]:
    """(name, start, end) of person names signalled by a title or a reporting verb."""
    taken: list[tuple[int, int]] = []
    for pattern in (_AFTER_CUE, _BEFORE_VERB):
        for match in pattern.finditer(text):
            start, end = match.span("name")
            words = match.group("name").split()
            while words and words[0].lower() in _CUE_WORDS:
                start = text.index(words[1], start) if len(words) > 1 else end
                words = words[1:]
            if len(words) < 2 or any(word in _NOT_NAMES for word in words):
                continue
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            yield text[start:end], start, end
