"""kill -9 of the real bot process during a reminder sweep, then a restart (issue 6 §5).

The bot runs as a subprocess (`python -m bot.cli run`) against the local Bot API test server, whose
sendMessage is slow on both sides of Telegram accepting it (ACCEPT_DELAY before the call is recorded,
ANSWER_DELAY after), so a sweep of 40 takes seconds and a kill lands while a message is in flight: after
the accept (delivered, the bot never heard back) or during it (the request had already reached the server,
which still delivers it). Either way it is the one duplicate window. On one data directory:

1. 40 reminders due now; start; SIGKILL at three points (KILLS), each followed by a restart;
2. while the bot is down after the last kill, 8 more fall due; restart; everything is delivered.

The rule checked: every reminder arrives at least once; a second copy exists only for a row that was
`sending` at a kill, and that copy carries the 补发 line; the ones that fell due while the bot was down
arrive exactly once, marked late; at the end every row is `sent`. bench/reminder_bench.py --crash runs
the same harness several times and prints the counts.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.botapi_server import BotAPIServer
from support.process import BotProcess, wait_until

from bot.storage import Database, Role, User
from bot.storage.reminders import Reminder, ReminderState
from scheduler.planned import PlannedReminder, sync_planned
from scheduler.texts import REMINDER_RESENT

pytestmark = pytest.mark.faults

OFFICER = 900  # the admin by configuration
ACCEPT_DELAY = 0.06  # seconds from the bot sending a message to Telegram accepting it
ANSWER_DELAY = 0.04  # seconds from Telegram accepting a message to the bot hearing back
# (received messages, then wait): kill just after the 5th was accepted (answer pending), while the server is
# still accepting the 23rd (the 22nd's answer comes at +0.04, the 23rd is recorded at about +0.11), after the 34th
KILLS = ((5, 0.0), (22, 0.075), (34, 0.0))
LATE_AFTER = 1  # seconds: LAWBOT_REMINDER_LATE_AFTER_SECONDS, so “due while down” is seconds, not minutes
START_TIMEOUT = 60.0


@dataclass
class Kill:
    received_before: int  # distinct seeded reminders Telegram had accepted when the process died
    in_flight: dict[int, str]  # reminder id → text of the rows left `sending`


@dataclass
class CrashOutcome:
    seeded: dict[int, str]  # reminder id → text
    due_while_down: set[int]
    kills: list[Kill]
    deliveries: list[str] = field(default_factory=list)  # texts of the sendMessage calls, in order
    final_states: Counter = field(default_factory=Counter)

    def copies(self, rid: int) -> list[str]:
        marker = self.seeded[rid]
        return [t for t in self.deliveries if marker in t]

    @property
    def in_flight_ids(self) -> set[int]:
        return {rid for k in self.kills for rid in k.in_flight}

    @property
    def duplicates(self) -> int:
        return sum(max(len(self.copies(rid)) - 1, 0) for rid in self.seeded)

    @property
    def lost(self) -> int:
        return sum(1 for rid in self.seeded if not self.copies(rid))

    @property
    def delivered(self) -> int:
        return sum(1 for rid in self.seeded if self.copies(rid))


# --- the database, seen from outside the bot ----------------------------------------------------------
def db_url(data_dir: Path) -> str:
    return f"sqlite+aiosqlite:///{data_dir / 'lawbot.sqlite3'}"


async def seed_at(url: str, prefix: str, texts: list[str], due: datetime, first: bool) -> dict[int, str]:
    """Planned reminders through the same path the case and org planners use (`first`: migrate, add the officer)."""
    database = Database(url)
    try:
        if first:
            await database.migrate()
            async with database.session() as s:
                s.add(User(id=OFFICER, name="局管理员", role=Role.admin))
        keys = {f"org:crash:{prefix}:{i}": text for i, text in enumerate(texts)}
        async with database.session() as s:
            planned = [PlannedReminder(key, OFFICER, OFFICER, due, text, "org") for key, text in keys.items()]
            await sync_planned(s, planned, scope_prefix=f"org:crash:{prefix}:")
        async with database.session() as s:
            rows = (await s.execute(
                Reminder.__table__.select().where(Reminder.dedupe_key.in_(keys))
            )).mappings().all()
            return {row["id"]: row["text"] for row in rows}
    finally:
        await database.dispose()


def seed(data_dir: Path, prefix: str, texts: list[str], due: datetime, first: bool = False) -> dict[int, str]:
    return asyncio.run(seed_at(db_url(data_dir), prefix, texts, due, first))


def rows_in_state(data_dir: Path, state: ReminderState) -> dict[int, str]:
    with sqlite3.connect(data_dir / "lawbot.sqlite3") as conn:
        return dict(conn.execute("SELECT id, text FROM reminders WHERE state = ?", (state.value,)).fetchall())


def state_counts(data_dir: Path) -> Counter:
    with sqlite3.connect(data_dir / "lawbot.sqlite3") as conn:
        return Counter(dict(conn.execute("SELECT state, count(*) FROM reminders GROUP BY state").fetchall()))


# --- the bot process ----------------------------------------------------------------------------------
def _received(server: BotAPIServer, texts: dict[int, str]) -> int:
    sent = [m["text"] for m in server.api.sent(OFFICER)]
    return sum(1 for t in texts.values() if any(t in m for m in sent))


def run_crash_scenario(workdir: Path, n_due: int = 40, kills: tuple[tuple[int, float], ...] = KILLS,
                       n_down: int = 8) -> CrashOutcome:
    """Seed, start, kill -9 at each (received reminders, then seconds) point of `kills`, restart; let `n_down`
    more fall due while the bot is down before the last restart; run until everything is delivered."""
    data_dir = workdir / "data"
    with BotAPIServer(delays={"sendMessage": ANSWER_DELAY}, accept_delays={"sendMessage": ACCEPT_DELAY}) as server:
        bot = BotProcess(server, data_dir, workdir / "bot.log", env={
            "LAWBOT_ADMIN_IDS": str(OFFICER), "LAWBOT_REMINDER_LATE_AFTER_SECONDS": str(LATE_AFTER),
            "LAWBOT_QUIZ_DAYS": "off"})  # only the seeded reminders: no daily quiz push for the officer
        seeded = seed(data_dir, "now", [f"第{i:02d}号 报送提醒（崩溃测试）" for i in range(n_due)],
                      datetime.now(UTC), first=True)
        done: list[Kill] = []
        down: dict[int, str] = {}
        try:
            for i, (threshold, then) in enumerate(kills):
                bot.start()
                wait_until(lambda t=threshold: _received(server, seeded) >= t, bot, START_TIMEOUT, f"{threshold} reminders")
                time.sleep(then)
                bot.kill()
                done.append(Kill(_received(server, seeded), rows_in_state(data_dir, ReminderState.sending)))
                if i == len(kills) - 1 and n_down:  # these fall due while the bot is down
                    due = datetime.now(UTC) + timedelta(seconds=1)
                    down = seed(data_dir, "down", [f"停机期间到期第{j}条" for j in range(n_down)], due)
                    time.sleep(1 + LATE_AFTER + 0.5)
            everything = {**seeded, **down}
            bot.start()
            wait_until(lambda: _received(server, everything) == len(everything)
                  and not rows_in_state(data_dir, ReminderState.pending)
                  and not rows_in_state(data_dir, ReminderState.sending), bot, START_TIMEOUT, "every reminder")
        finally:
            bot.stop()
        return CrashOutcome(everything, set(down), done, [m["text"] for m in server.api.sent(OFFICER)],
                            state_counts(data_dir))


def test_kill_during_sweep_then_restart(tmp_path) -> None:
    out = run_crash_scenario(tmp_path)
    # the kills happened mid-sweep: some but not all had arrived, and at most the one in flight was claimed
    assert all(k.received_before < 40 for k in out.kills) and out.kills[0].received_before >= 5
    assert all(len(k.in_flight) <= 1 for k in out.kills), out.kills
    assert out.final_states == Counter({"sent": 48})
    assert out.lost == 0
    for rid, text in out.seeded.items():
        copies = out.copies(rid)
        assert 1 <= len(copies) <= 2, (text, copies)
        if len(copies) == 2:  # only the window between Telegram's accept and the sent-mark
            assert rid in out.in_flight_ids, (text, out.kills)
            assert REMINDER_RESENT not in copies[0] and REMINDER_RESENT in copies[1]
        if rid in out.in_flight_ids:  # re-sent after the restart whether or not the first copy arrived
            assert REMINDER_RESENT in copies[-1]
        else:
            assert all(REMINDER_RESENT not in c for c in copies), (text, copies)
    for rid in out.due_while_down:
        [copy] = out.copies(rid)
        assert copy.startswith("📅 报送提醒\n停机期间到期") and "系统暂停后延迟送达" in copy
    assert out.duplicates <= len(out.in_flight_ids)
