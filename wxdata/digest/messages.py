"""A digest in each channel's own format, within each channel's size limit.

- WeCom: markdown of at most 4096 bytes (UTF-8) per message, then each app's PNG as an image
  message (base64 and the md5 of the raw bytes);
- DingTalk: markdown (no image: a robot can only link to a public one);
- Feishu/Lark: an interactive card per message, the body at most 20 KB, with a button to the
  dashboard (a webhook bot cannot upload images);
- e-mail: a plain-text part and an HTML part whose PNGs are inline (``cid:``).

A digest too long for one message is split between apps, an app too long for one message between
lines, and a line too long for any message (a very long app name) is shortened, always on a
character boundary: the limits are in bytes, and a cut through a Chinese character would be
refused (WeCom) or shown as garbage.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from wxdata.digest.content import AppPart, DigestContent, PeriodPart
from wxdata.i18n import Lang, t

WECOM_MARKDOWN_BYTES = 4096
#: DingTalk documents no markdown limit of its own; its request body is limited to 20 KB.
DINGTALK_MARKDOWN_BYTES = 18_000
FEISHU_BODY_BYTES = 20 * 1024
#: Room kept in a Feishu body for ``timestamp`` and ``sign``.
FEISHU_SIGN_BYTES = 120
#: Room kept in a markdown header for " (12/12)".
_NUMBERING = 12
ELLIPSIS = "…"
#: Markdown that a name from outside (an app name) could use to pretend: shown full width.
_MARKUP = str.maketrans({"*": "＊", "_": "＿", "[": "［", "]": "］",
                         "<": "＜", ">": "＞", "#": "＃", "`": "｀", "\n": " ", "\r": " ",
                         "~": "～", "|": "｜"})


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` UTF-8 bytes, cut on a character boundary with an ellipsis.

    >>> shorten("鲜果优选", 9), size(shorten("鲜果优选" * 100, 100)) <= 100
    ('鲜果…', True)
    """
    if size(text) <= limit:
        return text
    room = max(0, limit - size(ELLIPSIS))
    return text.encode("utf-8")[:room].decode("utf-8", errors="ignore") + ELLIPSIS


def plain_name(text: str) -> str:
    """A name from outside as markdown text, never markup."""
    return text.translate(_MARKUP)


@dataclass(frozen=True)
class Piece:
    """Part of one app's text (``app``: its index) that goes into one message whole."""

    app: int
    text: str


def _split(app: int, block: str, room: int) -> list[Piece]:
    """A block that fits is one piece; else its lines, grouped, each line shortened to fit."""
    if size(block) <= room:
        return [Piece(app, block)]
    pieces: list[Piece] = []
    current = ""
    for line in block.split("\n"):
        line = shorten(line, room)
        joined = f"{current}\n{line}" if current else line
        if current and size(joined) > room:
            pieces.append(Piece(app, current))
            current = line
        else:
            current = joined
    if current:
        pieces.append(Piece(app, current))
    return pieces


def pack(header: str, blocks: Sequence[str], limit: int) -> list[tuple[str, set[int]]]:
    """The texts of the messages: each ``header`` (numbered when there are several) and the
    blocks that fit, at most ``limit`` bytes; with the indexes of the blocks each holds."""
    header = shorten(header, limit // 4)
    room = limit - size(header) - _NUMBERING - 2
    pieces = [p for i, block in enumerate(blocks) for p in _split(i, block, room)]
    groups: list[list[Piece]] = []
    for piece in pieces:
        if groups and size("\n\n".join(p.text for p in [*groups[-1], piece])) <= room:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    if not groups:
        groups = [[]]
    out = []
    for number, group in enumerate(groups, start=1):
        head = header if len(groups) == 1 else f"{header} ({number}/{len(groups)})"
        body = "\n\n".join([head, *(p.text for p in group)])
        out.append((body, {p.app for p in group}))
    return out


# -- the text of one app ------------------------------------------------------------------------


def _period_title(part: PeriodPart, lang: Lang) -> str:
    return t(f"digest.period.{part.kind}", lang, cohort=part.cohort)


def markdown_block(app: AppPart, lang: Lang, *, quote: Callable[[str], str] = plain_name,
                   heading: str = "### ") -> str:
    """One app's part of a markdown message."""
    lines = [f"{heading}{quote(app.app.name)}"]
    for part in app.parts:
        lines.append(f"**{_period_title(part, lang)}**")
        lines += [f"- {s}" for s in part.sentences]
        lines += [f"> {c.name}:**{c.value}**({c.change})" if lang == "zh" else
                  f"> {c.name}: **{c.value}** ({c.change})" for c in part.cells]
        lines += _flag_lines(part, lang)
        if part.link:
            lines.append(f"[{t('digest.open', lang)}]({part.link})")
    for kind in app.missing:
        lines.append(t(f"digest.missing.{kind}", lang))
    lines += _note_lines(app, lang, quote)
    return "\n".join(lines)


def _note_lines(app: AppPart, lang: Lang, quote: Callable[[str], str] = str) -> list[str]:
    """The admins' notes, each ``- 2026-03-02: text`` (``quote``: the text as the channel's
    plain text, never its markup)."""
    if not app.notes:
        return []
    return [t("digest.notes", lang), *(f"- {n.span}: {quote(n.text)}" for n in app.notes)]


def _flag_lines(part: PeriodPart, lang: Lang) -> list[str]:
    """The flagged cohorts of one period's part, and how many more (markdown and plain alike)."""
    lines = []
    if part.flags:
        lines.append(t(f"digest.flags.{part.kind}", lang))
        lines += [f"- {f}" for f in part.flags]
    if part.more_flags:
        lines.append(t("digest.more_flags", lang, n=part.more_flags))
    return lines


def plain_block(app: AppPart, lang: Lang) -> str:
    lines = [app.app.name, "=" * min(40, max(4, len(app.app.name) * 2))]
    for part in app.parts:
        lines += ["", _period_title(part, lang)]
        lines += [f"- {s}" for s in part.sentences]
        width = max(len(c.name) for c in part.cells)
        lines += [f"  {c.name.ljust(width)}  {c.value:>8}  {c.change}" for c in part.cells]
        lines += _flag_lines(part, lang)
        if part.link:
            lines.append(f"{t('digest.open', lang)}: {part.link}")
    lines += [t(f"digest.missing.{kind}", lang) for kind in app.missing]
    lines += _note_lines(app, lang)
    return "\n".join(lines)


# -- the channels -------------------------------------------------------------------------------


def image_body(png: bytes) -> dict[str, Any]:
    return {"msgtype": "image", "image": {"base64": base64.b64encode(png).decode("ascii"),
                                          "md5": hashlib.md5(png).hexdigest()}}


def wecom(content: DigestContent, pngs: Sequence[bytes | None] = ()) -> list[dict[str, Any]]:
    """Markdown messages of at most 4096 bytes; each app's PNG after the message that ends it."""
    blocks = [markdown_block(app, content.lang) for app in content.apps]
    out: list[dict[str, Any]] = []
    done: set[int] = set()
    packed = pack(f"## {plain_name(content.title())}", blocks, WECOM_MARKDOWN_BYTES)
    for number, (text, apps) in enumerate(packed):
        out.append({"msgtype": "markdown", "markdown": {"content": text}})
        later = set().union(*(a for _, a in packed[number + 1:]))
        for app in sorted(apps - later - done):
            png = pngs[app] if app < len(pngs) else None
            if png:
                out.append(image_body(png))
            done.add(app)
    return out


def dingtalk(content: DigestContent) -> list[dict[str, Any]]:
    blocks = [markdown_block(app, content.lang) for app in content.apps]
    title = content.title()
    return [{"msgtype": "markdown", "markdown": {"title": shorten(title, 200), "text": text}}
            for text, _ in pack(f"## {plain_name(title)}", blocks, DINGTALK_MARKDOWN_BYTES)]


def card(title: str, text: str, links: list[str], lang: Lang) -> dict[str, Any]:
    elements: list[dict[str, Any]] = [{"tag": "div", "text": {"tag": "lark_md",
                                                              "content": text}}]
    if links:
        elements.append({"tag": "action", "actions": [
            {"tag": "button", "text": {"tag": "plain_text", "content": t("digest.open", lang)},
             "url": url, "type": "primary" if i == 0 else "default"}
            for i, url in enumerate(links[:3])]})
    elements.append({"tag": "note", "elements": [
        {"tag": "plain_text", "content": t("digest.no_image", lang)}]})
    return {"msg_type": "interactive", "card": {
        "config": {"wide_screen_mode": True},
        "header": {"template": "green", "title": {"tag": "plain_text", "content": title}},
        "elements": elements}}


def feishu(content: DigestContent) -> list[dict[str, Any]]:
    """Cards whose JSON body (signature included) stays within 20 KB."""
    lang = content.lang
    blocks = [markdown_block(app, lang, heading="**") .replace("\n", "**\n", 1)
              for app in content.apps]
    title = shorten(content.title(), 200)
    # the JSON escapes of a card (quotes, newlines) and its frame: measured, not guessed
    frame = size(json.dumps(card(title, "", ["x" * 200] * 3, lang), ensure_ascii=False))
    limit = FEISHU_BODY_BYTES - FEISHU_SIGN_BYTES - frame
    out = []
    for text, apps in pack("", blocks, limit // 2):
        links = [p.link for i in sorted(apps) for p in content.apps[i].parts if p.link]
        body = card(title, text.lstrip(), links, lang)
        while size(json.dumps(body, ensure_ascii=False)) > FEISHU_BODY_BYTES - FEISHU_SIGN_BYTES:
            text = shorten(text, size(text) * 3 // 4)  # escapes made it longer than measured
            body = card(title, text.lstrip(), links, lang)
        out.append(body)
    return out


def _html_table(part: PeriodPart) -> str:
    head = "".join(f"<th style='padding:4px 10px;text-align:right'>{html.escape(c.name)}</th>"
                   for c in part.cells)
    values = "".join(f"<td style='padding:4px 10px;text-align:right'><b>{html.escape(c.value)}"
                     f"</b><br><span style='color:#666'>{html.escape(c.change)}</span></td>"
                     for c in part.cells)
    return (f"<table style='border-collapse:collapse;border:1px solid #ddd'><tr>{head}</tr>"
            f"<tr>{values}</tr></table>")


def html_block(app: AppPart, lang: Lang, cid: str | None) -> str:
    out = [f"<h2>{html.escape(app.app.name)}</h2>"]
    for part in app.parts:
        out.append(f"<h3>{html.escape(_period_title(part, lang))}</h3>")
        out.append("<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in part.sentences)
                   + "</ul>")
        out.append(_html_table(part))
        if part.flags:
            out.append(f"<p>{html.escape(t(f'digest.flags.{part.kind}', lang))}</p><ul>"
                       + "".join(f"<li>{html.escape(f)}</li>" for f in part.flags) + "</ul>")
        if part.more_flags:
            out.append(f"<p>{html.escape(t('digest.more_flags', lang, n=part.more_flags))}</p>")
        if part.link:
            out.append(f"<p><a href='{html.escape(part.link, quote=True)}'>"
                       f"{html.escape(t('digest.open', lang))}</a></p>")
    out += [f"<p>{html.escape(t(f'digest.missing.{kind}', lang))}</p>" for kind in app.missing]
    if app.notes:
        out.append(f"<p>{html.escape(t('digest.notes', lang))}</p><ul>" + "".join(
            f"<li>{html.escape(n.span)}: {html.escape(n.text)}</li>" for n in app.notes)
            + "</ul>")
    if cid:
        out.append(f"<p><img src='cid:{cid[1:-1]}' alt='{html.escape(app.app.name)}' "
                   f"style='max-width:100%'></p>")
    return "\n".join(out)


def email(content: DigestContent, pngs: Sequence[bytes | None], *, sender: str,
          to: Sequence[str]) -> EmailMessage:
    """multipart/alternative: plain text, and HTML with the PNGs inline (multipart/related)."""
    message = EmailMessage()
    message["Subject"] = content.subject()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    lang = content.lang
    plain = "\n\n".join([content.title(), *(plain_block(app, lang) for app in content.apps)])
    message.set_content(plain)
    domain = sender.rpartition("@")[2] or "wxretain"
    cids = [make_msgid(f"app{i}", domain=domain) if i < len(pngs) and pngs[i] else None
            for i in range(len(content.apps))]
    body = "\n".join(html_block(app, lang, cid) for app, cid in zip(content.apps, cids,
                                                                    strict=True))
    message.add_alternative(f"<html><body style='font-family:sans-serif'><h1>"
                            f"{html.escape(content.title())}</h1>\n{body}</body></html>",
                            subtype="html")
    html_part = message.get_body(("html",))
    assert isinstance(html_part, EmailMessage)
    for cid, png in zip(cids, pngs, strict=False):
        if cid and png:
            html_part.add_related(png, "image", "png", cid=cid)
    return message


def preview(channel: str, bodies: Sequence[dict[str, Any]]) -> str:
    """What ``--dry-run`` prints: each markdown as it is sent; an image as its size and md5; a
    card as its markdown."""
    out = []
    for number, body in enumerate(bodies, start=1):
        out.append(f"--- {channel} {number}/{len(bodies)} ---")
        if body.get("msgtype") == "image":
            raw = base64.b64decode(body["image"]["base64"])
            out.append(f"[image {len(raw)} bytes, md5 {body['image']['md5']}]")
        elif body.get("msgtype") == "markdown":
            out.append(body["markdown"].get("content") or body["markdown"].get("text", ""))
        else:
            card = body.get("card", {})
            out.append(card.get("header", {}).get("title", {}).get("content", ""))
            out += [e["text"]["content"] for e in card.get("elements", []) if "text" in e]
            out += [f"[{a['text']['content']}]({a['url']})" for e in card.get("elements", [])
                    for a in e.get("actions", [])]
    return "\n".join(out)


__all__ = ["ELLIPSIS", "WECOM_MARKDOWN_BYTES", "dingtalk", "email", "feishu", "pack", "preview",
           "shorten", "size", "wecom"]
