"""OPML: the shipped list reads, and a round trip keeps every attribute we use."""

from __future__ import annotations

import pytest

from worldtake.errors import Rejected
from worldtake.ingest.opml import SourceRecord, read_opml, write_opml
from worldtake.sources import default_sources_path

CONTINENT_COUNTRIES = {
    "Europe": {"GB", "FR", "DE"},
    "Africa": {"ZA", "NG", "KE"},
    "Asia": {"JP", "IN", "CN"},
    "Americas": {"US", "BR", "CA"},
    "Oceania": {"AU", "NZ"},
}


def test_the_shipped_list_has_150_outlets_from_50_countries_on_every_continent() -> None:
    records = read_opml(default_sources_path().read_bytes())
    countries = {r.country for r in records}
    assert len(records) >= 150 and len(countries) >= 50
    assert all(r.country and r.languages and r.feed_url for r in records)
    for continent, some in CONTINENT_COUNTRIES.items():
        assert countries & some, f"no outlet from {continent}"
    assert any(r.state_media for r in records) and any(not r.state_media for r in records)


def test_a_round_trip_keeps_every_attribute() -> None:
    records = [
        SourceRecord(
            "Agence Exemple",
            "https://a.example/rss",
            "https://a.example/",
            "FR",
            ("fr", "en"),
            "wire",
            False,
            "Europe",
        ),
        SourceRecord(
            "State Voice",
            "https://s.example/feed",
            None,
            "RU",
            ("ru",),
            "state-media",
            True,
            "Europe",
        ),
        SourceRecord("Lone Blog", "https://l.example/atom", None, None, (), None, False, None),
    ]
    assert read_opml(write_opml(records).encode("utf-8")) == records


def test_the_shipped_list_survives_a_round_trip() -> None:
    records = read_opml(default_sources_path().read_bytes())
    assert read_opml(write_opml(records).encode("utf-8")) == records


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<rss/>", "not OPML"),
        (b"<opml><body>", "malformed XML"),
        (b'<!DOCTYPE opml [<!ENTITY a "b">]><opml/>', "entity declarations are refused"),
        (b'<opml><body><outline xmlUrl="https://x" country="France"/></body></opml>', "alpha-2"),
    ],
)
def test_bad_opml_is_rejected_with_its_reason(data: bytes, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        read_opml(data)
