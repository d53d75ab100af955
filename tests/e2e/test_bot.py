"""End to end: the real PTB Application (bot/app.py) polling a local Bot API server over HTTP."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

from support.botrun import (
    ADMIN_ID,
    OFFICER,
    invite_code,
    make_settings,
    register,
    start_bot,
    stop_bot,
)
from support.paths import REPO
from support.process import lawbot_env

from bot.render import MAX_MESSAGE, strip_html
from scheduler.services import KEY


async def test_menu_set_on_start(bot):
    scopes = [c.params.get("scope", {}).get("type", "default") for c in bot.api.calls if c.method == "setMyCommands"]
    assert "default" in scopes


async def test_unregistered_user_gets_registration_path_only(bot):
    [reply] = await bot.send(777, "大气法99条")
    assert "邀请码" in reply["text"] and "第九十九条" not in reply["text"]
    [reply] = await bot.send(777, "/law 大气法99条")
    assert "邀请码" in reply["text"] and "大气" not in reply["text"]
    [reply] = await bot.send(777, "/start WRONGCODE")
    assert "邀请码无效" in reply["text"] and "777" in reply["text"]  # their id, so an admin can help
    bot.api.queue(bot.api.inline_update(bot.api.user(777), "大气法99"))
    calls = await bot.wait(lambda cs: any(c.method == "answerInlineQuery" for c in cs))
    answer = [c.params for c in calls if c.method == "answerInlineQuery"][-1]
    assert answer["results"] == [] and answer["button"]["start_parameter"] == "register"


async def test_registration_with_invite_code(bot):
    code = await register(bot)
    # the code is single-use
    [reply] = await bot.send(502, f"/start {code}")
    assert "已被使用" in reply["text"]
    # deep link in the invite message carries the code
    [reply] = await bot.send(ADMIN_ID, "/invite 蓬江大队", name="局管理员")
    assert f"https://t.me/lawbot_test_bot?start={invite_code(reply['text'])}" in reply["text"]
    # the registered officer now gets answers
    [card] = await bot.send(OFFICER, "大气法99条")
    assert "《大气污染防治法》第九十九条" in card["text"]


async def test_invite_unit_chosen_from_tree_and_unit_admin_scope(bot):
    await register(bot)
    [menu] = await bot.send(ADMIN_ID, "/invite", name="局管理员")
    labels = [b["text"].strip("\u3000") for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["江门支队", "蓬江大队"]  # parent first, child indented below it
    await bot.press(ADMIN_ID, bot.stored(ADMIN_ID, menu), "\u3000蓬江大队")
    calls = await bot.wait(lambda cs: any(c.method == "editMessageText" and "邀请码" in c.params["text"] for c in cs))
    assert "蓬江大队" in [c for c in calls if c.method == "editMessageText"][-1].params["text"]

    # an officer cannot invite; after /promote they can, for their own unit only
    [reply] = await bot.send(OFFICER, "/invite 蓬江大队")
    assert "没有这项操作的权限" in reply["text"]
    [reply] = await bot.send(ADMIN_ID, f"/promote {OFFICER}", name="局管理员")
    assert "单位管理员" in reply["text"]
    [reply] = await bot.send(OFFICER, "/invite 蓬江大队")
    assert invite_code(reply["text"])
    [reply] = await bot.send(OFFICER, "/invite 江门支队")
    assert "没有这项操作的权限" in reply["text"]


async def test_answer_card_for_citation(bot):
    await register(bot)
    [card] = await bot.send(OFFICER, "大气法99条")
    text = card["text"]
    assert text.startswith("<b>《大气污染防治法》第九十九条</b>")
    assert "已废止（2026-08-15 起由《生态环境法典》替代）" in text
    assert "（一）未依法取得排污许可证排放大气污染物的；" in text  # 项 laid out one per line
    assert "➡️ 法典对应：《生态环境法典》第一千一百零" in text
    assert len(text) <= MAX_MESSAGE


async def test_answer_card_for_situation_question(bot):
    await register(bot)
    [card] = await bot.send(OFFICER, "危废没贴标签怎么罚")
    text = strip_html(card["text"])
    assert "危险废物识别标志" in text
    assert "罚款" in text and "第 1/" in text
    buttons = [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert "更多结果" in buttons and "相关条文" in buttons


async def test_pagination_edits_the_message(bot):
    await register(bot)
    [card] = await bot.send(OFFICER, "危废没贴标签怎么罚")
    first = bot.stored(OFFICER, card)
    await bot.press(OFFICER, first, "更多结果")
    calls = await bot.wait(lambda cs: any(c.method == "editMessageText" for c in cs))
    edit = [c.params for c in calls if c.method == "editMessageText"][-1]
    assert int(edit["message_id"]) == first["message_id"]  # same message, edited in place
    assert "第 2/" in edit["text"] and edit["text"] != card["text"]
    assert any(c.method == "answerCallbackQuery" for c in calls)  # the spinner stops
    second = bot.api.messages[(OFFICER, first["message_id"])]
    await bot.press(OFFICER, second, "上一条")
    await bot.wait(lambda cs: sum(c.method == "editMessageText" for c in cs) >= 2)
    assert bot.api.messages[(OFFICER, first["message_id"])]["text"] == card["text"]


async def test_related_articles_button(bot):
    await register(bot)
    [card] = await bot.send(OFFICER, "法典第1107条")
    await bot.press(OFFICER, bot.stored(OFFICER, card), "相关条文")
    await bot.wait(lambda _: len(bot.api.sent(OFFICER)) >= 3)
    related = bot.api.sent(OFFICER)[-1]
    assert "相关条文" in related["text"] and "第一千一百零六条" in related["text"]


async def test_inline_query_returns_articles(bot):
    await register(bot)
    bot.api.queue(bot.api.inline_update(bot.api.user(OFFICER), "大气法99"))
    calls = await bot.wait(lambda cs: any(c.method == "answerInlineQuery" for c in cs))
    results = [c.params for c in calls if c.method == "answerInlineQuery"][-1]["results"]
    first = results[0]
    assert first["title"] == "《大气污染防治法》第九十九条"
    assert first["description"].startswith("违反本法规定")
    body = first["input_message_content"]["message_text"]
    assert "未依法取得排污许可证" in body and len(body) <= MAX_MESSAGE


async def test_429_and_500_are_retried(bot):
    await register(bot)
    bot.api.fail_next(1, status=429, retry_after=1)
    started = time.monotonic()
    [card] = await bot.send(OFFICER, "大气法99条")
    assert time.monotonic() - started >= 0.9  # retry_after honoured
    assert "第九十九条" in card["text"]
    attempts = [c.status for c in bot.api.calls if c.method == "sendMessage" and c.params.get("text") == card["text"]]
    assert attempts == [429, 200]
    bot.api.fail_next(2, status=500)
    [card] = await bot.send(OFFICER, "处罚法33条")
    assert "第三十三条" in card["text"]
    assert bot.request.retries >= 3


async def test_long_article_shortened_and_full_text_split(bot):
    await register(bot)
    [card] = await bot.send(OFFICER, "环境保护税法第29条")
    assert "《环境保护税法》第二十九条" in card["text"]
    assert len(card["text"]) <= MAX_MESSAGE and "全文" in card["text"]
    await bot.press(OFFICER, bot.stored(OFFICER, card), "全文")
    article = bot.app.bot_data[KEY].answers.kb.corpus.article("环境保护税法", 29)
    await bot.wait(lambda _: len(bot.api.sent(OFFICER)) >= 4)
    await bot.wait(lambda _: strip_html(bot.api.sent(OFFICER)[-1]["text"]).startswith("《环境保护税法》第二十九条（2/2）"))
    parts = bot.api.sent(OFFICER)[-2:]
    assert all(len(p["text"]) <= MAX_MESSAGE for p in parts)
    joined = "".join(strip_html(p["text"]).split("\n", 1)[1] for p in parts)
    assert joined.replace("\n", "") == article.text.replace("\n", "")  # nothing lost at the split


async def test_errors_reach_the_user_politely(bot, monkeypatch):
    await register(bot)

    async def broken(*_a, **_k):
        raise RuntimeError("index corrupted")

    monkeypatch.setattr(bot.app.bot_data[KEY].answers, "search", broken)
    [reply] = await bot.send(OFFICER, "大气法99条")
    assert reply["text"].startswith("抱歉") and "RuntimeError" not in reply["text"] and "Traceback" not in reply["text"]


async def test_rate_limit_replies_once_politely(tmp_path, server, kb, db_url):
    running = await start_bot(make_settings(tmp_path, server.base_url, rate_limit_per_minute=3, db_url=db_url), kb, server.api)
    try:
        for _ in range(6):
            server.api.queue(server.api.message_update(server.api.user(ADMIN_ID), "/help"))
        await running.wait(lambda _: len(server.api.sent(ADMIN_ID)) >= 4)
        await asyncio.sleep(0.5)  # the other two messages are dropped silently
        texts = [m["text"] for m in server.api.sent(ADMIN_ID)]
        assert sum("太快" in t for t in texts) == 1
        assert sum("使用说明" in t for t in texts) == 3
    finally:
        await stop_bot(running)


def test_run_without_token_points_to_console(tmp_path):
    env = lawbot_env(LAWBOT_DATA_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "run"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    output = (proc.stdout + proc.stderr).strip()
    assert output.count("\n") == 0 and "LAWBOT_TOKEN" in output and "lawbot console" in output


def test_console_uses_the_bot_handlers(tmp_path):
    env = lawbot_env(LAWBOT_DATA_DIR=str(tmp_path), LAWBOT_CORPUS_DIRS="")
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "console"], cwd=REPO, env=env, input="大气法99条\n更多结果\n/addunit 江门支队\n",
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "《大气污染防治法》第九十九条" in out and "已废止（2026-08-15 起由《生态环境法典》替代）" in out
    assert "[更多结果]" in out and "第 2/" in out  # the typed label pressed the button
    assert "已新增单位：江门支队" in out  # the console user is an admin
    assert "<b>" not in out and "&lt;" not in out
    assert "was missed" not in proc.stderr and "apscheduler" not in proc.stderr  # no job-queue noise


def test_console_quiz_answers_by_number_and_shows_the_verdict(tmp_path):
    """Piped input answers the poll it follows: each line waits for what the previous one set going."""
    env = lawbot_env(LAWBOT_DATA_DIR=str(tmp_path), LAWBOT_CORPUS_DIRS="", LAWBOT_QUIZ_SIZE="2")
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "console"], cwd=REPO, env=env,
                          input="/quiz\n1\n1\n", capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "❓ 第1/2题" in out and "❓ 第2/2题" in out
    assert out.count("✅ 回答正确") + out.count("❌ 正确答案") == 2
    assert "完成" in out.split("❓ 第2/2题")[1]  # the summary came after the last answer
    assert "没有找到相关条文" not in out  # no answer was taken for a question
