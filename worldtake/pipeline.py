"""The one place that knows the stage order: ingest sources, then run stages on pending work."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from worldtake import cluster, dedupe
from worldtake.claims import stage as claims_stage
from worldtake.enrich import stages as enrich_stages
from worldtake.errors import Rejected
from worldtake.ingest import (
    bytes_hash,
    content_hash,
    detect_kind,
    is_url,
    list_files,
    read_documents,
    unwrap_gzip,
)
from worldtake.ingest.options import IngestOptions
from worldtake.models import (
    Article,
    Document,
    IngestReport,
    ProgressCallback,
    Rejection,
    StageReport,
)
from worldtake.settings import Settings
from worldtake.store import Store
from worldtake.store.store import RawItemState


@dataclass(frozen=True)
class StageContext:
    """What a stage may use: the store and the settings."""

    store: Store
    settings: Settings


@dataclass(frozen=True)
class Stage:
    """A pipeline stage: a name, a version (bump it to rerun on old articles) and its work.

    `apply_one` handles one article and may raise Rejected for it alone; `apply_batch` handles
    a batch at once (for stages, like clustering, that need to see articles together).
    """

    name: str
    version: int
    apply_one: Callable[[StageContext, Connection, Article], None] | None = None
    apply_batch: Callable[[StageContext, Connection, list[Article]], None] | None = None


STAGES: list[Stage] = [
    Stage("language", 1, apply_one=enrich_stages.tag_language),
    Stage("dates", 1, apply_batch=enrich_stages.date_articles),
    Stage("entities", 1, apply_one=enrich_stages.find_entities),
    Stage("translate", 1, apply_batch=enrich_stages.translate_articles),
    Stage("dedupe", 1, apply_batch=dedupe.mark_duplicates),
    Stage("cluster", 1, apply_batch=cluster.assign_events),
    Stage("claims", 1, apply_one=claims_stage.record_claims),
    Stage("pledges", 1, apply_batch=claims_stage.rebuild_pledges),
]


def ingest(
    store: Store,
    sources: Sequence[str],
    options: IngestOptions,
    settings: Settings,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Read every source (file, folder or URL) into the store; refuse bad input item by item."""
    report = IngestReport()
    files: list[str] = []
    for source in sources:
        try:
            if is_url(source):
                report = report.merge(_ingest_url(store, source, options, settings))
                continue
            files.extend(list_files(source))
        except Rejected as exc:
            report = report.merge(_refuse_source(store, source, exc.reason))
    for done, path in enumerate(files):
        if progress:
            progress(f"ingest {os.path.basename(path)}", done, len(files))
        report = report.merge(_ingest_file(store, path, options, settings))
    if progress:
        progress("ingest", len(files), len(files))
    return report


def process(
    store: Store, settings: Settings, progress: ProgressCallback | None = None
) -> list[StageReport]:
    """Run every stage, in order, on the articles it has not seen; idempotent."""
    context = StageContext(store, settings)
    return [_run_stage(context, stage, progress) for stage in STAGES]


def _run_stage(
    context: StageContext, stage: Stage, progress: ProgressCallback | None
) -> StageReport:
    store = context.store
    total = store.count_pending(stage.name, stage.version)
    done = rejected = 0
    while True:
        batch = store.pending_articles(stage.name, stage.version, context.settings.batch_size)
        if not batch:
            break
        with store.transaction() as conn:
            rejected += _apply_stage(context, conn, stage, batch)
            store.mark_stage_done(conn, [a.id for a in batch], stage.name, stage.version)
        done += len(batch)
        if progress:
            progress(stage.name, done, total)
    return StageReport(stage.name, done, rejected)


def _apply_stage(
    context: StageContext, conn: Connection, stage: Stage, batch: list[Article]
) -> int:
    if stage.apply_batch is not None:
        stage.apply_batch(context, conn, batch)
        return 0
    assert stage.apply_one is not None, f"stage {stage.name} has nothing to apply"
    rejected = 0
    for article in batch:
        try:
            stage.apply_one(context, conn, article)
        except Rejected as exc:
            rejected += 1
            rejection = Rejection(article.origin, exc.reason, stage=stage.name, kept=True)
            context.store.record_rejection(
                conn, rejection, source_id=article.source_id, article_id=article.id
            )
    return rejected


def _refuse_source(store: Store, origin: str, reason: str) -> IngestReport:
    rejection = Rejection(origin, reason)
    with store.transaction() as conn:
        store.clear_rejections(conn, origin, "ingest")
        store.record_rejection(conn, rejection)
    return IngestReport(rejections=(rejection,))


def _ingest_file(
    store: Store, path: str, options: IngestOptions, settings: Settings
) -> IngestReport:
    size = os.path.getsize(path)
    if size > settings.max_file_bytes:
        limit = settings.max_file_bytes
        return _refuse_source(store, path, f"file of {size} bytes is over the {limit}-byte limit")
    with open(path, "rb") as handle:
        data = handle.read()
    return ingest_data(store, path, data, options, settings)


def _ingest_url(store: Store, url: str, options: IngestOptions, settings: Settings) -> IngestReport:
    from worldtake.ingest.discovery import fetch_source

    try:
        origin, fetched = fetch_source(url, settings)
    except Rejected as exc:
        return _refuse_source(store, url, exc.reason)
    return ingest_data(
        store, origin, fetched.body, options, settings, fetched.content_type, online=True
    )


def ingest_data(
    store: Store,
    path: str,
    data: bytes,
    options: IngestOptions,
    settings: Settings,
    content_type: str | None = None,
    online: bool = False,
) -> IngestReport:
    """Ingest the bytes of one file or fetched URL, recorded under `path`; idempotent.

    `online` (the bytes were fetched) lets feed items with a short summary get their full text
    from their link, when the `fetch_full_text` setting allows.
    """
    size = len(data)
    digest = bytes_hash(data)
    seen = store.find_raw_item(path)
    if seen is not None and seen.content_hash == digest and seen.status == "done":
        return IngestReport(skipped=store.raw_item_count(seen.id))
    try:
        data = unwrap_gzip(data, settings.max_file_bytes)
    except Rejected as exc:
        return _refuse_source(store, path, exc.reason)
    kind = detect_kind(path, data[:4096], content_type)
    try:
        items = list(read_documents(kind, data, path, options))
    except Rejected as exc:
        with store.transaction() as conn:
            store.save_raw_item(
                conn, path, kind=kind, content_hash=digest, size=size, status="rejected"
            )
        return _refuse_source(store, path, exc.reason)
    documents = [i for i in items if isinstance(i, Document)]
    kept = documents
    if online and kind == "feed" and settings.fetch_full_text:
        kept = _with_full_texts(store, seen, documents, settings)
    rejections = [i for i in items if isinstance(i, Rejection)]
    rejections += [Rejection(path, w, line=d.position, kept=True) for d in kept for w in d.warnings]
    raw = {
        "kind": kind,
        "content_hash": digest,
        "size": size,
        "item_count": len(documents),
        "as_of": options.as_of,
    }
    added = _store_documents(store, path, raw, kept, rejections, settings)
    return IngestReport(added, len(documents) - added, tuple(rejections))


def _store_documents(
    store: Store,
    path: str,
    raw: dict[str, object],
    documents: list[Document],
    rejections: list[Rejection],
    settings: Settings,
) -> int:
    """Store the new documents of one raw item, then mark it done with its rejections.

    A raw item whose new documents fit in one batch is stored in one transaction; a longer one
    is marked `partial` first, so that an interrupted ingest resumes where it stopped.
    """
    hashes = [content_hash(d.title, d.text) for d in documents]
    with store.transaction() as conn:
        raw_id = store.save_raw_item(conn, path, status="partial", **raw)
        fresh = _unseen(documents, hashes, store.stored_items_of(conn, raw_id))
        if len(fresh) <= settings.batch_size:
            added = _add_batch(store, conn, fresh, raw_id)
            _finish_raw_item(store, conn, path, raw, rejections)
            return added
    added = 0
    for start in range(0, len(fresh), settings.batch_size):
        with store.transaction() as conn:
            added += _add_batch(store, conn, fresh[start : start + settings.batch_size], raw_id)
    with store.transaction() as conn:
        _finish_raw_item(store, conn, path, raw, rejections)
    return added


def _add_batch(
    store: Store, conn: Connection, batch: list[tuple[Document, str]], raw_id: int
) -> int:
    if not batch:
        return 0
    return store.add_articles(
        conn,
        [d for d, _ in batch],
        content_hashes=[h for _, h in batch],
        source_ids=_source_ids(store, conn, [d for d, _ in batch]),
        raw_item_id=raw_id,
    )


def _finish_raw_item(
    store: Store, conn: Connection, path: str, raw: dict[str, object], rejections: list[Rejection]
) -> None:
    store.clear_rejections(conn, path, "ingest")
    for rejection in rejections:
        store.record_rejection(conn, rejection)
    store.save_raw_item(conn, path, status="done", **raw)


def _with_full_texts(
    store: Store, seen: RawItemState | None, documents: list[Document], settings: Settings
) -> list[Document]:
    """New items with only a short summary get the article behind their link; the items
    stored before (with their full text then) are left out."""
    from worldtake.ingest.discovery import fetch_full_text, needs_full_text

    stored: set[str] = set()
    if seen is not None:
        with store.reading() as conn:
            stored = {origin for origin, _ in store.stored_items_of(conn, seen.id)}
    out = []
    for document in documents:
        if not needs_full_text(document):
            out.append(document)
        elif document.origin not in stored:
            out.append(fetch_full_text(document, settings))
    return out


def _unseen(
    documents: list[Document], hashes: list[str], stored: set[tuple[str, str]]
) -> list[tuple[Document, str]]:
    """Documents not stored yet; an item that only moved to another line counts as stored."""
    current = {(d.origin, h) for d, h in zip(documents, hashes, strict=True)}
    moved = Counter(h for origin, h in stored if (origin, h) not in current)
    fresh = []
    for document, digest in zip(documents, hashes, strict=True):
        if (document.origin, digest) in stored:
            continue
        if moved[digest] > 0:
            moved[digest] -= 1
            continue
        fresh.append((document, digest))
    return fresh


def _source_ids(store: Store, conn: Connection, documents: list[Document]) -> list[int | None]:
    """The source id of each document, asking the store once per distinct outlet of the batch."""
    known: dict[tuple[str, str | None, str | None], int] = {}
    ids: list[int | None] = []
    for d in documents:
        if not d.source:
            ids.append(None)
            continue
        key = (d.source, d.country, d.language)
        if key not in known:
            known[key] = store.ensure_source(conn, d.source, d.country, d.language)
        ids.append(known[key])
    return ids
