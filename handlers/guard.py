"""Runs before every other handler: the per-user rate limit."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from handlers import texts
from handlers.common import Context, svc


async def rate_limit(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    verdict = svc(context).limiter.hit(user.id)
    if verdict.allowed:
        return
    if verdict.warn:
        if update.callback_query:
            await update.callback_query.answer(texts.RATE_LIMITED, show_alert=True)
        elif update.inline_query:
            await update.inline_query.answer([], cache_time=0, is_personal=True)
        elif update.effective_message:
            await update.effective_message.reply_text(texts.RATE_LIMITED)
    raise ApplicationHandlerStop


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, rate_limit), group=-1)
