"""What event clustering reads from an article: key-weighted terms, entity keys and its day.

Two reports of the same kind of happening (two earthquakes, two arrests for drunk driving)
share most of their common words; what tells them apart is who, where and when. So the term
vector gives proper nouns, numbers and years a second, heavier "key" copy, entity keys found by
enrichment (canonical across languages) join as key terms, and the day an article reports on
comes from a mentioned date near publication (or the latest one, for undated items).
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from worldtake.models import Article
from worldtake.sentences import sentence_spans

BUCKETS = 1 << 18
KEY_WEIGHT = 2.0
"""Raw weight of a key term (proper noun, number, year, entity) against 1 for a common word."""
LEAD_CHARS = 300
TEXT_CHARS = 6000
_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_BREAK = re.compile(r"[.!?:\n|]")
_STOP_WORDS = """
a about after again against all also an and any are as at be because been before being
between both but by can could did do does during each few for from further had has have
having he her here hers him his how i if in into is it its itself just may me might more
most must my no nor not now of off on once only or other our out over own said same says
say she should so some such than that the their them then there these they this those
through to too under until up upon very was we were what when where which while who whom
why will with would you your le la les de des du et un une en est pour que qui dans sur
au aux par pas il elle ils sont der die das und ein eine ist den dem von zu mit auf für
nicht sich el los las del y por con para il lo gli di che non per
"""
_STOP = frozenset(_STOP_WORDS.split())


def count_terms(text: str, entity_keys: Iterable[str] = ()) -> dict[int, float]:
    """Hashed, sub-linear term weights of `text`: common words, key terms and entity keys."""
    counts: Counter[int] = Counter()
    keys: Counter[int] = Counter()
    for word, is_key in tokenize_words(text):
        lowered = word.lower()
        if lowered in _STOP or (len(word) < 3 and not word.isdigit()):
            continue
        counts[_bucket(lowered)] += 1
        if is_key:
            keys[_bucket("^" + lowered)] += 1
    for key in entity_keys:
        keys[_bucket("@" + key)] += 1
    terms = {t: 1.0 + math.log(n) for t, n in counts.items()}
    for t, n in keys.items():
        terms[t] = terms.get(t, 0.0) + KEY_WEIGHT * (1.0 + math.log(n))
    return terms


def tokenize_words(text: str) -> list[tuple[str, bool]]:
    """Words of `text`, each flagged when it is a key word: a number, or a capitalised word
    that does not open a sentence (a name, a place, an organisation)."""
    words: list[tuple[str, bool]] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        word = match.group()
        opens = not words or bool(_BREAK.search(text, previous_end, match.start()))
        is_key = word.isdigit() or (word[0].isupper() and not opens)
        words.append((word, is_key))
        previous_end = match.end()
    return words


def _bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % BUCKETS


def weigh_terms(terms: dict[int, float], idf: np.ndarray) -> dict[int, float]:
    """TF-IDF weights scaled to unit length (empty stays empty)."""
    weighted = {t: w * float(idf[t]) for t, w in terms.items()}
    norm = math.sqrt(sum(w * w for w in weighted.values()))
    return {t: w / norm for t, w in weighted.items()} if norm else {}


def dot_terms(a: dict[int, float], b: dict[int, float]) -> float:
    """Dot product of two sparse term maps (iterating over the smaller)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def lexical_text(article: Article, chars: int = TEXT_CHARS) -> str:
    """Title and text, in the original language and in English where translated."""
    parts = [article.title, article.text[:chars]]
    if article.title_en:
        parts.append(article.title_en)
    if article.text_en:
        parts.append(article.text_en[:chars])
    return "\n".join(parts)


def embedding_text(article: Article, chars: int = LEAD_CHARS) -> str:
    """Title and lead: the title then the body's first sentences, up to about `chars` chars."""
    body = article.text
    if body.startswith(article.title):
        body = body[len(article.title) :]
    lead = ""
    for start, end in sentence_spans(body[: chars * 3]):
        if lead and len(lead) + end - start > chars:
            break
        lead += " " + body[start:end]
    return f"{article.title}.{lead[:chars]}"


def article_date(article: Article, mentioned: Sequence[str], as_of: str | None) -> str | None:
    """The day an article reports on: a mentioned date near publication, else its own date.

    An item with no publication date at all stays undated: the days it mentions could be any
    (a background date, a date in a quote), and a wrong day would keep it from its event.
    """
    published = article.published[:10] if article.published else None
    if published is None or article.published_precision in ("unknown", "month"):
        published = as_of[:10] if as_of else None
    days = sorted(d[:10] for d in mentioned if len(d) >= 10)
    if published is None:
        return None
    near = [d for d in days if -30 <= day_gap(published, d) <= 1]
    return near[0] if near else published


def day_gap(a: str, b: str) -> int:
    """Days from a to b (negative when b is earlier)."""
    return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days


def entity_keys(mentions: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Entity keys (`kind:key`) from enrichment's mentions, groups left out (members count)."""
    return frozenset(f"{kind}:{key}" for kind, key in mentions if kind != "group")
