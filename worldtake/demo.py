"""The demo job: ingest the bundled sample corpus and process it."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from worldtake import pipeline
from worldtake.ingest.options import IngestOptions
from worldtake.models import IngestReport, ProgressCallback, StageReport
from worldtake.settings import Settings
from worldtake.store import Store


def sample_folder() -> Path:
    """The folder of the sample corpus shipped inside the package."""
    return Path(str(resources.files("worldtake") / "data" / "sample"))


def ingest_sample(
    store: Store, settings: Settings, progress: ProgressCallback | None = None
) -> IngestReport:
    """Ingest every file of the sample corpus with the outlet, country and language it lists."""
    folder = sample_folder()
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return pipeline.ingest(store, [str(folder)], IngestOptions(), settings, progress)
    report = IngestReport()
    for entry in json.loads(manifest.read_text(encoding="utf-8")):
        options = IngestOptions(
            source=entry.get("source"),
            country=entry.get("country"),
            language=entry.get("language"),
            as_of=entry.get("as_of"),
        )
        path = str(folder / entry["file"])
        report = report.merge(pipeline.ingest(store, [path], options, settings, progress))
    return report


def run_demo(
    store: Store, settings: Settings, progress: ProgressCallback | None = None
) -> tuple[IngestReport, list[StageReport]]:
    """Ingest the sample corpus, then run every stage on it."""
    report = ingest_sample(store, settings, progress)
    return report, pipeline.process(store, settings, progress)
