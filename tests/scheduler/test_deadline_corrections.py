"""Corrections of the statutory deadline rules after a line-by-line reading against the article texts.

Each test fails on the data before the correction. Expected dates were worked out by hand from the holiday
arrangements listed in test_deadlines.py (2026: 春节 2-15…2-23, 调休上班 2-14/2-28/9-20/10-10, 中秋 9-25…9-27,
国庆 10-01…10-07; 2025: 国庆中秋 10-01…10-08).
"""

from __future__ import annotations

from datetime import date

import pytest

from scheduler.deadlines import RuleSet, Status, compute_deadlines, load_rules

D = date
NOW = D(2026, 1, 1)


def _rules() -> RuleSet:
    return load_rules()


def _due(events: dict, rule_id: str):
    found = {d.rule.id: d for d in compute_deadlines(events, now=NOW, rules=_rules())}
    assert rule_id in found, f"{rule_id} not computed from {events}"
    return found[rule_id]


# --- 2. 行政强制法第五十四条: the tenth day after the 催告书 is still the party's ------------------------------
def test_court_application_opens_the_day_after_the_tenth_working_day() -> None:
    # 催告书 delivered Tue 10 Feb 2026: 10 working days over 春节 end Mon 2 March (2-14 and 2-28 are worked)
    events = {"催告书送达": D(2026, 2, 10)}
    wait = _due(events, "qz_notice_period")
    assert wait.due == D(2026, 3, 2) and wait.rule.binds == "当事人" and wait.rule.direction == "within"
    assert (wait.rule.cite.law, wait.rule.cite.article) == ("中华人民共和国行政强制法", 54)
    court = _due(events, "qz_court_after_notice")
    assert court.rule.direction == "after" and court.start == D(2026, 3, 2)
    assert court.due == D(2026, 3, 3)  # was 2026-03-02: the party's last day


def test_court_application_after_a_friday_waits_for_monday() -> None:
    # delivered Fri 30 Oct 2026: tenth working day Fri 13 Nov; the first day after it that is worked: Mon 16 Nov
    assert _due({"催告书送达": D(2026, 10, 30)}, "qz_court_after_notice").due == D(2026, 11, 16)


# --- 4. deadlines that were missing ------------------------------------------------------------------------
# (rule id, events, law, article, 款, 项, n, unit, direction, binds, expected due)
ADDED = [
    ("xk_correction_notice", {"收到许可申请材料": D(2026, 9, 30)}, "中华人民共和国行政许可法", 32, 1, 4,
     5, "工作日", "within", "机关", D(2026, 10, 13)),
    ("xk_decision", {"受理许可申请": D(2026, 11, 2)}, "中华人民共和国行政许可法", 42, 1, None,
     20, "工作日", "within", "机关", D(2026, 11, 30)),
    ("xk_issue", {"准予许可决定作出": D(2026, 9, 24)}, "中华人民共和国行政许可法", 44, None, None,
     10, "工作日", "within", "机关", D(2026, 10, 15)),
    ("xk_hearing_request", {"告知许可听证权利": D(2026, 9, 28)}, "中华人民共和国行政许可法", 47, 1, None,
     5, "日", "within", "当事人", D(2026, 10, 8)),
    ("xk_hearing_organize", {"收到许可听证申请": D(2026, 11, 2)}, "中华人民共和国行政许可法", 47, 1, None,
     20, "工作日", "within", "机关", D(2026, 11, 30)),
    ("xk_hearing_notice", {"许可听证举行": D(2026, 10, 13)}, "中华人民共和国行政许可法", 48, 1, 1,
     7, "工作日", "before", "机关", D(2026, 9, 28)),
    ("xk_renewal_apply", {"许可有效期届满": D(2026, 12, 31)}, "中华人民共和国行政许可法", 50, 1, None,
     30, "日", "before", "当事人", D(2026, 12, 1)),
    ("fd_eia_approval_report", {"收到环评报告书": D(2026, 8, 3)}, "中华人民共和国生态环境法典", 102, 2, None,
     60, "日", "within", "机关", D(2026, 10, 2)),  # 国庆, authority's period: not moved
    ("fd_eia_approval_table", {"收到环评报告表": D(2026, 9, 1)}, "中华人民共和国生态环境法典", 102, 2, None,
     30, "日", "within", "机关", D(2026, 10, 1)),
    ("fd_eia_recheck", {"收到环评重新审核材料": D(2026, 11, 2)}, "中华人民共和国生态环境法典", 106, 2, None,
     10, "日", "within", "机关", D(2026, 11, 12)),
    ("qz_substitute_notice", {"代履行实施": D(2026, 11, 16)}, "中华人民共和国行政强制法", 51, 1, 2,
     3, "工作日", "before", "机关", D(2026, 11, 11)),
    ("qz_not_accepted_review", {"收到不予受理裁定": D(2026, 9, 16)}, "中华人民共和国行政强制法", 56, 2, None,
     15, "日", "within", "机关", D(2026, 10, 1)),
    ("qz_not_enforced_review", {"收到不予执行裁定": D(2026, 11, 2)}, "中华人民共和国行政强制法", 58, 3, None,
     15, "日", "within", "机关", D(2026, 11, 17)),
    ("qz_enforce_after_surcharge", {"决定书送达": D(2025, 9, 20)}, "中华人民共和国行政强制法", 46, 1, None,
     30, "日", "after", "机关", D(2025, 11, 9)),  # payment due 10-09, surcharge from 10-10; day 31 of it
    ("fy_decision", {"复议申请受理": D(2026, 8, 3)}, "中华人民共和国行政复议法", 62, 1, None,
     60, "日", "within", "机关", D(2026, 10, 8)),  # 10-02 in 国庆; 民诉法第八十五条第三款: moved
    ("fy_decision_simple", {"复议申请受理": D(2026, 8, 3)}, "中华人民共和国行政复议法", 62, 2, None,
     30, "日", "within", "机关", D(2026, 9, 2)),
    ("fy_opinion_report", {"收到复议意见书": D(2026, 9, 1)}, "中华人民共和国行政复议法", 76, None, None,
     60, "日", "within", "机关", D(2026, 11, 2)),  # Saturday 10-31 → Monday
    ("ss_appeal_ruling", {"一审裁定书送达": D(2026, 9, 21)}, "中华人民共和国行政诉讼法", 85, None, None,
     10, "日", "within", "当事人", D(2026, 10, 8)),
    ("ys_supplement", {"收到移送材料补正告知": D(2026, 9, 29)}, "环境保护行政执法与刑事司法衔接工作办法", 8, None, None,
     3, "日", "within", "机关", D(2026, 10, 8)),  # 办法第三十八条: moved off 国庆
    ("ys_procuratorate_after_review", {"收到不予立案复议决定": D(2026, 9, 29)}, "行政执法机关移送涉嫌犯罪案件的规定",
     9, 2, None, 3, "日", "within", "机关", D(2026, 10, 2)),  # the regulation is silent: not moved
]


@pytest.mark.parametrize(
    ("rule_id", "events", "law", "article", "paragraph", "item", "n", "unit", "direction", "binds", "expected"),
    ADDED, ids=[a[0] for a in ADDED],
)
def test_added_rule(rule_id, events, law, article, paragraph, item, n, unit, direction, binds, expected) -> None:
    rules = _rules()
    assert rule_id in rules.rules, f"missing rule {rule_id}"
    rule = rules.rule(rule_id)
    assert (rule.cite.law, rule.cite.article, rule.cite.paragraph, rule.cite.item) == (law, article, paragraph, item)
    assert (rule.period.n, rule.period.unit, rule.direction, rule.binds) == (n, unit, direction, binds)
    assert _due(events, rule_id).due == expected


def test_licensing_law_counts_the_authoritys_periods_in_working_days() -> None:
    rules = _rules()
    counting = rules.counting["许可法"]
    assert counting.workday_all and counting.workday_basis is not None
    assert (counting.workday_basis.cite.law, counting.workday_basis.cite.article) == ("中华人民共和国行政许可法", 82)
    for rule in rules.rules.values():
        if rule.cite.law == "中华人民共和国行政许可法" and rule.binds == "机关":
            assert rule.counting.key == "许可法" and rule.period.unit == "工作日", rule.id
    # 第八十二条 covers only the authority's periods: the applicant's five days stay calendar days
    assert rules.rule("xk_hearing_request").counting.key != "许可法"


def test_licence_decision_extension_is_ten_working_days() -> None:
    d = _due({"受理许可申请": D(2026, 11, 2)}, "xk_decision")
    assert d.rule.extension is not None and (d.rule.extension.n, d.rule.extension.unit) == (10, "工作日")
    assert d.extended_due == D(2026, 12, 14)


def test_review_decision_may_be_extended_by_thirty_days() -> None:
    d = _due({"复议申请受理": D(2026, 8, 3)}, "fy_decision")
    assert (d.rule.extension.n, d.rule.extension.unit) == (30, "日")
    assert d.extended_due == D(2026, 11, 7)


def test_suing_after_a_silent_review_runs_from_the_end_of_the_review_period() -> None:
    """行政诉讼法第四十五条: 复议期满之日起十五日内 — the start is the end of the 复议 period (复议法第六十二条)."""
    events = {"复议申请受理": D(2026, 8, 3)}
    for sue, review in (("ss_sue_after_silence", "fy_decision"), ("ss_sue_after_silence_simple", "fy_decision_simple")):
        rule = _rules().rule(sue)
        assert rule.trigger_rules == (review,) and rule.trigger is None
        assert (rule.cite.law, rule.cite.article) == ("中华人民共和国行政诉讼法", 45)
        assert "复议期满之日起十五日内" in rule.quote
        d = _due(events, sue)
        assert d.start == _due(events, review).due
    assert _due(events, "ss_sue_after_silence").due == D(2026, 10, 23)
    assert _due(events, "ss_sue_after_silence_simple").due == D(2026, 9, 17)


def test_appeal_against_a_ruling_and_against_a_judgment() -> None:
    """行政诉讼法第八十五条: ten days for a 裁定, fifteen for a 判决 (the same delivery day gives different ends)."""
    ruling = _due({"一审裁定书送达": D(2026, 2, 5)}, "ss_appeal_ruling")
    judgment = _due({"一审判决书送达": D(2026, 2, 5)}, "ss_appeal")
    assert ruling.rule.period.n == 10 and judgment.rule.period.n == 15
    assert ruling.due == D(2026, 2, 24) and judgment.due == D(2026, 2, 24)  # 2-15 and 2-20 both fall in 春节
    assert _due({"一审裁定书送达": D(2026, 3, 2)}, "ss_appeal_ruling").due == D(2026, 3, 12)


def test_new_counting_entries_exist_for_laws_without_one() -> None:
    counting = _rules().counting
    assert {"许可法", "许可法申请人", "法典", "移送规定"} <= set(counting)
    assert counting["法典"].holiday_end == "silent" and not counting["法典"].is_workday_period(10)
    assert counting["移送规定"].holiday_end == "silent" and not counting["移送规定"].is_workday_period(3)


def test_new_events_are_described() -> None:
    events = _rules().events
    for name in ("代履行实施", "收到不予受理裁定", "收到不予执行裁定", "收到许可申请材料", "受理许可申请", "准予许可决定作出",
                 "告知许可听证权利", "收到许可听证申请", "许可听证举行", "许可有效期届满", "收到环评报告书", "收到环评报告表",
                 "收到环评重新审核材料", "复议申请受理", "收到复议意见书", "一审裁定书送达", "收到移送材料补正告知",
                 "收到不予立案复议决定"):
        assert len(events.get(name, "")) >= 8, name


def test_existing_rule_order_is_kept() -> None:
    """Buttons name a deadline by its index in the file: rules present before the corrections keep their place."""
    ids = list(_rules().rules)
    before = ["cf_limitation", "cf_limitation_5y", "cf_register_preserve", "cf_hearing_request", "cf_hearing_notice",
              "cf_decision", "cf_decision_delivery", "cf_payment", "cf_surcharge", "cf_onsite_fine",
              "cf_withdraw_publication", "fy_apply", "fy_reply", "fy_reply_simple", "fy_forward", "ss_sue",
              "ss_sue_after_review", "ss_defence", "ss_appeal", "qz_court_apply", "qz_notice_period", "qz_seal"]
    assert ids[: len(before)] == before
    assert ids.index("qz_court_after_notice") > ids.index("qz_notice_period")


# --- the limitation period: 法典第一千零五十四条 for acts that ended from 2026-08-15, the old rule before ------
def _limitation(events: dict, now: date) -> dict[str, object]:
    return {d.rule.id: d for d in compute_deadlines(events, now=now) if "limitation" in d.rule.id}


def test_an_act_that_ended_before_the_code_keeps_the_old_two_years():
    found = _limitation({"违法行为终了": date(2026, 8, 14)}, date(2026, 9, 1))
    assert set(found) == {"cf_limitation", "cf_limitation_5y"}
    old = found["cf_limitation"]
    assert old.due == date(2028, 8, 14) and "从旧兼从轻" in old.notes[0] and "第三十七条" in old.notes[0]


def test_an_act_that_ended_under_the_code_gets_its_five_or_two_years():
    found = _limitation({"违法行为终了": date(2026, 8, 15)}, date(2026, 9, 1))
    assert set(found) == {"fd_limitation_5y", "fd_limitation"}
    five, two = found["fd_limitation_5y"], found["fd_limitation"]
    assert five.due == date(2031, 8, 15) and two.due == date(2028, 8, 15)
    assert five.rule.condition == "造成环境污染、生态破坏等危害后果" and "第一千零五十四条" in five.notes[1]
    assert five.citation == "《生态环境法典》第一千零五十四条第一款"


def test_the_law_asks_that_the_act_be_discovered_not_that_a_case_be_filed():
    found = _limitation({"违法行为终了": date(2023, 6, 1), "违法行为被发现": date(2025, 5, 20)}, date(2026, 9, 10))
    assert found["cf_limitation"].status is Status.DONE  # discovered within two years, filed or not
    undiscovered = _limitation({"违法行为终了": date(2023, 6, 1)}, date(2026, 9, 10))
    assert undiscovered["cf_limitation"].status is Status.OVERDUE


def test_reconsideration_of_a_refusal_to_open_a_criminal_case_counts_three_natural_days():
    [d] = [d for d in compute_deadlines({"收到不予立案通知": date(2026, 9, 30)}, now=date(2026, 9, 30))
           if d.rule.id == "ys_reconsider"]
    assert d.due == date(2026, 10, 3)  # the regulation's 3 days, not the 办法's 3 working days (10-10)
    assert d.citation == "《行政执法机关移送涉嫌犯罪案件的规定》第九条第一款"
    assert "3个工作日" in d.rule.notes and "立法法第九十九条第二款" in d.rule.notes
