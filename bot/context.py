"""What handlers reach through `context.bot_data`: the services of this bot instance."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import CallbackContext

from bot.ratelimit import RateLimiter
from bot.services.answers import AnswerService
from bot.services.units import UnitService
from bot.services.users import UserService
from bot.settings import Settings
from bot.storage import Database

KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: Database
    users: UserService
    units: UnitService
    limiter: RateLimiter
    answers: AnswerService | None = None  # set once the knowledge base is loaded

    @classmethod
    def create(cls, settings: Settings, db: Database | None = None, kb=None) -> Services:
        db = db or Database(settings.database_url)
        return cls(
            settings=settings,
            db=db,
            users=UserService(db, settings.admin_id_set),
            units=UnitService(db),
            limiter=RateLimiter(settings.rate_limit_per_minute),
            answers=AnswerService(kb) if kb is not None else None,
        )


def services(context: CallbackContext) -> Services:
    return context.application.bot_data[KEY]
