"""The web app: a JSON API and HTML pages built from the same library queries."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from worldtake import __version__
from worldtake.errors import NotFound, WorldtakeError
from worldtake.settings import Settings
from worldtake.stats import collect_stats
from worldtake.store import Store, open_store

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the app over the store the settings name (or the one given)."""
    app = FastAPI(title="worldtake", version=__version__)
    app.state.store = store or open_store(settings.db)
    _add_error_handlers(app)

    @app.get("/api/stats")
    def api_stats() -> dict[str, Any]:
        return collect_stats(app.state.store)

    @app.get("/api/articles")
    def api_articles(q: str = "", limit: int = 50) -> dict[str, Any]:
        return {"articles": list_articles(app.state.store, q, limit)}

    @app.get("/api/articles/{article_id}")
    def api_article(article_id: int) -> dict[str, Any]:
        return asdict(app.state.store.get_article(article_id))

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, q: str = "", limit: int = 50) -> HTMLResponse:
        context = {
            "stats": collect_stats(app.state.store),
            "articles": list_articles(app.state.store, q, limit),
            "q": q,
            "version": __version__,
        }
        return TEMPLATES.TemplateResponse(request, "home.html", context)

    return app


def list_articles(store: Store, query: str, limit: int) -> list[dict[str, Any]]:
    """Articles matching `query` (or the latest ones), as dictionaries for JSON and HTML."""
    limit = max(1, min(limit, 500))
    if query.strip():
        hits = store.search(query, limit)
        return [{**_brief(h.article), "snippet": h.snippet} for h in hits]
    return [_brief(a) for a in store.latest_articles(limit)]


def _brief(article: Any) -> dict[str, Any]:
    keys = ("id", "origin", "source", "source_country", "title", "published", "language")
    return {k: getattr(article, k) for k in keys}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    def _not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return _error(404, str(exc))

    @app.exception_handler(WorldtakeError)
    def _bad_request(_request: Request, exc: WorldtakeError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(HTTPException)
    def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "; ".join(str(e.get("msg")) for e in exc.errors()))
