"""Feeds: the 31 real feeds of rss-parser's test set, JSON Feed, and broken feeds refused."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from conftest import SHARED, need_shared

from worldtake import pipeline
from worldtake.errors import Rejected
from worldtake.ingest.feeds import feed_documents, parse_with_feedparser, read_feed
from worldtake.ingest.feedxml import parse_feed_xml
from worldtake.ingest.options import IngestOptions
from worldtake.models import Document, Rejection
from worldtake.settings import Settings
from worldtake.store import Store

FEEDS = SHARED / "bench" / "feeds" / "rss-parser"
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
BROKEN = {"unrecognized.rss": "an HTML page, not a feed"}
# left to feedparser: markup inside <description>, XHTML content, bytes not in the declared charset
NOT_FAST = {"reddit-atom.rss", "reddit-home.rss", "uolNoticias.rss", *BROKEN}


def _expected_items(name: str) -> list[dict[str, object]] | None:
    path = FEEDS / "output" / (Path(name).stem + ".json")
    if not path.is_file():
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # rss-parser wrote this expected file in Latin-1
        text = raw.decode("latin-1")
    return json.loads(text)["feed"]["items"]


def _plain(value: object) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", str(value)))
    return " ".join(text.split())


def _read(name: str) -> list[Document | Rejection]:
    path = need_shared(FEEDS / "input" / name)
    return list(read_feed(path.read_bytes(), str(path), IngestOptions()))


def _inputs() -> list[str]:
    folder = FEEDS / "input"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else ["(absent)"]


@pytest.mark.parametrize("name", _inputs())
def test_every_real_feed_ingests_or_is_rejected_with_its_reason(name: str) -> None:
    if name in BROKEN:
        with pytest.raises(Rejected, match=re.escape(BROKEN[name])):
            _read(name)
        return
    items = _read(name)
    documents = [i for i in items if isinstance(i, Document)]
    assert documents or all(isinstance(i, Rejection) and i.reason for i in items)
    expected = _expected_items(name)
    if expected is None:
        assert documents, f"{name}: no item read"
        return
    assert len(items) == len(expected), f"{name}: {len(items)} items, expected {len(expected)}"
    for got, want in zip(items, expected, strict=True):
        _compare_item(name, got, want)


def _compare_item(name: str, got: Document | Rejection, want: dict[str, object]) -> None:
    if isinstance(got, Rejection):
        assert not want.get("title") and not want.get("content"), f"{name}: {got.reason}"
        return
    title = want.get("title")
    if title and "\ufffd" not in str(title):
        assert got.title == _plain(title), name
    link = want.get("link")
    if link:
        assert got.url is not None and got.url.endswith(str(link).strip()), name
    iso = want.get("isoDate")
    if iso:
        assert got.published is not None, f"{name}: no date for {got.title!r}"
        want_date = datetime.fromisoformat(str(iso).replace("Z", "+00:00")).replace(microsecond=0)
        assert datetime.fromisoformat(got.published) == want_date, name


@pytest.mark.parametrize(
    ("name", "word"), [("encoding.rss", "Notícias"), ("uolNoticias.rss", "simulações")]
)
def test_latin1_feeds_come_out_as_correct_unicode(name: str, word: str) -> None:
    documents = [i for i in _read(name) if isinstance(i, Document)]
    assert documents
    assert all("\ufffd" not in d.title + d.text for d in documents)
    assert any(word in d.title + d.text + (d.source or "") for d in documents)


def test_heraldsun_latin1_feed_keeps_its_items() -> None:
    documents = [i for i in _read("heraldsun.rss") if isinstance(i, Document)]
    assert [d.title for d in documents] == ["The First Item", "The Second Item"]
    assert documents[0].text == "This is the first item."


def test_content_encoded_is_preferred_to_the_summary() -> None:
    data = (FIXTURES / "good.rss").read_bytes()
    (doc,) = list(read_feed(data, "good.rss", IngestOptions(country="LT")))
    assert isinstance(doc, Document)
    assert doc.text.splitlines() == [
        "Defence ministers met in Vilnius.",
        "They spoke of air policing over the Baltic states.",
    ]
    assert (doc.source, doc.language, doc.country) == ("Baltic Morning", "lt", "LT")
    assert doc.published == "2025-09-03T13:00:00+00:00"


def test_json_feed_items_are_read_and_an_empty_item_is_rejected() -> None:
    items = list(read_feed((FIXTURES / "jsonfeed.json").read_bytes(), "j.json", IngestOptions()))
    first, second, third = items
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.title == "Ministers meet in Paris to weigh a reassurance force"
    assert first.published == "2025-09-04T18:10:00+01:00"
    assert second.title.startswith("A short item") and second.published == "2025-09-05"
    assert isinstance(third, Rejection) and "neither title nor text" in third.reason


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("html-not-feed.rss", "an HTML page, not a feed (it links to the feeds /feeds/top.xml)"),
        ("truncated.rss", "truncated XML"),
        ("bomb.rss", "XML entity declarations are refused"),
    ],
)
def test_a_broken_feed_is_rejected_with_its_reason(fixture: str, reason: str) -> None:
    with pytest.raises(Rejected, match=re.escape(reason)):
        list(read_feed((FIXTURES / fixture).read_bytes(), fixture, IngestOptions()))


def test_broken_feeds_are_recorded_and_the_other_sources_continue(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    for name in ("good.rss", "truncated.rss", "bomb.rss", "html-not-feed.rss"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    report = pipeline.ingest(store, [str(folder)], IngestOptions(), settings)
    assert report.added == 1
    reasons = sorted(r.reason.split(":")[0].split(" (")[0] for r in report.rejections)
    assert reasons == [
        "XML entity declarations are refused",
        "an HTML page, not a feed",
        "truncated XML",
    ]
    assert len(store.list_rejections()) == 3


@pytest.mark.parametrize("name", _inputs())
def test_well_formed_feeds_take_the_fast_path_and_match_feedparser(name: str) -> None:
    body = need_shared(FEEDS / "input" / name).read_bytes().lstrip(b"\xef\xbb\xbf \t\r\n")
    fast = parse_feed_xml(body)
    if name in NOT_FAST:
        assert fast is None
        return
    assert fast is not None, f"{name}: the fast path gave up"
    slow = parse_with_feedparser(body)
    assert fast == slow
    assert list(feed_documents(fast, name, IngestOptions())) == list(
        feed_documents(slow, name, IngestOptions())
    )


_PODCAST = (
    '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Show</title>{}</channel></rss>'
)


@pytest.mark.parametrize(
    "body",
    [
        # a channel with two summaries makes feedparser read item 1's second summary as one
        "<itunes:summary>F</itunes:summary><description>G</description>"
        "<item><itunes:summary>S1</itunes:summary><description>D2</description></item>"
        "<item><itunes:summary>S1</itunes:summary><description>D2</description></item>",
        "<item><media:title>M</media:title><title>T</title><source url='x'>S</source>"
        "<title>T2</title></item>",
        "<item><title></title><media:title>M</media:title><guid>http:///g</guid></item>",
        "<item><guid isPermaLink='false'>g</guid><link>http://a/?x=1&amp;amp;y=2</link></item>",
        "<item><media:group><media:title>MT</media:title><media:description>MD"
        "</media:description></media:group><title>T</title><description>D</description></item>",
        "<item><title>caf\u00c3\u00a9 \u0080</title><itunes:author>X</itunes:author>"
        "<author>a@b.example (Bob)</author><pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate>"
        "</item>",
    ],
)
def test_the_fast_path_follows_feedparser_on_its_quirks(body: str) -> None:
    data = _PODCAST.format(body).encode("utf-8")
    fast = parse_feed_xml(data)
    assert fast is not None
    assert fast == parse_with_feedparser(data)


@pytest.mark.parametrize(
    "body",
    [
        "<item><title type='xhtml'><div>T</div></title></item>",
        "<item xml:base='http://a/'><title>T</title><link>/x</link></item>",
        "<item><description>a <b>bold</b> move</description></item>",
        "<item><image><title>I</title></image></item>",
    ],
)
def test_unusual_feeds_are_left_to_feedparser(body: str) -> None:
    data = _PODCAST.format(body).encode("utf-8")
    assert parse_feed_xml(data) is None
    (doc,) = list(read_feed(data, "odd.rss", IngestOptions()))
    assert isinstance(doc, Document)


def test_rfc822_dates_with_month_names_in_another_language_are_read() -> None:
    data = _PODCAST.format(
        "<item><title>T</title><pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate></item>"
    ).encode("utf-8")
    (doc,) = list(read_feed(data, "pt.rss", IngestOptions()))
    assert isinstance(doc, Document)
    assert (doc.published, doc.published_precision) == ("2018-09-24T22:42:40+00:00", "exact")
