"""Bad input gets a clear reason naming the file and line, and the rest still goes in."""

from __future__ import annotations

import json
from pathlib import Path

from worldtake import pipeline
from worldtake.ingest.options import IngestOptions
from worldtake.settings import Settings
from worldtake.stats import collect_stats
from worldtake.store import Store


def make_bad_folder(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {
        "binary": folder / "image.txt",
        "empty": folder / "empty.txt",
        "jsonl": folder / "broken.jsonl",
        "latin1": folder / "latin1.txt",
        "good": folder / "good.txt",
    }
    files["binary"].write_bytes(bytes(range(256)) * 40)
    files["empty"].write_bytes(b"")
    lines = [json.dumps({"id": str(i), "title": f"T{i}", "text": f"Text {i}."}) for i in range(10)]
    lines[6] = '{"id": "6", "title": "broken'
    files["jsonl"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    files["latin1"].write_bytes(
        "Le président a réuni les alliés à l'Élysée pour parler des garanties de sécurité.\n"
        "Les ministres européens se retrouveront à Bruxelles la semaine prochaine à midi.\n".encode(
            "latin-1"
        )
    )
    files["good"].write_text("A good item.\nAnother good item.\n", encoding="utf-8")
    return files


def test_bad_files_are_rejected_with_reasons_and_the_rest_is_ingested(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    files = make_bad_folder(tmp_path / "in")
    report = pipeline.ingest(store, [str(tmp_path / "in")], IngestOptions(), settings)
    assert report.added == 9 + 2 + 2
    reasons = {(r.origin, r.line): r for r in report.rejections}
    assert "binary" in reasons[(str(files["binary"]), None)].reason
    assert "empty" in reasons[(str(files["empty"]), None)].reason
    bad_line = reasons[(str(files["jsonl"]), 7)]
    assert "invalid JSON" in bad_line.reason and not bad_line.kept
    latin = reasons[(str(files["latin1"]), None)]
    assert latin.kept and "not valid UTF-8" in latin.reason
    texts = {a.text for a in store.iter_articles()}
    assert any("président a réuni les alliés à l'Élysée" in t for t in texts)


def test_stats_show_the_recorded_rejections(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    make_bad_folder(tmp_path / "in")
    pipeline.ingest(store, [str(tmp_path / "in")], IngestOptions(), settings)
    pipeline.ingest(store, [str(tmp_path / "in")], IngestOptions(), settings)
    figures = collect_stats(store)
    assert figures["rejections"] == {"ingest rejected": 3, "ingest warnings": 1}
    origins = {r["origin"] for r in figures["recent_rejections"]}
    assert str(tmp_path / "in" / "broken.jsonl") in origins


def test_a_missing_path_is_rejected_and_others_go_on(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Only item.\n", encoding="utf-8")
    report = pipeline.ingest(store, [str(tmp_path / "nope"), str(good)], IngestOptions(), settings)
    assert report.added == 1
    assert [r.reason for r in report.rejections] == ["no such file or directory"]


def test_a_file_over_the_size_limit_is_refused(store: Store, tmp_path: Path) -> None:
    from worldtake.settings import load_settings

    small = load_settings({"db": "unused.db", "max_file_bytes": 100}, environ={})
    big = tmp_path / "big.txt"
    big.write_text("word " * 100, encoding="utf-8")
    report = pipeline.ingest(store, [str(big)], IngestOptions(), small)
    assert report.added == 0
    assert "over the 100-byte limit" in report.rejections[0].reason
