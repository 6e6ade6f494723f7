"""What admins add to the numbers, in the store the cache lives in, so that every replica
sharing a PostgreSQL store (or every process on one SQLite file) sees the same: notes
(:mod:`wxdata.core.notes`), goals set in the dashboard (they override ``[[wxdata.apps]]
goals`` for the same app and name), the per-app switch of the consistency check, and the
visit trend that check compares with retention (cached like retention: a final period is never
asked again).

Every row read is checked again (a note's text and span, a goal's name and target): a row that
no longer passes is left out, never an error. Like the alerts' tables (:mod:`.tables`), these
have their own migrations and ``wxdata cache clear`` leaves them alone: clearing the cache
forgets cohorts, not what people wrote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from wxdata.core.errors import CacheError, WxDataError
from wxdata.core.goals import Goal, merge
from wxdata.core.notes import ALL_APPS, Note, check_span, check_text
from wxdata.core.periods import Period, PeriodKind, period_class
from wxdata.core.secrets import logger
from wxdata.core.visits import Visits
from wxdata.store.tables import Run, SideTables, day_of, when_of

log = logger("wxdata.store.admin")

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """
        CREATE TABLE IF NOT EXISTS wxretain_notes (
            id         {id},
            app_id     text NOT NULL,   -- or '*': every app
            first_day  {date} NOT NULL,
            last_day   {date} NOT NULL,
            body       text NOT NULL,
            author     text NOT NULL,
            updated_at {ts} NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS wxretain_goals (
            app_id     text NOT NULL,
            name       text NOT NULL,   -- new_w1, active_d7 ... (wxdata.core.goals)
            target     double precision NOT NULL,
            author     text NOT NULL,
            updated_at {ts} NOT NULL,
            PRIMARY KEY (app_id, name)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS wxretain_checks (
            app_id      text PRIMARY KEY,
            consistency integer NOT NULL,
            author      text NOT NULL,
            updated_at  {ts} NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS wxretain_visits (
            app_id       text NOT NULL,
            kind         text NOT NULL,
            start_day    {date} NOT NULL,
            new_users    bigint NOT NULL,
            active_users bigint NOT NULL,
            fetched_at   {ts} NOT NULL,
            final        integer NOT NULL,
            PRIMARY KEY (app_id, kind, start_day)
        )
        """,
    ),
}
ADMIN_VERSION = max(MIGRATIONS)


class AdminState(SideTables):
    """The admins' tables of the store ``cache_url`` names. Every method raises only
    :class:`~wxdata.core.errors.CacheError`; bad input to a write is refused before it by
    :mod:`wxdata.core.notes` and :mod:`wxdata.core.goals`."""

    MIGRATIONS = MIGRATIONS
    VERSION_TABLE = "wxretain_admin_schema"
    SCHEMA_LOCK = 0x77786164  # "wxad"

    def failure(self, detail: str) -> CacheError:
        return CacheError("admin", path=self.where, detail=detail)

    @classmethod
    def too_new(cls, found: int) -> CacheError:
        return CacheError("admin_schema", found=found, expected=ADMIN_VERSION)

    # -- notes -------------------------------------------------------------------------------

    def add_note(self, note: Note) -> Note:
        """Store ``note``; the stored one, with its id."""
        when = note.updated_at or datetime.now(UTC)
        rows = self._do(lambda run: run(
            "INSERT INTO wxretain_notes (app_id, first_day, last_day, body, author, updated_at) "
            "VALUES ({p}, {p}, {p}, {p}, {p}, {p}) RETURNING id",
            (note.app_id, self._day(note.first), self._day(note.last), note.text, note.author,
             self._time(when))), rows=True)
        return Note(note.app_id, note.first, note.last, note.text, note.author, when,
                    int(rows[0][0]))

    def update_note(self, note: Note) -> bool:
        """Replace the stored note of ``note.id``; False when there is none (removed since)."""
        when = note.updated_at or datetime.now(UTC)
        return bool(self._do(lambda run: run(
            "UPDATE wxretain_notes SET app_id = {p}, first_day = {p}, last_day = {p}, "
            "body = {p}, author = {p}, updated_at = {p} WHERE id = {p}",
            (note.app_id, self._day(note.first), self._day(note.last), note.text, note.author,
             self._time(when), note.id)) == 1))

    def remove_note(self, note_id: int) -> Note | None:
        """Forget the note ``note_id``; what it was, or None when there was none."""
        rows = self._do(lambda run: run(
            "DELETE FROM wxretain_notes WHERE id = {p} RETURNING id, app_id, first_day, "
            "last_day, body, author, updated_at", (int(note_id),)), rows=True)
        notes = self._notes(rows)
        return notes[0] if notes else None

    def notes(self, app_ids: Sequence[str] | None = None) -> list[Note]:
        """Every note (of ``app_ids`` and about every app, when given), by first day."""
        rows = self._do(lambda run: run(
            "SELECT id, app_id, first_day, last_day, body, author, updated_at "
            "FROM wxretain_notes ORDER BY first_day, last_day, id", ()), rows=True)
        wanted = None if app_ids is None else {*app_ids}
        return [n for n in self._notes(rows)
                if wanted is None or n.app_id == ALL_APPS or n.app_id in wanted]

    def _notes(self, rows: list[tuple[object, ...]]) -> list[Note]:
        notes = []
        for id_, app, first, last, body, author, when in rows:
            try:
                span = check_span(day_of(first), day_of(last))
                notes.append(Note(str(app), *span, check_text(str(body)), str(author),
                                  when_of(when), int(str(id_))))
            except (WxDataError, ValueError, TypeError):
                log.warning("%s: ignoring the invalid stored note %s", self.where, id_)
        return notes

    # -- goals -------------------------------------------------------------------------------

    def set_goal(self, app_id: str, goal: Goal, *, author: str) -> None:
        self._do(lambda run: run(
            "INSERT INTO wxretain_goals VALUES ({p}, {p}, {p}, {p}, {p}) ON CONFLICT (app_id, "
            "name) DO UPDATE SET target = excluded.target, author = excluded.author, "
            "updated_at = excluded.updated_at",
            (app_id, goal.name, goal.target, str(author)[:200],
             self._time(datetime.now(UTC)))))

    def remove_goal(self, app_id: str, name: str) -> bool:
        return bool(self._do(lambda run: run(
            "DELETE FROM wxretain_goals WHERE app_id = {p} AND name = {p}",
            (app_id, name)) == 1))

    def goals(self) -> dict[str, tuple[Goal, ...]]:
        """The stored goals, by app."""
        rows = self._do(lambda run: run(
            "SELECT app_id, name, target FROM wxretain_goals ORDER BY app_id, name", ()),
            rows=True)
        found: dict[str, list[Goal]] = {}
        for app, name, target in rows:
            try:
                found.setdefault(str(app), []).append(Goal.parse(str(name), float(target)))
            except (WxDataError, ValueError, TypeError):
                log.warning("%s: ignoring the invalid stored goal %s of %s", self.where,
                            str(name)[:20], str(app)[:40])
        return {app: tuple(goals) for app, goals in found.items()}

    # -- the consistency check -----------------------------------------------------------------

    def set_consistency(self, app_id: str, on: bool, *, author: str) -> None:
        self._do(lambda run: run(
            "INSERT INTO wxretain_checks VALUES ({p}, {p}, {p}, {p}) ON CONFLICT (app_id) "
            "DO UPDATE SET consistency = excluded.consistency, author = excluded.author, "
            "updated_at = excluded.updated_at",
            (app_id, int(on), str(author)[:200], self._time(datetime.now(UTC)))))

    def consistency_apps(self) -> frozenset[str]:
        """The apps whose consistency check an admin has turned on."""
        rows = self._do(lambda run: run(
            "SELECT app_id FROM wxretain_checks WHERE consistency = 1", ()), rows=True)
        return frozenset(str(r[0]) for r in rows)

    # -- the visit trend, cached ---------------------------------------------------------------

    def put_visits(self, app_id: str, visits: Sequence[Visits], fetched_at: datetime) -> None:
        def work(run: Run) -> None:
            for v in visits:
                run("INSERT INTO wxretain_visits VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}) "
                    "ON CONFLICT (app_id, kind, start_day) DO UPDATE SET "
                    "new_users = excluded.new_users, active_users = excluded.active_users, "
                    "fetched_at = excluded.fetched_at, final = excluded.final",
                    (app_id, v.period.kind, self._day(v.period.start), v.new_users,
                     v.active_users, self._time(fetched_at), int(v.period.is_final(fetched_at))))

        self._do(work)

    def fresh_visits(self, app_id: str, periods: Sequence[Period], now: datetime,
                     refresh_interval: timedelta) -> dict[Period, Visits]:
        """The stored visit trends among ``periods`` good enough to serve: fetched once final,
        or younger than ``refresh_interval`` (the retention cache's rule)."""
        if not periods:
            return {}
        kind: PeriodKind = periods[0].kind
        rows = self._do(lambda run: run(
            "SELECT start_day, new_users, active_users, fetched_at, final FROM wxretain_visits "
            "WHERE app_id = {p} AND kind = {p}", (app_id, kind)), rows=True)
        wanted = set(periods)
        found = {}
        for start, new, active, fetched, final in rows:
            period = period_class(kind)(day_of(start))
            if period not in wanted:
                continue
            if not int(final) and (period.is_final(now) or now - when_of(fetched) >=
                                   refresh_interval):
                continue
            found[period] = Visits(period, int(new), int(active))
        return found


def goals_over(cache_url: str, configured: Mapping[str, Sequence[Goal]]) -> dict[str,
                                                                             tuple[Goal, ...]]:
    """Each app's ``configured`` goals with the store's laid over them (:func:`merge`), for
    the alerts' ``app_goals``; a store that cannot be read leaves the configured ones (logged)."""
    try:
        stored = AdminState(cache_url).goals()
    except WxDataError as exc:
        log.warning("stored goals not used: %s", exc.message("en"))
        stored = {}
    return {app: merge(goals, stored.get(app, ())) for app, goals in configured.items()}


__all__ = ["ADMIN_VERSION", "MIGRATIONS", "AdminState", "goals_over"]
