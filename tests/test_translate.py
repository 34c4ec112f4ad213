"""Translation: real Apertium (Spanish->English and French through Spanish), a real
LibreTranslate-API server on loopback, the cache, the `none` backend and bad input."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import select

from worldtake.enrich.translate import (
    TranslationError,
    open_translator,
    translate_cached,
    translate_texts,
)
from worldtake.enrich.translate.apertium import ApertiumTranslator, find_route
from worldtake.enrich.translate.http import HttpTranslator
from worldtake.enrich.translate.none import NoTranslator
from worldtake.ingest.options import IngestOptions
from worldtake.pipeline import ingest, process
from worldtake.settings import Settings, load_settings
from worldtake.store import Store, enrichment, schema

# A word list the loopback server translates with: small, but a real lookup, not a canned answer.
WORDS = {
    "el": "the",
    "la": "the",
    "presidente": "president",
    "cumbre": "summit",
    "de": "of",
    "paz": "peace",
    "en": "in",
    "paris": "paris",
    "anuncia": "announces",
    "una": "a",
}


class LibreTranslateHandler(BaseHTTPRequestHandler):
    """The two endpoints of the LibreTranslate API worldtake uses."""

    calls: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        if self.path != "/languages":
            self._answer(404, {"error": "not found"})
            return
        self._answer(200, [{"code": "es", "name": "Spanish", "targets": ["en"]}])

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/translate":
            self._answer(404, {"error": "not found"})
            return
        if body.get("source") != "es" or body.get("target") != "en":
            self._answer(400, {"error": f"{body.get('source')} is not supported"})
            return
        if "FALLO" in body["q"]:
            self._answer(500, {"error": "the model crashed"})
            return
        self.calls.append(body["q"])
        words = [WORDS.get(w.lower(), w) for w in body["q"].split()]
        self._answer(200, {"translatedText": " ".join(words)})

    def _answer(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def libretranslate() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), LibreTranslateHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    LibreTranslateHandler.calls = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def need_apertium() -> None:
    if shutil.which("apertium") is None:
        pytest.fail("apertium is not installed: `make test` installs it (make system-deps)")


def test_apertium_translates_spanish_to_english() -> None:
    need_apertium()
    text = "El presidente de Francia anunció una cumbre en París."
    english = ApertiumTranslator().translate(text, "es", "en")
    assert "president" in english.lower() and "summit" in english.lower()
    assert "presidente" not in english.lower()


def test_apertium_pivots_french_through_spanish() -> None:
    need_apertium()
    assert len(find_route("fr", "en")) == 2
    english = ApertiumTranslator().translate("Le président a annoncé la paix.", "fr", "en")
    assert "president" in english.lower() and "peace" in english.lower()


def test_apertium_refuses_a_pair_it_lacks_with_a_reason() -> None:
    need_apertium()
    with pytest.raises(TranslationError, match="no Apertium pair from ja to en"):
        ApertiumTranslator().translate("こんにちは", "ja", "en")


def test_http_backend_speaks_libretranslate(libretranslate: str) -> None:
    translator = HttpTranslator(url=libretranslate)
    assert translator.can_translate("es", "en")
    assert not translator.can_translate("fr", "en")
    assert translator.translate("la cumbre de paz", "es", "en") == "the summit of peace"


def test_http_backend_passes_the_servers_refusal_on(libretranslate: str) -> None:
    with pytest.raises(TranslationError, match="answered 400"):
        HttpTranslator(url=libretranslate).translate("bonjour", "fr", "en")


def test_http_backend_unreachable_is_a_reason() -> None:
    with pytest.raises(TranslationError, match="unreachable"):
        HttpTranslator(url="http://127.0.0.1:9", timeout=2).translate("hola", "es", "en")


def test_cache_translates_a_text_once(store: Store, libretranslate: str) -> None:
    translator = HttpTranslator(url=libretranslate)
    with store.transaction() as conn:
        first = translate_cached(conn, translator, "la cumbre de paz", "es")
        second = translate_cached(conn, translator, "la cumbre de paz", "es")
        assert enrichment.count_translations(conn) == 1
    assert first.text == second.text == "the summit of peace"
    assert LibreTranslateHandler.calls == ["la cumbre de paz"]


def test_empty_text_is_refused_with_a_reason(store: Store) -> None:
    with store.transaction() as conn, pytest.raises(TranslationError, match="empty"):
        translate_cached(conn, NoTranslator(), "  ", "es")


def test_apertium_translates_many_titles_in_one_run(store: Store) -> None:
    need_apertium()
    titles = ["El presidente habla.", "La cumbre de paz en París", "", "El presidente habla."]
    with store.transaction() as conn:
        found = translate_texts(conn, ApertiumTranslator(), titles, "es")
        assert enrichment.count_translations(conn) == 2
    assert [f.text for f in found] == [
        "The president speaks.",
        "The summit of peace in Paris",
        None,
        "The president speaks.",
    ]
    assert found[2].reason is not None and "empty" in found[2].reason


def test_no_backend_leaves_the_original_with_a_note(tmp_path: Path) -> None:
    settings = load_settings(
        {"db": str(tmp_path / "n.db"), "translator": "none"}, environ={}, config_path=None
    )
    dump = tmp_path / "dump.txt"
    dump.write_text("Il vertice di Parigi si è chiuso senza un accordo sulle truppe.\n")
    from worldtake.store import open_store

    store = open_store(settings.db)
    try:
        ingest(store, [str(dump)], IngestOptions(), settings)
        process(store, settings)
        article = next(store.iter_articles())
        with store.reading() as conn:
            row = conn.execute(
                select(schema.articles.c.translator, schema.articles.c.translation_note)
            ).one()
    finally:
        store.close()
    assert article.language == "it" and article.title_en is None
    assert row.translator == "none" and "no route from it to en" in row.translation_note


def test_a_failed_translation_is_kept_with_its_reason(tmp_path: Path, libretranslate: str) -> None:
    settings = load_settings(
        {"db": str(tmp_path / "f.db"), "translator_url": libretranslate},
        environ={},
        config_path=None,
    )
    dump = tmp_path / "dump.txt"
    dump.write_text(
        "El presidente anuncia una cumbre de paz en Paris.\n"
        "El presidente anuncia un FALLO de la cumbre de paz.\n",
        encoding="utf-8",
    )
    from worldtake.store import open_store

    store = open_store(settings.db)
    try:
        ingest(store, [str(dump)], IngestOptions(language="es"), settings)
        process(store, settings)
        articles = {a.position: a for a in store.iter_articles()}
        reasons = [r.reason for r in store.list_rejections(20) if r.stage == "translate"]
    finally:
        store.close()
    assert articles[1].title_en == "the president announces a summit of peace in Paris."
    assert articles[2].title_en is None and articles[2].title.startswith("El presidente")
    assert len(reasons) == 1 and "answered 500" in reasons[0]


def test_huge_text_is_refused_with_a_reason() -> None:
    with pytest.raises(TranslationError, match="over the"):
        ApertiumTranslator().translate("palabra " * 700_000, "es", "en")


def test_auto_picks_http_when_a_url_is_set(libretranslate: str) -> None:
    assert open_translator(Settings(translator_url=libretranslate)).name == "http"
    assert open_translator(Settings(translator="none")).name == "none"


def test_process_translates_titles_and_keeps_the_original(
    tmp_path: Path, libretranslate: str
) -> None:
    settings = load_settings(
        {"db": str(tmp_path / "t.db"), "translator_url": libretranslate, "translate_text": True},
        environ={},
        config_path=None,
    )
    dump = tmp_path / "dump.txt"
    dump.write_text(
        "El presidente anuncia una cumbre de paz en Paris. La cumbre de paz en Paris.\n",
        encoding="utf-8",
    )
    from worldtake.store import open_store

    store = open_store(settings.db)
    try:
        ingest(store, [str(dump)], IngestOptions(language="es"), settings)
        process(store, settings)
        article = next(store.iter_articles())
    finally:
        store.close()
    assert article.title.startswith("El presidente")
    assert article.title_en == "the president announces a summit of peace in Paris."
    assert article.text_en is not None and article.text_en.startswith("the president")
