"""Plain services of the bot core: users, units and roles, answers, audit. Plain async Python over the database
and the knowledge base; no Telegram here.

The pattern every service follows (README "Patterns for new features"): a class taking the `Database` (and
whatever else it needs) and `now` where time matters, one session per public method, audit entries written in
the same transaction, `ServiceError` subclasses for outcomes the officer must be told about (their `key` has
a sentence in handlers/texts.py ERRORS). Services with time in them live in scheduler/; all are built in
scheduler.services.build_services.
"""

from bot.services.errors import ServiceError

__all__ = ["ServiceError"]
