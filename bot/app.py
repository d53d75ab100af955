"""The wiring: the PTB Application factory and `lawbot run`.

`build_application` builds the services (scheduler.services.build_services), registers every handler
(handlers.register_all) and every job (scheduler.jobs.register_jobs). Nothing else creates services or
schedules jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from zoneinfo import ZoneInfo

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot import texts
from bot.request import RetryingRequest
from bot.services.answers import AnswerService
from bot.settings import Settings, get_settings
from handlers import register_all
from handlers import texts as chat_texts
from knowledge.engine import KnowledgeBase
from scheduler.jobs import register_jobs
from scheduler.quiz_pool import build_pool
from scheduler.services import KEY, Services, build_services

log = logging.getLogger(__name__)

CONCURRENT_UPDATES = 32  # handlers mostly wait on the database, the search thread or Telegram


class _StopNoise(logging.Filter):
    """On stop APScheduler cancels the waiter of a running job (PTB shields the job itself, which finishes
    and is drained) and logs the cancellation as an error with a traceback; it is not one."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))


logging.getLogger("apscheduler.executors.default").addFilter(_StopNoise())


def api_urls(base: str) -> tuple[str, str]:
    """LAWBOT_TELEGRAM_BASE_URL is the server root (http://127.0.0.1:8081); PTB wants …/bot and …/file/bot."""
    base = base.rstrip("/").removesuffix("/bot")
    return f"{base}/bot", f"{base}/file/bot"


def load_knowledge(settings: Settings) -> KnowledgeBase:
    kb = KnowledgeBase.open(settings.data_dir, settings.corpus_dir_list, semantic=settings.semantic)
    if kb.vectors is not None:
        kb.vectors.build_in_background()  # a first start: lexical answers at once, hybrid once vectors are in
    return kb


def build_application(
    settings: Settings | None = None,
    *,
    kb=None,
    services: Services | None = None,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
) -> Application:
    """The bot: services in bot_data, handlers and jobs registered. `kb` may be given (tests); else it is
    loaded on start."""
    settings = settings or get_settings()
    builder = (
        ApplicationBuilder()
        .token(settings.token or "0:offline")
        .defaults(Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            tzinfo=ZoneInfo(settings.timezone),
        ))
        .request(request or RetryingRequest(connection_pool_size=64, read_timeout=15))
        .get_updates_request(updates_request or request or HTTPXRequest(read_timeout=40))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(startup)
        .post_stop(drain)
        .post_shutdown(shutdown)
    )
    if settings.send_rate > 0:
        # Telegram allows about 30 messages per second in all; this budget is per process (README: Scale)
        builder = builder.rate_limiter(AIORateLimiter(
            overall_max_rate=settings.send_rate, overall_time_period=1, max_retries=0))  # retries: RetryingRequest
    if settings.telegram_base_url:
        base_url, file_url = api_urls(settings.telegram_base_url)
        builder = builder.base_url(base_url).base_file_url(file_url)
    app = builder.build()
    app.bot_data[KEY] = services or build_services(settings, kb=kb)
    register_all(app)
    register_jobs(app)
    return app


async def startup(app: Application) -> None:
    """post_init: schema up to date, knowledge base and quiz questions loaded, command menus set."""
    s: Services = app.bot_data[KEY]
    await s.db.migrate()
    if s.answers is None:
        kb = await asyncio.to_thread(load_knowledge, s.settings)
        s.answers = AnswerService(kb)
        await s.answers.search("大气法99条")  # warm up segmentation and caches before the first officer
    await s.stats.load_active()  # statistics forms open before a restart are still open
    if s.quiz.pool is None:
        corpus = s.answers.kb.corpus
        s.quiz.pool = await asyncio.to_thread(build_pool, corpus)
        s.quiz.law_ids = {law.name: law.law_id for law in corpus.laws.values()}
    await set_commands(app, s)


async def set_commands(app: Application, s: Services) -> None:
    await app.bot.set_my_commands([BotCommand(c, d) for c, d in chat_texts.COMMANDS], scope=BotCommandScopeDefault())
    admin_commands = [BotCommand(c, d) for c, d in chat_texts.ADMIN_COMMANDS]
    for admin_id in sorted(s.settings.admin_id_set):
        with contextlib.suppress(TelegramError):  # "chat not found" until the admin has written once
            await app.bot.set_my_commands(admin_commands, scope=BotCommandScopeChat(admin_id))


async def drain(app: Application) -> None:
    """post_stop: the job queue has stopped; a reminder sweep in progress finishes the message in hand and
    its sent-mark while the HTTP client and the database are still open."""
    await app.bot_data[KEY].reminders.drain()


async def shutdown(app: Application) -> None:
    await app.bot_data[KEY].db.dispose()


def webhook_options(settings: Settings) -> dict:
    """PTB's webhook server: the path is the bot id, and every call must carry the secret token (PTB answers
    403 otherwise), so only Telegram — told the secret with setWebhook — can post updates."""
    bot_id = (settings.token or "0").split(":")[0]
    return {"listen": "0.0.0.0", "port": settings.webhook_port, "url_path": bot_id,
            "webhook_url": f"{(settings.webhook_url or '').rstrip('/')}/{bot_id}",
            "secret_token": settings.webhook_secret_token}


def run_bot(settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    if not settings.token:
        print(texts.NO_TOKEN, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise
    app = build_application(settings)
    if settings.webhook_url:
        app.run_webhook(**webhook_options(settings), allowed_updates=Update.ALL_TYPES)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
