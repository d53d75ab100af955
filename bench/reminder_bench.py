"""Reminder delivery benchmark: the real Application against the local Bot API server (HTTP), real clock.

- delay: N reminders due at staggered moments over SPREAD seconds; delivery delay = the moment the server
  received the message − due_at; p50/p95/max, with the precise wake-up and with the 10 s sweep alone;
- backlog: B reminders for ten officers that fell due while the bot was down; time from the restart
  (Application start) to the last delivery, and messages per second, with the server answering at once
  and after 50 ms (a Telegram round trip), in one lane (the default) and in four;
- --crash: the kill -9 scenario of tests/e2e/test_reminder_crash.py, R times: reminders seeded, delivered,
  duplicates, lost.

    .venv/bin/python bench/reminder_bench.py [--n 60] [--spread 40] [--backlog 500] [--crash 5] [--only delay|backlog|crash]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "e2e")]

from support.botapi_server import BotAPIServer  # noqa: E402
from support.botrun import make_settings, start_bot, stop_bot  # noqa: E402

import scheduler.jobs as reminder_jobs  # noqa: E402
import scheduler.reminders as delivery  # noqa: E402
from bot.storage import Database, Role, User  # noqa: E402
from knowledge.engine import KnowledgeBase  # noqa: E402
from scheduler.planned import PlannedReminder, sync_planned  # noqa: E402
from scheduler.services import KEY  # noqa: E402

OFFICERS = [900 + i for i in range(10)]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def plan(db: Database, dues: list[datetime], tag: str) -> dict[str, datetime]:
    """Reminders through the planners' path, spread over ten officers; returns text → due_at."""
    async with db.session() as s:
        for uid in OFFICERS:
            if await s.get(User, uid) is None:
                s.add(User(id=uid, name=f"执法员{uid}", role=Role.officer))
    planned = {f"{tag}#{i:04d}": due for i, due in enumerate(dues)}
    async with db.session() as s:
        await sync_planned(s, [
            PlannedReminder(f"org:bench:{tag}:{i}", OFFICERS[i % 10], OFFICERS[i % 10], due, text, "org")
            for i, (text, due) in enumerate(planned.items())
        ], scope_prefix=f"org:bench:{tag}:")
    return planned


def received_at(server: BotAPIServer, planned: dict[str, datetime], wall_offset: float) -> dict[str, datetime]:
    """text → wall-clock moment the server recorded it (first copy)."""
    seen: dict[str, datetime] = {}
    for call in list(server.api.calls):
        if call.method != "sendMessage" or call.status != 200:
            continue
        text = call.params.get("text", "")
        tag = text.split("\n", 2)[1] if text.count("\n") >= 1 else ""
        if tag in planned and tag not in seen:
            seen[tag] = datetime.fromtimestamp(call.at + wall_offset, UTC)
    return seen


async def wait_all(server: BotAPIServer, planned: dict, wall_offset: float, timeout: float) -> dict[str, datetime]:
    deadline = time.monotonic() + timeout
    while len(seen := received_at(server, planned, wall_offset)) < len(planned):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(seen)}/{len(planned)} delivered")
        await asyncio.sleep(0.02)
    return seen


async def delay_run(kb: KnowledgeBase, n: int, spread: float, precise: bool) -> list[float]:
    reminder_jobs.PRECISE_WAKEUP = precise
    wall_offset = time.time() - time.monotonic()
    rng = random.Random(6)
    with tempfile.TemporaryDirectory() as tmp, BotAPIServer() as server:
        bot = await start_bot(make_settings(Path(tmp), server.base_url), kb, server.api)
        try:
            start = datetime.now(UTC) + timedelta(seconds=3)
            dues = [start + timedelta(seconds=rng.uniform(0, spread)) for _ in range(n)]
            planned = await plan(bot.app.bot_data[KEY].db, dues, "delay")
            seen = await wait_all(server, planned, wall_offset, spread + 30)
        finally:
            await stop_bot(bot)
            reminder_jobs.PRECISE_WAKEUP = True
    return [(seen[t] - due).total_seconds() for t, due in planned.items()]


async def backlog_run(kb: KnowledgeBase, count: int, answer_delay: float, lanes: int) -> tuple[float, float, float]:
    """(seconds from start to the first delivery, to the last, msgs/s between them)."""
    delivery.SEND_LANES = lanes
    wall_offset = time.time() - time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, BotAPIServer(delays={"sendMessage": answer_delay}) as server:
        settings = make_settings(Path(tmp), server.base_url)
        db = Database(settings.database_url)  # written while the bot is down
        await db.migrate()
        planned = await plan(db, [datetime.now(UTC) - timedelta(hours=1)] * count, "backlog")
        await db.dispose()
        started = time.monotonic()
        second = await start_bot(settings, kb, server.api)
        try:
            seen = await wait_all(server, planned, wall_offset, 120 + count * (answer_delay + 0.05))
        finally:
            await stop_bot(second)
            delivery.SEND_LANES = 1
    moments = sorted(t.timestamp() - wall_offset for t in seen.values())
    return moments[0] - started, moments[-1] - started, (count - 1) / max(moments[-1] - moments[0], 1e-9)


def crash_runs(runs: int) -> None:
    from test_reminder_crash import run_crash_scenario

    print(f"\nkill -9 during a sweep (3 kills, 40 due + 8 falling due while down), {runs} runs")
    print(f"{'run':>3}  {'seeded':>6}  {'delivered':>9}  {'duplicates':>10}  {'lost':>4}  {'in flight at kills':>18}  "
          f"{'dup. without 补发 line':>22}  {'final':>10}  {'wall':>6}")
    for i in range(1, runs + 1):
        t = time.monotonic()
        with tempfile.TemporaryDirectory() as tmp:
            out = run_crash_scenario(Path(tmp))
        unflagged = sum(1 for rid in out.seeded if len(out.copies(rid)) > 1 and "补发" not in out.copies(rid)[-1])
        in_flight = "+".join(str(len(k.in_flight)) for k in out.kills)
        final = ",".join(f"{k} {v}" for k, v in sorted(out.final_states.items()))
        print(f"{i:>3}  {len(out.seeded):>6}  {out.delivered:>9}  {out.duplicates:>10}  {out.lost:>4}  {in_flight:>18}  "
              f"{unflagged:>22}  {final:>10}  {time.monotonic() - t:>5.1f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="reminders in the delay run")
    parser.add_argument("--spread", type=float, default=40.0, help="seconds over which they fall due")
    parser.add_argument("--backlog", type=int, default=500)
    parser.add_argument("--crash", type=int, default=5, help="kill -9 runs")
    parser.add_argument("--only", choices=["delay", "backlog", "crash"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as kb_dir:
        kb = KnowledgeBase.open(Path(kb_dir), []) if args.only != "crash" else None
        if args.only in (None, "delay"):
            print(f"delivery delay (server received − due_at), {args.n} reminders due over {args.spread:.0f} s")
            print(f"{'mode':<30} {'p50':>9} {'p95':>9} {'max':>9}")
            for precise in (True, False):
                d = asyncio.run(delay_run(kb, args.n, args.spread, precise))
                label = "precise wake-up + 10 s sweep" if precise else "10 s sweep only"
                print(f"{label:<30} " + " ".join(f"{v * 1000:>6.0f} ms" for v in (statistics.median(d), pct(d, 95), max(d))))
        if args.only in (None, "backlog"):
            print(f"\nbacklog: {args.backlog} reminders due while down, delivered after the restart")
            print(f"{'sendMessage answer':<20} {'lanes':>5} {'first':>7} {'all':>7} {'msgs/s':>7}")
            for answer_delay in (0.0, 0.05):
                for lanes in (1, 4):
                    first, last, rate = asyncio.run(backlog_run(kb, args.backlog, answer_delay, lanes))
                    print(f"{f'{answer_delay * 1000:.0f} ms':<20} {lanes:>5} {first:>6.2f}s {last:>6.2f}s {rate:>7.0f}")
    if args.only in (None, "crash") and args.crash:
        crash_runs(args.crash)


if __name__ == "__main__":
    main()
