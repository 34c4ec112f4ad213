"""Score pledges against our gold files: precision and recall of (country, kind, polarity).

Two gold sets: single sentences (`tests/golden/pledge_sentences.jsonl`) and units of the seed
files (`tests/golden/seed_pledges.jsonl`: dump lines, 001 file lines, 003 articles by title).
A keyword baseline (a kind word and a country in the same sentence, "not" for refusals) runs
on the same units so every figure has something to be compared with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from worldtake.claims.lexicon import COALITION, Cue, load_lexicon
from worldtake.claims.pledges import extract_pledges
from worldtake.claims.text import find_owners, text_segments
from worldtake.enrich.entities import find_mentions

Triple = tuple[str, str, str]
Extractor = Callable[["GoldUnit"], set[Triple]]


@dataclass(frozen=True)
class GoldUnit:
    """One annotated text with its language(s), date and gold triples."""

    name: str
    text: str
    languages: tuple[str, ...] | None
    date: str | None
    triples: frozenset[Triple]


@dataclass(frozen=True)
class Score:
    """Counts of true and false positives and false negatives, with precision and recall."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """Share of extracted triples that are gold."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Share of gold triples extracted."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_sentence_gold(path: Path) -> list[GoldUnit]:
    """The sentence set: one unit per line of `pledge_sentences.jsonl`."""
    units = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        units.append(
            GoldUnit(
                record["id"],
                record["text"],
                (record["language"],),
                None,
                _triples(record["pledges"]),
            )
        )
    return units


def load_seed_gold(path: Path, seeds: Path) -> list[GoldUnit]:
    """The seed units, their text cut from the seed files (lines, or 003 articles by title)."""
    units = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        lines = (seeds / record["file"]).read_text(encoding="utf-8").split("\n")
        if record["line"] is not None:
            text = lines[record["line"] - 1].strip().lstrip("•").strip()
            name = f"{record['file'][:3]}:{record['line']}"
        else:
            text = _article_text(lines, record["title"])
            name = f"{record['file'][:3]}:{record['title'][:40]}"
        langs = ("en", "it") if record["file"].startswith("001") else ("en",)
        units.append(GoldUnit(name, text, langs, record["date"], _triples(record["pledges"])))
    return units


def score_units(units: Iterable[GoldUnit], extract: Extractor) -> Score:
    """Micro-averaged counts of `extract` over `units`."""
    tp = fp = fn = 0
    for unit in units:
        got = extract(unit)
        tp += len(got & unit.triples)
        fp += len(got - unit.triples)
        fn += len(unit.triples - got)
    return Score(tp, fp, fn)


def rule_triples(unit: GoldUnit) -> set[Triple]:
    """What the rule backend extracts from a unit, as triples."""
    mentions = find_mentions(unit.text, on_date=unit.date)
    claims = extract_pledges(unit.text, mentions, unit.languages, unit.date)
    return {c.triple() for c in claims}


_NOT = re.compile(r"\b(?:not|no|never|won't|ne|non|nicht|keine?|nie|не)\b", re.IGNORECASE)


def keyword_triples(unit: GoldUnit) -> set[Triple]:
    """Naive baseline: every country x every kind word in a sentence; "not" makes it a refusal."""
    lexicon = load_lexicon(unit.languages)
    mentions = find_mentions(unit.text, on_date=unit.date)
    found: set[Triple] = set()
    for segment in text_segments(unit.text):
        sentence = unit.text[segment.start : segment.end]
        kinds: list[Cue] = lexicon.find(lexicon.kinds, sentence)
        owners = find_owners(sentence, segment.start, mentions, lexicon)
        polarity = "refuse" if _NOT.search(sentence) else "offer"
        for owner in owners:
            for key in owner.keys:
                if key == COALITION or owner.pledger:
                    found.update((key, cue.label, polarity) for cue in kinds)
    return found


def _triples(pledges: list[dict[str, str]]) -> frozenset[Triple]:
    return frozenset((p["country"], p["kind"], p["polarity"]) for p in pledges)


_DATE_LINE = re.compile(r"^\d{1,2} \w+ \d{4} à \d{1,2}:\d{2}$")


def _is_title(lines: list[str], at: int) -> bool:
    """A line the next non-empty line of which is a date line ("5 septembre 2025 à 10:00")."""
    following = [line.strip() for line in lines[at + 1 : at + 4] if line.strip()]
    return bool(lines[at].strip()) and bool(following) and bool(_DATE_LINE.match(following[0]))


def _article_text(lines: list[str], title: str) -> str:
    """An 003 article: its standalone title line to the next teaser, without link blocks."""
    start = next(
        i
        for i, line in enumerate(lines)
        if line.strip() == title and not line.lstrip().startswith("•")
    )
    body: list[str] = []
    skip_next = False
    for at in range(start, len(lines)):
        line = lines[at]
        stripped = line.strip()
        if body and (stripped.startswith("• ✇") or stripped == "❌" or _is_title(lines, at)):
            break
        if stripped == "Explore further":
            skip_next = True
            continue
        if skip_next and stripped:
            skip_next = False
            continue
        body.append(line)
    return "\n".join(body)
