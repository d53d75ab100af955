"""Personal reminders: /remind 时间 内容, “提醒我…” messages, /reminders (取消 buttons), /unremind 编号,
稍后提醒 buttons on every delivered reminder. scheduler/reminders.py holds the storage and delivery rules;
the sweep that delivers every kind of reminder is a job of scheduler/jobs.py.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.render import Reply, esc
from handlers.common import Context, command_argument, member_or_prompt, send
from handlers.texts import reminders as texts
from scheduler.remind_parse import HELP, ParsedReminder, parse_reminder
from scheduler.reminders import (
    MAX_PENDING_PER_USER,
    SNOOZE_PREFIX,
    ReminderService,
    ReminderView,
    TooManyReminders,
    format_when,
    snooze_due,
)
from scheduler.services import services

log = logging.getLogger(__name__)



def reminder_service(context: Context) -> ReminderService:
    return services(context).reminders


async def remind(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    text = update.effective_message.text or ""  # “提醒我…” is taken whole
    if text.startswith("/") and not (text := command_argument(update)):  # “/remind” alone
        await send(update, esc(texts.REMIND_USAGE + HELP))
        return
    parsed = parse_reminder(text, datetime.now(UTC))
    if not isinstance(parsed, ParsedReminder):
        await send(update, esc(parsed.message))
        return
    try:
        r = await reminder_service(context).create(member.id, update.effective_chat.id, parsed)
    except TooManyReminders:
        await send(update, texts.REMIND_TOO_MANY.format(n=MAX_PENDING_PER_USER))
        return
    values = dict(when=format_when(r.due_at), text=esc(r.text), id=r.id)
    if r.recurrence:
        await send(update, texts.REMIND_CREATED_RECURRING.format(rule=esc(r.recurrence.describe()), **values))
    else:
        await send(update, texts.REMIND_CREATED.format(**values))


MAX_LISTED = 30  # a reply stays far below Telegram's 4096 characters
MAX_CANCEL_BUTTONS = 12
CANCEL_PREFIX = "rm:c"  # rm:c:<reminder id>


def _summary(r: ReminderView) -> str:
    """One line for a planned reminder: its heading line and what falls due (“📁 某案 #3 · 作出行政处罚决定”)."""
    lines = r.text.splitlines()
    if r.kind == "escalation" and len(lines) > 2:  # its heading (期限已过) is the delivered message's, not the list's
        return texts.REMINDERS_ESCALATION.format(summary=" · ".join([lines[1], lines[2].split("：")[0]]))
    return " · ".join([lines[0], lines[1].split("：")[0]]) if len(lines) > 1 else r.text


async def list_reply(user_id: int, context: Context) -> Reply:
    """Pending reminders, personal ones first with a 取消 button each (the first MAX_CANCEL_BUTTONS)."""
    items = await reminder_service(context).pending(user_id)
    if not items:
        return Reply(texts.REMINDERS_EMPTY)
    personal = [r for r in items if r.kind == "personal"]
    planned = [r for r in items if r.kind != "personal"]
    lines = []
    for title, group in ((texts.REMINDERS_TITLE, personal), (texts.REMINDERS_PLANNED_TITLE, planned)):
        if not group:
            continue
        lines.append(("\n" if lines else "") + title)
        for r in group[:MAX_LISTED]:
            rule = f"（{esc(r.recurrence.describe())}）" if r.recurrence else ""
            text = r.text if r.kind == "personal" else _summary(r)
            lines.append(texts.REMINDERS_LINE.format(id=r.id, when=format_when(r.due_at), rule=rule, text=esc(text)))
        if len(group) > MAX_LISTED:
            lines.append(texts.REMINDERS_MORE.format(n=len(group) - MAX_LISTED))
    cancel = [(texts.CANCEL_BUTTON.format(id=r.id), f"{CANCEL_PREFIX}:{r.id}") for r in personal[:MAX_CANCEL_BUTTONS]]
    return Reply("\n".join(lines), [cancel[i:i + 3] for i in range(0, len(cancel), 3)])


async def list_reminders(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    await send(update, await list_reply(member.id, context))


async def unremind(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    arg = (context.args or [""])[0].lstrip("#")
    if not arg.isdigit():
        await send(update, texts.UNREMIND_USAGE)
        return
    done = await reminder_service(context).cancel(member.id, int(arg))
    await send(update, (texts.UNREMIND_DONE if done else texts.UNREMIND_NOT_FOUND).format(id=int(arg)))


async def on_button(update: Update, context: Context) -> None:
    """稍后提醒 on a delivered reminder (rm:z:<id>:<code>) and 取消 in the /reminders list (rm:c:<id>)."""
    query = update.callback_query
    member = await member_or_prompt(update, context)
    if member is None:
        return
    parts = (query.data or "").split(":")
    service = reminder_service(context)
    if query.data.startswith(SNOOZE_PREFIX + ":") and len(parts) == 4 and parts[2].isdigit():
        due = snooze_due(parts[3], datetime.now(UTC), services(context).settings.reminder_hour)
        done = await service.snooze(member.id, int(parts[2]), due) if due else None
        if done is None:
            await query.answer(texts.SNOOZE_GONE, show_alert=True)
            return
        copy, _created = done  # a second tap shows the same time: one copy only
        note = texts.SNOOZED.format(when=format_when(copy.due_at))
        await query.answer(note)
        keep = [row for row in (query.message.reply_markup.inline_keyboard if query.message.reply_markup else [])
                if not any((b.callback_data or "").startswith(SNOOZE_PREFIX) for b in row)]
        with contextlib.suppress(BadRequest):  # already edited by the first tap
            await query.edit_message_text(f"{query.message.text_html}\n{note}",
                                          reply_markup=InlineKeyboardMarkup(keep) if keep else None)
        return
    if query.data.startswith(CANCEL_PREFIX + ":") and len(parts) == 3 and parts[2].isdigit():
        done = await service.cancel(member.id, int(parts[2]))
        await query.answer((texts.UNREMIND_DONE if done else texts.UNREMIND_NOT_FOUND).format(id=int(parts[2])))
        reply = await list_reply(member.id, context)
        with contextlib.suppress(BadRequest):
            await query.edit_message_text(reply.text, reply_markup=reply.markup)
        return
    await query.answer(texts.SNOOZE_GONE, show_alert=True)


def register(app: Application) -> None:
    """Register before the free-text question handler, so “提醒我…” is not taken for a question."""
    app.add_handler(CommandHandler("remind", remind))
    app.add_handler(CommandHandler("reminders", list_reminders))
    app.add_handler(CommandHandler("unremind", unremind))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^rm:"))
    app.add_handler(MessageHandler(
        filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & filters.Regex(r"^\s*提醒我"), remind
    ))
