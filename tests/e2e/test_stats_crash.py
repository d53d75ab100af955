"""A monthly statistics submission across kill -9 (issue 15): the real bot process is killed at different moments
after the officer presses 确认提交, and started again. Whatever the moment, the month ends with exactly one report
(第1次报送) holding the officer's figures: either the submission had committed, or the form is still there, at
the confirmation, and the same button submits it once. A press Telegram delivers again after the restart never
makes a second report."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest
from support.botapi_server import BotAPIServer
from support.process import BotProcess, wait_until
from support.seeding import add_unit_with_officers
from test_stats_chat import BLOCK

pytestmark = pytest.mark.faults

OFFICER = 31_000
KILL_DELAYS = (0.0, 0.05, 0.15, 0.4)  # after the press is queued; on this machine 0 s kills before the commit, the rest after
MONTHS = (date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1), date(2026, 7, 1))
TIMEOUT = 90.0


async def _seed(data_dir: Path) -> None:
    await add_unit_with_officers(f"sqlite+aiosqlite:///{data_dir / 'lawbot.sqlite3'}", "统计测试大队", {OFFICER: "统计员"})


def _reports(data_dir: Path) -> dict[str, tuple[int, str]]:
    with sqlite3.connect(data_dir / "lawbot.sqlite3") as conn:
        return {month: (revision, values) for month, revision, values in conn.execute(
            "SELECT month, revision, \"values\" FROM stats_reports")}


def _draft_stage(data_dir: Path) -> str | None:
    with sqlite3.connect(data_dir / "lawbot.sqlite3") as conn:
        row = conn.execute("SELECT stage FROM stats_drafts WHERE user_id = ?", (OFFICER,)).fetchone()
        return row[0] if row else None


def _say(server: BotAPIServer, bot: BotProcess, text: str) -> dict:
    before = len(server.api.sent(OFFICER))
    server.api.queue(server.api.message_update(server.api.user(OFFICER, "统计员"), text))
    wait_until(lambda: len(server.api.sent(OFFICER)) > before, bot, TIMEOUT, f"an answer to {text[:10]}")
    reply = server.api.sent(OFFICER)[before]
    return next(m for (chat, _mid), m in server.api.messages.items() if chat == OFFICER and m["text"] == reply["text"])


def _press(server: BotAPIServer, message: dict, label: str) -> None:
    data = server.api.button(message, label)
    assert data is not None, f"no {label} on {message['text'][:40]}"
    server.api.queue(server.api.callback_update(server.api.user(OFFICER, "统计员"), message, data))


def _submitted_texts(server: BotAPIServer) -> list[str]:
    edits = server.api.sent(OFFICER, method="editMessageText") + server.api.sent(OFFICER)
    return [m["text"] for m in edits if "已提交" in m["text"]]


def _starts(bot: BotProcess) -> int:
    return bot.log_path.read_text(errors="replace").count("Application started") if bot.log_path.exists() else 0


def _started(bot: BotProcess, before: int) -> None:
    wait_until(lambda: _starts(bot) > before, bot, TIMEOUT, "the bot polling again")


def test_a_submission_killed_at_any_moment_ends_in_exactly_one_report(tmp_path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    asyncio.run(_seed(data_dir))
    env = {"LAWBOT_QUIZ_DAYS": "off"}
    with BotAPIServer() as server:
        bot = BotProcess(server, data_dir, tmp_path / "bot.log", env=env)
        try:
            bot.start()
            for month, delay in zip(MONTHS, KILL_DELAYS, strict=True):
                period = f"{month.year}-{month.month:02d}"
                _say(server, bot, f"/stats {period}")
                summary = _say(server, bot, BLOCK)
                assert "请核对后提交" in summary["text"], summary["text"]
                _press(server, summary, "确认提交")
                time.sleep(delay)
                bot.kill()
                starts = _starts(bot)
                bot.start()
                _started(bot, starts)
                time.sleep(1.0)  # a press Telegram delivers again is handled now
                if month.isoformat() not in _reports(data_dir):
                    assert _draft_stage(data_dir) == "confirm", "the form survives the kill, at the confirmation"
                    _press(server, summary, "确认提交")
                    wait_until(lambda m=month: m.isoformat() in _reports(data_dir), bot, TIMEOUT, "the report")
        finally:
            bot.stop()
    reports = _reports(data_dir)
    assert sorted(reports) == sorted(m.isoformat() for m in MONTHS)
    assert all(revision == 1 for revision, _values in reports.values()), reports
    assert all('"fines": "3.5"' in values for _revision, values in reports.values()), reports
    texts = _submitted_texts(server)
    assert texts and not [t for t in texts if "第2次报送" in t], texts
    assert _draft_stage(data_dir) is None
    with sqlite3.connect(data_dir / "lawbot.sqlite3") as conn:
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE action LIKE 'stats.%submit%'").fetchone()[0]
    assert audited == len(MONTHS)
