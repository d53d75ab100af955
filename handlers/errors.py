"""The global error handler: log with context, tell the user briefly, never show a stack trace."""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
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


def database_unavailable(error: BaseException | None) -> bool:
    """The database is down, restarting, unreachable or locked: the officer should try again shortly."""
    if isinstance(error, (OperationalError, PoolTimeout)):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        # SQLSTATE 08… connection exception, 57P… server shutting down / starting, 55000 "not accepting connections"
        state = str(getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None) or "")
        cause = getattr(error.orig, "__cause__", None)
        state = state or str(getattr(cause, "sqlstate", "") or "")
        return state.startswith(("08", "57P", "55000"))
    return isinstance(error, (ConnectionError, OSError)) and not isinstance(error, FileNotFoundError)


async def on_error(update: object, context: Context) -> None:
    busy = database_unavailable(context.error)
    if busy:  # one line, not a traceback per update while the database is away
        log.warning("database unavailable while handling %s: %s", describe(update), context.error)
    else:
        log.error("error while handling %s", describe(update), exc_info=context.error)
    if not isinstance(update, Update):
        return
    text = texts.DATABASE_BUSY if busy else texts.SOMETHING_WRONG
    with contextlib.suppress(TelegramError):
        if update.callback_query:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_chat and not update.inline_query:
            await context.bot.send_message(update.effective_chat.id, text)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
