"""End to end: 案卷核验 in chat. Files and photos sent to the real Application polling the local Bot API
server, which serves getFile and the download; asserting on what the officer sees."""

from __future__ import annotations

import pytest
from support.botrun import OFFICER, RunningBot, assert_clean_html, buttons, register
from support.documents import CLEAN, DEFECTIVE, docx_bytes, pdf_bytes, photo_bytes

from handlers.texts import REGISTER_FIRST
from handlers.texts import check as t
from knowledge.documents import MAX_BYTES
from knowledge.ocr import engine_problem
from knowledge.texts import MSG_DOC_TYPE

STRANGER = 777


def results(bot: RunningBot, chat: int) -> list[dict]:
    """The progress messages as they read now (each is edited into the findings)."""
    return [bot.api.messages[(chat, mid)] for (c, mid) in sorted(bot.api.messages)
            if c == chat and "🔎 核验结果" in bot.api.messages[(c, mid)].get("text", "")]


async def send_file(bot: RunningBot, name: str, content: bytes, size: int | None = None,
                    user: int = OFFICER) -> None:
    bot.api.queue(bot.api.document_update(bot.api.user(user), name, content, size))


async def wait_result(bot: RunningBot, count: int, timeout: float = 60) -> dict:
    await bot.wait(lambda _: len(results(bot, OFFICER)) >= count, timeout=timeout)
    return results(bot, OFFICER)[count - 1]


def getfile_calls(bot: RunningBot) -> int:
    return sum(1 for c in bot.api.calls if c.method == "getFile")


async def test_a_word_decision_comes_back_with_findings_and_a_clean_one_clean(bot):
    await register(bot)
    await send_file(bot, "处罚决定书.docx", docx_bytes(DEFECTIVE))
    found = await wait_result(bot, 1)
    text = found["text"]
    assert_clean_html(text)
    assert "《处罚决定书.docx》" in text and "发现 3 处错误" in text
    assert "《大气污染防治法》已于2026年8月15日被《生态环境法典》废止" in text
    assert "应引用《生态环境法典》第一千一百零七条" in text
    assert "罚款五万元，低于《生态环境法典》第一千一百零七条法定最低十万元" in text
    assert "原文：“依据《中华人民共和国大气污染防治法》第九十九条第二项的规定，”" in text
    assert "原文：“本局决定对你单位处罚款人民币伍万元整。”" in text
    progress = [p for p in bot.api.sent(OFFICER) if p["text"].startswith("📄 正在读取")]
    assert progress, "a progress message first"

    await send_file(bot, "决定书（改）.pdf", pdf_bytes(CLEAN))
    clean = (await wait_result(bot, 2))["text"]
    assert "✅ 未发现问题" in clean and "❌" not in clean


async def test_limits_are_said_before_anything_is_downloaded(bot):
    await register(bot)
    before = getfile_calls(bot)
    [big] = await _reply(bot, lambda: send_file(bot, "卷宗.pdf", b"%PDF-", size=MAX_BYTES + 1))
    assert "超过 10 MB" in big["text"]
    [doc] = await _reply(bot, lambda: send_file(bot, "决定书.doc", b"\xd0\xcf\x11\xe0"))
    assert doc["text"] == MSG_DOC_TYPE
    assert getfile_calls(bot) == before


async def test_only_members_may_send_documents(bot):
    before = len(bot.api.sent(STRANGER))
    await send_file(bot, "处罚决定书.docx", docx_bytes(DEFECTIVE), user=STRANGER)
    await bot.wait(lambda _: len(bot.api.sent(STRANGER)) > before)
    assert bot.api.sent(STRANGER)[-1]["text"] == REGISTER_FIRST
    assert getfile_calls(bot) == 0


async def test_check_command_explains_what_to_send(bot):
    await register(bot)
    [reply] = await bot.send(OFFICER, "/check")
    assert reply["text"] == t.PROMPT


@pytest.mark.skipif(engine_problem() is not None, reason=f"OCR engine: {engine_problem()}")
async def test_an_album_of_photos_is_read_as_one_document_with_its_text_behind_a_button(bot):
    await register(bot)
    pages = [photo_bytes(DEFECTIVE[:6], skew=3.0), photo_bytes(DEFECTIVE[6:])]
    for page in pages:
        bot.api.queue(bot.api.photo_update(bot.api.user(OFFICER), page, media_group_id="album-1"))
    found = await wait_result(bot, 1, timeout=120)
    assert [p for p in bot.api.sent(OFFICER) if "正在识别 2 页照片" in p["text"]]
    assert "2 页照片" in found["text"]
    assert "应引用《生态环境法典》第一千一百零七条" in found["text"]
    assert "低于《生态环境法典》第一千一百零七条法定最低十万元" in found["text"]
    assert [label for label, _ in buttons(found)] == [t.TEXT_BUTTON]

    before = len(bot.api.sent(OFFICER))
    await bot.press(OFFICER, found, t.TEXT_BUTTON)
    await bot.wait(lambda _: len(bot.api.sent(OFFICER)) > before)
    shown = bot.api.sent(OFFICER)[-1]["text"]
    assert shown.startswith("识别出的文字") and "第九十九条第二项" in shown
    assert shown.index("经查") < shown.index("本局决定")  # page order kept


async def _reply(bot: RunningBot, action) -> list[dict]:
    before = len(bot.api.sent(OFFICER))
    await action()
    await bot.wait(lambda _: len(bot.api.sent(OFFICER)) > before)
    return bot.api.sent(OFFICER)[before:]
