"""Case reminder planner: which nudges a case gets, when, to whom — with the clock under control.

Expected days are worked out by hand from scheduler/data/deadlines.yaml (comments show the counting)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.storage.cases import CaseState
from scheduler.case_plan import CaseView, format_day, plan_case
from scheduler.deadlines import compute_deadlines
from scheduler.texts import case as T

TZ = ZoneInfo("Asia/Shanghai")
HANDLER, BOSS, BOSS2 = 501, 601, 602
NOW = "now"  # in expected tables: planned at the current moment


def local(y: int, m: int, d: int, h: int = 9, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi)


def make_case(events: dict, state: CaseState = CaseState.open, name: str = "某化工公司超标排放废气案") -> CaseView:
    opened = events.get("立案", date(2025, 9, 1))
    events = {"立案": opened, **events}
    return CaseView(7, name, "某化工有限公司", HANDLER, "张三", 1, "一支队", opened, state, events, None)


def plan(events: dict, now: datetime, escalate_to=(BOSS,), state: CaseState = CaseState.open, **kw):
    case = make_case(events, state, **kw)
    deadlines = compute_deadlines(case.events, now=now)
    return plan_case(case, deadlines, offsets=(3, 1, 0), remind_hour=9, tz=TZ, now=now.replace(tzinfo=TZ),
                     escalate_to=list(escalate_to))


def table(planned, rule: str, now: datetime) -> dict[str, object]:
    """key suffix → local wall time (or NOW)."""
    prefix = f"case:7:{rule}:"
    out = {}
    for p in planned:
        if p.key.startswith(prefix):
            at = p.due_at.astimezone(TZ).replace(tzinfo=None)
            out[p.key.removeprefix(prefix)] = NOW if at == now else at
    return out


OPENED = {"立案": date(2026, 3, 2)}  # cf_decision: 2 March + 90 days = 31 May 2026 (Sunday; 处罚法 silent → no roll)
SEALED = {**OPENED, "当场查封扣押": datetime(2026, 3, 2, 14, 30)}  # qz_seal_urgent: 24 hours → 3 March 14:30
NOTICE = {"立案": date(2025, 9, 1), "告知书送达": date(2025, 9, 29)}  # 5 working days over 国庆 → 13 Oct 2025
# 9-30 (1), 10-1…10-8 holiday, 10-9 (2), 10-10 (3), Sat 10-11 调休 working day (4), Mon 10-13 (5)
DUNNED = {**OPENED, "催告书送达": date(2026, 3, 2)}  # 10th working day Mon 16 March (the party's) → Tue 17 March
DELIVERED = {**OPENED, "决定作出": date(2026, 3, 2), "决定书送达": date(2026, 3, 2)}  # 15 days → Tue 17 March
REVIEW = {**OPENED, "收到复议申请书副本": date(2026, 3, 2)}  # 5 wd → Mon 9 March; 10 wd → Mon 16 March
HEARING = {**OPENED, "听证举行": date(2026, 3, 20)}  # 7 working days before Fri 20 March → Wed 11 March

CASES = [
    ("offsets 3/1/0 at 09:00, escalation the morning after", OPENED, local(2026, 3, 2, 10), "cf_decision", {
        "2026-05-31:d3:501": local(2026, 5, 28), "2026-05-31:d1:501": local(2026, 5, 30),
        "2026-05-31:d0:501": local(2026, 5, 31), "2026-05-31:over:501": local(2026, 6, 1),
        "2026-05-31:esc:601": local(2026, 6, 1)}),
    ("passed offsets skipped, the most recent one now", OPENED, local(2026, 5, 30, 10), "cf_decision", {
        "2026-05-31:d1:501": NOW, "2026-05-31:d0:501": local(2026, 5, 31),
        "2026-05-31:over:501": local(2026, 6, 1), "2026-05-31:esc:601": local(2026, 6, 1)}),
    ("inside the window before the reminder hour", OPENED, local(2026, 5, 29, 8), "cf_decision", {
        "2026-05-31:d3:501": NOW, "2026-05-31:d1:501": local(2026, 5, 30), "2026-05-31:d0:501": local(2026, 5, 31),
        "2026-05-31:over:501": local(2026, 6, 1), "2026-05-31:esc:601": local(2026, 6, 1)}),
    ("due today after the reminder hour", OPENED, local(2026, 5, 31, 15), "cf_decision", {
        "2026-05-31:d0:501": NOW, "2026-05-31:over:501": local(2026, 6, 1), "2026-05-31:esc:601": local(2026, 6, 1)}),
    ("overdue: escalation and notice now, no more countdown", OPENED, local(2026, 6, 3, 10), "cf_decision", {
        "2026-05-31:over:501": NOW, "2026-05-31:esc:601": NOW}),
    ("hour period: 2 hours before and at the moment", SEALED, local(2026, 3, 2, 15), "qz_seal_urgent", {
        "2026-03-03T1430:h2:501": local(2026, 3, 3, 12, 30),
        "2026-03-03T1430:over:501": local(2026, 3, 3, 14, 30), "2026-03-03T1430:esc:601": local(2026, 3, 3, 14, 30)}),
    ("hour period inside the 2-hour window", SEALED, local(2026, 3, 3, 13), "qz_seal_urgent", {
        "2026-03-03T1430:h2:501": NOW,
        "2026-03-03T1430:over:501": local(2026, 3, 3, 14, 30), "2026-03-03T1430:esc:601": local(2026, 3, 3, 14, 30)}),
    ("hour period passed", SEALED, local(2026, 3, 3, 15), "qz_seal_urgent", {
        "2026-03-03T1430:over:501": NOW, "2026-03-03T1430:esc:601": NOW}),
    ("party's working days across 国庆: note the day after", NOTICE, local(2025, 9, 29, 10), "cf_hearing_request", {
        "2025-10-13:expired:501": local(2025, 10, 14)}),
    ("party expiry noticed late the same day", NOTICE, local(2025, 10, 14, 20), "cf_hearing_request", {
        "2025-10-13:expired:501": NOW}),
    ("party expiry more than a day ago: nothing", NOTICE, local(2025, 10, 16, 10), "cf_hearing_request", {}),
    ("hearing requested: the party's period is done", {**NOTICE, "听证申请": date(2025, 9, 30)},
     local(2025, 9, 30, 10), "cf_hearing_request", {}),
    ("decision made: no decision reminders", {**OPENED, "决定作出": date(2026, 3, 20)}, local(2026, 3, 20, 10),
     "cf_decision", {}),
    ("'after' rule: the first day it may be done", DUNNED, local(2026, 3, 2, 10), "qz_court_after_notice", {
        "2026-03-17:open:501": local(2026, 3, 17)}),
    ("'after' rule long reached: nothing", DUNNED, local(2026, 3, 20, 10), "qz_court_after_notice", {}),
    ("party's 15 days to pay", DELIVERED, local(2026, 3, 2, 10), "cf_payment", {
        "2026-03-17:expired:501": local(2026, 3, 18)}),
    ("surcharge may start the day after the payment period", DELIVERED, local(2026, 3, 2, 10), "cf_surcharge", {
        "2026-03-18:open:501": local(2026, 3, 18)}),
    ("conditional rule: countdown, no escalation", REVIEW, local(2026, 3, 2, 10), "fy_reply_simple", {
        "2026-03-09:d3:501": local(2026, 3, 6), "2026-03-09:d1:501": local(2026, 3, 8),
        "2026-03-09:d0:501": local(2026, 3, 9)}),
    ("unconditional reply deadline escalates", REVIEW, local(2026, 3, 2, 10), "fy_reply", {
        "2026-03-16:d3:501": local(2026, 3, 13), "2026-03-16:d1:501": local(2026, 3, 15),
        "2026-03-16:d0:501": local(2026, 3, 16), "2026-03-16:over:501": local(2026, 3, 17),
        "2026-03-16:esc:601": local(2026, 3, 17)}),
    ("'before' rule: notify the hearing by its latest day", HEARING, local(2026, 3, 2, 10), "cf_hearing_notice", {
        "2026-03-11:d3:501": local(2026, 3, 8), "2026-03-11:d1:501": local(2026, 3, 10),
        "2026-03-11:d0:501": local(2026, 3, 11), "2026-03-11:over:501": local(2026, 3, 12),
        "2026-03-11:esc:601": local(2026, 3, 12)}),
    ("'before' rule after the hearing took place: moot", HEARING, local(2026, 3, 21, 10), "cf_hearing_notice", {}),
]


@pytest.mark.parametrize(("events", "now", "rule", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_plan_table(events, now, rule, expected) -> None:
    planned = plan(events, now)
    assert table(planned, rule, now) == expected
    assert len({p.key for p in planned}) == len(planned)
    assert all(p.due_at >= now.replace(tzinfo=TZ) for p in planned)  # never in the past: at most now


def test_kinds_and_recipients() -> None:
    now = local(2026, 6, 3, 10)
    planned = plan(OPENED, now, escalate_to=[HANDLER, BOSS, BOSS2])
    by_key = {p.key: p for p in planned if ":cf_decision:" in p.key}
    esc = [p for p in by_key.values() if p.kind == "escalation"]
    assert sorted(p.user_id for p in esc) == [BOSS, BOSS2]  # never the handler themself
    assert all(p.chat_id == p.user_id and p.case_id == 7 for p in planned)
    over = by_key["case:7:cf_decision:2026-05-31:over:501"]
    assert over.kind == "case" and over.user_id == HANDLER
    assert T.OVERDUE_NOTE in over.text
    assert "办案人：张三" in esc[0].text and esc[0].text.startswith(T.ESCALATION_HEAD)
    assert "已逾期3天" in esc[0].text


def test_no_recipients_still_tells_the_handler() -> None:
    planned = plan(OPENED, local(2026, 6, 3, 10), escalate_to=[])
    assert [p.kind for p in planned] == ["case"]
    assert T.OVERDUE_NOTE_ALONE in planned[0].text


def test_closed_case_has_no_reminders() -> None:
    assert plan(OPENED, local(2026, 3, 2, 10), state=CaseState.closed) == []
    assert plan(SEALED, local(2026, 3, 3, 13), state=CaseState.closed) == []


def test_reminder_text_lines() -> None:
    planned = plan(OPENED, local(2026, 3, 2, 10))
    d3 = next(p for p in planned if p.key.endswith(":d3:501"))
    lines = d3.text.split("\n")
    assert lines[0] == "📁 某化工公司超标排放废气案（某化工有限公司）#7"
    assert lines[1] == "作出行政处罚决定：截止 2026年5月31日（周日），还有3天"
    assert lines[-1] == "依据：《行政处罚法》第六十条"
    d0 = next(p for p in planned if p.key.endswith(":d0:501"))
    assert "今天到期" in d0.text
    expired = plan(NOTICE, local(2025, 9, 29, 10))[0]
    assert "当事人的期限已于 2025年10月13日（周一） 届满，可以进行下一步" in expired.text
    assert "《行政处罚法》第六十四条第一款第一项" in expired.text
    sealed = table(plan(SEALED, local(2026, 3, 3, 13)), "qz_seal_urgent", local(2026, 3, 3, 13))
    assert sealed["2026-03-03T1430:h2:501"] is NOW
    h2 = next(p for p in plan(SEALED, local(2026, 3, 3, 13)) if p.key.endswith(":h2:501"))
    assert "截止 2026年3月3日（周二） 14:30，还有约90分钟" in h2.text


def test_extension_and_condition_lines() -> None:
    planned = plan({**OPENED, "查封扣押": date(2026, 3, 2)}, local(2026, 3, 2, 10))
    seal = next(p for p in planned if ":qz_seal:" in p.key)  # 30 days → 1 April; extension 30 days → 1 May
    assert "截止 2026年4月1日（周三）" in seal.text
    assert "可延长至 2026年5月1日（周五）（情况复杂，经行政机关负责人批准，并及时书面告知当事人）" in seal.text
    simple = next(p for p in plan(REVIEW, local(2026, 3, 2, 10)) if ":fy_reply_simple:" in p.key)
    assert "适用条件：适用简易程序审理" in simple.text


def test_approximate_dates_say_so() -> None:
    # 5 working days from 28 Dec 2026 reach 2027, whose holidays are not in the calendar data
    planned = plan({"立案": date(2026, 12, 1), "告知书送达": date(2026, 12, 28)}, local(2026, 12, 28, 10))
    note = next(p for p in planned if ":cf_hearing_request:" in p.key)
    assert T.APPROXIMATE in note.text


def test_text_never_exceeds_500() -> None:
    planned = plan(REVIEW, local(2026, 3, 2, 10), name="很长的案件名称" * 14)
    assert planned and all(len(p.text) <= 500 for p in planned)


def test_format_day() -> None:
    assert format_day(date(2025, 10, 11)) == "2025年10月11日（周六）"


def test_keys_are_stable_across_replanning() -> None:
    """Planning at two moments gives the same key for the same nudge, so the table dedupes it."""
    first = {p.key for p in plan(OPENED, local(2026, 3, 2, 10))}
    later = {p.key for p in plan(OPENED, local(2026, 5, 29, 10))}
    assert later <= first
    assert all(p.due_at.tzinfo is UTC for p in plan(OPENED, local(2026, 3, 2, 10)))


def test_hour_period_one_message_at_the_due_moment() -> None:
    """At the moment an hour period ends undone the handler gets one message (the overdue notice), not
    that and an “已到截止时刻” countdown at the same second; a period that does not escalate keeps it."""
    planned = plan(SEALED, local(2026, 3, 2, 15))
    due = local(2026, 3, 3, 14, 30).replace(tzinfo=TZ)
    to_handler = [p for p in planned if ":qz_seal_urgent:" in p.key and p.user_id == HANDLER and p.due_at == due]
    assert [p.key.rsplit(":", 2)[1] for p in to_handler] == ["over"]
    assert T.LEFT_NOW in to_handler[0].text and T.OVERDUE_NOTE in to_handler[0].text
    # 4 hours to report a minor incident (conditional: no escalation): 2 hours before and at the moment
    minor = table(plan({**OPENED, "得知突发环境事件": datetime(2026, 3, 2, 10, 0)}, local(2026, 3, 2, 10, 5)),
                  "tf_report_minor", local(2026, 3, 2, 10, 5))
    assert minor == {"2026-03-02T1400:h2:501": local(2026, 3, 2, 12), "2026-03-02T1400:h0:501": local(2026, 3, 2, 14)}
