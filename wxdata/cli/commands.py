"""The commands of ``wxdata``: export, sync, import, cache info/clear and fake-server.

Each takes the parsed arguments and the console and returns its exit status; what they raise
(:class:`~wxdata.core.errors.WxDataError`) becomes one line in :mod:`.entry`.

``export`` asks for one period (``--period day|week|month``, week by default, so that scripts
written for the weekly contract get exactly what they always got); ``sync`` warms all three;
``import`` takes answers of any period (the ``ref_date`` says which).
"""

from __future__ import annotations

import argparse
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from wxdata.cli import output
from wxdata.cli.console import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Console,
    count,
    load_with_progress,
    report_cohorts,
    say_above_base,
    summary,
)
from wxdata.cli.digest import record_sync
from wxdata.config import Settings, load_settings
from wxdata.core.apps import find_app
from wxdata.core.errors import ConfigError, PayloadError
from wxdata.core.payload import MAX_FILE_BYTES, Retention, loads
from wxdata.core.periods import (
    DEFAULT_SPANS,
    PERIOD_KINDS,
    Period,
    PeriodKind,
    check_length,
    period_class,
)
from wxdata.core.report import LoadResult
from wxdata.i18n import t
from wxdata.present import export
from wxdata.sources import checks
from wxdata.sources.factory import make_source
from wxdata.sources.file import IMPORTED_APPID
from wxdata.sources.live import LiveSource
from wxdata.store import open_store

FORMATS: dict[str, Callable[..., bytes]] = {
    "csv": export.to_csv_bytes, "json": export.to_json_bytes, "xlsx": export.to_xlsx_bytes,
}
#: How far back ``sync`` warms each period by default: every cohort until it is final (a day's
#: D30 is final 32 days after it, a week's W4 five weeks after, a month's M1 two months after),
#: with room to spare; well inside the default limits (max_days 180, max_months 36).
DEFAULT_SYNC: dict[PeriodKind, int] = {**DEFAULT_SPANS, "day": 35}
DEFAULT_SYNC_WEEKS = DEFAULT_SYNC["week"]
#: The order ``sync`` warms them in: weeks (the default view everywhere) first and days (the
#: most calls) last, so that a quota that runs out mid-sync leaves the most-used views warm.
SYNC_ORDER: tuple[PeriodKind, ...] = ("week", "month", "day")


# -- export -------------------------------------------------------------------------------------


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    return suffix if suffix in FORMATS else "csv"


def _quota_short(source: LiveSource, app_ids: list[str], periods: list[Period], refresh: bool,
                 console: Console) -> bool:
    """Say so, before any retention call, when the quota left today is short of the calls the
    export needs (:func:`wxdata.sources.checks.quota_shortfall`)."""
    short = checks.quota_shortfall(source, app_ids, periods, refresh=refresh)
    for s in short:
        console.say("cli.quota_short", app=s.app_id, needed=s.needed, remain=s.remain,
                    what=console.count_of(s.kind, s.needed))
    return bool(short)


def cmd_export(args: argparse.Namespace, console: Console) -> int:
    fmt = _format(args)
    target = output.target_of(args.output)  # a bad path stops before any API call
    if fmt == "xlsx" and target is None and output.stdout_is_terminal():
        console.say("cli.xlsx_terminal")
        return EXIT_USAGE
    settings = load_settings()
    kind: PeriodKind = args.period
    periods = period_class(kind).span(args.start, args.end)
    check_length(periods, limit_of(args, settings, kind))
    source = make_source(settings)  # the command's own: closed when it is done
    try:
        app_ids = [find_app(source.apps(), args.app).appid] if args.app else \
            [a.appid for a in source.apps()]
        if settings.source == "demo":
            console.say("cli.demo_source")
        if isinstance(source, LiveSource) and _quota_short(source, app_ids, periods,
                                                           args.refresh, console):
            return EXIT_FAILED
        result = load_with_progress(source, app_ids, periods, refresh=args.refresh)
    finally:
        getattr(source, "close", lambda: None)()  # the live source's connections and store
    content = export.to_xlsx_bytes(
        result.frame, names={a.appid: a.name for a in source.apps()},
        provisional=export.provisional_cohorts(result), kind=kind,
        lang=console.lang) if fmt == "xlsx" \
        else FORMATS[fmt](result.frame, kind=kind)
    written = _write(content, target, args.output, console)
    status = report_cohorts(result, {a.appid: a.label for a in source.apps()}, kind, console)
    summary(result, kind, console)
    return status if written else EXIT_USAGE


def limit_of(args: argparse.Namespace, settings: Settings, kind: PeriodKind) -> int:
    """The longest span of ``kind`` allowed: ``--max-days``/``--max-weeks``/``--max-months``,
    else the setting."""
    given: int | None = getattr(args, f"max_{kind}s", None)
    return given or settings.max_periods(kind)


def _write(data: bytes, target: Path | None, shown: str | None, console: Console) -> bool:
    try:
        output.write(data, target)
    except OSError as exc:
        console.say("cli.write_failed", path=shown, detail=exc.strerror or type(exc).__name__)
        return False
    if target is not None:
        console.say("cli.wrote", path=shown)
    return True


# -- sync, import, cache, fake-server -----------------------------------------------------------


def sync_windows(args: argparse.Namespace, settings: Settings) -> dict[PeriodKind, list[Period]]:
    """The recent cohorts ``sync`` warms, per period asked for (``--period``, else all three);
    every window is checked against its limit before anything is asked of WeChat."""
    kinds = [k for k in SYNC_ORDER if k in (args.period or PERIOD_KINDS)]
    windows = {kind: period_class(kind).last_n(getattr(args, f"{kind}s")) for kind in kinds}
    for kind, recent in windows.items():
        check_length(recent, limit_of(args, settings, kind))
    return windows


def cmd_sync(args: argparse.Namespace, console: Console) -> int:
    settings = load_settings()
    if not settings.apps:
        console.say("cli.no_apps", command="wxdata sync")
        return EXIT_USAGE
    windows = sync_windows(args, settings)
    source = LiveSource(settings)
    status = EXIT_OK
    try:
        for app in settings.apps:
            results: list[LoadResult] = []
            for kind, recent in windows.items():
                status = max(status, _sync_one(source, app.appid, app.label, kind, recent,
                                               console, results))
            record_sync(settings, app.appid, results)  # for `wxdata alert`'s data rule
    finally:
        source.close()
    return status


def _sync_one(source: LiveSource, app_id: str, label: str, kind: PeriodKind,
              recent: list[Period], console: Console,
              results: list[LoadResult] | None = None) -> int:
    # Provisional cohorts older than the window are due for their final fetch too.
    due = [p for p in source.cache.provisional(app_id, kind) if p < recent[0]]
    cohorts = sorted({*recent, *due})
    # a sync the quota cannot pay for says so before its first call, and the rest goes on
    for short in checks.quota_shortfall(source, [app_id], cohorts):
        console.say("cli.quota_short_sync", app=label, needed=short.needed, remain=short.remain,
                    what=console.count_of(kind, short.needed))
        return EXIT_FAILED
    result = load_with_progress(source, [app_id], cohorts)
    if results is not None:
        results.append(result)
    console.say("cli.sync_app", err=False, app=label, cohorts=console.count_of(kind, len(cohorts)),
                fetched=count(result, "fetched"), cached=count(result, "cached"),
                failed=count(result, "failed"))
    return report_cohorts(result, {app_id: label}, kind, console)


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


def read_saved(path: Path) -> tuple[list[Retention], datetime]:
    """A saved answer file's payloads and when it was saved at the latest (its modification
    time); OSError or PayloadError. A FIFO or device is refused before it is opened (reading
    one could block forever), a huge file before it is read."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise PayloadError("not_a_file")
    if info.st_size > MAX_FILE_BYTES:
        raise PayloadError("too_big", mb=MAX_FILE_BYTES // (1024 * 1024))
    saved_at = min(datetime.fromtimestamp(info.st_mtime, UTC), datetime.now(UTC))
    return loads(path.read_bytes()), saved_at


def cmd_import(args: argparse.Namespace, console: Console) -> int:
    """Each file gets its own verdict; a bad one changes nothing and the others still load."""
    settings = load_settings()
    app_id = _import_app(settings, args.app)
    if app_id is None:
        console.say("cli.import_which_app", known=", ".join(a.label for a in settings.apps))
        return EXIT_USAGE
    status = EXIT_OK
    with open_store(settings.cache_url) as cache:
        for name in args.files:
            try:
                payloads, saved_at = read_saved(Path(name))
            except OSError as exc:
                reason = t("cli.import_unreadable", console.lang,
                           detail=exc.strerror or type(exc).__name__)
            except PayloadError as exc:
                reason = exc.message(console.lang)
            else:
                cache.put_many(app_id, payloads, saved_at, keep_newer=True)
                _say_imported(name, payloads, app_id, console)
                continue
            console.say("cli.import_failed", file=name, reason=reason)
            status = EXIT_FAILED
    return status


def _say_imported(name: str, payloads: list[Retention], app_id: str, console: Console) -> None:
    """One line per period the file held (a file of weeks says what it always said), then a
    note per cohort with a rate above 100%."""
    for kind in PERIOD_KINDS:
        n = sum(p.period.kind == kind for p in payloads)
        if n:
            console.say("cli.import_ok", err=False, file=name, app=app_id,
                        cohorts=console.count_of(kind, n))
    for payload in payloads:
        say_above_base(app_id, payload.period, payload.above_base(), console)


def cmd_cache_info(args: argparse.Namespace, console: Console) -> int:
    with open_store(load_settings().cache_url) as cache:
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
    with open_store(load_settings().cache_url) as cache:
        removed = cache.clear()
        where = cache.where
    if removed < 0:
        console.say("cli.cache_deleted", err=False, path=where)
    else:
        console.say("cli.cache_cleared", err=False, path=where, n=removed)
    return EXIT_OK


def cmd_fake_server(args: argparse.Namespace, console: Console) -> int:
    from wxdata.testing import fake  # the fake server only when it is asked for

    fake.serve(port=args.port, host=args.host, latency=args.latency, faults=args.fail,
               lang=console.lang)
    return EXIT_OK


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MiB"


def _stamp(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M") if when else "-"
