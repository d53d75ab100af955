"""Dates typed for a case event (scheduler/when.py, the grammar reminders share): the forms officers write,
year guessing, times."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.remind_parse import TZ, parse_reminder
from scheduler.when import parse_case_date

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-20", date(2026, 11, 20)),
    ("2026/11/20", date(2026, 11, 20)),
    ("2026.11.20", date(2026, 11, 20)),
    ("2026-1-5", date(2026, 1, 5)),
    ("20261120", date(2026, 11, 20)),
    ("2026年11月20日", date(2026, 11, 20)),
    ("2026 年 11 月 20 日", date(2026, 11, 20)),
    ("11月20日", date(2026, 11, 20)),
    ("11月20号", date(2026, 11, 20)),
    ("11-20", date(2026, 11, 20)),
    ("11/20", date(2026, 11, 20)),
    ("２０２６－１１－２０", date(2026, 11, 20)),  # typed with a Chinese IME
    ("今天", TODAY),
    ("今日", TODAY),
    ("昨天", date(2026, 11, 24)),
    ("前天", date(2026, 11, 23)),
    ("明天", date(2026, 11, 26)),  # a planned hearing
    ("后天", date(2026, 11, 27)),
    ("  昨天  ", date(2026, 11, 24)),
])
def test_dates(text, expected):
    assert parse_case_date(text, TODAY) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-20 14:30", datetime(2026, 11, 20, 14, 30)),
    ("2026-11-20 14：30", datetime(2026, 11, 20, 14, 30)),
    ("今天14:30", datetime(2026, 11, 25, 14, 30)),
    ("今天 9:05", datetime(2026, 11, 25, 9, 5)),
    ("昨天14点30分", datetime(2026, 11, 24, 14, 30)),
    ("昨天 14点", datetime(2026, 11, 24, 14, 0)),
    ("今天下午2点", datetime(2026, 11, 25, 14, 0)),
    ("今天下午2点半", datetime(2026, 11, 25, 14, 30)),
    ("今天上午10点", datetime(2026, 11, 25, 10, 0)),
    ("今天晚上8点15分", datetime(2026, 11, 25, 20, 15)),
    ("今天中午12点", datetime(2026, 11, 25, 12, 0)),
    ("11月20日 下午3点", datetime(2026, 11, 20, 15, 0)),
    ("2026年11月20日14时", datetime(2026, 11, 20, 14, 0)),
])
def test_dates_with_time(text, expected):
    assert parse_case_date(text, TODAY) == expected


@pytest.mark.parametrize(("text", "today", "expected"), [
    ("11-20", date(2026, 3, 1), date(2025, 11, 20)),  # 8½ months ahead: last November
    ("12-30", date(2026, 1, 5), date(2025, 12, 30)),  # early January, the end of last year
    ("5-20", TODAY, date(2026, 5, 20)),  # earlier this year
    ("12-20", TODAY, date(2026, 12, 20)),  # a few weeks ahead stays this year (a hearing)
    ("3-1", date(2026, 11, 25), date(2026, 3, 1)),
])
def test_year_less_dates_pick_the_sensible_year(text, today, expected):
    assert parse_case_date(text, today) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "下周", "决定书送达", "2026-13-01", "2026-02-30", "2月30日", "20261320",
    "今天25:00", "今天14:75", "今天 下雨", "2026-11-20 上午", "12", "abc", "下雨2点", "9999-12-31 晚上12点",
])
def test_not_dates(text):
    assert parse_case_date(text, TODAY) is None


@pytest.mark.parametrize(("text", "expected"), [
    # 晚上12点 is midnight at the end of that day, as officers say it — not noon
    ("今天晚上12点", datetime(2026, 11, 26, 0, 0)),
    ("昨天晚上12点", datetime(2026, 11, 25, 0, 0)),
    ("11月20日晚上12点半", datetime(2026, 11, 21, 0, 30)),
    ("今天中午12点", datetime(2026, 11, 25, 12, 0)),
    ("今天凌晨1点", datetime(2026, 11, 25, 1, 0)),
])
def test_midnight_is_the_end_of_the_day(text, expected):
    assert parse_case_date(text, TODAY) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a time without a day is today's, as the module docstring promises
    ("下午2点", datetime(2026, 11, 25, 14, 0)),
    ("14:30", datetime(2026, 11, 25, 14, 30)),
    ("14点30分", datetime(2026, 11, 25, 14, 30)),
    ("上午9点半", datetime(2026, 11, 25, 9, 30)),
    ("晚上12点", datetime(2026, 11, 26, 0, 0)),
])
def test_time_alone_is_today(text, expected):
    assert parse_case_date(text, TODAY) == expected


@given(st.text(max_size=30))
def test_never_raises(text):
    result = parse_case_date(text, TODAY)
    assert result is None or isinstance(result, date)


@pytest.mark.parametrize(("text", "expected"), [
    # the reminder grammar's forms work for case events too (one grammar: scheduler/when.py)
    ("下周一", date(2026, 11, 30)),  # a planned hearing
    ("下周一 上午9点", datetime(2026, 11, 30, 9, 0)),
    ("上周五", date(2026, 11, 20)),
    ("上星期五下午3点", datetime(2026, 11, 20, 15, 0)),
    ("周一", date(2026, 11, 23)),  # this week's
    ("20号", date(2026, 11, 20)),
    ("十一月二十日", date(2026, 11, 20)),
    ("大前天", date(2026, 11, 22)),
    ("昨晚8点", datetime(2026, 11, 24, 20, 0)),
    ("今天十点一刻", datetime(2026, 11, 25, 10, 15)),
])
def test_the_shared_grammar(text, expected):
    assert parse_case_date(text, TODAY) == expected


def test_a_reminder_at_midnight_is_the_end_of_the_evening():
    now = datetime(2026, 11, 25, 15, 20, tzinfo=TZ)
    parsed = parse_reminder("今晚12点 提交材料", now)
    assert parsed.due == datetime(2026, 11, 26, 0, 0, tzinfo=TZ) and parsed.text == "提交材料"
