"""/cases [关键词|标签|地区]: typical enforcement cases as a list with buttons; a button opens the case card.

Bare /cases shows the tags as buttons. An argument that is a tag lists that tag's cases, one that names a
region lists that region's cases, anything else is a search. Lists are paginated (8 a page) by editing the
message; buttons carry the tag/region/query itself, so they keep working after a restart.
"""

from __future__ import annotations

import asyncio
import math

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.cards import case_card, case_line
from bot.render import Buttons, Reply, esc
from handlers import texts
from handlers.common import Context, command_argument, edit_in_place, member_or_prompt, send
from knowledge.typical_cases import TypicalCase, TypicalCases, load_typical_cases

PER_PAGE = 8
MAX_SEARCH = 24
RELATIVE_CUTOFF = 0.25
TAGS_PER_ROW = 4
# callback prefixes: open a case, list a page (mode t=tag, r=region, q=search)
OPEN, LIST = "cc", "cl"
MAX_DATA = 64


def _data() -> TypicalCases:
    return load_typical_cases()


def find(data: TypicalCases, arg: str) -> tuple[str, list[TypicalCase]]:
    """(mode, cases) for the officer's argument: a tag, a region, or a search."""
    if arg in data.tags:
        return "t", data.filter(tag=arg)
    if len(arg) >= 2 and (by_region := data.filter(region=arg)):
        return "r", by_region
    return "q", search(data, arg)


def search(data: TypicalCases, query: str) -> list[TypicalCase]:
    """Search hits scoring at least a quarter of the best one (the tail of a BM25 list is noise)."""
    hits = data.search(query, MAX_SEARCH)
    best = hits[0][1] if hits else 0.0
    return [c for c, score in hits if score > 0 and score >= RELATIVE_CUTOFF * best]


def tags_reply(data: TypicalCases) -> Reply:
    tags = [t for t in data.tags if len(f"{LIST}:T:0:{t}".encode()) <= MAX_DATA]
    buttons: Buttons = [  # mode T: a tag from the menu, answered with a new message so the menu stays
        [(t, f"{LIST}:T:0:{t}") for t in tags[i:i + TAGS_PER_ROW]] for i in range(0, len(tags), TAGS_PER_ROW)
    ]
    return Reply(texts.CASES_TAGS.format(n=len(data)), buttons)


def list_reply(arg: str, mode: str, cases: list[TypicalCase], page: int = 0) -> Reply:
    if not cases:
        return Reply(texts.CASES_NONE.format(query=esc(arg)))
    pages = math.ceil(len(cases) / PER_PAGE)
    page = min(max(page, 0), pages - 1)
    shown = cases[page * PER_PAGE:(page + 1) * PER_PAGE]
    first = page * PER_PAGE + 1
    lines = [texts.CASES_TITLE.format(query=esc(arg), n=len(cases)), ""]
    lines += [f"{n}. {case_line(c).removeprefix('• ')}" for n, c in enumerate(shown, first)]
    buttons: Buttons = []
    for i in range(0, len(shown), 2):
        buttons.append([(texts.CASE_OPEN.format(n=n, title=c.title[:14]), f"{OPEN}:{c.id}")
                        for n, c in enumerate(shown[i:i + 2], first + i)])
    if pages > 1:
        lines += ["", f"<i>{texts.CASES_PAGE.format(page=page + 1, pages=pages)}</i>"]
        nav = []
        for label, target in ((texts.BUTTON_PREV, page - 1), (texts.BUTTON_MORE, page + 1)):
            data = f"{LIST}:{mode}:{target}:{arg}"
            if 0 <= target < pages and len(data.encode()) <= MAX_DATA:
                nav.append((label, data))
        if nav:
            buttons.append(nav)
    return Reply("\n".join(lines), buttons)


async def cases_command(update: Update, context: Context) -> None:
    if await member_or_prompt(update, context) is None:
        return
    arg = command_argument(update)
    data = await asyncio.to_thread(_data)
    if not arg:
        await send(update, tags_reply(data))
        return
    mode, found = await asyncio.to_thread(find, data, arg)
    await send(update, list_reply(arg, mode, found))


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if await member_or_prompt(update, context) is None:
        return
    data = await asyncio.to_thread(_data)
    kind, _, rest = (query.data or "").partition(":")
    if kind == OPEN:
        case = data.case(rest)
        if case is None:
            await query.answer(texts.CASES_GONE, show_alert=True)
            return
        await query.answer()
        await context.bot.send_message(update.effective_chat.id, case_card(case))
        return
    mode, page, arg = (rest.split(":", 2) + ["", "", ""])[:3]
    from_menu = mode == "T"
    mode = mode.lower()
    if mode == "t":
        found = data.filter(tag=arg)
    elif mode == "r":
        found = data.filter(region=arg)
    else:
        found = await asyncio.to_thread(search, data, arg)
    await query.answer()
    reply = list_reply(arg, mode, found, int(page) if page.isdigit() else 0)
    if from_menu:
        await context.bot.send_message(update.effective_chat.id, reply.text, reply_markup=reply.markup)
        return
    await edit_in_place(update, reply)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("cases", cases_command))
    app.add_handler(CallbackQueryHandler(on_button, pattern=rf"^({OPEN}|{LIST}):"))
