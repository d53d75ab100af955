"""Telegram handlers, one module per feature. `register_all` wires them in order."""

from __future__ import annotations

from telegram.ext import Application

from handlers import ask, errors, guard, inline, start


def register_all(app: Application) -> None:
    guard.register(app)  # group -1: rate limit before anything else
    start.register(app)
    ask.register(app)
    inline.register(app)
    # later features register here, before the fallbacks
    ask.register_fallbacks(app)
    errors.register(app)
