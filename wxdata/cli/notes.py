"""``wxdata note add|list|edit|remove`` and ``wxdata goal set|list|remove``: what admins add to
the numbers, kept in the store (:mod:`wxdata.store.admin`), so the dashboard of every replica
shows it.

Every change writes one audit line (logger ``wxdata.audit``, on stderr unless logging is set up
otherwise), in the dashboard's form: ``note_add email="..." note="3" app="wx1" ...``; the
person is the operating-system user running the command (``WXDATA_AUTHOR`` names someone else,
e.g. the PM a cron job writes for).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from typing import Any

from wxdata.cli.console import EXIT_FAILED, EXIT_OK, Console
from wxdata.config import load_settings
from wxdata.core.errors import ConfigError
from wxdata.core.goals import Goal
from wxdata.core.notes import ALL_APPS, Note, by_id
from wxdata.core.periods import parse_date
from wxdata.core.secrets import logger
from wxdata.i18n import Lang, t
from wxdata.store.admin import AdminState

AUDIT = logger("wxdata.audit")


def author() -> str:
    try:
        return os.environ.get("WXDATA_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container)
        return f"uid {os.getuid()}"


def audit(event: str, who: str, **fields: object) -> None:
    """One audit line, as the dashboard writes them (values JSON-quoted)."""
    if not AUDIT.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        AUDIT.addHandler(handler)
    AUDIT.setLevel(logging.INFO)
    values = {"email": who, **fields}
    AUDIT.info("%s %s", event, " ".join(f"{k}={json.dumps(str(v), ensure_ascii=False)}"
                                         for k, v in values.items()))


def _state() -> AdminState:
    return AdminState(load_settings().cache_url)


def _app_of(args: argparse.Namespace) -> str:
    """The note's app: ``--all``, or ``--app`` by name or appid (an app not configured is taken
    as the appid it names: an import's data may be about it)."""
    if getattr(args, "all", False):
        return ALL_APPS
    settings = load_settings()
    try:
        return settings.app(args.app).appid
    except ConfigError:  # not configured: taken as given
        return str(args.app)


def cmd_note_add(args: argparse.Namespace, console: Console) -> int:
    who = author()
    note = Note.new(_app_of(args), parse_date(args.start),
                    parse_date(args.end) if args.end else None, args.text, author=who)
    stored = _state().add_note(note)
    audit("note_add", who, note=stored.id, app=stored.app_id, span=stored.span,
          text=stored.text)
    console.say("cli.note.added", err=False, id=stored.id, span=stored.span, app=stored.app_id)
    return EXIT_OK


def cmd_note_list(args: argparse.Namespace, console: Console) -> int:
    notes = _state().notes([_app_of(args)] if args.app else None)
    if not notes:
        console.say("cli.note.none", err=False)
    for n in notes:
        console.line(f"{n.id}\t{n.span}\t{n.app_id}\t{n.author}\t{n.text}", err=False)
    return EXIT_OK


def cmd_note_edit(args: argparse.Namespace, console: Console) -> int:
    who, state = author(), _state()
    found = by_id(state.notes(), args.id)
    if found is None:
        console.say("cli.note.unknown", id=args.id)
        return EXIT_FAILED
    edited = found.edited(text=args.text, first=parse_date(args.start) if args.start else None,
                          last=parse_date(args.end) if args.end else None, author=who)
    if not state.update_note(edited):
        console.say("cli.note.unknown", id=args.id)
        return EXIT_FAILED
    audit("note_edit", who, note=edited.id, app=edited.app_id, span=edited.span,
          text=edited.text)
    console.say("cli.note.edited", err=False, id=edited.id, span=edited.span)
    return EXIT_OK


def cmd_note_remove(args: argparse.Namespace, console: Console) -> int:
    who = author()
    removed = _state().remove_note(args.id)
    if removed is None:
        console.say("cli.note.unknown", id=args.id)
        return EXIT_FAILED
    audit("note_remove", who, note=removed.id, app=removed.app_id, span=removed.span)
    console.say("cli.note.removed", err=False, id=removed.id)
    return EXIT_OK


def cmd_goal_set(args: argparse.Namespace, console: Console) -> int:
    who, app_id = author(), _app_of(args)
    goal = Goal.parse(args.name, args.target, where="wxdata goal set")
    _state().set_goal(app_id, goal, author=who)
    audit("goal_set", who, app=app_id, goal=goal.name, target=goal.target)
    console.say("cli.goal.set", err=False, app=app_id, goal=goal.name, target=goal.target)
    return EXIT_OK


def cmd_goal_list(args: argparse.Namespace, console: Console) -> int:
    stored = _state().goals()
    if not stored:
        console.say("cli.goal.none", err=False)
    for app_id, goals in stored.items():
        for goal in goals:
            console.line(f"{app_id}\t{goal.name}\t{goal.target:g}", err=False)
    return EXIT_OK


def cmd_goal_remove(args: argparse.Namespace, console: Console) -> int:
    who, app_id = author(), _app_of(args)
    if not _state().remove_goal(app_id, str(args.name).strip().lower()):
        console.say("cli.goal.unknown", app=app_id, goal=args.name)
        return EXIT_FAILED
    audit("goal_remove", who, app=app_id, goal=args.name)
    console.say("cli.goal.removed", err=False, app=app_id, goal=args.name)
    return EXIT_OK


def add_parsers(sub: argparse._SubParsersAction[Any], lang: Lang) -> None:
    """The ``note`` and ``goal`` command groups, their help in ``lang``."""

    def h(key: str) -> str:
        return t(f"cli.help.{key}", lang)

    no = sub.add_parser("note", help=h("note"), description=h("note"))
    what = no.add_subparsers(dest="note_command", required=True, metavar="ACTION",
                             help=h("command"))
    add = what.add_parser("add", help=h("note_add"), description=h("note_add"))
    which = add.add_mutually_exclusive_group(required=True)
    which.add_argument("--app", help=h("note_app"))
    which.add_argument("--all", action="store_true", help=h("note_all"))
    add.add_argument("--from", dest="start", required=True, metavar="DATE",
                     help=h("note_from"))
    add.add_argument("--to", dest="end", metavar="DATE", help=h("note_to"))
    add.add_argument("--text", required=True, help=h("note_text"))
    add.set_defaults(handler=cmd_note_add)
    ls = what.add_parser("list", help=h("note_list"), description=h("note_list"))
    ls.add_argument("--app", help=h("note_app"))
    ls.set_defaults(handler=cmd_note_list)
    ed = what.add_parser("edit", help=h("note_edit"), description=h("note_edit"))
    ed.add_argument("id", type=int, metavar="ID", help=h("note_id"))
    ed.add_argument("--from", dest="start", metavar="DATE", help=h("note_from"))
    ed.add_argument("--to", dest="end", metavar="DATE", help=h("note_to"))
    ed.add_argument("--text", help=h("note_text"))
    ed.set_defaults(handler=cmd_note_edit)
    rm = what.add_parser("remove", help=h("note_remove"),
                         description=h("note_remove"))
    rm.add_argument("id", type=int, metavar="ID", help=h("note_id"))
    rm.set_defaults(handler=cmd_note_remove)

    go = sub.add_parser("goal", help=h("goal"), description=h("goal"))
    act = go.add_subparsers(dest="goal_command", required=True, metavar="ACTION",
                            help=h("command"))
    st = act.add_parser("set", help=h("goal_set"), description=h("goal_set"))
    st.add_argument("--app", required=True, help=h("note_app"))
    st.add_argument("name", metavar="NAME", help=h("goal_name"))
    st.add_argument("target", type=float, metavar="TARGET", help=h("goal_target"))
    st.set_defaults(handler=cmd_goal_set)
    act.add_parser("list", help=h("goal_list"), description=h("goal_list")) \
        .set_defaults(handler=cmd_goal_list, app=None)
    gr = act.add_parser("remove", help=h("goal_remove"),
                        description=h("goal_remove"))
    gr.add_argument("--app", required=True, help=h("note_app"))
    gr.add_argument("name", metavar="NAME", help=h("goal_name"))
    gr.set_defaults(handler=cmd_goal_remove)


__all__ = ["add_parsers", "audit", "author"]
