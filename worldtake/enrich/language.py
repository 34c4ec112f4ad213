"""Language identification: lingua on a configured language set, py3langid as the fast path.

The main language of an article comes from its title and text; lines in another language (an
Italian headline over an English live blog) are recorded as `also`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from worldtake.errors import Rejected

DEFAULT_LANGUAGES = (
    "en,es,fr,de,it,pt,ru,uk,pl,nl,ar,zh,ja,ko,tr,fa,hi,id,vi,sv,cs,ro,el,hu,he,da,fi,nb,sk,bg"
)
"""The 30 languages most used in news, as ISO 639-1 codes (the `languages` setting)."""

SAMPLE_CHARS = 20_000
"""Only this much of a long text is read: more changes nothing but the time spent."""

FAST_PATH_CHARS = 200
FAST_PATH_CONFIDENCE = 0.98
SEGMENT_LETTERS = 5
SEGMENT_CONFIDENCE = 0.9
ALSO_SHARE = 0.02
ALSO_SEGMENTS = 3
ALSO_LONG_SEGMENT = 40
MAX_SEGMENTS = 300

_LETTER = re.compile(r"[^\W\d_]")
_SEGMENT_SPLIT = re.compile(r"\n+")


@dataclass(frozen=True)
class LanguageGuess:
    """The main language (ISO 639-1), the confidence in it, and other languages present."""

    language: str
    confidence: float
    also: tuple[str, ...] = ()


def detect_language(title: str, text: str, languages: str = DEFAULT_LANGUAGES) -> LanguageGuess:
    """Identify the language of an article; raise Rejected when it cannot be identified."""
    sample = f"{title}\n{text[:SAMPLE_CHARS]}".strip()
    letters = len(_LETTER.findall(sample))
    if letters == 0:
        raise Rejected("no text to identify the language of")
    codes = parse_languages(languages)
    main, confidence = _main_language(sample, codes)
    if main is None:
        raise Rejected(f"language not identified: the text is in none of {len(codes)} languages")
    also = _other_languages(title, text[:SAMPLE_CHARS], main, codes)
    return LanguageGuess(main, round(confidence, 3), also)


def parse_languages(languages: str) -> tuple[str, ...]:
    """Split a comma-separated language setting into codes lingua knows; raise on a bad one."""
    codes = tuple(sorted({c.strip().lower() for c in languages.split(",") if c.strip()}))
    if not codes:
        raise ValueError("the languages setting names no language")
    known = _lingua_codes()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"languages not supported by lingua: {', '.join(unknown)}")
    return codes


def detect_segment_language(segment: str, languages: str = DEFAULT_LANGUAGES) -> str | None:
    """The language of one short piece of text with lingua, or None when unsure."""
    return _lingua_language(segment, parse_languages(languages))


def _main_language(sample: str, codes: tuple[str, ...]) -> tuple[str | None, float]:
    if len(sample) >= FAST_PATH_CHARS:
        language, probability = _identifier(codes).classify(sample)
        if language in codes and probability >= FAST_PATH_CONFIDENCE:
            return language, float(probability)
    values = _detector(codes).compute_language_confidence_values(sample[:4000])
    if not values or values[0].value <= 0:
        return None, 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value)


def _other_languages(title: str, text: str, main: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    """Languages other than `main` that hold the title or a fair share of the text's lines."""
    weights: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    total = 0
    segments = [title, *_SEGMENT_SPLIT.split(text)][:MAX_SEGMENTS]
    for index, segment in enumerate(segments):
        letters = len(_LETTER.findall(segment))
        if letters < SEGMENT_LETTERS:
            continue
        total += letters
        if _identifier(codes).classify(segment)[0] == main:
            continue  # the fast identifier agrees; lingua confirms only the lines it doubts
        language = _lingua_language(segment, codes)
        if language and language != main:
            # a headline in another language says more than its length
            weights[language] += letters * (20 if index == 0 else 1)
            counts[language] += ALSO_SEGMENTS if letters >= ALSO_LONG_SEGMENT else 1
    share = ALSO_SHARE * max(total, 1)
    return tuple(
        sorted(lang for lang in weights if weights[lang] >= share or counts[lang] >= ALSO_SEGMENTS)
    )


def _lingua_language(segment: str, codes: tuple[str, ...]) -> str | None:
    values = _detector(codes).compute_language_confidence_values(segment)
    if not values or values[0].value < SEGMENT_CONFIDENCE:
        return None
    return str(values[0].language.iso_code_639_1.name.lower())


@cache
def _lingua_codes() -> frozenset[str]:
    from lingua import Language

    return frozenset(lang.iso_code_639_1.name.lower() for lang in Language.all())


@cache
def _detector(codes: tuple[str, ...]) -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    isos = [getattr(IsoCode639_1, code.upper()) for code in codes]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


_LANGID_NAMES = {"nb": "no"}


@cache
def _identifier(codes: tuple[str, ...]) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    wanted = [_LANGID_NAMES.get(c, c) for c in codes]
    identifier.set_languages([c for c in wanted if c in identifier.nb_classes])
    return _LangidAdapter(identifier)


class _LangidAdapter:
    """py3langid with its Norwegian code mapped back to lingua's `nb`."""

    def __init__(self, identifier: Any):
        self.identifier = identifier

    def classify(self, text: str) -> tuple[str, float]:
        language, probability = self.identifier.classify(text)
        return ("nb" if language == "no" else str(language)), float(probability)
