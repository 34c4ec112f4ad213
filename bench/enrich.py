"""Enrichment speed: articles/s per step on generated multilingual articles, and memory peak.

Each step is timed beside a baseline run in the same process on the same articles:
language (ours: lingua + py3langid with mixed-language lines; baseline: py3langid alone),
dates (ours: the day-phrase extractor; baseline: dateparser's search_dates, on a subset),
entities (ours: the token-indexed gazetteer; baseline: one big regex alternation of the same
aliases), translation (Apertium on titles, then the same titles again from the cache).

    .venv/bin/python bench/enrich.py [--articles 10000]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from worldtake.enrich.dates import find_event_dates
from worldtake.enrich.entities import find_mentions
from worldtake.enrich.gazetteer import load_gazetteer
from worldtake.enrich.language import detect_language

TEMPLATES = {
    "en": [
        "{Leader} said on {weekday_en} that {country_en} would send troops to Ukraine.",
        "The meeting in {capital} on {day} September brought together leaders of {n} countries.",
        "Officials in {capital} ruled out a deployment before a ceasefire is agreed.",
        "{Leader} spoke with the President of France about security guarantees.",
    ],
    "fr": [
        "{Leader} a déclaré le {day} septembre que la France enverra des soldats.",
        "Le sommet de {capital} a réuni {n} pays de la coalition des volontaires.",
        "Les dirigeants européens ont parlé des garanties de sécurité pour l'Ukraine.",
    ],
    "de": [
        "{Leader} sagte am {day}. September, Deutschland prüfe eine Beteiligung.",
        "Die Regierung in {capital} lehnt die Entsendung von Soldaten ab.",
        "Die Minister trafen sich in Paris, um über Sicherheitsgarantien zu sprechen.",
    ],
    "it": [
        "{Leader} ha detto il {day} settembre che l'Italia non invierà soldati.",
        "Il vertice dei Volenterosi a {capital} ha riunito {n} paesi.",
        "La presidente del Consiglio ha parlato con i leader europei.",
    ],
    "es": [
        "{Leader} anunció el {day} de septiembre que España estudia enviar tropas.",
        "La cumbre de {capital} reunió a {n} países de la coalición.",
    ],
    "pl": [
        "{Leader} powiedział {day} września, że Polska nie wyśle żołnierzy.",
        "Szczyt w {capital} zgromadził przywódców {n} państw.",
    ],
    "uk": [
        "{Leader} заявив {day} вересня, що Україна потребує гарантій безпеки.",
        "Саміт у {capital} зібрав лідерів {n} країн коаліції охочих.",
    ],
}
LEADERS = [
    "Emmanuel Macron",
    "Keir Starmer",
    "Friedrich Merz",
    "Giorgia Meloni",
    "Donald Tusk",
    "Volodymyr Zelenskyy",
    "Pedro Sánchez",
    "Mark Rutte",
    "Ulf Kristersson",
]
CAPITALS = ["Paris", "London", "Berlin", "Rome", "Warsaw", "Kyiv", "Madrid", "Brussels"]
COUNTRIES = ["France", "Britain", "Germany", "Italy", "Poland", "Spain", "Sweden", "Turkey"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def generate_articles(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(title, text) pairs: 3 to 12 sentences each, in seven languages."""
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        language = rng.choice(list(TEMPLATES))
        sentences = [_fill(rng.choice(TEMPLATES[language]), rng) for _ in range(rng.randint(3, 12))]
        articles.append((sentences[0], " ".join(sentences)))
    return articles


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        Leader=rng.choice(LEADERS),
        capital=rng.choice(CAPITALS),
        country_en=rng.choice(COUNTRIES),
        weekday_en=rng.choice(WEEKDAYS),
        day=rng.randint(1, 28),
        n=rng.randint(2, 30),
    )


def timed(
    label: str, articles: Sequence[tuple[str, str]], step: Callable[[str, str], object]
) -> float:
    """Run `step` on every article; print and return articles per second."""
    started = time.perf_counter()
    for title, text in articles:
        step(title, text)
    rate = len(articles) / (time.perf_counter() - started)
    print(f"  {label:<44} {rate:10.0f} articles/s  ({len(articles)} articles)")
    return rate


def baseline_regex() -> Callable[[str, str], object]:
    """One regex alternation over every alias of the gazetteer (longest first)."""
    aliases = sorted({k for k in load_gazetteer().index if len(k) > 2}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(a) for a in aliases) + r")\b", re.I)
    return lambda title, text: pattern.findall(text)


def bench_translation(articles: Sequence[tuple[str, str]]) -> None:
    """Apertium on Spanish and French titles (batched), then the same titles from the cache."""
    from worldtake.enrich.translate import translate_texts
    from worldtake.enrich.translate.apertium import ApertiumTranslator, find_route, is_installed
    from worldtake.store import open_store

    if not is_installed():
        print("  translation: apertium not installed, skipped")
        return
    translator = ApertiumTranslator()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "bench.db"))
        for source in ("es", "fr"):
            titles = [t for t, _ in articles if detect_language(t, "").language == source][:1000]
            hops = len(find_route(source, "en"))
            for label in (
                f"titles {source}->en, {hops} pair(s)",
                f"titles {source}->en again (cache)",
            ):
                started = time.perf_counter()
                with store.transaction() as conn:
                    translate_texts(conn, translator, titles, source)
                rate = len(titles) / (time.perf_counter() - started)
                counts = f"({len(titles)} titles, {len(set(titles))} distinct)"
                print(f"  {label:<44} {rate:10.0f} titles/s    {counts}")
        store.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args(argv)
    articles = generate_articles(args.articles)
    reference = date(2025, 9, 10)
    detect_language("warm up", "Warm up the models before timing.")
    load_gazetteer()
    print(f"enrichment on {len(articles)} generated articles in {len(TEMPLATES)} languages")
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    language = timed("language (lingua + py3langid)", articles, detect_language)
    timed("  baseline: py3langid alone", articles, lambda t, x: identifier.classify(f"{t}\n{x}"))
    dates = timed("dates (day phrases)", articles, lambda t, x: find_event_dates(x, reference))
    from dateparser.search import search_dates

    subset = articles[:200]
    timed("  baseline: dateparser search_dates", subset, lambda t, x: search_dates(x))
    entities = timed("entities (gazetteer)", articles, lambda t, x: find_mentions(x, "2025-09-10"))
    timed("  baseline: one regex of all aliases", articles[:300], baseline_regex())
    combined = 1 / (1 / language + 1 / dates + 1 / entities)
    print(f"  {'language + dates + entities, one core':<44} {combined:10.0f} articles/s")
    bench_translation(articles)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  memory peak {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
