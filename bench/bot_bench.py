"""Bot benchmark: 20 officers asking at once, the real Application against the local Bot API server.

Prints per-update processing time (Application.process_update: handlers, database, search, the reply
sent to the local server) and the end-to-end time from an update being queued to the reply arriving
(adds getUpdates delivery), as p50/p95. No external network.

Two transports: `http` (the local test server in this process, over real sockets: its threads share the
GIL with the bot, so it overstates) and `inproc` (the same fake API called in-process; updates go
straight into the Application's update queue): the bot's own cost.

    .venv/bin/python bench/bot_bench.py [--users 20] [--rounds 10] [--transport http|inproc|both]
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
from knowledge.engine import KnowledgeBase  # noqa: E402

QUESTIONS = [
    "大气法99条", "危废没贴标签怎么罚", "首违能不能不罚", "听证几天内申请", "处罚法33条",
    "法典第1107条", "无证排污怎么处罚", "查封扣押期限多长", "《水污染防治法》第八十三条第二项", "按日连续处罚",
]
ADMIN = 900


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def main(users: int, rounds: int, transport: str, kb: KnowledgeBase) -> None:
    inproc = transport == "inproc"
    with tempfile.TemporaryDirectory() as tmp, BotAPIServer() as server:
        api = server.api
        settings = Settings(token="1:BENCH", data_dir=Path(tmp), telegram_base_url=server.base_url,
                            admin_ids=",".join(str(ADMIN + i) for i in range(users)), corpus_dirs="",
                            rate_limit_per_minute=10_000)
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

            async def officer(i: int) -> None:
                uid = ADMIN + i  # admins by configuration: registered on first contact
                for r in range(rounds):
                    before = len(api.sent(uid)) + len(api.sent(uid, "editMessageText"))
                    q = QUESTIONS[(i + r) % len(QUESTIONS)]
                    if r % 3 == 2:  # every third action turns the page
                        last = [m for (c, _), m in list(api.messages.items()) if c == uid][-1]
                        data = api.button(last, "更多结果")
                        upd = api.callback_update(api.user(uid), last, data) if data else None
                    else:
                        upd = None
                    t = time.perf_counter()
                    update = api.queue(upd or api.message_update(api.user(uid), q))
                    if inproc:
                        await app.update_queue.put(Update.de_json(update, app.bot))
                    while len(api.sent(uid)) + len(api.sent(uid, "editMessageText")) <= before:
                        await asyncio.sleep(0.002)
                    end_to_end.append((time.perf_counter() - t) * 1000)

            async def register(i: int) -> None:
                uid = ADMIN + i
                update = api.queue(api.message_update(api.user(uid), "/start"))
                if inproc:
                    await app.update_queue.put(Update.de_json(update, app.bot))
                while not api.sent(uid):
                    await asyncio.sleep(0.002)

            # warm-up: everyone registered (a one-off write burst), caches filled; then measure steady state
            await asyncio.gather(*(register(i) for i in range(users)))
            await asyncio.gather(*(officer(i) for i in range(2)))
            processing.clear()
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
    print(f"[{transport}] users={users} rounds={rounds} updates={n} wall={wall:.2f}s throughput={n / wall:.0f} updates/s")
    print(f"processing per update: p50={statistics.median(processing):.1f} ms  p95={pct(processing, 95):.1f} ms"
          f"  max={max(processing):.1f} ms")
    print(f"queued → reply:        p50={statistics.median(end_to_end):.1f} ms  p95={pct(end_to_end, 95):.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--transport", choices=["http", "inproc", "both"], default="both")
    args = parser.parse_args()
    shared = REPO.parent / "shared" / "corpus"
    with tempfile.TemporaryDirectory() as kb_dir:
        kb = KnowledgeBase.open(Path(kb_dir), [shared] if shared.is_dir() else [])
        for transport in (["http", "inproc"] if args.transport == "both" else [args.transport]):
            asyncio.run(main(args.users, args.rounds, transport, kb))
