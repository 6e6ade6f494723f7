"""One run of the digests or the alerts: pick the digests, load each period once for their apps,
write and draw each digest, send it (or, dry, show it), and say what was not sent.

Used by ``wxdata digest`` / ``wxdata alert`` and by the Data page's preview and test message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from wxdata.config import DigestConfig, Settings
from wxdata.core.apps import AppInfo, find_app
from wxdata.core.errors import ConfigError
from wxdata.core.periods import PeriodKind
from wxdata.core.report import LoadResult
from wxdata.core.secrets import redact
from wxdata.digest import alerts as alert_rules
from wxdata.digest import channels, content, images, messages
from wxdata.i18n import Lang, t
from wxdata.sources.base import Source
from wxdata.store.admin import goals_over
from wxdata.store.sent import AlertState

Body = dict[str, Any] | EmailMessage
#: An alert's period ends with its offset's name (``2026-W47 W1``): the view its link opens.
_OFFSET_KINDS: dict[str, PeriodKind] = {"D": "day", "W": "week", "M": "month"}


@dataclass
class Report:
    """What one digest's run did: messages sent, the failures (texts safe to show), and for a
    dry run what would have been sent."""

    digest: str
    sent: int = 0
    failures: list[str] = field(default_factory=list)
    preview: str = ""
    pngs: list[Path] = field(default_factory=list)
    skipped: int = 0  # alerts already sent by an earlier run (or another host)


def select(settings: Settings, name: str | None) -> list[DigestConfig]:
    """The digests a run sends: the one named, else all; a ConfigError (exit 2) when a chosen
    table is bad or none is configured."""
    wanted = [e for e in settings.digest_errors
              if name is None or e.params.get("digest") in (name, f"#{name}")]
    if wanted:
        raise wanted[0]
    if name is None:
        if not settings.digests:
            raise ConfigError("no_digest")
        return list(settings.digests)
    chosen = [d for d in settings.digests if d.name == name]
    if not chosen:
        raise ConfigError("unknown_digest", digest=name,
                          known=", ".join(d.name for d in settings.digests) or "-")
    return chosen


def digest_apps(digest: DigestConfig, known: Sequence[AppInfo]) -> list[AppInfo]:
    if not digest.apps:
        return list(known)
    try:
        return [find_app(known, wanted) for wanted in digest.apps]
    except ConfigError as exc:
        raise ConfigError("bad_digest", digest=digest.name, key="apps",
                          hint=exc.message("en")) from None


def load(source: Source, apps: Sequence[AppInfo],
         kinds: Sequence[PeriodKind]) -> dict[PeriodKind, LoadResult]:
    """One load per period for all the apps (the live source: the store first)."""
    ids = [a.appid for a in apps]
    return {kind: source.load(ids, content.span(kind)) for kind in kinds}


def picture_period(digest: DigestConfig) -> PeriodKind:
    """The period the PNG shows: weeks when the digest has them, else its first period."""
    return "week" if "week" in digest.periods else digest.periods[0]


def compose(digest: DigestConfig, settings: Settings, source: Source,
            renderer: images.Renderer | None, lang: Lang | None = None,
            loads: dict[PeriodKind, LoadResult] | None = None,
            ) -> tuple[content.DigestContent, list[bytes | None]]:
    """The digest's content and one PNG per app (None without a renderer)."""
    lang = lang or digest.lang
    apps = digest_apps(digest, source.apps())
    loads = loads or load(source, apps, digest.periods)
    made = content.build(digest.name, apps, loads, lang, settings.base_url)
    kind = picture_period(digest)
    pngs: list[bytes | None] = []
    for app in made.apps:
        frame = made.frames.get(kind)
        if renderer is None or frame is None or not (frame["app_id"] == app.app.appid).any():
            pngs.append(None)
            continue
        pngs.append(renderer.png(images.figures(frame, app.app.appid, app.app.name, kind,
                                                lang)))
    return made, pngs


def bodies(digest: DigestConfig, made: content.DigestContent,
           pngs: Sequence[bytes | None]) -> list[Body]:
    if digest.channel == "wecom":
        return list(messages.wecom(made, pngs))
    if digest.channel == "dingtalk":
        return list(messages.dingtalk(made))
    if digest.channel == "feishu":
        return list(messages.feishu(made))
    return [messages.email(made, pngs, sender=digest.sender, to=digest.to)]


def show(digest: DigestConfig, sent: Sequence[Body]) -> str:
    """The text of what would be sent (``--dry-run``, the Data page's preview)."""
    if digest.channel != "email":
        return messages.preview(digest.channel, [b for b in sent if isinstance(b, dict)])
    out = []
    for body in sent:
        if isinstance(body, EmailMessage):
            text = body.get_body(("plain",))
            out += [f"Subject: {body['Subject']}", f"To: {body['To']}", "",
                    text.get_content() if text is not None else ""]
    return "\n".join(out)


def deliver(digest: DigestConfig, sent: Sequence[Body], report: Report,
            make_sender: Callable[[DigestConfig], channels.Sender], lang: Lang) -> None:
    """Send in order; the first failure stops the digest (the rest would read out of order)."""
    sender = make_sender(digest)
    for number, body in enumerate(sent, start=1):
        try:
            sender.send(body)
        except channels.SendFailure as failure:
            report.failures.append(t("digest.not_sent", lang, digest=digest.name, n=number,
                                     total=len(sent), reason=failure.message(lang)))
            return
        report.sent += 1


def run_digest(digest: DigestConfig, settings: Settings, source: Source,
               renderer: images.Renderer | None, *, lang: Lang | None = None,
               dry_run: bool = False, out_dir: Path | None = None,
               make_sender: Callable[[DigestConfig], channels.Sender] = channels.sender,
               ) -> Report:
    said = lang or digest.lang
    made, pngs = compose(digest, settings, source, renderer, said)
    sent = bodies(digest, made, pngs)
    report = Report(digest.name)
    if dry_run:
        report.preview = redact(show(digest, sent))
        for app, png in zip(made.apps, pngs, strict=True):
            if png and out_dir is not None:
                path = out_dir / f"wxretain-digest-{digest.name}-{app.app.appid}.png"
                path.write_bytes(png)
                report.pngs.append(path)
        return report
    deliver(digest, sent, report, make_sender, said)
    return report


# -- alerts -------------------------------------------------------------------------------------


def alert_body(digest: DigestConfig, alert: alert_rules.Alert, lang: Lang,
               base_url: str) -> Body:
    title = t(f"digest.alert.title.{alert.rule}", lang, app=alert.app.name)
    named = _OFFSET_KINDS.get(alert.period.split()[-1][:1])
    url = content.link(base_url, [alert.app.appid], named or digest.periods[0], lang)
    if digest.channel in ("wecom", "dingtalk"):
        text = f"### {messages.plain_name(title)}\n{alert.text}"
        if url:
            text += f"\n[{t('digest.open', lang)}]({url})"
        text = messages.shorten(text, messages.WECOM_MARKDOWN_BYTES)
        if digest.channel == "wecom":
            return {"msgtype": "markdown", "markdown": {"content": text}}
        return {"msgtype": "markdown", "markdown": {"title": messages.shorten(title, 200),
                                                    "text": text}}
    if digest.channel == "feishu":
        return messages.card(messages.shorten(title, 200), alert.text, [url] if url else [],
                              lang)
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = title, digest.sender, ", ".join(digest.to)
    mail.set_content(f"{alert.text}\n\n{url}".strip())
    return mail


def test_body(digest: DigestConfig, lang: Lang) -> Body:
    """The Data page's "send a test message": one short message through the digest's robot."""
    text = t("digest.test_text", lang, digest=digest.name)
    if digest.channel == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if digest.channel == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": "wxretain", "text": text}}
    if digest.channel == "feishu":
        return messages.card("wxretain", text, [], lang)
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = "wxretain", digest.sender, ", ".join(digest.to)
    mail.set_content(text)
    return mail


def run_alerts(digest: DigestConfig, settings: Settings, source: Source,
               state: AlertState | None, *, lang: Lang | None = None, dry_run: bool = False,
               make_sender: Callable[[DigestConfig], channels.Sender] = channels.sender,
               ) -> Report:
    """Find the digest's alerts, and send each that no run has sent yet (claimed first)."""
    said = lang or digest.lang
    apps = digest_apps(digest, source.apps())
    kinds = list(digest.periods)
    # the configured goals with an admin's stored ones laid over them (the Overview's)
    app_goals = goals_over(settings.cache_url, {app.appid: settings.goals(app.appid)
                                                for app in apps})
    if "goal" in digest.alerts:
        for goal in (*digest.goals, *(g for own in app_goals.values() for g in own)):
            if goal.kind not in kinds:
                kinds.append(goal.kind)
    loads = load(source, apps, kinds)
    found = alert_rules.find(digest, apps, loads, state, said, app_goals)
    report = Report(digest.name)
    if dry_run:
        report.preview = redact("\n".join(f"[{a.rule}] {a.app.name} {a.period}: {a.text}"
                                          for a in found))
        return report
    sender = make_sender(digest)
    for alert in found:
        if state is not None and not state.claim(*alert.key):
            report.skipped += 1
            continue
        try:
            sender.send(alert_body(digest, alert, said, settings.base_url))
        except channels.SendFailure as failure:
            if state is not None and failure.code != "unconfirmed":
                state.release(*alert.key)  # not sent: the next run tries again
            report.failures.append(t("digest.alert.not_sent", said, digest=digest.name,
                                     rule=alert.rule, app=alert.app.name,
                                     reason=failure.message(said)))
            continue
        if state is not None:
            state.confirm(*alert.key)
        report.sent += 1
    return report


__all__ = ["Report", "alert_body", "bodies", "compose", "deliver", "load", "run_alerts",
           "run_digest", "select", "show", "test_body"]
