"""The global error handler: log with context, tell the user briefly, never show a stack trace."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from handlers import texts
from handlers.common import Context

log = logging.getLogger("lawbot.errors")


def describe(update: object) -> str:
    if not isinstance(update, Update):
        return repr(update)[:200]
    parts = [f"update={update.update_id}"]
    if update.effective_user:
        parts.append(f"user={update.effective_user.id}")
    if update.effective_chat:
        parts.append(f"chat={update.effective_chat.id}")
    if update.effective_message and update.effective_message.text:
        parts.append(f"text={update.effective_message.text[:100]!r}")
    if update.callback_query:
        parts.append(f"data={update.callback_query.data!r}")
    if update.inline_query:
        parts.append(f"inline={update.inline_query.query[:100]!r}")
    return " ".join(parts)


async def on_error(update: object, context: Context) -> None:
    log.error("error while handling %s", describe(update), exc_info=context.error)
    if not isinstance(update, Update):
        return
    with contextlib.suppress(TelegramError):
        if update.callback_query:
            await update.callback_query.answer(texts.SOMETHING_WRONG, show_alert=True)
        elif update.effective_chat and not update.inline_query:
            await context.bot.send_message(update.effective_chat.id, texts.SOMETHING_WRONG)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
