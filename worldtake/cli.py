"""The command line: parse options, call one library function, print the result."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from worldtake import __version__, pipeline
from worldtake.claims.matrix import (
    CountryStance,
    PledgeMatrix,
    pledge_evidence,
    pledge_matrix,
    stance_records,
    stance_table,
)
from worldtake.errors import WorldtakeError
from worldtake.export import FORMATS, KINDS, export_rows, write_rows
from worldtake.ingest.options import IngestOptions
from worldtake.models import IngestReport, ProgressCallback, StageReport
from worldtake.settings import Settings, describe_settings, load_settings, parse_assignment
from worldtake.store import Store, open_store

app = typer.Typer(
    help="worldtake: follow a developing international story across the world's press.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(help="SQLite file path or database URL.")] = None,
    config: Annotated[
        Path | None, typer.Option(help="Settings file (default ./worldtake.toml).")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override a setting: NAME=VALUE (repeatable).")
    ] = None,
) -> None:
    """Options that apply to every command."""
    overrides: dict[str, Any] = dict(parse_assignment(a) for a in set_ or [])
    if db is not None:
        overrides["db"] = db
    settings = load_settings(overrides, config_path=config)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = settings


@app.command()
def ingest(
    ctx: typer.Context,
    sources: Annotated[list[str], typer.Argument(help="Files, folders or URLs.")],
    as_of: Annotated[
        str | None, typer.Option(help="Reference date YYYY-MM-DD for undated items.")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Outlet name for items that give none.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Outlet country (ISO 3166-1 alpha-2).")
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="Language (ISO 639-1) of items that give none.")
    ] = None,
) -> None:
    """Read news items from files, folders or URLs into the store."""
    settings: Settings = ctx.obj
    options = IngestOptions(source, country.upper() if country else None, language, as_of)
    with _store(settings) as store, _progress() as progress:
        report = pipeline.ingest(store, sources, options, settings, progress)
    _print_ingest(report)
    if report.added == 0 and report.skipped == 0 and report.rejected:
        raise typer.Exit(1)


@app.command()
def process(ctx: typer.Context) -> None:
    """Run every pipeline stage on pending work (idempotent)."""
    settings: Settings = ctx.obj
    with _store(settings) as store, _progress() as progress:
        reports = pipeline.process(store, settings, progress)
    _print_stages(reports)


@app.command()
def export(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(KINDS)}.")],
    format: Annotated[
        str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")
    ] = "jsonl",
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of stdout.")
    ] = None,
    story: Annotated[str | None, typer.Option(help="Only records of this story id.")] = None,
) -> None:
    """Write records of one kind as JSONL, CSV or JSON."""
    settings: Settings = ctx.obj
    with _store(settings) as store:
        rows = export_rows(store, kind, story)
        if output is None:
            write_rows(rows, format, sys.stdout)
            return
        with output.open("w", encoding="utf-8", newline="") as stream:
            count = write_rows(rows, format, stream)
    err.print(f"wrote {count} {kind} to {output}")


_POLARITY_STYLE = {
    "offer": ("offer", "bold green"),
    "conditional": ("if", "bold yellow"),
    "undecided": ("?", "bold blue"),
    "refuse": ("no", "bold red"),
}


@app.command()
def pledges(
    ctx: typer.Context,
    story: Annotated[str | None, typer.Option(help="Only pledges of this story id.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Positions as they stood on this date.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="List one country's positions with their quotes.")
    ] = None,
    kind: Annotated[str | None, typer.Option(help="With --country: only this kind.")] = None,
    stances: Annotated[
        bool, typer.Option("--stances", help="Who supports or opposes deploying foreign troops.")
    ] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="With --stances: JSONL rows.")] = False,
) -> None:
    """Countries x kinds of contribution, coloured by polarity; --country shows the quotes."""
    settings: Settings = ctx.obj
    with _store(settings) as store:
        if stances:
            _print_stances(stance_table(store, story, as_of), as_of, jsonl)
            return
        if country is not None:
            _print_pledge_evidence(pledge_evidence(store, country, kind, story, as_of))
            return
        _print_pledge_matrix(pledge_matrix(store, story, as_of), as_of)


def _print_pledge_matrix(matrix: PledgeMatrix, as_of: str | None) -> None:
    if not matrix.cells:
        out.print("no pledges yet: run `worldtake process` after ingesting articles")
        return
    title = f"pledges as of {as_of}" if as_of else "pledges (latest positions)"
    table = Table(title=title)
    table.add_column("country")
    for kind in matrix.kinds:
        table.add_column(kind.replace("_", " "), justify="center")
    for country in matrix.countries:
        row = [country]
        for kind in matrix.kinds:
            cell = matrix.cells.get((country, kind))
            if cell is None:
                row.append("")
                continue
            label, style = _POLARITY_STYLE[cell.polarity]
            row.append(f"[{style}]{label}[/] {cell.evidence}")
        table.add_row(*row)
    out.print(table)
    legend = "  ".join(f"[{s}]{lab}[/] {p}" for p, (lab, s) in _POLARITY_STYLE.items())
    out.print(f"{legend}; the number counts supporting articles.")
    out.print("Quotes: worldtake pledges --country CODE [--kind KIND]")


def _print_stances(table: list[CountryStance], as_of: str | None, jsonl: bool) -> None:
    if jsonl:
        write_rows(stance_records(table), "jsonl", sys.stdout)
        return
    if not table:
        out.print("no stances yet: run `worldtake process` after ingesting articles")
        return
    title = "stances on foreign troops in Ukraine" + (f" as of {as_of}" if as_of else "")
    grid = Table(title=title)
    for column in ("country", "stance", "since", "history", "latest quote"):
        grid.add_column(column)
    for row in table:
        style = "bold red" if row.stance == "opposes" else "bold green"
        last = row.evidence[-1]
        where = escape(str(last["source"] or last["origin"]))
        grid.add_row(
            row.country,
            f"[{style}]{row.stance}[/] {len(row.evidence)}",
            row.since or "undated",
            " → ".join(row.history),
            f"{where}: {escape(last['quote'])}",
        )
    out.print(grid)


def _print_pledge_evidence(history: list[dict[str, Any]]) -> None:
    if not history:
        out.print("no pledges for that country and kind")
        return
    for entry in history:
        style = _POLARITY_STYLE[entry["polarity"]][1]
        extra = "; ".join(
            f"{name}: {escape(entry[name])}" for name in ("condition", "amount") if entry[name]
        )
        out.print(
            f"[bold]{entry['country']} {entry['kind']}[/] [{style}]{entry['polarity']}[/]"
            f" since {entry['date'] or 'undated'}" + (f" ({extra})" if extra else "")
        )
        for evidence in entry["evidence"]:
            where = evidence["source"] or evidence["origin"]
            quote = escape(evidence["quote"])
            out.print(f"  #{evidence['article_id']} {escape(str(where))}: {quote}")


@app.command()
def stories(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many stories.")] = 20,
) -> None:
    """List stories, most recent first: id, title, dates, articles, sources, countries."""
    from worldtake.timeline import list_stories

    with _store(ctx.obj) as store:
        rows = list_stories(store, limit)
    table = Table("id", "title", "first", "last", "articles", "sources", "countries")
    for s in rows:
        table.add_row(
            s["id"],
            escape(s["title"] or ""),
            s["first_date"] or "",
            s["last_date"] or "",
            str(s["article_count"]),
            str(s["independent_source_count"]),
            " ".join((s["countries"] or [])[:8]),
        )
    out.print(table if rows else "no stories yet: ingest, then `worldtake process`")


@app.command()
def story(
    ctx: typer.Context,
    story_id: Annotated[str, typer.Argument(help="A story id from `worldtake stories`.")],
) -> None:
    """Show one story and its timeline."""
    from worldtake.timeline import describe_story

    with _store(ctx.obj) as store:
        record, entries = describe_story(store, story_id)
    out.print(f"[bold]{escape(record['title'] or story_id)}[/] ({story_id})", highlight=False)
    out.print(
        f"{record['first_date'] or '?'} – {record['last_date'] or '?'}, "
        f"{record['article_count']} articles, {record['independent_source_count']} sources, "
        f"outlets: {', '.join(record['outlets'] or []) or 'unknown'}",
        highlight=False,
    )
    table = Table("date", "headline", "articles", "sources", "event")
    for e in entries:
        table.add_row(
            e.date or "?",
            escape(e.headline),
            str(e.article_count),
            str(e.independent_source_count),
            e.event_id,
        )
    out.print(table)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to look for in titles and texts.")],
    limit: Annotated[int, typer.Option(help="How many results.")] = 20,
) -> None:
    """Full-text search over articles."""
    with _store(ctx.obj) as store:
        hits = store.search(query, limit)
    table = Table("id", "title", "source", "published", "match")
    for hit in hits:
        a = hit.article
        table.add_row(
            str(a.id),
            escape(a.title),
            escape(a.source or ""),
            a.published or "",
            escape(hit.snippet),
        )
    out.print(table if hits else f"no article matches {query!r}")


@app.command()
def stats(ctx: typer.Context) -> None:
    """Counts of records, languages, outlet countries and rejected input."""
    from worldtake.stats import collect_stats

    with _store(ctx.obj) as store:
        figures = collect_stats(store)
    _print_mapping("records", figures["counts"])
    _print_mapping("articles by language", figures["languages"])
    _print_mapping("articles by outlet country", figures["source_countries"])
    _print_mapping("rejections", figures["rejections"])
    for r in figures["recent_rejections"]:
        where = r["origin"] if r["line"] is None else f"{r['origin']} line {r['line']}"
        kept = " (kept)" if r["kept"] else ""
        out.print(f"  [yellow]{r['stage']}[/] {where}: {r['reason']}{kept}")


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Say which store, backends and models are active and which are missing."""
    from worldtake.doctor import run_checks

    table = Table("component", "status", "detail")
    colours = {"ok": "green", "missing": "yellow", "warning": "yellow", "error": "red"}
    for check in run_checks(ctx.obj):
        colour = colours.get(check.status, "white")
        table.add_row(check.component, f"[{colour}]{check.status}[/]", check.detail)
    out.print(table)


@app.command("settings")
def settings_command() -> None:
    """Print the settings table: name, type, default, help."""
    table = Table("name", "type", "default", "help")
    for row in describe_settings():
        table.add_row(row["name"], row["type"], row["default"], row["help"])
    out.print(table)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (0: any free one).")] = None,
) -> None:
    """Serve the web UI and the JSON API."""
    from worldtake.web.server import serve as serve_app

    settings = _with_address(ctx.obj, host, port)
    serve_app(settings, on_ready=_announce)


@app.command()
def demo(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (0: any free one).")] = None,
    serve_ui: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the UI after.")
    ] = True,
) -> None:
    """Ingest and process the bundled sample corpus, then serve the UI."""
    from worldtake.demo import run_demo
    from worldtake.web.server import serve as serve_app

    settings = _with_address(ctx.obj, host, port)
    with _store(settings) as store, _progress() as progress:
        report, stages = run_demo(store, settings, progress)
    _print_ingest(report)
    _print_stages(stages)
    if serve_ui:
        serve_app(settings, on_ready=_announce)


sources_app = typer.Typer(help="The sources registry: outlets, feeds and their health.")
app.add_typer(sources_app, name="sources")


@sources_app.command("add")
def sources_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Outlet name.")],
    feed: Annotated[str | None, typer.Option(help="Feed URL.")] = None,
    home: Annotated[str | None, typer.Option(help="Home page URL.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2.")] = None,
    language: Annotated[list[str] | None, typer.Option(help="ISO 639-1 (repeatable).")] = None,
    state_media: Annotated[bool, typer.Option(help="Under government control.")] = False,
) -> None:
    """Add or update one source; a home page URL as NAME (or --home alone) finds its feed."""
    from worldtake.ingest.opml import SourceRecord
    from worldtake.sources import add_source, discover_source

    record = SourceRecord(
        name,
        feed,
        home,
        country.upper() if country else None,
        tuple(language or ()),
        state_media=state_media,
    )
    record = discover_source(record, ctx.obj)
    with _store(ctx.obj) as store:
        add_source(store, record)
    out.print(f"source {record.name!r} saved (feed {record.feed_url})", highlight=False)


@sources_app.command("list")
def sources_list(ctx: typer.Context) -> None:
    """Every source with its polling health."""
    from worldtake.sources import list_health

    table = Table(
        "name", "country", "lang", "last success", "errors", "last error", "next check", "items/day"
    )
    with _store(ctx.obj) as store:
        rows = list_health(store)
    for h in rows:
        label = f"{h.name} [state media]" if h.state_media else h.name
        table.add_row(
            escape(label),
            h.country or "",
            ",".join(h.languages),
            h.last_success or "",
            str(h.error_count),
            escape(h.last_error or ""),
            h.next_check or "",
            f"{h.items_per_day:g}",
        )
    out.print(table if rows else "no sources: `worldtake sources import` adds the default list")


@sources_app.command("remove")
def sources_remove(
    ctx: typer.Context, key: Annotated[str, typer.Argument(help="Name or feed URL.")]
) -> None:
    """Remove a source (its articles stay)."""
    from worldtake.sources import remove_source

    with _store(ctx.obj) as store:
        remove_source(store, key)
    out.print(f"source {key!r} removed", highlight=False)


@sources_app.command("import")
def sources_import(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help="OPML file (default: shipped list).")] = None,
) -> None:
    """Add every feed of an OPML file."""
    from worldtake.sources import default_sources_path, import_sources

    source = path or default_sources_path()
    with _store(ctx.obj) as store:
        count = import_sources(store, source.read_bytes())
    out.print(f"imported {count} sources from {source}", highlight=False)


@sources_app.command("export")
def sources_export(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option(help="Write to this file.")] = None,
) -> None:
    """Write every source as OPML with country, language, category and stateMedia."""
    from worldtake.sources import export_sources

    with _store(ctx.obj) as store:
        text = export_sources(store)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")


@app.command("watch")
def watch_command(
    ctx: typer.Context,
    every: Annotated[str, typer.Option(help="Pause between rounds: 90s, 15m, 2h.")] = "15m",
    rounds: Annotated[int | None, typer.Option(help="Stop after this many rounds.")] = None,
) -> None:
    """Poll due sources again and again, backing off from failing ones."""
    from worldtake.watch import parse_interval, watch

    def report(results: list[Any]) -> None:
        for r in results:
            detail = f"{r.added} new" if r.status != "error" else r.reason
            out.print(f"{r.source}: {r.status}, {detail}", highlight=False)

    seconds = parse_interval(every)
    with _store(ctx.obj) as store:
        watch(store, replace(ctx.obj, watch_every=seconds), seconds, rounds, report)


@app.command()
def version() -> None:
    """Print worldtake's version."""
    out.print(__version__)


def main() -> None:
    """Entry point: run the CLI, turning library errors into one line and exit status 1."""
    try:
        code = app(standalone_mode=False)
    except WorldtakeError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # click's usage errors arrive here in non-standalone mode
        from click.exceptions import ClickException

        if isinstance(exc, ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
    sys.exit(code if isinstance(code, int) else 0)


@contextmanager
def _store(settings: Settings) -> Iterator[Store]:
    store = open_store(settings.db)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _progress() -> Iterator[ProgressCallback]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def report(label: str, done: int, total: int | None) -> None:
            key = label.split(" ")[0]
            if key not in tasks:
                tasks[key] = bar.add_task(label, total=total)
            bar.update(tasks[key], description=label, completed=done, total=total)

        yield report


def _with_address(settings: Settings, host: str | None, port: int | None) -> Settings:
    overrides: dict[str, Any] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    from dataclasses import replace

    return replace(settings, **overrides)


def _announce(url: str) -> None:
    out.print(f"worldtake is serving at {url}  (Ctrl+C to stop)", highlight=False, soft_wrap=True)
    sys.stdout.flush()


def _print_ingest(report: IngestReport) -> None:
    for rejection in report.rejections:
        label = "[yellow]warning[/]" if rejection.kept else "[red]rejected[/]"
        err.print(f"{label} {rejection.describe()}", highlight=False, soft_wrap=True)
    out.print(
        f"ingest: {report.added} new, {report.skipped} already stored, "
        f"{report.rejected} rejected, {report.warnings} warnings",
        highlight=False,
    )


def _print_stages(reports: list[StageReport]) -> None:
    for r in reports:
        out.print(f"{r.stage}: {r.done} articles, {r.rejected} rejected", highlight=False)


def _print_mapping(title: str, mapping: dict[str, int]) -> None:
    out.print(f"[bold]{title}[/]")
    if not mapping:
        out.print("  none")
    for name, n in mapping.items():
        out.print(f"  {name}: {n}", highlight=False)
