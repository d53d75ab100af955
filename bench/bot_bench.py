"""Bot benchmark: officers writing at once (20 asking; or, with --mixed, 50 × 200 messages of every kind), the real
Application against the local Bot API server.

Prints per-update processing time (Application.process_update: handlers, database, search, the reply
sent to the local server) and the end-to-end time from an update being queued to the reply arriving
(adds getUpdates delivery), as p50/p95. No external network.

Two transports: `http` (the local test server in this process, over real sockets: its threads share the
GIL with the bot, so it overstates) and `inproc` (the same fake API called in-process; updates go
straight into the Application's update queue): the bot's own cost.

    .venv/bin/python bench/bot_bench.py [--users 20] [--rounds 10] [--transport http|inproc|both] [--mixed]

--mixed (the load suite of issue 15: `--mixed --users 50 --rounds 200 --transport inproc`): each officer's messages
cycle through questions, citations, the paging button, /help, /mycases, /rank, /reminders, /remind, /orgdates,
/cases, /exempt, /law and /stats_status; the run fails (exit 1) when any answer is the error sentence or missing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from support.botapi_server import BotAPIServer  # noqa: E402
from telegram import Update  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.fakeapi import LocalRequest  # noqa: E402
from bot.request import RetryingRequest  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.texts import DATABASE_BUSY, SOMETHING_WRONG  # noqa: E402
from knowledge.engine import KnowledgeBase  # noqa: E402

QUESTIONS = [
    "大气法99条", "危废没贴标签怎么罚", "首违能不能不罚", "听证几天内申请", "处罚法33条",
    "法典第1107条", "无证排污怎么处罚", "查封扣押期限多长", "《水污染防治法》第八十三条第二项", "按日连续处罚",
]
MIXED = [
    "大气法99条", "/help", "企业未批先建怎么罚", "/mycases", "/rank", "PAGE", "/reminders", "/remind 明天9点 交月报材料",
    "/orgdates", "/cases 油烟", "/exempt 危废标识没贴 首次", "/law 法典第1107条", "/stats_status", "听证几天内申请",
    "《水污染防治法》第八十三条第二项", "PAGE",
]
ADMIN = 900


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def main(users: int, rounds: int, transport: str, kb: KnowledgeBase, mixed: bool = False,
               send_rate: float = 30.0) -> bool:
    inproc = transport == "inproc"
    with tempfile.TemporaryDirectory() as tmp, BotAPIServer() as server:
        api = server.api
        settings = Settings(token="1:BENCH", data_dir=Path(tmp), telegram_base_url=server.base_url,
                            admin_ids=",".join(str(ADMIN + i) for i in range(users)), corpus_dirs="",
                            rate_limit_per_minute=10_000, send_rate=send_rate)
        last_message: dict[int, int] = {}
        answers: dict[int, int] = {}  # chat → replies so far; scanning api.calls on every wait would cost the
        handle = api.handle           # benchmark more than the bot as the call list grows (10,000 updates)

        def counting(method, params):
            status, body = handle(method, params)
            if method in ("sendMessage", "editMessageText") and status == 200 and "chat_id" in params:
                chat = int(params["chat_id"])
                answers[chat] = answers.get(chat, 0) + 1
                if method == "sendMessage":
                    last_message[chat] = body["result"]["message_id"]
            return status, body

        api.handle = counting
        request = LocalRequest(api) if inproc else RetryingRequest(connection_pool_size=64)
        app = build_application(settings, kb=kb, request=request)
        processing: list[float] = []
        original = app.process_update

        async def timed(update):  # the Application calls self.process_update for every update
            t = time.perf_counter()
            await original(update)
            processing.append((time.perf_counter() - t) * 1000)

        app.process_update = timed
        await app.initialize()
        await app.post_init(app)
        if not inproc:
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        try:
            end_to_end: list[float] = []
            by_kind: dict[str, list[float]] = {}

            async def officer(i: int) -> None:
                uid = ADMIN + i  # admins by configuration: registered on first contact
                for r in range(rounds):
                    before = answers.get(uid, 0)
                    q = MIXED[(i + r) % len(MIXED)] if mixed else QUESTIONS[(i + r) % len(QUESTIONS)]
                    if (q == "PAGE") if mixed else (r % 3 == 2):  # every third action turns the page
                        last = api.messages[(uid, last_message[uid])]
                        data = api.button(last, "更多结果")
                        upd = api.callback_update(api.user(uid), last, data) if data else None
                    else:
                        upd = None
                    t = time.perf_counter()
                    update = api.queue(upd or api.message_update(api.user(uid), "大气法99条" if q == "PAGE" else q))
                    if inproc:
                        await app.update_queue.put(Update.de_json(update, app.bot))
                    while answers.get(uid, 0) <= before:
                        await asyncio.sleep(0.002)
                    end_to_end.append((time.perf_counter() - t) * 1000)
                    by_kind.setdefault(q.split()[0] if q.startswith("/") or q == "PAGE" else "question", []).append(
                        end_to_end[-1])

            async def register(i: int) -> None:
                uid = ADMIN + i
                update = api.queue(api.message_update(api.user(uid), "/start"))
                if inproc:
                    await app.update_queue.put(Update.de_json(update, app.bot))
                while not answers.get(uid):
                    await asyncio.sleep(0.002)

            # warm-up: everyone registered (a one-off write burst), caches filled; then measure steady state
            await asyncio.gather(*(register(i) for i in range(users)))
            await asyncio.gather(*(officer(i) for i in range(2)))
            processing.clear()
            end_to_end.clear()
            by_kind.clear()
            started = time.perf_counter()
            await asyncio.gather(*(officer(i) for i in range(users)))
            wall = time.perf_counter() - started
        finally:
            if not inproc:
                await app.updater.stop()
            await app.stop()
            await app.shutdown()
            await app.post_shutdown(app)
    n = len(processing)
    said = [str(c.params.get("text", "")) for c in api.calls if c.method in ("sendMessage", "editMessageText")]
    errors = sum(1 for text in said if SOMETHING_WRONG in text or DATABASE_BUSY in text)
    kind = "mixed" if mixed else "questions"
    print(f"[{transport}, {kind}, send rate {send_rate or 'unlimited'}/s] users={users} rounds={rounds} updates={n} wall={wall:.2f}s "
          f"throughput={n / wall:.0f} updates/s  error answers={errors}")
    print(f"processing per update: p50={statistics.median(processing):.1f} ms  p95={pct(processing, 95):.1f} ms"
          f"  max={max(processing):.1f} ms")
    print(f"queued → reply:        p50={statistics.median(end_to_end):.1f} ms  p95={pct(end_to_end, 95):.1f} ms")
    if mixed:
        print("  by kind (queued → reply p50/p95 ms): " + ", ".join(
            f"{k} {statistics.median(v):.0f}/{pct(v, 95):.0f}" for k, v in sorted(by_kind.items())))
    return errors == 0 and len(end_to_end) == users * rounds


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--transport", choices=["http", "inproc", "both"], default="both")
    parser.add_argument("--mixed", action="store_true", help="every kind of message, not only questions")
    parser.add_argument("--send-rate", type=float, default=30.0,
                        help="the bot's send budget (Telegram's ~30 messages/s); 0 = none, the bot's own cost")
    args = parser.parse_args()
    shared = REPO.parent / "shared" / "corpus"
    with tempfile.TemporaryDirectory() as kb_dir:
        kb = KnowledgeBase.open(Path(kb_dir), [shared] if shared.is_dir() else [])
        ok = [asyncio.run(main(args.users, args.rounds, transport, kb, args.mixed, args.send_rate))
              for transport in (["http", "inproc"] if args.transport == "both" else [args.transport])]
    sys.exit(0 if all(ok) else 1)
