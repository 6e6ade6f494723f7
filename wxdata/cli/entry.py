"""The ``wxdata`` command line: arguments (help texts in the chosen language), dispatch, and the
one place where anything a command raises becomes a line and an exit status."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import NoReturn

from wxdata.cli import commands, digest, notes
from wxdata.cli.console import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, Console
from wxdata.core.errors import ConfigError, DateError, WxDataError
from wxdata.core.periods import DEFAULT_PERIOD, PERIOD_KINDS
from wxdata.core.secrets import redact
from wxdata.i18n import LANGS, Lang, t


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


def _positive(text: str) -> int:
    number = int(text)  # argparse turns the ValueError into a one-line usage error
    if number < 1:
        raise ValueError(text)
    return number


def build_parser(lang: Lang = "en") -> argparse.ArgumentParser:
    parser_class: type[_Parser] = type("Parser", (_Parser,), {"lang": lang})

    def h(key: str, **params: object) -> str:
        return t(f"cli.help.{key}", lang, **params)

    parser = parser_class(prog="wxdata", description=h("main"))
    parser.add_argument("--lang", choices=LANGS, default="en", help=h("lang"))
    parser.add_argument("-v", "--verbose", action="store_true", help=h("verbose"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                help=h("command"))

    ex = sub.add_parser("export", help=h("export"), description=h("export"))
    ex.add_argument("--period", choices=PERIOD_KINDS, default=DEFAULT_PERIOD, help=h("period"))
    ex.add_argument("--from", dest="start", required=True, metavar="DATE", help=h("from"))
    ex.add_argument("--to", dest="end", required=True, metavar="DATE", help=h("to"))
    ex.add_argument("--app", help=h("app"))
    ex.add_argument("--format", choices=list(commands.FORMATS), help=h("format"))
    ex.add_argument("--output", "-o", metavar="PATH", help=h("output"))
    ex.add_argument("--refresh", action="store_true", help=h("refresh"))
    _limits(ex, h)
    ex.set_defaults(handler=commands.cmd_export)

    sy = sub.add_parser("sync", help=h("sync"), description=h("sync"))
    sy.add_argument("--period", action="append", choices=PERIOD_KINDS, help=h("sync_period"))
    for kind in PERIOD_KINDS:
        default = commands.DEFAULT_SYNC[kind]
        sy.add_argument(f"--{kind}s", type=_positive, default=default, metavar="N",
                        help=h(f"{kind}s", default=default))
    _limits(sy, h)
    sy.set_defaults(handler=commands.cmd_sync)

    im = sub.add_parser("import", help=h("import"), description=h("import"))
    im.add_argument("files", nargs="+", metavar="FILE", help=h("files"))
    im.add_argument("--app", help=h("import_app"))
    im.set_defaults(handler=commands.cmd_import)

    ca = sub.add_parser("cache", help=h("cache"), description=h("cache"))
    what = ca.add_subparsers(dest="cache_command", required=True, metavar="ACTION",
                             help=h("command"))
    what.add_parser("info", help=h("cache_info"), description=h("cache_info")) \
        .set_defaults(handler=commands.cmd_cache_info)
    what.add_parser("clear", help=h("cache_clear"), description=h("cache_clear")) \
        .set_defaults(handler=commands.cmd_cache_clear)

    fk = sub.add_parser("fake-server", help=h("fake_server"), description=h("fake_server"))
    fk.add_argument("--port", type=int, required=True, metavar="N", help=h("port"))
    fk.add_argument("--host", default="127.0.0.1", help=h("host"))
    fk.add_argument("--latency", type=float, default=0.0, metavar="SECONDS", help=h("latency"))
    fk.add_argument("--fail", action="append", default=[], metavar="SPEC", help=h("fail"))
    fk.set_defaults(handler=commands.cmd_fake_server)

    dg = sub.add_parser("digest", help=h("digest"), description=h("digest"))
    _digest_options(dg, h)
    dg.add_argument("--output-dir", metavar="DIR", help=h("output_dir"))
    dg.set_defaults(handler=digest.cmd_digest)
    al = sub.add_parser("alert", help=h("alert"), description=h("alert"))
    _digest_options(al, h)
    al.set_defaults(handler=digest.cmd_alert)
    notes.add_parsers(sub, lang)
    return parser


def _digest_options(parser: argparse.ArgumentParser, h: Callable[..., str]) -> None:
    parser.add_argument("--name", metavar="NAME", help=h("digest_name"))
    parser.add_argument("--dry-run", action="store_true", help=h("dry_run"))
    # the messages' language (the console's too: _chosen_lang reads --lang anywhere)
    parser.add_argument("--lang", dest="digest_lang", choices=LANGS, help=h("digest_lang"))


def _limits(parser: argparse.ArgumentParser, h: Callable[..., str]) -> None:
    """``--max-days``, ``--max-weeks``, ``--max-months``: a longer span asked for on purpose."""
    for kind in PERIOD_KINDS:
        parser.add_argument(f"--max-{kind}s", type=_positive, metavar="N",
                            help=h(f"max_{kind}s"))


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
    return _run(args, Console(lang))


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
            sys.stderr.write(redact(traceback.format_exc()))
        console.say("cli.internal_error", kind=type(exc).__name__)
        return EXIT_FAILED


def _closed_pipe() -> int:
    """``wxdata export ... | head``: the reader left; stop quietly (no flush error at exit)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
