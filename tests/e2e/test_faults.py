"""Faults (issue 15): one Bot API call in five fails — 429 with retry_after, 500, 502 in turn — while officers
send mixed messages at once; every message still gets its answer, exactly one."""

from __future__ import annotations

import asyncio
import time

from support.botrun import OFFICER, RunningBot, register

MESSAGES = ["大气法99条", "企业未批先建怎么罚", "/help", "/cases 油烟", "处罚法33条", "私设暗管偷排怎么罚",
            "法典第1107条", "噪声法77条", "危废没贴标签能不能不罚", "/law 复议期限"]


def answered(bot: RunningBot, chat: int) -> int:
    return sum(1 for c in bot.api.calls if c.method == "sendMessage" and c.status == 200
               and int(c.params["chat_id"]) == chat)


async def test_one_call_in_five_failing_loses_no_answer(bot):
    officers = [OFFICER, OFFICER + 1, OFFICER + 2]
    for i, officer in enumerate(officers):
        await register(bot, officer, unit=f"第{i + 1}大队")
    before = {o: answered(bot, o) for o in officers}
    bot.api.fail_every = 5
    started = time.monotonic()
    for _round in range(2):
        for text in MESSAGES:
            for officer in officers:
                bot.api.queue(bot.api.message_update(bot.api.user(officer), text))
    want = 2 * len(MESSAGES)
    await bot.wait(lambda _: all(answered(bot, o) - before[o] >= want for o in officers), timeout=120)
    elapsed = time.monotonic() - started
    bot.api.fail_every = 0
    failed = [c for c in bot.api.calls if c.status != 200]
    assert len(failed) >= want * len(officers) // 5 * 0.8, "the faults were injected"
    assert {c.status for c in failed} >= {429, 500, 502}
    await asyncio.sleep(0.5)  # nothing more arrives: a retried call is not answered twice
    assert all(answered(bot, o) - before[o] == want for o in officers), {o: answered(bot, o) - before[o]
                                                                          for o in officers}
    assert elapsed < 90
