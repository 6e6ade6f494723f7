"""What the commands print and the exit status they return: one line per message, in the chosen
language, with every credential blanked out; a progress bar only when a person is watching."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from wxdata.core.periods import Week
from wxdata.core.report import LoadResult
from wxdata.core.secrets import redact
from wxdata.i18n import Lang, t
from wxdata.sources.base import Source

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class Console:
    """stdout/stderr lines in one language, with every configured secret and issued token
    blanked out (the messages are redacted where they are made; this is the last line of
    defence)."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def say(self, key: str, *, err: bool = True, **params: object) -> None:
        self.line(t(key, self.lang, **params), err=err)

    def line(self, text: str, *, err: bool = True) -> None:
        stream = sys.stderr if err else sys.stdout
        stream.write(redact(text) + "\n")
        stream.flush()


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


def report_weeks(result: LoadResult, names: dict[str, str], console: Console) -> int:
    """One stderr line per week without data, per stale week and per week with a rate above
    100%; the exit status."""
    if result.stopped_by is not None:
        console.say("cli.stopped", reason=result.stopped_by.message(console.lang))
    for r in result.reports:
        app = names.get(r.app_id, r.app_id)
        errcode = "-" if r.errcode is None else r.errcode
        if not r.has_data:
            console.say("cli.week_failed", app=app, week=r.period.label, errcode=errcode,
                        reason=r.reason(console.lang))
        elif r.error is not None:
            when = r.fetched_at.strftime("%Y-%m-%d %H:%M UTC") if r.fetched_at else "?"
            console.say("cli.week_stale", app=app, week=r.period.label, errcode=errcode,
                        when=when, reason=r.reason(console.lang))
        if r.above_base:
            cells = ", ".join(f"W{k} ({t(f'metric.{m}.short', console.lang)})"
                              for m, k in r.above_base)
            console.say("cli.week_above_base", app=app, week=r.period.label, cells=cells)
    return EXIT_OK if all(r.has_data for r in result.reports) and result.ok else EXIT_FAILED


def count(result: LoadResult, status: str) -> int:
    return sum(r.status == status for r in result.reports)


def summary(result: LoadResult, console: Console) -> None:
    console.say("cli.summary", weeks=len(result.reports), rows=len(result.frame),
                failed=sum(not r.has_data for r in result.reports),
                fetched=count(result, "fetched"), cached=count(result, "cached"),
                supplied=count(result, "supplied"))
