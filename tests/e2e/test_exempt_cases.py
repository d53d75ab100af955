"""End to end: /exempt (免罚清单 dialog to a verdict) and /cases (典型案例) through the real Application
polling the local Bot API server, asserting on what the officer sees."""

from __future__ import annotations

import subprocess
import sys

from support.botrun import OFFICER, RunningBot, assert_clean_html, assert_short_callbacks, buttons, register
from support.paths import REPO
from support.process import lawbot_env

from bot.render import strip_html
from knowledge.exemptions import load_exemptions, start_dialog
from knowledge.typical_cases import load_typical_cases


def edits(bot: RunningBot) -> int:
    return len(bot.api.sent(OFFICER, method="editMessageText"))


async def press_edit(bot: RunningBot, message: dict, label: str) -> dict:
    """Press a button that edits its own message; returns the message as it is now."""
    before = edits(bot)
    await bot.press(OFFICER, message, label)
    await bot.wait(lambda _: edits(bot) > before)
    return bot.api.messages[(OFFICER, message["message_id"])]


async def press_send(bot: RunningBot, message: dict, label: str) -> dict:
    """Press a button that answers with a new message; returns that message."""
    before = len(bot.api.sent(OFFICER))
    await bot.press(OFFICER, message, label)
    await bot.wait(lambda _: len(bot.api.sent(OFFICER)) > before)
    return bot.stored(OFFICER, bot.api.sent(OFFICER)[-1])


async def pick_first_item(bot: RunningBot, query: str) -> tuple[dict, str]:
    [results] = await bot.send(OFFICER, f"/exempt {query}")
    assert_clean_html(results["text"])
    assert_short_callbacks(results)
    dialog_msg = await press_send(bot, bot.stored(OFFICER, results), "选择此项 1")
    item_id = buttons(dialog_msg)[0][1].split(":")[1]
    return dialog_msg, item_id


async def test_exempt_dialog_to_verdict_and_back(bot):
    await register(bot)
    [results] = await bot.send(OFFICER, "/exempt 危废标识没贴 首次")
    assert "危险废物识别标志未设置" in results["text"]
    assert [t for t, _ in buttons(results)] == ["选择此项 1", "选择此项 2", "选择此项 3"]

    msg = await press_send(bot, bot.stored(OFFICER, results), "选择此项 1")
    item_id = buttons(msg)[0][1].split(":")[1]
    item = load_exemptions().item(item_id)
    assert item is not None and "危险废物识别标志" in item.title
    assert "第1问" in msg["text"] and [t for t, _ in buttons(msg)] == ["是", "否", "取消"]  # no 上一步 yet

    mirror = start_dialog(item)  # answer each condition the way the item requires
    first_question = mirror.question.ask
    while not mirror.finished:
        need = mirror.question.need
        msg = await press_edit(bot, msg, "是" if need else "否")
        mirror.answer(need)
        assert_clean_html(msg["text"])
        assert_short_callbacks(msg)
        if not mirror.finished:
            assert mirror.question.ask in strip_html(msg["text"])
            assert "上一步" in [t for t, _ in buttons(msg)]
    verdict = strip_html(msg["text"])
    assert mirror.verdict().kind in ("不予处罚", "可以不予处罚")
    assert mirror.verdict().kind in verdict and "不适用" not in verdict.split("\n")[0]
    assert "第三十三条" in verdict and "行政处罚法" in verdict
    assert item.exemption_list.title in verdict and item.exemption_list.validity() in verdict
    state = bot.app.chat_data[OFFICER]["exempt"]
    assert state == {"item": item_id, "answers": list(mirror.answers)}  # plain data, enough to rebuild

    # 上一步 from the verdict: the last question again, same message
    msg = await press_edit(bot, msg, "上一步")
    mirror.back()
    assert mirror.question.ask in strip_html(msg["text"]) and "第三十三条" not in msg["text"]
    assert bot.app.chat_data[OFFICER]["exempt"]["answers"] == list(mirror.answers)
    # the item's list card from the verdict
    msg = await press_edit(bot, msg, "是" if mirror.question.need else "否")
    card = await press_send(bot, msg, "清单原文")
    assert item.title in card["text"] and "有效期" in card["text"]
    assert_clean_html(card["text"])
    assert first_question  # the walk started at the item's first condition


async def test_exempt_not_applicable_back_and_cancel(bot):
    await register(bot)
    msg, item_id = await pick_first_item(bot, "危废标识没贴 首次")
    item = load_exemptions().item(item_id)
    first = start_dialog(item).question
    msg = await press_edit(bot, msg, "否" if first.need else "是")  # the wrong answer rules the item out
    text = strip_html(msg["text"])
    assert "不适用" in text and "不满足的条件" in text and first.ask in text
    assert item.exemption_list.title in text

    msg = await press_edit(bot, msg, "上一步")
    assert first.ask in strip_html(msg["text"]) and "第1问" in msg["text"]
    assert bot.app.chat_data[OFFICER]["exempt"]["answers"] == []

    msg = await press_edit(bot, msg, "取消")
    assert "已取消" in msg["text"] and not buttons(msg)
    assert "exempt" not in bot.app.chat_data[OFFICER]

    # a stale button of the cancelled step replays that step (no skipped question, no crash)
    old = {**msg, "reply_markup": {"inline_keyboard": [[{"text": "是", "callback_data": f"xd:{item_id}::y"}]]}}
    before = edits(bot)
    await bot.press(OFFICER, old, "是")
    await bot.wait(lambda _: edits(bot) > before)
    assert "第2问" in bot.api.messages[(OFFICER, msg["message_id"])]["text"]


async def test_exempt_without_description_asks_for_one(bot):
    await register(bot)
    [ask] = await bot.send(OFFICER, "/exempt")
    assert "描述" in ask["text"] and buttons(ask)
    [results] = await bot.send(OFFICER, "堆场没苫盖 起尘")  # the next message is the description
    assert "可能适用的免罚清单项" in results["text"] and "易起尘物料" in results["text"]
    [card] = await bot.send(OFFICER, "大气法99条")  # after that, free text is a question again
    assert "《大气污染防治法》第九十九条" in card["text"]
    # an example button runs the search
    [ask] = await bot.send(OFFICER, "/exempt")
    results = await press_send(bot, bot.stored(OFFICER, ask), "危废标识没贴")
    assert "危险废物识别标志未设置" in results["text"]


async def test_exempt_escapes_and_handles_no_match(bot):
    await register(bot)
    [reply] = await bot.send(OFFICER, "/exempt <b>x</b> & zzz")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; zzz" in reply["text"]
    assert_clean_html(reply["text"])


async def test_cases_tags_query_and_card(bot):
    await register(bot)
    [menu] = await bot.send(OFFICER, "/cases")
    labels = [t for t, _ in buttons(menu)]
    assert "危废" in labels and set(load_typical_cases().tags) >= set(labels)
    assert_short_callbacks(menu)

    listing = await press_send(bot, bot.stored(OFFICER, menu), "危废")  # the tag menu stays
    assert "典型案例：危废" in listing["text"]
    expected = load_typical_cases().filter(tag="危废")
    assert all(c.title in strip_html(listing["text"]) for c in expected[:8])

    [found] = await bot.send(OFFICER, "/cases 危废标志")
    assert "焦化企业68吨废催化剂包装未贴危废标志" in found["text"]
    assert_clean_html(found["text"])
    assert_short_callbacks(found)
    label = next(t for t, _ in buttons(found) if "焦化企业" in t)
    card = await press_send(bot, bot.stored(OFFICER, found), label)
    text = strip_html(card["text"])
    assert text.startswith("焦化企业68吨废催化剂包装未贴危废标志")
    assert "黑龙江省七台河市" in text and "固体废物污染环境防治法" in text and "案例来源" in text
    assert_clean_html(card["text"])


async def test_cases_pagination_edits_the_list(bot):
    await register(bot)
    [found] = await bot.send(OFFICER, "/cases 大气")
    assert "第 1/" in found["text"]
    page2 = await press_edit(bot, bot.stored(OFFICER, found), "更多结果")
    assert "第 2/" in page2["text"] and page2["text"] != found["text"]
    [none] = await bot.send(OFFICER, "/cases 没有这种案例zzz")
    assert "没有找到" in none["text"]


async def test_answer_card_lists_exemption_items_and_a_case(bot):
    await register(bot)
    [card] = await bot.send(OFFICER, "固废法112条")
    text = card["text"]
    assert "🟢 免罚清单：危险废物识别标志未设置" in text
    assert text.count("🟢 免罚清单") <= 2 and text.count("📂 典型案例") == 1
    assert_clean_html(text)


async def test_unregistered_users_see_nothing(bot):
    [reply] = await bot.send(778, "/exempt 危废标识没贴")
    assert "邀请码" in reply["text"] and "危险废物" not in reply["text"]
    [reply] = await bot.send(778, "/cases 危废")
    assert "邀请码" in reply["text"] and "案例" not in reply["text"]


async def test_menu_lists_exempt_and_cases(bot):
    menus = [c.params["commands"] for c in bot.api.calls if c.method == "setMyCommands"]
    names = {c["command"] for c in menus[0]}
    assert {"exempt", "cases"} <= names


def test_console_runs_exempt_and_cases(tmp_path):
    env = lawbot_env(LAWBOT_DATA_DIR=str(tmp_path), LAWBOT_CORPUS_DIRS="")
    script = "/exempt 危废标识没贴 首次\n选择此项 1\n否\n上一步\n取消\n/cases 危废标志\n"
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "console"], cwd=REPO, env=env, input=script,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "危险废物识别标志未设置" in out and "[选择此项 1]" in out
    assert "第1问" in out and "不适用" in out and "已取消" in out
    assert "焦化企业68吨废催化剂包装未贴危废标志" in out
    assert "<b>" not in out and "&lt;" not in out
