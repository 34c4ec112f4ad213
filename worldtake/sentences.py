"""Sentence splitting for news prose, careful with initials and abbreviations."""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "gov",
        "sen",
        "rep",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "vs",
        "etc",
        "no",
        "nos",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mme",
        "mlle",
        "sig",
        "dott",
        "ca",
        "approx",
    ]
)

_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+(?=[\"'“«(\[]?[A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ0-9])")


def split_sentences(text: str) -> list[str]:
    """Split `text` into sentences, keeping every character but the whitespace between them."""
    spans = sentence_spans(text)
    return [text[start:end] for start, end in spans]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character spans of the sentences of `text`."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _BOUNDARY.finditer(text):
        end = match.start()
        if _is_abbreviation_before(text, end):
            continue
        stripped_end = end
        while stripped_end > start and text[stripped_end - 1].isspace():
            stripped_end -= 1
        if stripped_end > start:
            spans.append((start, _extend_closing(text, stripped_end)))
        start = _skip_space(text, match.end())
    tail_end = len(text.rstrip())
    if tail_end > start:
        spans.append((start, tail_end))
    return spans


def first_sentence(text: str) -> str:
    """Return the first sentence of `text` (all of it when there is only one)."""
    spans = sentence_spans(text)
    return text[spans[0][0] : spans[0][1]] if spans else text.strip()


def _is_abbreviation_before(text: str, end: int) -> bool:
    """True when the period before `end` closes an initial (U. S.) or a known abbreviation."""
    head = text[max(0, end - 80) : end].rstrip("\"'”»)]")  # a window: linear on long texts
    if not head.endswith("."):
        return False
    word = re.search(r"([\w.]+)\.$", head)
    if word is None:
        return False
    token = word.group(1)
    if len(token) == 1 and token.isupper():
        return True
    if "." in token and all(len(part) <= 2 for part in token.split(".")):
        return True
    return token.lower() in _ABBREVIATIONS


def _extend_closing(text: str, end: int) -> int:
    while end < len(text) and text[end] in "\"'”»)]":
        end += 1
    return end


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index
