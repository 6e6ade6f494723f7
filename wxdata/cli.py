"""``wxdata``: export, sync, import, cache and fake-server, for scripts and cron.

The contract scripts rely on (see ``wxdata export --help``):

- ``wxdata export --from 2026-09-01 --to 2026-11-30 [--app NAME] [--format csv|json|xlsx]
  [--output PATH] [--refresh]`` writes the tidy table (CSV: exactly
  ``app_id,cohort_start,cohort_end,metric,week_offset,users,rate``, UTF-8 with a BOM);
- exit status 0 when every week has data, 1 when some weeks failed (the others are still
  written, each failed week is one line on stderr) or anything else went wrong, 2 for bad
  arguments or settings;
- messages are one line each, never a traceback, never a secret or a token.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from wxdata.config import Settings, load_settings
from wxdata.core.errors import ConfigError, DateError, PayloadError, WxDataError, redact
from wxdata.core.payload import loads
from wxdata.core.report import LoadResult
from wxdata.core.weeks import Week, last_n_weeks, span
from wxdata.i18n import LANGS, Lang, t
from wxdata.present import export
from wxdata.sources import IMPORTED_APPID, DemoSource, Source
from wxdata.store import Cache

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS: dict[str, Callable[..., bytes]] = {
    "csv": export.to_csv_bytes, "json": export.to_json_bytes, "xlsx": export.to_xlsx_bytes,
}
DEFAULT_SYNC_WEEKS = 12


class Console:
    """stdout/stderr lines in one language, with every configured secret blanked out (the
    messages are redacted where they are made; this is the last line of defence)."""

    def __init__(self, lang: Lang, secrets: Sequence[str] = ()) -> None:
        self.lang, self.secrets = lang, tuple(secrets)

    def say(self, key: str, *, err: bool = True, **params: object) -> None:
        self.line(t(key, self.lang, **params), err=err)

    def line(self, text: str, *, err: bool = True) -> None:
        stream = sys.stderr if err else sys.stdout
        stream.write(redact(text, *self.secrets) + "\n")
        stream.flush()


# -- arguments ----------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors in the chosen language (exit status 2)."""

    lang: Lang = "en"

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(t("cli.bad_args", self.lang, prog=self.prog, message=message) + "\n")
        raise SystemExit(EXIT_USAGE)


def _chosen_lang(argv: Sequence[str]) -> Lang:
    pre = _Parser(add_help=False)
    pre.add_argument("--lang", choices=LANGS, default="en")
    known, _ = pre.parse_known_args(argv)
    lang: Lang = known.lang
    return lang


def build_parser(lang: Lang = "en") -> argparse.ArgumentParser:
    parser_class: type[_Parser] = type("Parser", (_Parser,), {"lang": lang})

    def h(key: str, **params: object) -> str:
        return t(f"cli.help.{key}", lang, **params)

    parser = parser_class(prog="wxdata", description=h("main"))
    parser.add_argument("--lang", choices=LANGS, default="en", help=h("lang"))
    parser.add_argument("-v", "--verbose", action="store_true", help=h("verbose"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     help=h("command"))

    ex = commands.add_parser("export", help=h("export"), description=h("export"))
    ex.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help=h("from"))
    ex.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD", help=h("to"))
    ex.add_argument("--app", help=h("app"))
    ex.add_argument("--format", choices=list(FORMATS), help=h("format"))
    ex.add_argument("--output", "-o", type=Path, metavar="PATH", help=h("output"))
    ex.add_argument("--refresh", action="store_true", help=h("refresh"))
    ex.set_defaults(handler=cmd_export)

    sy = commands.add_parser("sync", help=h("sync"), description=h("sync"))
    sy.add_argument("--weeks", type=int, default=DEFAULT_SYNC_WEEKS, metavar="N",
                    help=h("weeks", default=DEFAULT_SYNC_WEEKS))
    sy.set_defaults(handler=cmd_sync)

    im = commands.add_parser("import", help=h("import"), description=h("import"))
    im.add_argument("files", nargs="+", type=Path, metavar="FILE", help=h("files"))
    im.add_argument("--app", help=h("import_app"))
    im.set_defaults(handler=cmd_import)

    ca = commands.add_parser("cache", help=h("cache"), description=h("cache"))
    what = ca.add_subparsers(dest="cache_command", required=True, metavar="ACTION",
                             help=h("command"))
    what.add_parser("info", help=h("cache_info"), description=h("cache_info")) \
        .set_defaults(handler=cmd_cache_info)
    what.add_parser("clear", help=h("cache_clear"), description=h("cache_clear")) \
        .set_defaults(handler=cmd_cache_clear)

    fk = commands.add_parser("fake-server", help=h("fake_server"), description=h("fake_server"))
    fk.add_argument("--port", type=int, required=True, metavar="N", help=h("port"))
    fk.add_argument("--host", default="127.0.0.1", help=h("host"))
    fk.add_argument("--latency", type=float, default=0.0, metavar="SECONDS", help=h("latency"))
    fk.add_argument("--fail", action="append", default=[], metavar="SPEC", help=h("fail"))
    fk.set_defaults(handler=cmd_fake_server)
    return parser


# -- export -------------------------------------------------------------------------------------


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = args.output.suffix.lower().lstrip(".") if args.output else ""
    return suffix if suffix in FORMATS else "csv"


def _source(settings: Settings) -> Source:
    if settings.source == "demo":
        return DemoSource()
    from wxdata.sources.live import LiveSource  # requests and the client only when live is used

    return LiveSource(settings)


def _pick_apps(source: Source, wanted: str | None) -> list[str]:
    apps = source.apps()
    if wanted is None:
        return [a.appid for a in apps]
    for app in apps:
        if wanted in (app.name, app.appid):
            return [app.appid]
    raise ConfigError("unknown_app", app=wanted, known=", ".join(a.label for a in apps) or "-")


def _progress_bar(total: int) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    """A tqdm bar on stderr when a person is watching; nothing in a pipe or a cron job."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, file=sys.stderr, unit="week", leave=False)

    def update(done: int, _total: int) -> None:
        bar.update(done - bar.n)

    return update, bar.close


def load_with_progress(source: Source, app_ids: Sequence[str], weeks: Sequence[Week], *,
                       refresh: bool = False) -> LoadResult:
    update, close = _progress_bar(len(app_ids) * len(weeks))
    try:
        return source.load(list(app_ids), list(weeks), refresh=refresh, progress=update)
    finally:
        close()


def _write(data: bytes, output: Path | None, console: Console) -> bool:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return True
    partial = output.with_name(output.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(output)  # a script never reads half a file
    except OSError as exc:
        console.say("cli.write_failed", path=str(output), detail=exc.strerror or type(exc).__name__)
        return False
    console.say("cli.wrote", path=str(output))
    return True


def report_weeks(result: LoadResult, names: dict[str, str], console: Console) -> int:
    """One stderr line per week without data (and per stale week); the exit status."""
    if result.stopped_by is not None:
        console.say("cli.stopped", reason=result.stopped_by.message(console.lang))
    for r in result.reports:
        app = names.get(r.app_id, r.app_id)
        errcode = "-" if r.errcode is None else r.errcode
        if not r.has_data:
            console.say("cli.week_failed", app=app, week=r.week.label, errcode=errcode,
                        reason=r.reason(console.lang))
        elif r.error is not None:
            when = r.fetched_at.strftime("%Y-%m-%d %H:%M UTC") if r.fetched_at else "?"
            console.say("cli.week_stale", app=app, week=r.week.label, errcode=errcode,
                        when=when, reason=r.reason(console.lang))
    return EXIT_OK if all(r.has_data for r in result.reports) and result.ok else EXIT_FAILED


def _count(result: LoadResult, status: str) -> int:
    return sum(r.status == status for r in result.reports)


def _summary(result: LoadResult, console: Console) -> None:
    console.say("cli.summary", weeks=len(result.reports), rows=len(result.frame),
                failed=sum(not r.has_data for r in result.reports),
                fetched=_count(result, "fetched"), cached=_count(result, "cached"),
                supplied=_count(result, "supplied"))


def cmd_export(args: argparse.Namespace, console: Console) -> int:
    fmt = _format(args)
    if fmt == "xlsx" and args.output is None and sys.stdout.isatty():
        console.say("cli.xlsx_terminal")
        return EXIT_USAGE
    weeks = span(args.start, args.end)
    settings = load_settings()
    console.secrets = settings.secrets
    source = _source(settings)
    try:
        app_ids = _pick_apps(source, args.app)
        if settings.source == "demo":
            console.say("cli.demo_source")
        result = load_with_progress(source, app_ids, weeks, refresh=args.refresh)
    finally:
        getattr(source, "close", lambda: None)()  # the live source's connections and cache
    written = _write(FORMATS[fmt](result.frame), args.output, console)
    status = report_weeks(result, {a.appid: a.label for a in source.apps()}, console)
    _summary(result, console)
    return status if written else EXIT_USAGE


# -- sync, import, cache, fake-server -----------------------------------------------------------


def cmd_sync(args: argparse.Namespace, console: Console) -> int:
    settings = load_settings()
    console.secrets = settings.secrets
    if not settings.apps:
        console.say("cli.no_apps", command="wxdata sync")
        return EXIT_USAGE
    from wxdata.sources.live import LiveSource

    recent = last_n_weeks(args.weeks)
    source = LiveSource(settings)
    status = EXIT_OK
    try:
        for app in settings.apps:
            # Provisional weeks older than the window are due for their final fetch too.
            due = source.cache.provisional_weeks(app.appid)
            weeks = sorted({*recent, *(w for w in due if w < recent[0])})
            result = load_with_progress(source, [app.appid], weeks)
            console.say("cli.sync_app", err=False, app=app.label, weeks=len(weeks),
                        fetched=_count(result, "fetched"), cached=_count(result, "cached"),
                        failed=_count(result, "failed"))
            status = max(status, report_weeks(result, {app.appid: app.label}, console))
    finally:
        source.close()
    return status


def _import_app(settings: Settings, wanted: str | None) -> str | None:
    """The appid the files belong to; None when several apps are configured and none named."""
    if wanted is not None:
        try:
            return settings.app(wanted).appid
        except ConfigError:
            return wanted  # files for an app that is not configured (yet) may be imported
    if len(settings.apps) > 1:
        return None
    return settings.apps[0].appid if settings.apps else IMPORTED_APPID


def _saved_at(path: Path) -> datetime:
    """When a saved answer was fetched, at the latest: its file's modification time."""
    return min(datetime.fromtimestamp(path.stat().st_mtime, UTC), datetime.now(UTC))


def cmd_import(args: argparse.Namespace, console: Console) -> int:
    settings = load_settings()
    console.secrets = settings.secrets
    app_id = _import_app(settings, args.app)
    if app_id is None:
        console.say("cli.import_which_app", known=", ".join(a.label for a in settings.apps))
        return EXIT_USAGE
    status = EXIT_OK
    with Cache(settings.cache_url) as cache:
        for path in args.files:
            try:
                payloads = loads(path.read_bytes())
                saved_at = _saved_at(path)
            except OSError as exc:
                reason = t("cli.import_unreadable", console.lang,
                           detail=exc.strerror or type(exc).__name__)
            except PayloadError as exc:
                reason = exc.message(console.lang)
            else:
                count = cache.put_many(app_id, payloads, saved_at, keep_newer=True)
                console.say("cli.import_ok", err=False, file=str(path), n=count, app=app_id)
                continue
            console.say("cli.import_failed", file=str(path), reason=reason)
            status = EXIT_FAILED
    return status


def cmd_cache_info(args: argparse.Namespace, console: Console) -> int:
    with Cache(load_settings().cache_url) as cache:
        info = cache.info()
    console.say("cli.cache_where", err=False, path=info.path, size=_size(info.size))
    if not info.weeks:
        console.say("cli.cache_empty", err=False)
        return EXIT_OK
    for app, weeks in info.weeks_per_app.items():
        console.say("cli.cache_app", err=False, app=app, weeks=weeks)
    console.say("cli.cache_counts", err=False, final=info.final, provisional=info.provisional,
                oldest=_stamp(info.oldest_fetch), newest=_stamp(info.newest_fetch))
    return EXIT_OK


def cmd_cache_clear(args: argparse.Namespace, console: Console) -> int:
    with Cache(load_settings().cache_url) as cache:
        removed = cache.clear()
        where = cache.where
    if removed < 0:
        console.say("cli.cache_deleted", err=False, path=where)
    else:
        console.say("cli.cache_cleared", err=False, path=where, n=removed)
    return EXIT_OK


def cmd_fake_server(args: argparse.Namespace, console: Console) -> int:
    from wxdata.testing import fake

    fake.serve(port=args.port, host=args.host, latency=args.latency, faults=args.fail,
               lang=console.lang)
    return EXIT_OK


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MiB"


def _stamp(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M") if when else "-"


# -- main ---------------------------------------------------------------------------------------


def _logging(verbose: bool) -> None:
    # Retries are logged as warnings by the client; a script wants only the per-week lines.
    logging.basicConfig(stream=sys.stderr, level=logging.INFO if verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 failed weeks/errors, 2 bad input)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _chosen_lang(argv)
    try:
        args = build_parser(lang).parse_args(argv)
    except SystemExit as exc:  # --help (0) or a bad argument (2), already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    _logging(args.verbose)
    console = Console(lang)
    return _run(args, console)


def _run(args: argparse.Namespace, console: Console) -> int:
    try:
        return int(args.handler(args, console))
    except (DateError, ConfigError) as exc:
        console.line(exc.message(console.lang))
        return EXIT_USAGE
    except WxDataError as exc:
        console.line(exc.message(console.lang))
        return EXIT_FAILED
    except KeyboardInterrupt:
        console.say("cli.interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _closed_pipe()
    except Exception as exc:  # a bug: one readable line; the traceback only when asked for
        if args.verbose:
            traceback.print_exc(file=sys.stderr)
        console.say("cli.internal_error", kind=type(exc).__name__)
        return EXIT_FAILED


def _closed_pipe() -> int:
    """``wxdata export ... | head``: the reader left; stop quietly (no flush error at exit)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
