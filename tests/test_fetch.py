"""The fetcher against a real HTTP server on 127.0.0.1, serving recorded feeds and pages."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import run_cli

from worldtake import pipeline
from worldtake.demo import sample_folder
from worldtake.errors import Rejected
from worldtake.ingest.fetch import (
    IPAddress,
    Politeness,
    Throttled,
    address_problem,
    check_url,
    fetch_url,
    parse_networks,
)
from worldtake.ingest.options import IngestOptions
from worldtake.settings import Settings, load_settings
from worldtake.sources import list_health
from worldtake.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ETAG = '"feed-v1"'
SEEN_HOSTS: list[str] = []


class Recorded(BaseHTTPRequestHandler):
    """Serves fixtures and misbehaves on purpose, path by path."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        SEEN_HOSTS.append(self.headers.get("Host", ""))
        route = {
            "/feed.rss": self._feed,
            "/page.html": self._page,
            "/private/page.html": self._page,
            "/robots.txt": self._robots,
            "/big": self._big,
            "/slow": self._slow,
            "/to-private": lambda: self._redirect("http://10.0.0.1/feed.rss"),
            "/to-metadata": lambda: self._redirect("http://169.254.169.254/latest/meta-data/"),
            "/to-feed": lambda: self._redirect("/feed.rss"),
            "/busy": self._busy,
            "/latin1": self._latin1,
            "/image": lambda: self._send(200, b"\x89PNG....", "image/png"),
            "/": self._home,
            "/short.rss": self._short_feed,
        }.get(self.path)
        if route is None:
            self._send(404, b"not here", "text/plain")
        else:
            route()

    def _send(self, status: int, body: bytes, kind: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _feed(self) -> None:
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.end_headers()
            return
        body = (FIXTURES / "good.rss").read_bytes()
        self._send(200, body, "application/rss+xml", ETag=ETAG)

    def _home(self) -> None:
        body = (
            b"<html><head><title>Baltic Morning</title>"
            b'<link rel="alternate" type="application/rss+xml" href="/feed.rss"></head>'
            b"<body><h1>Baltic Morning</h1></body></html>"
        )
        self._send(200, body, "text/html; charset=utf-8")

    def _short_feed(self) -> None:
        """Items with one-sentence summaries and no content:encoded, linking to pages here."""
        root = f"http://{self.headers.get('Host')}"
        items = "".join(
            f"<item><title>{title}</title><link>{root}{path}</link>"
            f"<description>A short teaser.</description></item>"
            for title, path in (("Declaration", "/page.html"), ("Hidden", "/private/page.html"))
        )
        body = f'<rss version="2.0"><channel><title>Short</title>{items}</channel></rss>'
        self._send(200, body.encode("utf-8"), "application/rss+xml")

    def _page(self) -> None:
        path = sample_folder() / "pages" / "thames-courier-uk-france-declaration.html"
        self._send(200, path.read_bytes(), "text/html; charset=utf-8")

    def _robots(self) -> None:
        self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")

    def _big(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        chunk = b"<!-- padding -->" * 4096
        try:
            for _ in range(50_000_000 // len(chunk)):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _slow(self) -> None:
        time.sleep(2.5)
        self._send(200, b"late", "text/plain")

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _busy(self) -> None:
        self._send(429, b"slow down", "text/plain", Retry_After="7")

    def _latin1(self) -> None:
        self._send(200, "Notícias de São Paulo".encode("latin-1"), "text/plain; charset=iso-8859-1")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def local(tmp_path: Path) -> Settings:
    overrides = {
        "db": str(tmp_path / "fetch.db"),
        "allow_networks": "127.0.0.0/8",
        "host_delay": "0",
        "fetch_timeout": "1",
        "max_download_bytes": "1000000",
    }
    return load_settings(overrides, environ={}, config_path=None)


def test_a_feed_is_fetched_and_ingested(server: str, local: Settings, store: Store) -> None:
    report = pipeline.ingest(store, [f"{server}/feed.rss"], IngestOptions(), local)
    assert (report.added, report.rejected) == (1, 0)
    assert store.latest_articles(1)[0].title == "Vilnius hosts defence ministers"


def test_conditional_get_answers_304_and_adds_nothing(server: str, local: Settings) -> None:
    first = fetch_url(f"{server}/feed.rss", local)
    assert first.status == 200 and first.etag == ETAG
    again = fetch_url(f"{server}/feed.rss", local, etag=first.etag)
    assert again.is_not_modified and again.body == b""


def test_a_50_mb_response_is_cut_at_the_cap_and_rejected(server: str, local: Settings) -> None:
    started = time.monotonic()
    with pytest.raises(Rejected, match="cut at the 1000000-byte limit"):
        fetch_url(f"{server}/big", local)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("path", "address"), [("/to-private", "10.0.0.1"), ("/to-metadata", "169.254.169.254")]
)
def test_a_redirect_to_a_private_address_is_refused(
    server: str, local: Settings, path: str, address: str
) -> None:
    with pytest.raises(Rejected, match=f"resolves to {address}, a (private|link-local) address"):
        fetch_url(f"{server}{path}", local)


def test_a_local_redirect_is_followed_when_allowed(server: str, local: Settings) -> None:
    assert fetch_url(f"{server}/to-feed", local).url.endswith("/feed.rss")


def test_a_slow_server_hits_the_timeout(server: str, local: Settings) -> None:
    with pytest.raises(Rejected, match="timed out after 1 s"):
        fetch_url(f"{server}/slow", local)


def test_loopback_is_refused_unless_allowed(server: str, tmp_path: Path) -> None:
    strict = load_settings({"db": str(tmp_path / "x.db")}, environ={}, config_path=None)
    with pytest.raises(Rejected, match="a loopback address: refused"):
        fetch_url(f"{server}/feed.rss", strict)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme 'file' refused"),
        ("ftp://example.org/feed", "scheme 'ftp' refused"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://192.168.1.1/", "private"),
    ],
)
def test_non_public_addresses_and_other_schemes_are_refused(url: str, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        check_url(url, [])


def test_the_checked_address_is_the_one_connected_to(server: str, local: Settings) -> None:
    port = server.rsplit(":", 1)[1]
    host, address = check_url(f"http://localhost:{port}/feed.rss", parse_networks("127.0.0.0/8"))
    assert (host, address_problem(address, [])) == ("localhost", "loopback")
    SEEN_HOSTS.clear()
    fetch_url(f"http://localhost:{port}/feed.rss", local)
    assert [f"localhost:{port}"] == SEEN_HOSTS


def test_retry_after_is_honoured(server: str, local: Settings) -> None:
    polite = Politeness()
    with pytest.raises(Throttled) as caught:
        fetch_url(f"{server}/busy", local, politeness=polite)
    assert caught.value.retry_after == 7.0
    assert polite._next["127.0.0.1"] - time.monotonic() > 6


def test_robots_txt_is_obeyed_for_pages(server: str, local: Settings) -> None:
    assert b"Britain and France" in fetch_url(f"{server}/page.html", local, is_page=True).body
    with pytest.raises(Rejected, match=r"robots\.txt"):
        fetch_url(f"{server}/private/page.html", local, is_page=True)


def test_the_declared_charset_decodes_the_body(server: str, local: Settings) -> None:
    assert fetch_url(f"{server}/latin1", local).text() == "Notícias de São Paulo"


def test_images_are_not_news(server: str, local: Settings) -> None:
    with pytest.raises(Rejected, match="content type image/png"):
        fetch_url(f"{server}/image", local)


def test_requests_to_one_host_are_spaced(server: str, local: Settings) -> None:
    polite = Politeness()
    spaced = load_settings({"db": local.db, "allow_networks": "127.0.0.0/8", "host_delay": "0.3"})
    started = time.monotonic()
    for _ in range(3):
        fetch_url(f"{server}/feed.rss", spaced, politeness=polite)
    assert time.monotonic() - started >= 0.6


def test_dns_rebinding_cannot_move_the_connection(local: Settings, tmp_path: Path) -> None:
    """The resolver answers an allowed address first and loopback after: the request goes to
    the address that was checked, and the loopback server never hears of it."""
    checked, rebound = _server_pair()
    port = checked.server_address[1]
    answers = [ipaddress.ip_address("127.0.0.2"), ipaddress.ip_address("127.0.0.1")]
    asked: list[str] = []

    def rebinding(host: str, port: int) -> list[IPAddress]:
        asked.append(host)
        return [answers[min(len(asked), 2) - 1]]

    only_checked = replace(local, allow_networks="127.0.0.2/32")
    try:
        SEEN_HOSTS.clear()
        fetched = fetch_url(f"http://news.test:{port}/feed.rss", only_checked, resolver=rebinding)
        assert fetched.status == 200 and asked == ["news.test"]
        assert [f"news.test:{port}@127.0.0.2"] == SEEN_HOSTS
        with pytest.raises(Rejected, match=r"resolves to 127\.0\.0\.1, a loopback address"):
            fetch_url(f"http://news.test:{port}/feed.rss", only_checked, resolver=rebinding)
        assert [f"news.test:{port}@127.0.0.2"] == SEEN_HOSTS
    finally:
        for httpd in (checked, rebound):
            httpd.shutdown()
            httpd.server_close()


def test_an_answer_mixing_public_and_loopback_addresses_is_refused() -> None:
    def mixed(host: str, port: int) -> list[IPAddress]:
        return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("127.0.0.1")]

    with pytest.raises(Rejected, match=r"resolves to 127\.0\.0\.1, a loopback address"):
        check_url("http://news.test/feed.rss", [], mixed)


def _server_pair() -> tuple[ThreadingHTTPServer, ThreadingHTTPServer]:
    """Two servers on one port, at 127.0.0.2 and 127.0.0.1, each telling which one was asked."""
    for _ in range(20):
        first = ThreadingHTTPServer(("127.0.0.2", 0), _Tagged)
        try:
            second = ThreadingHTTPServer(("127.0.0.1", first.server_address[1]), _Tagged)
        except OSError:
            first.server_close()
            continue
        for httpd in (first, second):
            httpd.daemon_threads = True
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return first, second
    pytest.skip("no free port on both loopback addresses")


class _Tagged(Recorded):
    def do_GET(self) -> None:
        SEEN_HOSTS.append(f"{self.headers.get('Host')}@{self.server.server_address[0]}")
        self._send(200, (FIXTURES / "good.rss").read_bytes(), "application/rss+xml")


def test_a_home_page_url_is_followed_to_its_feed(
    server: str, local: Settings, store: Store
) -> None:
    report = pipeline.ingest(store, [f"{server}/"], IngestOptions(), local)
    assert (report.added, report.rejected) == (1, 0)
    assert store.latest_articles(1)[0].title == "Vilnius hosts defence ministers"


def test_sources_add_with_a_home_page_finds_its_feed(server: str, tmp_path: Path) -> None:
    (tmp_path / "worldtake.toml").write_text(
        'allow_networks = "127.0.0.0/8"\nhost_delay = 0\n', encoding="utf-8"
    )
    db = str(tmp_path / "s.db")
    added = run_cli("--db", db, "sources", "add", f"{server}/", "--country", "LT", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    (source,) = list_health(open_store(db))
    assert (source.name, source.feed_url) == ("Baltic Morning", f"{server}/feed.rss")
    assert (source.country, source.languages) == ("LT", ("lt",))


def test_short_feed_items_get_the_full_text_of_their_link(
    server: str, local: Settings, store: Store
) -> None:
    report = pipeline.ingest(store, [f"{server}/short.rss"], IngestOptions(), local)
    assert report.added == 2
    texts = {a.title: a.text for a in store.latest_articles(5)}
    assert "Britain and France" in texts["Declaration"] and len(texts["Declaration"]) > 500
    assert texts["Hidden"] == "A short teaser."
    (warning,) = [r.reason for r in report.rejections]
    assert "full text not fetched" in warning and "robots.txt" in warning
    again = pipeline.ingest(store, [f"{server}/short.rss"], IngestOptions(), local)
    assert again.added == 0


def test_full_texts_can_be_switched_off(server: str, local: Settings, store: Store) -> None:
    summaries_only = replace(local, fetch_full_text=False)
    report = pipeline.ingest(store, [f"{server}/short.rss"], IngestOptions(), summaries_only)
    assert report.added == 2 and not report.rejections
    assert {a.text for a in store.latest_articles(5)} == {"A short teaser."}
