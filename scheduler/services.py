"""The services of one bot instance, built in one place.

`build_services(settings)` makes every service the handlers and the jobs use; the application factory
(bot/app.py) keeps the result in `bot_data[KEY]`, and handlers reach it with `services(context)`. A new
feature adds its service here: a field on `Services` and one line in `build_services`.

It lives at the top of the domain layer (it knows every service, bot/ core's and scheduler/'s), so both
the handlers and the job module can import it; bot/ core never does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram.ext import CallbackContext

from bot.ratelimit import RateLimiter
from bot.services.answers import AnswerService
from bot.services.units import UnitService
from bot.services.users import UserService
from bot.settings import Settings
from bot.storage import Database
from knowledge.engine import KnowledgeBase
from scheduler.case_tracker import CaseService
from scheduler.org_service import OrgDeadlineService
from scheduler.reminders import ReminderService

KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: Database
    users: UserService
    units: UnitService
    limiter: RateLimiter
    reminders: ReminderService  # personal reminders and the one delivery sweep of every planned message
    cases: CaseService  # tracked enforcement cases and their deadlines
    org_deadlines: OrgDeadlineService  # units' reporting dates (月报, 简报, 年度自评)
    answers: AnswerService | None = None  # set once the knowledge base is loaded (start-up loads it off-loop)


def build_services(settings: Settings, db: Database | None = None, kb: KnowledgeBase | None = None) -> Services:
    db = db or Database(settings.database_url)
    tz = ZoneInfo(settings.timezone)
    return Services(
        settings=settings,
        db=db,
        users=UserService(db, settings.admin_id_set),
        units=UnitService(db),
        limiter=RateLimiter(settings.rate_limit_per_minute),
        reminders=ReminderService(db, late_after=timedelta(seconds=settings.reminder_late_after_seconds)),
        cases=CaseService(db, offsets=settings.case_reminder_offsets, remind_hour=settings.reminder_hour, tz=tz,
                          admin_ids=frozenset(settings.admin_id_set)),
        org_deadlines=OrgDeadlineService(db, tz=tz, remind_hour=settings.reminder_hour),
        answers=AnswerService(kb) if kb is not None else None,
    )


def services(context: CallbackContext) -> Services:
    return context.application.bot_data[KEY]
