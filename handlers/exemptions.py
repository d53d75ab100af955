"""/exempt [描述]: find 免罚清单 items for a situation, then walk the item's conditions to a verdict.

The dialog's whole state is (item id, answers so far). It is kept in chat_data and also carried in every
button of the dialog message (`xd:<item>:<answers as 1/0>:<op>`, well under 64 bytes), so a button keeps
working after a restart and a double tap on an old step replays that step instead of skipping one.
"""

from __future__ import annotations

import asyncio
import time

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.cards import dialog_card, item_card, item_line
from bot.render import Buttons, Reply, esc
from handlers import texts
from handlers.common import Context, command_argument, edit_in_place, member_or_prompt, send
from knowledge.exemptions import ExemptDialog, ExemptionItem, Exemptions, load_exemptions, start_dialog

STATE = "exempt"  # chat_data[STATE] = {"item": id, "answers": [bool, …]}
WAITING = "exempt_wait"  # chat_data[WAITING] = time the officer was asked to describe the situation
WAIT_SECONDS = 600
TOP = 3
# callback prefixes: pick an item, a dialog step, an example question, the item's list text
PICK, STEP, EXAMPLE, ITEM = "xs", "xd", "xe", "xi"
OPS = {"y": True, "n": False}


def _data() -> Exemptions:
    return load_exemptions()


# --- pure pieces (testable without a bot) --------------------------------------------------------------
def step_data(dialog: ExemptDialog, op: str) -> str:
    bits = "".join("1" if a else "0" for a in dialog.answers)
    return f"{STEP}:{dialog.item.id}:{bits}:{op}"


def dialog_reply(dialog: ExemptDialog) -> Reply:
    """The current question with 是 / 否 / 上一步 / 取消, or the verdict (with 上一步 to revise)."""
    if dialog.cancelled:
        return Reply(texts.EXEMPT_CANCELLED)
    if dialog.finished:
        buttons: Buttons = [[(texts.BUTTON_BACK, step_data(dialog, "b")), (texts.BUTTON_ITEM, f"{ITEM}:{dialog.item.id}")]]
        return Reply(dialog_card(dialog), buttons)
    buttons = [[(texts.BUTTON_YES, step_data(dialog, "y")), (texts.BUTTON_NO, step_data(dialog, "n"))]]
    nav = [(texts.BUTTON_BACK, step_data(dialog, "b"))] if dialog.can_go_back else []
    buttons.append(nav + [(texts.BUTTON_CANCEL, step_data(dialog, "c"))])
    return Reply(dialog_card(dialog), buttons)


def results_reply(query: str, hits: list[ExemptionItem]) -> Reply:
    if not hits:
        return Reply(texts.EXEMPT_NONE.format(query=esc(query)))
    lines = [texts.EXEMPT_RESULTS.format(query=esc(query)), ""]
    lines += [f"{n}. {item_line(it).removeprefix('• ')}" for n, it in enumerate(hits, 1)]
    buttons = [[(texts.EXEMPT_PICK.format(n=n), f"{PICK}:{it.id}")] for n, it in enumerate(hits, 1)]
    return Reply("\n".join(lines), buttons)


def replay(data: Exemptions, item_id: str, bits: str) -> ExemptDialog | None:
    item = data.item(item_id)
    if item is None or any(b not in "01" for b in bits):
        return None
    dialog = start_dialog(item)
    try:
        for b in bits:
            dialog.answer(b == "1")
    except ValueError:  # more answers than the item has questions (the data changed)
        return None
    return dialog


def _remember(context: Context, dialog: ExemptDialog | None) -> None:
    if dialog is None or dialog.cancelled:
        context.chat_data.pop(STATE, None)
    else:
        context.chat_data[STATE] = {"item": dialog.item.id, "answers": list(dialog.answers)}


# --- handlers ------------------------------------------------------------------------------------------
async def search_and_offer(update: Update, context: Context, query: str) -> None:
    context.chat_data.pop(WAITING, None)
    hits = await asyncio.to_thread(lambda: [it for it, score in _data().search(query, TOP) if score > 0])
    await send(update, results_reply(query, hits))


async def exempt(update: Update, context: Context) -> None:
    if await member_or_prompt(update, context) is None:
        return
    query = command_argument(update)
    if not query:
        context.chat_data[WAITING] = time.monotonic()
        buttons = [[(q, f"{EXAMPLE}:{i}")] for i, q in enumerate(texts.EXEMPT_EXAMPLES)]
        await send(update, Reply(texts.EXEMPT_ASK, buttons))
        return
    await search_and_offer(update, context, query)


async def described(update: Update, context: Context) -> None:
    """The next text after a bare /exempt: the description of the situation."""
    if await member_or_prompt(update, context) is None:
        return
    await search_and_offer(update, context, update.effective_message.text.strip())


async def _show(update: Update, reply: Reply, edit: bool) -> None:
    query = update.callback_query
    if edit:
        await edit_in_place(update, reply)
    else:
        await query.get_bot().send_message(update.effective_chat.id, reply.text, reply_markup=reply.markup)


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if await member_or_prompt(update, context) is None:
        return
    kind, _, rest = (query.data or "").partition(":")
    data = await asyncio.to_thread(_data)
    if kind == EXAMPLE:
        i = int(rest) if rest.isdigit() else -1
        if not 0 <= i < len(texts.EXEMPT_EXAMPLES):
            await query.answer(texts.EXEMPT_EXPIRED, show_alert=True)
            return
        await query.answer()
        question = texts.EXEMPT_EXAMPLES[i]
        context.chat_data.pop(WAITING, None)
        hits = await asyncio.to_thread(lambda: [it for it, s in data.search(question, TOP) if s > 0])
        await _show(update, results_reply(question, hits), edit=False)
        return
    if kind == ITEM:
        item = data.item(rest)
        if item is None:
            await query.answer(texts.EXEMPT_EXPIRED, show_alert=True)
            return
        await query.answer()
        await _show(update, Reply(item_card(item, with_conditions=False)), edit=False)
        return
    if kind == PICK:
        item = data.item(rest)
        if item is None:
            await query.answer(texts.EXEMPT_EXPIRED, show_alert=True)
            return
        await query.answer()
        dialog = start_dialog(item)
        _remember(context, dialog)
        await _show(update, dialog_reply(dialog), edit=False)  # the result list stays for another pick
        return
    item_id, bits, op = (rest.split(":") + ["", "", ""])[:3]
    dialog = replay(data, item_id, bits)
    if dialog is None or op not in ("y", "n", "b", "c") or (op in OPS and dialog.finished):
        await query.answer(texts.EXEMPT_EXPIRED, show_alert=True)
        return
    await query.answer()
    if op in OPS:
        dialog.answer(OPS[op])
    elif op == "b":
        dialog.back()
    else:
        dialog.cancel()
    _remember(context, dialog)
    await _show(update, dialog_reply(dialog), edit=True)


def _waiting_filter(app: Application) -> filters.MessageFilter:
    class Waiting(filters.MessageFilter):
        """A private text message while this chat was asked to describe the situation (not expired)."""

        def filter(self, message: Message) -> bool:
            chat = app.chat_data.get(message.chat.id) or {}
            since = chat.get(WAITING)
            return since is not None and time.monotonic() - since < WAIT_SECONDS

    return Waiting(name="exempt_waiting")


def register(app: Application) -> None:
    """Register before the free-text question handler: a description after /exempt is not a question."""
    app.add_handler(CommandHandler("exempt", exempt))
    app.add_handler(CallbackQueryHandler(on_button, pattern=rf"^({PICK}|{STEP}|{EXAMPLE}|{ITEM}):"))
    app.add_handler(MessageHandler(
        filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & _waiting_filter(app), described
    ))
