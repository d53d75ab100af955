"""Deadline rules: data validation, citations against the real corpus, working-day arithmetic, case deadlines.

Expected dates were worked out by hand from the State Council holiday arrangements as carried by
chinese_calendar 1.11 (2025: 春节 1-28…2-04, 调休上班 1-26/2-08/9-28/10-11, 国庆中秋 10-01…10-08;
2026: 春节 2-15…2-23, 调休上班 1-04/2-14/2-28/5-09/9-20/10-10, 中秋 9-25…9-27, 国庆 10-01…10-07).
chinese_calendar has no 2027 data: those cases check the error / the marked estimate.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from scheduler.calendar import CalendarRangeError, WorkCalendar, add_period, default_calendar, load_calendar
from scheduler.deadlines import (
    RuleDataError,
    Status,
    UnknownEventError,
    check_citations,
    compute_deadlines,
    default_rules,
    load_rules,
    parse_rules,
    surcharge_amount,
)
from scheduler.org_deadlines import load_org_deadlines, next_due, reminders_on, upcoming

D = date


# --- working-day arithmetic ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "n", "unit", "roll", "expected"),
    [
        (D(2025, 9, 26), 5, "工作日", False, D(2025, 10, 10)),  # 9-28 (Sun) is a 调休 working day
        (D(2025, 9, 30), 1, "工作日", False, D(2025, 10, 9)),  # over 国庆+中秋 2025
        (D(2025, 10, 10), 1, "工作日", False, D(2025, 10, 11)),  # Saturday 10-11 is worked
        (D(2025, 9, 27), 1, "工作日", False, D(2025, 9, 28)),
        (D(2025, 1, 24), 7, "工作日", False, D(2025, 2, 10)),  # across 春节 2025, 1-26 and 2-08 worked
        (D(2026, 2, 13), 5, "工作日", False, D(2026, 2, 27)),  # across 春节 2026, 2-14 worked
        (D(2026, 2, 13), 6, "工作日", False, D(2026, 2, 28)),  # Saturday 2-28 is worked
        (D(2026, 9, 30), 3, "工作日", False, D(2026, 10, 10)),  # 国庆 2026, Saturday 10-10 worked
        (D(2026, 9, 24), 2, "工作日", False, D(2026, 9, 29)),  # 中秋 2026 9-25…9-27
        (D(2025, 10, 9), -7, "工作日", False, D(2025, 9, 23)),  # counting back over 国庆
        (D(2025, 9, 15), 15, "日", False, D(2025, 9, 30)),  # event day not counted
        (D(2025, 9, 20), 15, "日", True, D(2025, 10, 9)),  # ends 10-05 (holiday) → next working day
        (D(2025, 9, 20), 15, "日", False, D(2025, 10, 5)),  # without roll the holiday stays
        (D(2026, 1, 31), 1, "月", False, D(2026, 2, 28)),  # no 31 Feb → month end
        (D(2024, 2, 29), 2, "年", False, D(2026, 2, 28)),
        (D(2025, 8, 31), 6, "月", True, D(2026, 2, 28)),  # month end is a 调休 Saturday: no roll needed
        (D(2025, 8, 21), 6, "月", True, D(2026, 2, 24)),  # 2-21 is 春节 → 2-24
        (D(2025, 12, 3), 60, "日", True, D(2026, 2, 2)),  # Sunday 2-01 → Monday
        (D(2026, 11, 1), 90, "日", False, D(2027, 1, 30)),  # plain days need no holiday data
    ],
)
def test_add_period(start: date, n: int, unit: str, roll: bool, expected: date) -> None:
    assert add_period(start, n, unit, roll=roll) == expected


def test_unknown_year_is_a_clear_error() -> None:
    with pytest.raises(CalendarRangeError) as info:
        add_period(D(2026, 12, 28), 5, "工作日")
    assert "2027年" in str(info.value) and "holidays.yaml" in str(info.value)


def test_fallback_counts_weekends_only() -> None:
    # 2027-01-01 is counted as a working day: exactly why such results are marked approximate
    assert WorkCalendar(fallback=True).add_period(D(2026, 12, 28), 5, "工作日") == D(2027, 1, 4)


def test_bad_unit() -> None:
    with pytest.raises(ValueError, match="未知的期间单位"):
        add_period(D(2025, 1, 1), 1, "周")


def test_extra_years_from_file(tmp_path) -> None:
    f = tmp_path / "h.yaml"
    f.write_text("years:\n  2099:\n    holidays: [2099-01-01, 2099-01-02]\n    workdays: [2099-01-03]\n", encoding="utf-8")
    cal = load_calendar(f)
    assert cal.covers(D(2099, 6, 1)) and not cal.covers(D(2098, 6, 1))
    assert not cal.is_workday(D(2099, 1, 1)) and cal.is_workday(D(2099, 1, 3))  # 1-03 is a Saturday
    assert cal.add_period(D(2098, 12, 31), 1, "工作日") == D(2099, 1, 3)


def test_holiday_data_present_for_2025_2026() -> None:
    cal = default_calendar()
    assert cal.covers(D(2025, 1, 1)) and cal.covers(D(2026, 12, 31))
    assert not cal.is_workday(D(2026, 10, 1)) and cal.is_workday(D(2026, 10, 10))


# --- case deadlines ----------------------------------------------------------------------------------
NOW = datetime(2025, 9, 1, 9, 0)

CASES = [
    # (events, rule id, expected due)
    ({"立案": D(2025, 7, 4)}, "cf_decision", D(2025, 10, 2)),  # 国庆 day, authority's period: not moved
    ({"立案": D(2025, 3, 1)}, "cf_decision", D(2025, 5, 30)),
    ({"决定书送达": D(2025, 9, 20)}, "cf_payment", D(2025, 10, 9)),  # 10-05 holiday, party: moved
    ({"决定书送达": D(2025, 9, 15)}, "cf_payment", D(2025, 9, 30)),
    ({"决定书送达": D(2025, 9, 20)}, "cf_surcharge", D(2025, 10, 10)),  # day after the payment period
    ({"决定书送达": D(2025, 9, 20)}, "fy_apply", D(2025, 11, 19)),
    ({"决定书送达": D(2025, 9, 20)}, "ss_sue", D(2026, 3, 20)),
    ({"决定书送达": D(2025, 9, 20)}, "qz_court_apply", D(2026, 6, 20)),  # 3 months after the later period
    ({"告知书送达": D(2026, 2, 12)}, "cf_hearing_request", D(2026, 2, 26)),  # 5 working days over 春节
    ({"告知书送达": D(2025, 9, 26)}, "cf_hearing_request", D(2025, 10, 10)),
    ({"听证举行": D(2025, 10, 13)}, "cf_hearing_notice", D(2025, 9, 26)),  # 7 working days before
    ({"听证通知": D(2025, 10, 13)}, "cf_hearing_notice", D(2025, 9, 26)),  # alias
    ({"先行登记保存": D(2026, 9, 30)}, "cf_register_preserve", D(2026, 10, 15)),
    ({"决定宣告": D(2025, 1, 24)}, "cf_decision_delivery", D(2025, 2, 10)),
    ({"当场收缴罚款": D(2026, 2, 13)}, "cf_onsite_fine", D(2026, 2, 24)),
    ({"公开决定被变更撤销": D(2025, 9, 30)}, "cf_withdraw_publication", D(2025, 10, 11)),
    ({"查封扣押": D(2026, 9, 3)}, "qz_seal", D(2026, 10, 3)),  # authority's period: not moved
    ({"查封扣押": D(2026, 9, 8)}, "qz_seal", D(2026, 10, 8)),
    ({"收到复议申请书副本": D(2025, 9, 26)}, "fy_reply", D(2025, 10, 16)),
    ({"收到复议申请书副本": D(2025, 9, 26)}, "fy_reply_simple", D(2025, 10, 10)),
    ({"收到复议申请转送": D(2026, 2, 12)}, "fy_forward", D(2026, 2, 26)),
    ({"收到起诉状副本": D(2025, 9, 16)}, "ss_defence", D(2025, 10, 9)),  # 民诉法 rule: moved
    ({"复议决定书送达": D(2026, 1, 17)}, "ss_sue_after_review", D(2026, 2, 2)),
    ({"一审判决书送达": D(2026, 2, 5)}, "ss_appeal", D(2026, 2, 24)),  # 2-20 in 春节
    ({"催告书送达": D(2026, 2, 10)}, "qz_notice_period", D(2026, 3, 2)),  # 10th working day: still the party's
    ({"催告书送达": D(2026, 2, 10)}, "qz_court_after_notice", D(2026, 3, 3)),  # the working day after it
    ({"责令改正": D(2026, 9, 1)}, "rd_recheck", D(2026, 10, 1)),
    ({"取得监测报告": D(2026, 9, 30)}, "rd_order_delivery", D(2026, 10, 10)),
    ({"收到解除查封扣押申请": D(2025, 9, 26)}, "qz_seal_release_review", D(2025, 10, 10)),
    ({"解除查封扣押决定": D(2026, 9, 24)}, "qz_seal_release_delivery", D(2026, 9, 30)),
    ({"限产停产决定作出": D(2026, 9, 24)}, "xc_delivery", D(2026, 10, 12)),
    ({"限产停产决定书送达": D(2025, 11, 30)}, "xc_plan", D(2025, 12, 19)),
    ({"限产停产决定书送达": D(2025, 11, 30)}, "xc_limit", D(2026, 2, 28)),
    ({"整改完成": D(2026, 9, 18)}, "xc_completion_report", D(2026, 10, 15)),
    ({"限产停产解除": D(2026, 1, 20)}, "xc_followup", D(2026, 2, 19)),
    ({"违法行为终了": D(2024, 2, 29)}, "cf_limitation", D(2026, 2, 28)),
    ({"违法行为终了": D(2024, 2, 29)}, "cf_limitation_5y", D(2029, 2, 28)),
    ({"违法行为终了": D(2026, 10, 31)}, "fd_limitation_5y", D(2031, 10, 31)),  # ended under the Code
    ({"违法行为终了": D(2026, 10, 31)}, "fd_limitation", D(2028, 10, 31)),
    ({"应急状态终止": D(2026, 8, 27)}, "tf_investigation_minor", D(2026, 9, 26)),
    ({"应急状态终止": D(2026, 8, 27)}, "tf_investigation_major", D(2026, 10, 26)),
    ({"移送报告提交": D(2026, 10, 4)}, "ys_approve", D(2026, 10, 8)),  # 衔接办法第三十八条: moved
    ({"收到不予立案通知": D(2026, 9, 30)}, "ys_reconsider", D(2026, 10, 3)),  # 3 natural days (移送规定第九条)
    ({"收到公安立案通知": D(2025, 1, 25)}, "ys_hand_over", D(2025, 2, 5)),  # 1-28 in 春节 → 2-05
    ({"收到检察意见": D(2025, 4, 1)}, "ys_procuratorate", D(2025, 4, 7)),  # 4-04 清明 → 4-07
    ({"拘留案件移送决定": D(2026, 2, 13)}, "jl_transfer", D(2026, 2, 25)),
    # rules added with the legal corrections (dates worked out by hand, see test_deadline_corrections.py)
    ({"代履行实施": D(2026, 11, 16)}, "qz_substitute_notice", D(2026, 11, 11)),
    ({"收到不予受理裁定": D(2026, 9, 16)}, "qz_not_accepted_review", D(2026, 10, 1)),  # authority's: not moved
    ({"收到不予执行裁定": D(2026, 11, 2)}, "qz_not_enforced_review", D(2026, 11, 17)),
    ({"决定书送达": D(2025, 9, 20)}, "qz_enforce_after_surcharge", D(2025, 11, 9)),  # surcharge from 10-10, day 31
    ({"收到许可申请材料": D(2026, 9, 30)}, "xk_correction_notice", D(2026, 10, 13)),
    ({"受理许可申请": D(2026, 11, 2)}, "xk_decision", D(2026, 11, 30)),
    ({"准予许可决定作出": D(2026, 9, 24)}, "xk_issue", D(2026, 10, 15)),
    ({"告知许可听证权利": D(2026, 9, 28)}, "xk_hearing_request", D(2026, 10, 8)),  # party's: 10-03 → 10-08
    ({"收到许可听证申请": D(2026, 11, 2)}, "xk_hearing_organize", D(2026, 11, 30)),
    ({"许可听证举行": D(2026, 10, 13)}, "xk_hearing_notice", D(2026, 9, 28)),
    ({"许可有效期届满": D(2026, 12, 31)}, "xk_renewal_apply", D(2026, 12, 1)),
    ({"收到环评报告书": D(2026, 8, 17)}, "fd_eia_approval_report", D(2026, 10, 16)),
    ({"收到环评报告表": D(2026, 9, 1)}, "fd_eia_approval_table", D(2026, 10, 1)),
    ({"收到环评重新审核材料": D(2026, 11, 2)}, "fd_eia_recheck", D(2026, 11, 12)),
    ({"复议申请受理": D(2026, 8, 3)}, "fy_decision", D(2026, 10, 8)),  # 10-02 国庆, 民诉法 rule: moved
    ({"复议申请受理": D(2026, 8, 3)}, "fy_decision_simple", D(2026, 9, 2)),
    ({"复议申请受理": D(2026, 8, 3)}, "ss_sue_after_silence", D(2026, 10, 23)),
    ({"复议申请受理": D(2026, 8, 3)}, "ss_sue_after_silence_simple", D(2026, 9, 17)),
    ({"收到复议意见书": D(2026, 9, 1)}, "fy_opinion_report", D(2026, 11, 2)),  # Saturday 10-31 → Monday
    ({"一审裁定书送达": D(2026, 9, 21)}, "ss_appeal_ruling", D(2026, 10, 8)),
    ({"收到移送材料补正告知": D(2026, 9, 29)}, "ys_supplement", D(2026, 10, 8)),
    ({"收到不予立案复议决定": D(2026, 9, 29)}, "ys_procuratorate_after_review", D(2026, 10, 2)),
]


def _one(events: dict, rule_id: str, now: date | datetime = NOW):
    found = {d.rule.id: d for d in compute_deadlines(events, now=now)}
    assert rule_id in found, f"{rule_id} not computed from {events}"
    return found[rule_id]


@pytest.mark.parametrize(("events", "rule_id", "expected"), CASES, ids=[f"{c[1]}-{c[2]}" for c in CASES])
def test_case_deadline(events: dict, rule_id: str, expected: date) -> None:
    d = _one(events, rule_id)
    assert d.due == expected
    assert not d.approximate


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert {rid for _, rid, _ in CASES} >= {r for r in default_rules().rules if default_rules().rules[r].period.unit != "小时"}


def test_rolled_and_strict_notes() -> None:
    payment = _one({"决定书送达": D(2025, 9, 20)}, "cf_payment")
    assert payment.rolled and "顺延至 2025-10-09" in payment.notes[0]
    decision = _one({"立案": D(2025, 7, 4)}, "cf_decision")
    assert not decision.rolled and any("不顺延" in n for n in decision.notes)


def test_extension() -> None:
    seal = _one({"查封扣押": D(2026, 9, 3)}, "qz_seal")
    assert seal.extended_due == D(2026, 11, 2)
    limit = _one({"限产停产决定书送达": D(2025, 11, 30)}, "xc_limit")
    assert limit.extended_due == D(2026, 5, 28)


def test_hour_periods() -> None:
    found = {d.rule.id: d for d in compute_deadlines({"得知突发环境事件": datetime(2026, 3, 1, 22, 30)}, now=NOW)}
    assert found["tf_report_minor"].due_at == datetime(2026, 3, 2, 2, 30)
    assert found["tf_report_major"].due_at == datetime(2026, 3, 2, 0, 30)
    assert found["tf_report_major"].due == D(2026, 3, 2)
    by_date = _one({"得知突发环境事件": D(2026, 3, 1)}, "tf_report_minor")
    assert by_date.due_at == datetime(2026, 3, 1, 4, 0) and "零时" in by_date.notes[-1]
    late = _one({"移送决定作出": datetime(2026, 3, 1, 10, 0)}, "ys_transfer", now=datetime(2026, 3, 2, 10, 1))
    assert late.status is Status.OVERDUE


def test_years_without_holiday_data_are_estimated() -> None:
    d = _one({"告知书送达": D(2026, 12, 28)}, "cf_hearing_request")
    assert d.approximate and d.due == D(2027, 1, 4) and "2027年" in d.notes[-1]
    pay = _one({"决定书送达": D(2026, 12, 20)}, "cf_payment")
    assert pay.approximate and pay.due == D(2027, 1, 4)
    plain = _one({"立案": D(2026, 11, 1)}, "cf_decision")  # no roll: no holiday data needed
    assert plain.due == D(2027, 1, 30) and not plain.approximate


@pytest.mark.parametrize(
    ("events", "rule_id", "now", "status"),
    [
        ({"立案": D(2025, 7, 4)}, "cf_decision", D(2025, 9, 30), Status.DUE_SOON),
        ({"立案": D(2025, 7, 4)}, "cf_decision", D(2025, 10, 2), Status.DUE_TODAY),
        ({"立案": D(2025, 7, 4)}, "cf_decision", D(2025, 8, 1), Status.PENDING),
        ({"立案": D(2025, 1, 2)}, "cf_decision", D(2025, 6, 1), Status.OVERDUE),
        ({"立案": D(2025, 1, 2), "决定作出": D(2025, 3, 1)}, "cf_decision", D(2025, 6, 1), Status.DONE),
        ({"决定书送达": D(2025, 9, 15)}, "cf_payment", D(2025, 10, 1), Status.EXPIRED),
        ({"决定书送达": D(2025, 9, 15)}, "cf_surcharge", D(2025, 9, 30), Status.WAITING),
        ({"决定书送达": D(2025, 9, 15)}, "cf_surcharge", D(2025, 10, 1), Status.OPEN),
        ({"决定书送达": D(2025, 9, 15), "罚款缴纳": D(2025, 9, 20)}, "cf_surcharge", D(2025, 10, 1), Status.DONE),
    ],
)
def test_status(events: dict, rule_id: str, now: date, status: Status) -> None:
    assert _one(events, rule_id, now).status is status


def test_unknown_event() -> None:
    with pytest.raises(UnknownEventError, match="未知的案件事件“开会”"):
        compute_deadlines({"开会": D(2025, 1, 1)})


def test_sorted_and_cited() -> None:
    out = compute_deadlines({"决定书送达": D(2025, 9, 20), "立案": D(2025, 7, 4)}, now=NOW)
    assert [d.due for d in out] == sorted(d.due for d in out)
    assert {d.citation for d in out} >= {"《行政处罚法》第六十条", "《行政处罚法》第六十七条第三款", "《行政诉讼法》第四十六条第一款"}


def test_surcharge_amount() -> None:
    assert surcharge_amount(10000, 10) == Decimal("3000.00")
    assert surcharge_amount(10000, 33) == Decimal("9900.00")
    assert surcharge_amount("10000", 34) == Decimal("10000.00")  # never more than the fine
    assert surcharge_amount(10000, 0) == Decimal("0.00")


# --- the rule data -----------------------------------------------------------------------------------
def test_rules_cite_real_articles(corpus) -> None:
    """Every citation resolves in the corpus and every quote is in the cited 条/款/项."""
    assert check_citations(load_rules(), corpus) == []


def test_cited_laws_are_current(corpus) -> None:
    rules = load_rules()
    for rule in rules.rules.values():
        law = corpus.law(rule.cite.law)
        assert law is not None and law.is_current, rule.id


def test_rule_data_is_consistent() -> None:
    rules = load_rules()
    assert len(rules.rules) >= 30
    used = {r.trigger for r in rules.rules.values() if r.trigger} | {e for r in rules.rules.values() for e in r.done_by}
    assert set(rules.events) == used, "every event starts or completes some rule"
    assert {r.counting.key for r in rules.rules.values()} == set(rules.counting)
    for rule in rules.rules.values():
        assert rule.binds in ("机关", "当事人") and rule.name and rule.citation.startswith("《")


def test_processing_law_workdays_are_enforced() -> None:
    """处罚法第八十五条: a “七日” rule written as 7 日 is rejected."""
    data = _minimal_rule(period={"n": 7, "unit": "日"}, quote="应当在七日内及时作出处理决定")
    with pytest.raises(RuleDataError, match="unit 应为 工作日"):
        parse_rules(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"trigger": "不存在的事件"}, "不在 events 中"),
        ({"quote": "应当及时作出处理决定"}, "quote 中没有期间数字"),
        ({"direction": "sometime"}, "direction 应为"),
        ({"binds": "法院"}, "binds 应为"),
        ({"cite": {"law": "中华人民共和国行政处罚法"}}, "cite 需要 law 和整数 article"),
        ({"id": "Bad-Id"}, "id 只能用"),
        ({"period": {"n": 0, "unit": "日"}}, "period 应为正整数"),
        ({"trigger_rules": ["later_rule"]}, "trigger 和 trigger_rules 必须且只能有一个"),
        ({"counting": "无此口径"}, "未知的 counting"),
        ({"done_by": ["没有的事件"]}, "done_by"),
    ],
)
def test_bad_rule_data(change: dict, message: str) -> None:
    with pytest.raises(RuleDataError, match=message):
        parse_rules(_minimal_rule(**change))


def _minimal_rule(**change) -> dict:
    rule = {
        "id": "r1",
        "name": "测试",
        "trigger": "E",
        "period": {"n": 7, "unit": "工作日"},
        "direction": "within",
        "binds": "机关",
        "counting": "处罚法",
        "cite": {"law": "中华人民共和国行政处罚法", "article": 56},
        "quote": "应当在七日内及时作出处理决定",
    }
    rule.update(change)
    return {
        "events": {"E": "事件"},
        "counting": {
            "处罚法": {
                "workdays": {"days": [2, 3, 5, 7]},
                "workday_basis": {"cite": {"law": "中华人民共和国行政处罚法", "article": 85}, "quote": "工作日"},
                "holiday_end": "silent",
            }
        },
        "rules": [rule],
    }


# --- organisational due dates -----------------------------------------------------------------------
def test_org_next_due() -> None:
    items = {i.id: i for i in load_org_deadlines()}
    assert next_due(items["monthly_figures"], D(2026, 11, 25)) == D(2026, 12, 3)
    assert next_due(items["monthly_figures"], D(2026, 12, 3)) == D(2026, 12, 3)
    assert next_due(items["monthly_brief"], D(2026, 12, 26)) == D(2027, 1, 25)
    assert next_due(items["annual_self_evaluation"], D(2026, 11, 21)) == D(2027, 11, 20)
    assert next_due(items["annual_self_evaluation"], D(2026, 3, 1)) == D(2026, 11, 20)


def test_org_holiday_policy_and_overrides() -> None:
    overrides = {
        "monthly_figures": {"on_holiday": "next_workday"},
        "monthly_brief": {"day": 1, "on_holiday": "previous_workday"},
        "annual_self_evaluation": {"month": 2, "day": 31},
    }
    items = {i.id: i for i in load_org_deadlines(overrides=overrides)}
    assert next_due(items["monthly_figures"], D(2026, 9, 4)) == D(2026, 10, 8)  # 10-03 is 国庆
    assert next_due(items["monthly_brief"], D(2026, 9, 2)) == D(2026, 9, 30)  # 10-01 → the day before
    assert next_due(items["annual_self_evaluation"], D(2026, 1, 1)) == D(2026, 2, 28)  # no 31 Feb → month end
    disabled = load_org_deadlines(overrides={"monthly_brief": {"enabled": False}})
    assert "monthly_brief" not in {d.item.id for d in upcoming(D(2026, 11, 1), disabled)}


def test_org_upcoming_and_reminders() -> None:
    soon = upcoming(D(2026, 11, 25), within_days=40)
    assert [(d.item.id, d.due) for d in soon] == [
        ("monthly_brief", D(2026, 11, 25)),
        ("monthly_figures", D(2026, 12, 3)),
        ("monthly_brief", D(2026, 12, 25)),
        ("monthly_figures", D(2027, 1, 3)),
    ]
    assert [d.item.id for d in reminders_on(D(2026, 12, 1))] == ["monthly_figures"]
    assert [d.item.id for d in reminders_on(D(2026, 11, 10))] == ["annual_self_evaluation"]
