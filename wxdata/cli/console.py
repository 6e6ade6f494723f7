"""What the commands print and the exit status they return: one line per message, in the chosen
language, with every credential blanked out; a progress bar only when a person is watching.

A cohort is named by its label (``2026-11-03``, ``2026-W45 · 11-02..11-08``, ``2026-11``) and
its offsets by the period's own names (D1, W1, M1); the words around them are the period's own
(``cli.count.{kind}``, ``cli.stopped.{kind}``, ``cli.above_base.{kind}``)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Sequence

from wxdata.core.periods import Period, PeriodKind
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

    def count_of(self, kind: PeriodKind, n: int) -> str:
        """``12 weeks``, ``35 days``, ``3 months`` in the console's language."""
        return t(f"cli.count.{kind}", self.lang, n=n)


def _progress_bar(total: int, unit: str) -> tuple[Callable[[int, int], None] | None,
                                                  Callable[[], None]]:
    """A tqdm bar on stderr when a person is watching; nothing in a pipe or a cron job."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, file=sys.stderr, unit=unit, leave=False)

    def update(done: int, _total: int) -> None:
        bar.update(done - bar.n)

    return update, bar.close


def load_with_progress(source: Source, app_ids: Sequence[str], periods: Sequence[Period], *,
                       refresh: bool = False) -> LoadResult:
    """``periods`` are of one kind (as every source's ``load`` wants them)."""
    unit = periods[0].kind if periods else "week"
    update, close = _progress_bar(len(app_ids) * len(periods), unit)
    try:
        return source.load(list(app_ids), list(periods), refresh=refresh, progress=update)
    finally:
        close()


def say_above_base(app: str, period: Period, cells: Collection[tuple[str, int]],
                   console: Console) -> None:
    """The note that some of a cohort's counts are above its own offset 0 (a rate over 100%)."""
    if not cells:
        return
    named = ", ".join(f"{period.offset_name(k)} ({t(f'metric.{m}.short', console.lang)})"
                      for m, k in cells)
    console.say(f"cli.above_base.{period.kind}", app=app, cohort=period.label, cells=named)


def report_cohorts(result: LoadResult, names: dict[str, str], kind: PeriodKind,
                   console: Console) -> int:
    """One stderr line per cohort without data, per stale cohort and per cohort with a rate
    above 100%; the exit status. ``kind``: the period the load asked for."""
    if result.stopped_by is not None:
        console.say(f"cli.stopped.{kind}", reason=result.stopped_by.message(console.lang))
    for r in result.reports:
        app = names.get(r.app_id, r.app_id)
        errcode = "-" if r.errcode is None else r.errcode
        if not r.has_data:
            console.say("cli.cohort_failed", app=app, cohort=r.period.label, errcode=errcode,
                        reason=r.reason(console.lang))
        elif r.error is not None:
            when = r.fetched_at.strftime("%Y-%m-%d %H:%M UTC") if r.fetched_at else "?"
            console.say("cli.cohort_stale", app=app, cohort=r.period.label, errcode=errcode,
                        when=when, reason=r.reason(console.lang))
        say_above_base(app, r.period, r.above_base, console)
    return EXIT_OK if all(r.has_data for r in result.reports) and result.ok else EXIT_FAILED


def count(result: LoadResult, status: str) -> int:
    return sum(r.status == status for r in result.reports)


def summary(result: LoadResult, kind: PeriodKind, console: Console) -> None:
    console.say("cli.summary", cohorts=console.count_of(kind, len(result.reports)),
                rows=len(result.frame), failed=sum(not r.has_data for r in result.reports),
                fetched=count(result, "fetched"), cached=count(result, "cached"),
                supplied=count(result, "supplied"))
