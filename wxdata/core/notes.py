"""Notes: what a PM knows about a day or a span that the numbers do not say (a release, a
campaign, an outage), for one app or for all of them (issue 16).

A note is plain text everywhere it is shown: its text is kept exactly as typed (only the spaces
around it are dropped) and each screen or file that shows it makes it inert there (Plotly
annotations escape it, the dashboard shows it as text, the CSV and XLSX never run it as a
formula). What is refused here, with a sentence saying what to do: an empty text, one longer
than :data:`MAX_NOTE_CHARS`, a line break or another control character (a note is one line on
a chart), a span ending before it starts or longer than :data:`MAX_NOTE_DAYS`.

>>> Note.new("wx1", date(2026, 3, 2), None, "  v2.0 上线 ", author="pm@corp.cn").text
'v2.0 上线'
>>> Note.new(ALL_APPS, date(2026, 3, 2), date(2026, 3, 8), "618", author="pm").applies_to("wx9")
True
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from wxdata.core.errors import ConfigError, DateError

#: The app of a note about every app (a holiday sale, an outage of the whole company).
ALL_APPS = "*"
#: The longest text a note may have (characters): one line on a chart, one cell in a sheet.
MAX_NOTE_CHARS = 200
#: The longest span a note may cover, in days (a campaign of a quarter, not a year's backdrop).
MAX_NOTE_DAYS = 366


@dataclass(frozen=True)
class Note:
    """``text`` about ``first`` .. ``last`` (one day: both the same) of ``app_id`` (or
    :data:`ALL_APPS`); ``id`` is the store's (0 until stored), ``author`` who wrote it last."""

    app_id: str
    first: date
    last: date
    text: str
    author: str = ""
    updated_at: datetime | None = None
    id: int = 0

    @classmethod
    def new(cls, app_id: str, first: date, last: date | None, text: str, *,
            author: str) -> Note:
        """A checked note (:class:`~wxdata.core.errors.ConfigError` or
        :class:`~wxdata.core.errors.DateError` saying what to fix)."""
        app_id = str(app_id).strip()
        if not app_id:
            raise ConfigError("note_no_app")
        return cls(app_id, *check_span(first, last), check_text(text), str(author)[:200],
                   datetime.now(UTC))

    def edited(self, *, text: str | None = None, first: date | None = None,
               last: date | None = None, author: str) -> Note:
        """This note with a new text or span, checked like a new one."""
        span = check_span(first or self.first, last or (self.last if first is None else first))
        return replace(self, first=span[0], last=span[1],
                       text=self.text if text is None else check_text(text),
                       author=str(author)[:200], updated_at=datetime.now(UTC))

    def applies_to(self, app_id: str) -> bool:
        return self.app_id in (ALL_APPS, app_id)

    def overlaps(self, first: date, last: date) -> bool:
        return self.first <= last and self.last >= first

    @property
    def span(self) -> str:
        """``2026-03-02`` or ``2026-03-02..2026-03-08``."""
        return self.first.isoformat() if self.first == self.last else \
            f"{self.first.isoformat()}..{self.last.isoformat()}"


def check_text(text: str) -> str:
    """The note's text, spaces around it dropped; refused when empty, too long or holding a
    line break or another control character."""
    clean = str(text).strip()
    if not clean:
        raise ConfigError("note_empty")
    if len(clean) > MAX_NOTE_CHARS:
        raise ConfigError("note_too_long", n=len(clean), max=MAX_NOTE_CHARS)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in clean):
        raise ConfigError("note_control")
    return clean


def check_span(first: date, last: date | None) -> tuple[date, date]:
    last = first if last is None else last
    if last < first:
        raise DateError("end_before_start", start=first.isoformat(), end=last.isoformat())
    if (last - first).days + 1 > MAX_NOTE_DAYS:
        raise ConfigError("note_too_long_span", days=(last - first).days + 1, max=MAX_NOTE_DAYS)
    return first, last


def notes_for(notes: Iterable[Note], app_id: str, first: date | None = None,
              last: date | None = None) -> list[Note]:
    """The notes about ``app_id`` (its own and those about every app) that overlap
    ``first`` .. ``last`` (any day when not given), by first day."""
    found = [n for n in notes if n.applies_to(app_id)
             and (first is None or last is None or n.overlaps(first, last))]
    return sorted(found, key=lambda n: (n.first, n.last, n.id))


def by_id(notes: Sequence[Note], note_id: int) -> Note | None:
    return next((n for n in notes if n.id == note_id), None)


__all__ = ["ALL_APPS", "MAX_NOTE_CHARS", "MAX_NOTE_DAYS", "Note", "by_id", "check_span",
           "check_text", "notes_for"]
