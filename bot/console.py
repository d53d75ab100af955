"""`lawbot console`: chat with the real bot offline. One message per line on stdin, replies on stdout.

The real Application (same handlers, services, rendering) runs against an in-process fake Bot API;
each line becomes a Telegram update from a local user who is an admin. Typing a button's label (with or
without the brackets) presses that button of the latest reply.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

from telegram import Update

from bot import texts
from bot.app import build_application, drain, startup
from bot.fakeapi import Call, FakeBotAPI, LocalRequest
from bot.render import strip_html
from bot.settings import Settings, get_settings
from scheduler.services import KEY

CONSOLE_USER_ID = 1
CONSOLE_USER_NAME = "本机用户"
CONSOLE_POLL_HINT = "（输入选项编号作答，多选用逗号分隔，如 1,3）"
CONSOLE_RIGHT = "✅ 回答正确。"
CONSOLE_WRONG = "❌ 正确答案：{right}。"


def poll_verdict(poll: dict, chosen: list[int]) -> str:
    """What Telegram's quiz poll shows after a vote (right or wrong, the explanation), as console text."""
    right = list(poll.get("correct_option_ids") or [])
    head = CONSOLE_RIGHT if sorted(chosen) == sorted(right) else CONSOLE_WRONG.format(
        right="、".join(str(i + 1) for i in right))
    return head + (f"\n{poll['explanation']}" if poll.get("explanation") else "")
_ANSWER = re.compile(r"^\d{1,2}(?:\s*[,，、]\s*\d{1,2})*$")


def console_settings(settings: Settings) -> Settings:
    """The local user is an admin; the console keeps its own user database beside the real one."""
    admins = ",".join(filter(None, [settings.admin_ids, str(CONSOLE_USER_ID)]))
    db_url = settings.db_url or f"sqlite+aiosqlite:///{settings.data_dir / 'console.sqlite3'}"
    return settings.model_copy(update={"admin_ids": admins, "db_url": db_url, "token": "0:console"})


def format_call(call: Call) -> tuple[str, list[tuple[str, str]]]:
    """Plain text for one outgoing call, and the buttons it carried as (label, callback data)."""
    p = call.params
    buttons = [(b["text"], b.get("callback_data", "")) for row in (p.get("reply_markup") or {}).get(
        "inline_keyboard", []) for b in row]
    if call.method in ("sendMessage", "editMessageText"):
        text = strip_html(p.get("text", ""))
        if buttons:
            text += "\n" + "\n".join(f"[{label}]" for label, _ in buttons)
        return text, buttons
    if call.method == "sendPoll":
        options = [o if isinstance(o, str) else o.get("text", "") for o in p.get("options") or []]
        lines = [f"❓ {p.get('question', '')}"] + [f"  {i}. {o}" for i, o in enumerate(options, 1)]
        lines.append(CONSOLE_POLL_HINT)
        return "\n".join(lines), []
    if call.method in ("sendDocument", "sendPhoto"):
        upload = next((v for k, v in p.items() if k.startswith("_file_")), ("file", b""))
        kind = "文件" if call.method == "sendDocument" else "图片"
        return f"[{kind}] {upload[0]}（{len(upload[1]) // 1024 + 1} KB）{p.get('caption') or ''}", []
    if call.method == "answerCallbackQuery" and p.get("text"):
        return strip_html(p["text"]), []
    if call.method == "answerInlineQuery":
        titles = [r.get("title", "") for r in p.get("results", [])]
        return "\n".join(titles), []
    return "", []


class _Printer:
    """Writes every outgoing call once, in order: replies to typed lines and messages from jobs (reminders)."""

    def __init__(self, api: FakeBotAPI, stdout: TextIO):
        self.api, self.stdout, self.printed = api, stdout, 0
        self.last_message: dict | None = None  # the latest message with buttons: typing a label presses it
        self.last_poll: dict | None = None  # the latest quiz poll: typing option numbers answers it

    def flush(self) -> None:
        for call in self.api.calls[self.printed:]:
            text, buttons = format_call(call)
            if text:
                self.stdout.write(text + "\n\n")
            if buttons and call.method in ("sendMessage", "editMessageText"):
                self.last_message = _stored(self.api, call) or self.last_message
            if call.method == "sendPoll":
                stored = _stored(self.api, call)
                self.last_poll = stored.get("poll") if stored else self.last_poll
        self.printed = len(self.api.calls)
        self.stdout.flush()

    async def watch(self, every: float = 0.5) -> None:
        while True:
            await asyncio.sleep(every)
            self.flush()


async def console_loop(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    api = FakeBotAPI()
    app = build_application(console_settings(settings), request=LocalRequest(api))
    await app.initialize()
    await startup(app)
    await app.start()  # the job queue too: reminders set in the console fire while it is open
    user = api.user(CONSOLE_USER_ID, CONSOLE_USER_NAME)
    printer = _Printer(api, stdout)
    vectors = app.bot_data[KEY].answers.kb.vectors
    if vectors is not None and vectors.available and not vectors.ready:
        stdout.write(texts.VECTORS_BUILDING + "\n\n")
    printer.flush()
    watcher = asyncio.create_task(printer.watch())
    try:
        while raw := await asyncio.to_thread(stdin.readline):  # "" at end of input
            line = raw.strip()
            if not line:
                continue
            last = printer.last_message
            data = api.button(last, line.strip("[]")) if last else None
            if printer.last_poll is not None and _ANSWER.match(line):
                chosen = [int(n) - 1 for n in re.split(r"\s*[,，、]\s*", line)]
                update = api.poll_answer_update(user, printer.last_poll["id"], chosen)
                stdout.write(poll_verdict(printer.last_poll, chosen) + "\n\n")
                printer.last_poll = None
            elif data is not None and line.strip("[]"):
                update = api.callback_update(user, last, data)
            else:
                update = api.message_update(user, line)
            await app.process_update(Update.de_json(api.queue(update), app.bot))
            await _settle(app)
            printer.flush()
    finally:
        watcher.cancel()
        await app.stop()
        await drain(app)
        printer.flush()  # what the last sweep delivered
        await app.shutdown()
        await app.bot_data[KEY].db.dispose()
    return 0


async def _settle(app, limit: float = 5.0) -> None:
    """What a line set going through the sweep (the quiz's next poll, a reminder due now) is printed before the
    next line is read, so that piped input answers the poll it follows."""
    reminders = app.bot_data[KEY].reminders
    waited = 0.0
    while waited < limit:
        await asyncio.sleep(0.05)  # a wake-up is a job that starts on the next loop turns (later on a busy machine)
        waited += 0.05
        now = datetime.now(UTC)
        due = any(job.next_t is not None and job.next_t <= now for job in app.job_queue.jobs())
        if not (due or reminders.running or reminders.sweep_lock.locked()):
            break


def _stored(api: FakeBotAPI, call: Call) -> dict | None:
    """The message the fake API stored for a send/edit (it carries the buttons to press next)."""
    if call.method == "editMessageText":
        return api.messages.get((int(call.params["chat_id"]), int(call.params["message_id"])))
    chat = int(call.params["chat_id"])
    ids = [mid for (c, mid) in api.messages if c == chat]
    return api.messages[(chat, max(ids))] if ids else None


def run_console(settings: Settings | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    # the job queue's own bookkeeping ("Run time of job … was missed") is not for the officer at the console
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    for stream in (sys.stdout, sys.stdin):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    return asyncio.run(console_loop(settings or get_settings(), stdin or sys.stdin, stdout or sys.stdout))
