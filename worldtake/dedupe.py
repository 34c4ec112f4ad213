"""Duplicates: exact copies, near-duplicates (MinHash LSH over word shingles) and teasers.

An article that repeats an earlier one points to it with `duplicate_of` and is never deleted.
Near-duplicates are found with MinHash LSH over word 4-shingles of the text; a teaser (a title
and lead that sit inside a longer article with the same title) points to the full article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy import Connection, func, select

from worldtake.models import Article
from worldtake.store import events as queries
from worldtake.store import schema

if TYPE_CHECKING:
    from worldtake.pipeline import StageContext

NUM_PERM = 64
SHINGLE = 4
TEXT_THRESHOLD = 0.8
TITLE_THRESHOLD = 0.7
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Signature:
    """MinHash signatures of an article's text shingles and title words, and its word count."""

    text: MinHash
    title: MinHash
    length: int


@dataclass
class _Index:
    """LSH indexes over the stored signatures of recent articles, kept between batches."""

    text: MinHashLSH
    title: MinHashLSH
    count: int = 0
    max_id: int = 0
    ids: set[int] = field(default_factory=set)


_INDEXES: dict[str, _Index] = {}


def mark_duplicates(context: StageContext, conn: Connection, articles: list[Article]) -> None:
    """Point exact and near-duplicates to their original; teasers to their full article."""
    store = context.store
    originals = store.first_articles_by_hash(conn, {a.content_hash for a in articles})
    index = _load_index(conn, store.url, context.settings.dedupe_window)
    rows = []
    for article in articles:
        signature = sign_article(article.title, article.text)
        original = originals.get(article.content_hash)
        if original is not None and original != article.id:
            queries.point_duplicates(conn, article.id, _root(conn, original))
        elif article.id not in index.ids:
            _match_near(conn, index, article, signature, context.settings.duplicate_threshold)
        _add_to_index(index, article.id, signature)
        rows.append(_signature_row(article.id, signature))
    queries.save_signatures(conn, rows)
    index.count = _signature_count(conn)


def sign_article(title: str, text: str) -> Signature:
    """MinHash signatures of the text's word 4-shingles and of the title's words."""
    words = words_of(text if text.strip() else title)
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    return Signature(_minhash(shingles), _minhash(set(words_of(title))), len(words))


def words_of(text: str) -> list[str]:
    """Lower-cased words of `text`."""
    return [w.lower() for w in _WORD.findall(text)]


def containment(shorter: str, longer: str) -> float:
    """Share of the shorter text's word 4-shingles found in the longer text."""
    a, b = _shingles(shorter), _shingles(longer)
    return len(a & b) / len(a) if a else 0.0


def _shingles(text: str) -> set[str]:
    words = words_of(text)
    return {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def _minhash(items: set[str]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM)
    if items:
        m.update_batch([s.encode("utf-8") for s in items])
    return m


def _match_near(
    conn: Connection, index: _Index, article: Article, sig: Signature, threshold: float
) -> None:
    candidates = set(index.text.query(sig.text)) | set(index.title.query(sig.title))
    candidates.discard(article.id)
    if not candidates:
        return
    texts = queries.article_texts(conn, sorted(candidates)[-50:])
    for other_id in sorted(texts):
        title, text, _ = texts[other_id]
        full = f"{title} {text}"
        mine = f"{article.title} {article.text}"
        if _jaccard(mine, full) >= threshold:
            queries.point_duplicates(conn, article.id, _root(conn, other_id))
            return
        if _title_similarity(article.title, title) < threshold:
            continue
        if len(words_of(mine)) <= len(words_of(full)) and containment(mine, full) >= threshold:
            queries.point_duplicates(conn, article.id, _root(conn, other_id))
            return
        if containment(full, mine) >= threshold:
            queries.point_duplicates(conn, _root(conn, other_id), article.id)
            return


def _jaccard(a: str, b: str) -> float:
    x, y = _shingles(a), _shingles(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def _title_similarity(a: str, b: str) -> float:
    x, y = set(words_of(a)), set(words_of(b))
    return len(x & y) / len(x | y) if x | y else 0.0


def _root(conn: Connection, article_id: int) -> int:
    seen = {article_id}
    current = article_id
    while True:
        found = queries.article_texts(conn, [current]).get(current)
        if found is None or found[2] is None or found[2] in seen:
            return current
        current = int(found[2])
        seen.add(current)


def _signature_row(article_id: int, sig: Signature) -> dict[str, object]:
    return {
        "article_id": article_id,
        "text_minhash": sig.text.hashvalues.astype(np.uint32).tobytes(),
        "title_minhash": sig.title.hashvalues.astype(np.uint32).tobytes(),
        "length": sig.length,
    }


def _from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype=np.uint32).astype(np.uint64)
    return MinHash(num_perm=NUM_PERM, hashvalues=values)


def _new_index() -> _Index:
    return _Index(
        MinHashLSH(threshold=TEXT_THRESHOLD, num_perm=NUM_PERM),
        MinHashLSH(threshold=TITLE_THRESHOLD, num_perm=NUM_PERM),
    )


def _add_to_index(index: _Index, article_id: int, sig: Signature) -> None:
    if article_id in index.ids:
        return
    index.text.insert(article_id, sig.text, check_duplication=False)
    index.title.insert(article_id, sig.title, check_duplication=False)
    index.ids.add(article_id)
    index.max_id = max(index.max_id, article_id)


def _signature_count(conn: Connection) -> int:
    t = schema.article_signatures
    return int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)


def _load_index(conn: Connection, url: str, window: int) -> _Index:
    """The cached index for this store, topped up with signatures stored by other processes."""
    index = _INDEXES.get(url)
    count = _signature_count(conn)
    if index is None or count < index.count:
        index = _INDEXES[url] = _new_index()
        index.max_id = -1
    if count != index.count:
        for row in queries.load_signatures(conn, index.max_id, window):
            sig = Signature(_from_bytes(row.text_minhash), _from_bytes(row.title_minhash), 0)
            _add_to_index(index, int(row.article_id), sig)
        index.count = count
    return index
