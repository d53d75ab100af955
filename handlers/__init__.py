"""Telegram handlers, one module per feature. `register_all` wires them in order."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    ask,
    casetracker,
    documents,
    errors,
    exemptions,
    guard,
    inline,
    orgdates,
    quiz,
    reminders,
    start,
    stats,
    typical_cases,
)


def register_all(app: Application) -> None:
    guard.register(app)  # group -1: rate limit before anything else
    start.register(app)
    reminders.register(app)  # before ask: “提醒我…” is a reminder, not a question
    exemptions.register(app)  # before ask: the description after a bare /exempt is not a question
    typical_cases.register(app)
    casetracker.register(app)  # before ask: dates typed for a case event are not questions
    orgdates.register(app)
    quiz.register(app)
    stats.register(app)  # before ask: values typed into the form are not questions
    documents.register(app)
    ask.register(app)
    inline.register(app)
    # later features register here, before the fallbacks
    ask.register_fallbacks(app)
    errors.register(app)
