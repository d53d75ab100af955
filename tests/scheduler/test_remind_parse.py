"""Reminder time parsing: many phrasings, recurrences, and a helpful message (never an exception) for bad input."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.remind_parse import TZ, ParsedReminder, Recurrence, ReminderParseError, parse_reminder

NOW = datetime(2026, 11, 25, 15, 20, tzinfo=TZ)  # a Wednesday afternoon


def at(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "due", "body"),
    [
        ("明天上午9点 报送简报", at(2026, 11, 26, 9), "报送简报"),
        ("明天上午九点报送简报", at(2026, 11, 26, 9), "报送简报"),
        ("10分钟后 回电话", at(2026, 11, 25, 15, 30), "回电话"),
        ("十分钟后 回电话", at(2026, 11, 25, 15, 30), "回电话"),
        ("半小时后 出发", at(2026, 11, 25, 15, 50), "出发"),
        ("2小时后 复核笔录", at(2026, 11, 25, 17, 20), "复核笔录"),
        ("1个半小时后 出发", at(2026, 11, 25, 16, 50), "出发"),
        ("3天后 复查整改情况", at(2026, 11, 28, 15, 20), "复查整改情况"),
        ("3天后上午10点 复查", at(2026, 11, 28, 10), "复查"),
        ("2周后 回访", at(2026, 12, 9, 15, 20), "回访"),
        ("3个月后 跟踪检查", at(2027, 2, 25, 15, 20), "跟踪检查"),
        ("下周一 14:00 案审会", at(2026, 11, 30, 14), "案审会"),
        ("下星期五下午4点 周报", at(2026, 12, 4, 16), "周报"),
        ("下下周三 检查", at(2026, 12, 9, 9), "检查"),
        ("周五 10点 例会", at(2026, 11, 27, 10), "例会"),
        ("周三 10点 例会", at(2026, 12, 2, 10), "例会"),  # this Wednesday's 10:00 has passed
        ("星期三 16:30 例会", at(2026, 11, 25, 16, 30), "例会"),
        ("今晚8点 整理笔录", at(2026, 11, 25, 20), "整理笔录"),
        ("今天下午5点 交材料", at(2026, 11, 25, 17), "交材料"),
        ("明晚 值班", at(2026, 11, 26, 20), "值班"),
        ("明早 出发", at(2026, 11, 26, 9), "出发"),
        ("后天下午3点半 听证", at(2026, 11, 27, 15, 30), "听证"),
        ("大后天 9:15 送达", at(2026, 11, 28, 9, 15), "送达"),
        ("12月1日 9:00 报送月报", at(2026, 12, 1, 9), "报送月报"),
        ("11月1日 报送", at(2027, 11, 1, 9), "报送"),  # passed this year → next year
        ("十二月一日 报送", at(2026, 12, 1, 9), "报送"),
        ("3号 报送数据", at(2026, 12, 3, 9), "报送数据"),
        ("30号下午 收集数据", at(2026, 11, 30, 15), "收集数据"),
        ("2026-12-01 09:00 提交自评", at(2026, 12, 1, 9), "提交自评"),
        ("2026/12/1 9点 提交自评", at(2026, 12, 1, 9), "提交自评"),
        ("2027年1月4日 上午10点 开庭", at(2027, 1, 4, 10), "开庭"),
        ("８点 开会", at(2026, 11, 25, 20), "开会"),  # 8 a.m. has passed: the evening
        ("9:30 开会", at(2026, 11, 26, 9, 30), "开会"),  # a 24-hour clock: tomorrow morning
        ("21：30 开会", at(2026, 11, 25, 21, 30), "开会"),
        ("十点一刻 开会", at(2026, 11, 25, 22, 15), "开会"),
        ("明天九点十五分 开会", at(2026, 11, 26, 9, 15), "开会"),
        ("明天9点整 开会", at(2026, 11, 26, 9), "开会"),
        ("明天9点整理材料", at(2026, 11, 26, 9), "整理材料"),
        ("8点 三季度报表", at(2026, 11, 25, 20), "三季度报表"),
        ("凌晨1点 查夜", at(2026, 11, 26, 1), "查夜"),
        ("中午12点半 开会", at(2026, 11, 26, 12, 30), "开会"),
        ("提醒我明天九点开会", at(2026, 11, 26, 9), "开会"),
        ("明天上午九点提醒我交材料", at(2026, 11, 26, 9), "交材料"),
        ("/remind 明天9点 交材料", at(2026, 11, 26, 9), "交材料"),
        ("明天 9点，报送简报", at(2026, 11, 26, 9), "报送简报"),
    ],
)
def test_one_off(text: str, due: datetime, body: str) -> None:
    result = parse_reminder(text, NOW)
    assert isinstance(result, ParsedReminder), getattr(result, "message", "")
    assert (result.due, result.recurrence, result.text) == (due, None, body)


@pytest.mark.parametrize(
    ("text", "due", "spec", "body"),
    [
        ("每月3日 9:00 报送上月数据", at(2026, 12, 3, 9), "monthly:3@09:00", "报送上月数据"),
        ("每月25号 简报", at(2026, 11, 25, 9), None, None),  # 9:00 today has passed → next month
        ("每月31日 月底盘点", at(2026, 11, 30, 9), "monthly:31@09:00", "月底盘点"),  # short month → last day
        ("每天 8:30 看待办", at(2026, 11, 26, 8, 30), "daily@08:30", "看待办"),
        ("每天晚上9点 写日志", at(2026, 11, 25, 21), "daily@21:00", "写日志"),
        ("每周五下午5点 周报", at(2026, 11, 27, 17), "weekly:4@17:00", "周报"),
        ("每星期一 例会", at(2026, 11, 30, 9), "weekly:0@09:00", "例会"),
        ("每个工作日 8:30 查看待办", at(2026, 11, 26, 8, 30), "workdays@08:30", "查看待办"),
        ("每年11月20日 年度自评", at(2027, 11, 20, 9), "yearly:11-20@09:00", "年度自评"),
    ],
)
def test_recurring(text: str, due: datetime, spec: str | None, body: str | None) -> None:
    result = parse_reminder(text, NOW)
    assert isinstance(result, ParsedReminder), getattr(result, "message", "")
    if spec is None:  # only the first due date matters here
        assert result.due == at(2026, 12, 25, 9)
        return
    assert (result.due, result.recurrence.to_spec(), result.text) == (due, spec, body)
    assert Recurrence.from_spec(spec) == result.recurrence


def test_recurrence_next_and_describe() -> None:
    monthly = Recurrence.from_spec("monthly:31@09:00")
    assert monthly.next_after(at(2026, 2, 1, 0)) == at(2026, 2, 28, 9)
    assert monthly.describe() == "每月31日 09:00"
    workdays = Recurrence.from_spec("workdays@08:30")
    assert workdays.next_after(at(2026, 9, 30, 9)) == at(2026, 10, 8, 8, 30)  # over 国庆
    assert workdays.next_after(at(2026, 10, 9, 9)) == at(2026, 10, 10, 8, 30)  # 调休 Saturday
    assert workdays.next_after(at(2026, 12, 31, 9)) == at(2027, 1, 1, 8, 30)  # no 2027 data: weekdays only
    yearly = Recurrence.from_spec("yearly:2-29@09:00")
    assert yearly.next_after(at(2026, 3, 1, 0)) == at(2027, 2, 28, 9)
    assert Recurrence.from_spec("weekly:6@10:00").describe() == "每周日 10:00"


def test_naive_now_is_shanghai() -> None:
    result = parse_reminder("10分钟后 x", datetime(2026, 11, 25, 15, 20))
    assert result.due == at(2026, 11, 25, 15, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "请写上提醒时间和内容"),
        ("   ", "请写上提醒时间和内容"),
        ("明天", "请在时间后面写上提醒内容"),
        ("明天上午9点", "请在时间后面写上提醒内容"),
        ("报送简报", "没看懂提醒时间"),
        ("abc", "没看懂提醒时间"),
        ("2月30日 开会", "日期不存在"),
        ("2026-13-01 开会", "日期不存在"),
        ("13月1日 开会", "日期不存在"),
        ("32号 开会", "日期不存在"),
        ("25点 开会", "时间不对"),
        ("明天9:75 开会", "时间不对"),
        ("2026-01-01 9:00 开会", "已经过去了"),
        ("今天上午9点 开会", "已经过去了"),
        ("0分钟后 开会", "要大于零"),
        ("2040-01-01 开会", "太远"),
        ("每月40日 开会", "每月没有40日"),
        ("每年2月30日 开会", "日期不存在"),
        ("明天9点 " + "很长" * 300, "太长"),
    ],
)
def test_bad_input_gets_help(text: str, expected: str) -> None:
    result = parse_reminder(text, NOW)
    assert isinstance(result, ReminderParseError)
    assert expected in result.message
    assert "可以这样写" in result.message and "明天上午9点 报送简报" in result.message


def test_past_weekday_prefix() -> None:
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=TZ)
    assert parse_reminder("本周一 开会", sunday).ok is False
    assert parse_reminder("下周一 开会", sunday).due == at(2026, 11, 30, 9)


_ALPHABET = "0123456789０１２３一二三四五六七八九十两半点时分:：-/年月日号天周星期今明后大下每个工作上午下晚凌中后分钟小时以后提醒我 报送简报ab\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=30))
def test_never_raises(text: str) -> None:
    result = parse_reminder(text, NOW)
    assert isinstance(result, ParsedReminder | ReminderParseError)
    if isinstance(result, ParsedReminder):
        assert result.due > NOW and result.text
