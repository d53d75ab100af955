"""Every scheduled job of the bot, registered in one place (`register_jobs`, called by bot/app.py).

Jobs never send a message themselves except through the reminder sweep: planners write planned reminder
rows (scheduler/planned.py), the sweep delivers every kind (claim → send → mark), so a crash or a second
planning run never doubles a message.

- reminder sweep: every SWEEP_INTERVAL (the safety net: whatever is due, whoever wrote it), plus a one-off
  wake-up at the next due moment when that comes before the next regular run, so a reminder goes out on
  time rather than up to SWEEP_INTERVAL late (at most one wake-up job; each sweep replaces it). The first
  sweep runs when the job queue really starts: what fell due while the bot was down goes out at once;
- case re-plan every 6 hours (a new unit admin, new holiday data, new rules);
- organisational dates planned a week ahead every 30 minutes (the 月报 nudges skip units whose figures are in),
  and the day after a 月报 deadline the parent units' admins told who is still missing;
- knowledge warm-up once at start (免罚清单 and typical-case indexes, the answer cards' record lines);
- quiz: polls whose open period ended are closed every QUIZ_CLOSE_INTERVAL (missed; the session goes on),
  the daily push (one row per day and officer) and the Monday ranking are planned every 30 minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.jobstores.base import JobLookupError
from telegram.ext import Application, CallbackContext, JobQueue

from bot import card_extras
from knowledge.exemptions import load_exemptions
from knowledge.typical_cases import load_typical_cases
from scheduler.quiz_rank import plan_weekly
from scheduler.reminders import ReminderService, sweep
from scheduler.services import KEY, Services, services

log = logging.getLogger(__name__)

SWEEP_INTERVAL = 10.0  # seconds; without the wake-up a reminder would be up to this late
FIRST_SWEEP = 0.5  # seconds after the job queue really started: what fell due while the bot was down
SWEEP_JOB = "reminder-sweep"
WAKEUP_JOB = "reminder-wakeup"
PRECISE_WAKEUP = True  # the benchmark switches it off to measure the regular sweep alone
MIN_WAKEUP_GAP = timedelta(milliseconds=20)  # fell due during the sweep: sweep again at once, not in a tight loop
CASE_REPLAN_INTERVAL = 6 * 3600.0  # seconds; cases are re-planned on every change, this catches outside changes
CASE_REPLAN_FIRST = 120.0
ORG_PLAN_INTERVAL = 30 * 60.0  # seconds; reminders are planned a week ahead, so this only needs to be regular
ORG_PLAN_FIRST = 3.0
WARM_FIRST = 0.5
QUIZ_CLOSE_INTERVAL = 15.0  # seconds: a missed poll's session goes on within this
QUIZ_PLAN_INTERVAL = 30 * 60.0
QUIZ_PLAN_FIRST = 5.0
# For jobs whose first run is given as a delay at registration: start-up (migrations, the knowledge index)
# can take longer than that delay, and APScheduler would then skip the run as missed. Run it late instead.
LATE_START_OK = {"misfire_grace_time": None, "coalesce": True}


# --- the reminder sweep -----------------------------------------------------------------------------------
async def sweep_job(context: CallbackContext) -> None:
    service = services(context).reminders
    # PTB shields a running job from the job queue's stop; the task is kept so that bot.app.drain
    # (post_stop) can wait for the send in hand and its sent-mark while the HTTP client is still open.
    task = asyncio.ensure_future(_sweep(context, service))
    service.running.add(task)
    task.add_done_callback(service.running.discard)
    await task


async def _sweep(context: CallbackContext, service: ReminderService) -> None:
    async with service.sweep_lock:  # a wake-up that fires during the regular sweep waits, then finds nothing
        try:
            result = await sweep(context.bot, service)
            following = await service.next_due()
        except Exception:  # the next run tries again; nothing was marked sent that was not delivered
            log.exception("reminder sweep failed")
            return
    if result.sent or result.retried or result.failed:
        log.info("reminders: %d sent, %d to retry, %d failed", result.sent, result.retried, result.failed)
    if not service.halted:
        schedule_wakeup(context.job_queue, following)


def schedule_wakeup(job_queue: JobQueue | None, at: datetime | None) -> None:
    """Replace the wake-up job by one at `at` if that comes before the next regular sweep. Called after
    every sweep: a reminder written meanwhile (by /remind or a planner) is at most SWEEP_INTERVAL away
    from a sweep, which plans its wake-up."""
    if job_queue is None or not PRECISE_WAKEUP:
        return
    if at is not None:
        at = max(at, datetime.now(UTC) + MIN_WAKEUP_GAP)
    for job in job_queue.get_jobs_by_name(WAKEUP_JOB):
        with contextlib.suppress(JobLookupError):  # it may have fired meanwhile
            job.schedule_removal()
    regular = job_queue.get_jobs_by_name(SWEEP_JOB)
    if at is None or (regular and regular[0].next_t and regular[0].next_t <= at):
        return  # nothing pending, or the regular sweep comes first anyway
    job_queue.run_once(sweep_job, when=at, name=WAKEUP_JOB)


# --- planners ---------------------------------------------------------------------------------------------
async def case_replan_job(context: CallbackContext) -> None:
    try:
        n = await services(context).cases.replan_open()
    except Exception:  # the next run tries again; planning is idempotent
        log.exception("case re-plan failed")
        return
    log.info("case reminders re-planned for %d open cases", n)


async def org_plan_job(context: CallbackContext) -> None:
    try:
        result = await services(context).org_deadlines.plan(datetime.now(UTC))
    except Exception:  # the next run tries again; planning is idempotent
        log.exception("planning organisational reminders failed")
        return
    if result["added"] or result["cancelled"]:
        log.info("organisational reminders: %d planned, %d cancelled", result["added"], result["cancelled"])


async def stats_missing_job(context: CallbackContext) -> None:
    try:
        added = await services(context).stats.plan_missing(datetime.now(UTC))
    except Exception:  # the next run tries again; planning is idempotent
        log.exception("planning the statistics missing-units notes failed")
        return
    if added:
        log.info("statistics: %d notes on units still missing planned", added)


async def quiz_close_job(context: CallbackContext) -> None:
    s = services(context)
    if s.quiz.pool is None:
        return
    try:
        closed = await s.quiz.close_expired()
    except Exception:  # the next run tries again
        log.exception("closing expired quiz polls failed")
        return
    if closed:
        s.reminders.wake()  # the next polls are due now


async def quiz_plan_job(context: CallbackContext) -> None:
    s = services(context)
    try:
        pushed = await s.quiz.plan_push(datetime.now(UTC))
        weekly = await plan_weekly(s.db, s.quiz, datetime.now(UTC), hour=s.settings.reminder_hour)
    except Exception:  # the next run tries again; planning is idempotent
        log.exception("planning the quiz push failed")
        return
    if pushed or weekly:
        log.info("quiz: %d push rows and %d weekly summaries planned", pushed, weekly)


# --- warm-up ----------------------------------------------------------------------------------------------
def _warm_knowledge() -> None:
    card_extras.warm()  # the answer cards' 免罚清单 / 典型案例 lines
    load_exemptions().search("危废标识")  # builds the record indexes (jieba, synonyms) before the first /exempt
    load_typical_cases().search("危废")


async def warm_job(context: CallbackContext) -> None:
    await asyncio.to_thread(_warm_knowledge)


# --- registration -----------------------------------------------------------------------------------------
def _every(jobs: JobQueue, callback, interval: float, first: float, name: str, first_name: str | None = None) -> None:
    """A job every `interval` seconds, first run `first` seconds after the job queue really starts.

    A first delay given at registration would count from registration, and start-up (migrations, the
    knowledge index) can take longer: APScheduler's interval trigger would then skip to the next interval
    (half an hour for the planners). The first run is therefore planned when the scheduler starts."""
    jobs.run_repeating(callback, interval=interval, first=interval, name=name, job_kwargs=LATE_START_OK)
    jobs.scheduler.add_listener(lambda _event: jobs.run_once(callback, when=first, name=first_name or f"{name}-first"),
                                EVENT_SCHEDULER_STARTED)
def register_jobs(app: Application) -> None:
    """Every job of the bot; also lets the services wake the sweep and see the application stopping."""
    s: Services = app.bot_data[KEY]
    # Application.stop waits for running jobs: a sweep stops after the send in hand instead of working
    # through a whole backlog first (the rest is sent after the next start)
    s.reminders.stop_when = lambda: not app.running
    jobs = app.job_queue
    if jobs is None:
        return
    s.reminders.wake = lambda: schedule_wakeup(jobs, datetime.now(UTC))
    _every(jobs, sweep_job, SWEEP_INTERVAL, FIRST_SWEEP, SWEEP_JOB, first_name=WAKEUP_JOB)
    _every(jobs, case_replan_job, CASE_REPLAN_INTERVAL, CASE_REPLAN_FIRST, "case-replan")
    _every(jobs, org_plan_job, ORG_PLAN_INTERVAL, ORG_PLAN_FIRST, "org-deadlines-plan")
    _every(jobs, stats_missing_job, ORG_PLAN_INTERVAL, ORG_PLAN_FIRST + 2, "stats-missing")
    _every(jobs, quiz_close_job, QUIZ_CLOSE_INTERVAL, QUIZ_CLOSE_INTERVAL, "quiz-close")
    _every(jobs, quiz_plan_job, QUIZ_PLAN_INTERVAL, QUIZ_PLAN_FIRST, "quiz-plan")
    jobs.run_once(warm_job, when=WARM_FIRST, name="knowledge-warm", job_kwargs=LATE_START_OK)

