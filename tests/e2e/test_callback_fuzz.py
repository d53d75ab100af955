"""Forged and stale button data (issue 15): random callback data under every prefix a handler listens to, pressed
by a registered officer on a message of the chat; every press is answered and none ends in the error handler."""

from __future__ import annotations

import random
import time

import pytest
from support.botrun import OFFICER, register

from handlers.texts import BUTTON_UNKNOWN, SOMETHING_WRONG

pytestmark = pytest.mark.faults

PREFIXES = ["p", "f", "r", "a", "iu", "ir", "ct", "ck", "xs", "xd", "xe", "xi", "od", "qz", "qz:new", "rm", "rm:c", "st",
            "cc", "cl", "zz"]
PIECES = ["", "0", "1", "-1", "999999999999999999999", "abc", "中文", "法典", "1107", "x" * 40, "%", "::", "None",
          "ctoken", "3.5", " "]


def forged(rng: random.Random) -> str:
    parts = [rng.choice(PIECES) for _ in range(rng.randint(0, 4))]
    return ":".join([rng.choice(PREFIXES), *parts])[:64]  # Telegram's limit


async def test_forged_button_data_never_reaches_the_error_handler(bot):
    await register(bot)
    rng = random.Random(15)
    message = {"message_id": 1, "date": int(time.time()), "chat": {"id": OFFICER, "type": "private"},
               "text": "旧消息"}
    presses = [forged(rng) for _ in range(150)]
    for data in presses:
        bot.api.queue(bot.api.callback_update(bot.api.user(OFFICER), message, data))
    await bot.wait(lambda calls: sum(1 for c in calls if c.method == "answerCallbackQuery") >= len(presses)
                   or any(SOMETHING_WRONG in str(c.params) for c in calls), timeout=60)
    wrong = [c.params for c in bot.api.calls if SOMETHING_WRONG in str(c.params)]
    assert not wrong, wrong[:3]
    # every press was answered (a button no handler knows says it has lapsed)
    answered = [c.params for c in bot.api.calls if c.method == "answerCallbackQuery"]
    assert len(answered) == len(presses)
    assert any(a.get("text") == BUTTON_UNKNOWN for a in answered)
