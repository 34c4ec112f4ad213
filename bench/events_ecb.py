"""ECB+ event clustering: the real pipeline in streaming mode against two batch baselines.

Documents of ECB+ topics (Cybulska & Vossen 2014, CC BY 3.0) are shuffled, written as JSONL in
chunks, ingested and processed chunk by chunk (so earlier assignments must hold), then exported.
The gold event of a document is (topic, ecb|ecbplus). Printed beside it, on the same documents:
the same stream regrouped on direct similarity only (what shared neighbours add),
TF-IDF + agglomerative clustering (average link, cosine; at a fixed threshold and at the best
threshold of a grid, an oracle choice in its favour) and BERTopic given the same embeddings.

Thresholds were tuned on the odd-numbered topics only; figures are printed for all topics, for
that development half and for the held-out even-numbered topics.

Usage: python bench/events_ecb.py [--topics 1,2,3] [--chunks 10] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ECB = ROOT.parent / "shared" / "bench" / "ecbplus" / "ECB+"


@dataclass(frozen=True)
class EcbDocument:
    """One ECB+ document: name, gold event label, title (first sentence), text and URL."""

    name: str
    gold: str
    title: str
    text: str
    url: str | None = None


def load_documents(topics: list[int] | None = None, folder: Path = ECB) -> list[EcbDocument]:
    """Read ECB+ documents (all topics, or the listed ones) as plain text."""
    docs = []
    for topic_dir in sorted(folder.iterdir(), key=lambda p: p.name):
        if not topic_dir.is_dir() or (topics and int(topic_dir.name) not in topics):
            continue
        for path in sorted(topic_dir.glob("*.xml")):
            sentences: dict[int, list[str]] = defaultdict(list)
            for token in ET.parse(path).getroot().iter("token"):
                sentences[int(token.get("sentence", "0"))].append(token.text or "")
            lines = [_detokenise(sentences[i]) for i in sorted(sentences)]
            kind = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
            url = None
            if lines[0].startswith("http") and len(lines) > 1:
                # ECB+ documents open with their address: it is the URL, not the title
                url, lines = lines[0].replace(" ", ""), lines[1:]
            title, body = lines[0], " ".join(lines[1:])
            docs.append(EcbDocument(path.stem, f"{topic_dir.name}/{kind}", title, body, url))
    return docs


def _detokenise(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]'])", r"\1", text)
    return re.sub(r"([(\[$]) ", r"\1", text).replace("`` ", '"').replace(" ''", '"')


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering against gold labels."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item, label in predicted.items():
        by_pred[label].add(item)
    for item, label in gold.items():
        by_gold[label].add(item)
    p = r = 0.0
    for item in gold:
        same = by_pred[predicted[item]] & by_gold[gold[item]]
        p += len(same) / len(by_pred[predicted[item]])
        r += len(same) / len(by_gold[gold[item]])
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise_f1(predicted: dict[str, str], gold: dict[str, str]) -> float:
    """F1 over pairs of items put together."""

    def pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
        groups = defaultdict(list)
        for item, label in labels.items():
            groups[label].append(item)
        return {(a, b) for g in groups.values() for a in g for b in g if a < b}

    pred, true = pairs(predicted), pairs(gold)
    if not pred or not true:
        return 0.0
    hit = len(pred & true)
    p, r = hit / len(pred), hit / len(true)
    return 2 * p * r / (p + r) if p + r else 0.0


def cluster_with_pipeline(
    docs: list[EcbDocument], chunks: int, seed: int, overrides: dict[str, object] | None = None
) -> dict[str, str]:
    """Stream shuffled documents through JSONL ingest, process and export; return event ids."""
    from worldtake import pipeline
    from worldtake.export import export_rows
    from worldtake.ingest.options import IngestOptions
    from worldtake.settings import load_settings
    from worldtake.store import open_store

    order = docs[:]
    random.Random(seed).shuffle(order)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings({"db": f"{tmp}/ecb.db", **(overrides or {})}, environ={})
        store = open_store(settings.db)
        size = max(1, -(-len(order) // chunks))
        for n, start in enumerate(range(0, len(order), size)):
            path = Path(tmp) / f"chunk{n:03d}.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for d in order[start : start + size]:
                    row = {"id": d.name, "title": d.title, "text": d.text, "language": "en"}
                    if d.url:
                        row["url"] = d.url
                    out.write(json.dumps(row) + "\n")
            pipeline.ingest(store, [str(path)], IngestOptions(), settings)
            pipeline.process(store, settings)
        rows = list(export_rows(store, "articles"))
        store.close()
    return {str(r["external_id"]): str(r["event_id"]) for r in rows}


def cluster_with_direct_similarity(
    docs: list[EcbDocument], chunks: int, seed: int, encoder: str
) -> dict[str, str]:
    """Ablation: the same stream regrouped on direct similarity only (no shared neighbours),
    cut where that similarity did best on the development topics."""
    from worldtake import recluster

    kept = recluster.SHARED_SHARE
    recluster.SHARED_SHARE = 0.0
    try:
        return cluster_with_pipeline(
            docs, chunks, seed, {"encoder": encoder, "merge_threshold": 0.35}
        )
    finally:
        recluster.SHARED_SHARE = kept


def baseline_agglomerative(docs: list[EcbDocument], threshold: float) -> dict[str, str]:
    """TF-IDF over the whole text, average-link agglomerative clustering on cosine distance."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(sublinear_tf=True, min_df=1).fit_transform(
        [f"{d.title} {d.text}" for d in docs]
    )
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    labels = model.fit_predict(matrix.toarray())
    return {d.name: str(label) for d, label in zip(docs, labels, strict=True)}


def baseline_bertopic(docs: list[EcbDocument], encoder: str) -> dict[str, str] | None:
    """BERTopic on the same embeddings the pipeline uses (outliers each form their own topic)."""
    try:
        from bertopic import BERTopic
    except ImportError:
        return None
    from worldtake.embed import load_encoder
    from worldtake.eventtext import embedding_text
    from worldtake.models import Article

    texts = [f"{d.title} {d.text}" for d in docs]
    articles = [Article(i, d.name, d.title, d.text) for i, d in enumerate(docs)]
    vectors = load_encoder(encoder).encode_texts([embedding_text(a) for a in articles])
    topics, _ = BERTopic(min_topic_size=3).fit_transform(texts, embeddings=vectors)
    return {
        d.name: (str(t) if t >= 0 else f"outlier{i}")
        for i, (d, t) in enumerate(zip(docs, topics, strict=True))
    }


def is_development(name_or_gold: str) -> bool:
    """Odd-numbered topics are the development half (thresholds were tuned there only)."""
    return int(name_or_gold.split("/")[0].split("_")[0]) % 2 == 1


def report(name: str, predicted: dict[str, str], gold: dict[str, str], seconds: float) -> None:
    """Print one row of figures on all topics, then on the development and held-out halves."""
    halves = [
        ("all", gold),
        ("dev", {k: v for k, v in gold.items() if is_development(v)}),
        ("held-out", {k: v for k, v in gold.items() if not is_development(v)}),
    ]
    for label, part in halves:
        if not part:
            continue
        mine = {k: predicted[k] for k in part}
        p, r, f = bcubed(mine, part)
        pf = pairwise_f1(mine, part)
        clusters = len(set(mine.values()))
        print(
            f"{name:<36} {label:<8} B3 P {p:.3f} R {r:.3f} F1 {f:.3f} | pairwise F1 {pf:.3f} "
            f"| {clusters} clusters | {seconds:.1f}s"
        )


def main() -> None:
    """Run the pipeline and the baselines on the chosen topics; print their figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--topics", default="")
    parser.add_argument("--chunks", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--encoder", default="use")
    args = parser.parse_args()
    if not ECB.is_dir():
        sys.exit(f"{ECB} is absent")
    topics = [int(t) for t in args.topics.split(",") if t] or None
    docs = load_documents(topics)
    gold = {d.name: d.gold for d in docs}
    print(f"ECB+: {len(docs)} documents, {len(set(gold.values()))} gold events")
    started = time.perf_counter()
    ours = cluster_with_pipeline(docs, args.chunks, args.seed, {"encoder": args.encoder})
    report(
        f"worldtake stream ({args.encoder}, {args.chunks} chunks)",
        ours,
        gold,
        time.perf_counter() - started,
    )
    started = time.perf_counter()
    direct = cluster_with_direct_similarity(docs, args.chunks, args.seed, args.encoder)
    report("worldtake stream, direct similarity", direct, gold, time.perf_counter() - started)
    started = time.perf_counter()
    report(
        "TF-IDF + agglomerative (t=0.8)",
        baseline_agglomerative(docs, 0.8),
        gold,
        time.perf_counter() - started,
    )
    best = max(
        (baseline_agglomerative(docs, t / 100) for t in range(50, 100, 5)),
        key=lambda labels: bcubed(labels, gold)[2],
    )
    report("TF-IDF + agglomerative (oracle t)", best, gold, 0.0)
    started = time.perf_counter()
    topic_labels = baseline_bertopic(docs, args.encoder)
    if topic_labels is None:
        print("BERTopic: not installed (pip install -e '.[bench]')")
    else:
        report("BERTopic (same embeddings)", topic_labels, gold, time.perf_counter() - started)


if __name__ == "__main__":
    main()
