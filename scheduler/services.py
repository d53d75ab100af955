"""The services of one bot instance, built in one place.

`build_services(settings)` makes every service the handlers and the jobs use; the application factory
(bot/app.py) keeps the result in `bot_data[KEY]`, and handlers reach it with `services(context)`. A new
feature adds its service here: a field on `Services` and one line in `build_services`.

It lives at the top of the domain layer (it knows every service, bot/ core's and scheduler/'s), so both
the handlers and the job module can import it; bot/ core never does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from telegram.ext import CallbackContext

from bot.ratelimit import RateLimiter
from bot.services.answers import AnswerService
from bot.services.documents import DocumentCheckService
from bot.services.units import UnitService
from bot.services.users import UserService
from bot.settings import Settings
from bot.storage import Database
from knowledge.engine import KnowledgeBase
from scheduler.case_tracker import CaseService
from scheduler.org_service import OrgDeadlineService
from scheduler.quiz import QuizService
from scheduler.reminders import ReminderService
from scheduler.stats import StatsService

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
    quiz: QuizService  # the daily practice quiz (its question pool is loaded at start-up)
    stats: StatsService  # units' monthly figures: the form, checks, reports
    answers: AnswerService | None = None  # set once the knowledge base is loaded (start-up loads it off-loop)
    documents: DocumentCheckService | None = None  # 案卷核验 of files and photos (made with the answers)


def build_services(settings: Settings, db: Database | None = None, kb: KnowledgeBase | None = None) -> Services:
    db = db or Database(settings.database_url)
    tz = ZoneInfo(settings.timezone)
    reminders = ReminderService(db, late_after=timedelta(seconds=settings.reminder_late_after_seconds),
                                lanes=settings.send_lanes, lease=timedelta(seconds=settings.claim_lease_seconds))
    hour, minute = (int(x) for x in settings.quiz_time.split(":"))
    quiz = QuizService(db, tz=tz, size=settings.quiz_size, open_seconds=settings.quiz_open_seconds,
                       default_time=time(hour, minute), default_days=settings.quiz_days)
    reminders.senders["quiz"] = quiz.deliver  # quiz rows go out as polls through the one sweep
    org = OrgDeadlineService(db, tz=tz, remind_hour=settings.reminder_hour)
    stats = StatsService(db, tz=tz, org=org, remind_hour=settings.reminder_hour)
    org.done = stats.figures_done  # no more 月报 nudges for a unit whose figures are in
    return Services(
        settings=settings,
        db=db,
        users=UserService(db, settings.admin_id_set),
        units=UnitService(db),
        limiter=RateLimiter(settings.rate_limit_per_minute),
        reminders=reminders,
        cases=CaseService(db, offsets=settings.case_reminder_offsets, remind_hour=settings.reminder_hour, tz=tz,
                          admin_ids=frozenset(settings.admin_id_set)),
        org_deadlines=org,
        quiz=quiz,
        stats=stats,
        answers=AnswerService(kb) if kb is not None else None,
        documents=DocumentCheckService(kb) if kb is not None else None,
    )


def services(context: CallbackContext) -> Services:
    return context.application.bot_data[KEY]
