"""Domain services: plain async Python over the database and the knowledge base. No Telegram here.

Pattern for new features (reminders, quiz, statistics): a module with a service class taking the
`Database` (and whatever else it needs), one session per public method, audit entries written in the
same transaction, `ServiceError` subclasses for outcomes the officer must be told about.
"""

from bot.services.errors import ServiceError

__all__ = ["ServiceError"]
