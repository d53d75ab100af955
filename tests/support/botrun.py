"""The real PTB Application polling the local Bot API test server, and helpers to talk to it like a phone."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from pathlib import Path

from bot.app import build_application
from bot.fakeapi import Call, FakeBotAPI
from bot.render import MAX_MESSAGE
from bot.request import RetryingRequest
from bot.settings import Settings
from knowledge.engine import KnowledgeBase

ADMIN_ID = 900
TOKEN = "123456:TEST-TOKEN"


class RunningBot:
    """The real Application, polling the test server; helpers to talk to it like a phone would."""

    def __init__(self, app, api: FakeBotAPI, request: RetryingRequest):
        self.app, self.api, self.request = app, api, request

    async def wait(self, predicate: Callable[[list[Call]], bool], timeout: float = 15.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while not predicate(list(self.api.calls)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"bot did not answer; calls: {[c.method for c in self.api.calls]}")
            await asyncio.sleep(0.01)
        return list(self.api.calls)

    async def send(self, user_id: int, text: str, name: str = "张三", replies: int = 1) -> list[dict]:
        """Send a private message; returns the bot's new sendMessage calls to that chat."""
        before = len(self.api.sent(user_id))
        self.api.queue(self.api.message_update(self.api.user(user_id, name), text))
        await self.wait(lambda _: len(self.api.sent(user_id)) >= before + replies)
        return self.api.sent(user_id)[before:]

    async def press(self, user_id: int, message: dict, label: str) -> None:
        data = self.api.button(message, label)
        assert data is not None, f"no button {label!r} on the message"
        self.api.queue(self.api.callback_update(self.api.user(user_id), message, data))

    def stored(self, chat_id: int, params: dict) -> dict:
        """The message as Telegram holds it now (after edits), for a sendMessage call's params."""
        mine = sorted(mid for (c, mid) in self.api.messages if c == chat_id)
        for mid in reversed(mine):
            if self.api.messages[(chat_id, mid)]["text"] == params["text"]:
                return self.api.messages[(chat_id, mid)]
        raise AssertionError("message not stored")


def make_settings(tmp_path: Path, base_url: str, **overrides) -> Settings:
    values = dict(
        token=TOKEN, data_dir=tmp_path / "data", telegram_base_url=base_url, admin_ids=str(ADMIN_ID),
        corpus_dirs="", rate_limit_per_minute=1000,
        quiz_days="off",  # no daily push into tests that do not ask for it (the clock is real)
    )
    values.update(overrides)
    return Settings(**values)


async def start_bot(settings: Settings, kb: KnowledgeBase, api: FakeBotAPI) -> RunningBot:
    request = RetryingRequest(connection_pool_size=64, read_timeout=5, base_delay=0.05)
    app = build_application(settings, kb=kb, request=request)
    await app.initialize()
    await app.post_init(app)
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await app.start()
    return RunningBot(app, api, request)


async def stop_bot(bot: RunningBot) -> None:
    await bot.app.updater.stop()
    await bot.app.stop()
    await bot.app.shutdown()
    await bot.app.post_shutdown(bot.app)


def invite_code(text: str) -> str:
    m = re.search(r"邀请码：<code>([A-Z0-9]+)</code>", text)
    assert m, text
    return m.group(1)


OFFICER = 501  # the officer most chat tests register


async def register(bot: RunningBot, user_id: int = OFFICER, unit: str = "蓬江大队") -> str:
    """Admin creates 江门支队 → unit, issues an invite; the user redeems it. Returns the code."""
    await bot.send(ADMIN_ID, "/addunit 江门支队", name="局管理员")
    await bot.send(ADMIN_ID, f"/addunit {unit} 江门支队", name="局管理员")
    [reply] = await bot.send(ADMIN_ID, f"/invite {unit}", name="局管理员")
    code = invite_code(reply["text"])
    [welcome] = await bot.send(user_id, f"/start {code}", name="李四")
    assert "注册成功" in welcome["text"] and unit in welcome["text"]
    return code


ALLOWED_TAGS = re.compile(r"</?(b|i|code)>|<a href=\"[^\"<>]*\">|</a>")


def assert_clean_html(text: str) -> None:
    """≤ 4096 characters, and every < or > outside our own tags is escaped."""
    assert len(text) <= MAX_MESSAGE
    rest = ALLOWED_TAGS.sub("", text)
    assert "<" not in rest and ">" not in rest, rest


def buttons(message: dict) -> list[tuple[str, str]]:
    return [(b["text"], b.get("callback_data", "")) for row in (message.get("reply_markup") or {}).get(
        "inline_keyboard", []) for b in row]


def assert_short_callbacks(message: dict) -> None:
    assert all(len(data.encode()) <= 64 for _, data in buttons(message))
