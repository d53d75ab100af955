"""The statistics' field set and what officers type: 全角, Chinese numerals, 1.2万 in a 万元 field, 12000元,
千位分隔, and clear errors for negative, text, fractions of a count, absurd magnitudes; a pasted block."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scheduler.stats_fields import ValueProblem, load_fields

FIELDS = load_fields()


def value(field_id: str, raw: str):
    return FIELDS.parse_value(FIELDS.get(field_id), raw)


def test_the_field_set_is_the_bureaus_sixteen():
    names = [f.name for f in FIELDS.fields]
    assert len(names) == 16 and names[0] == "出动执法人员批次" and "罚款金额" in names and "宣传报道篇数" in names
    assert {f.kind for f in FIELDS.fields} == {"count", "money"} and FIELDS.get("fines").unit == "万元"
    assert FIELDS.four_kinds == ("daily_penalty", "seizures", "production_limits", "detention_referrals")


@pytest.mark.parametrize(("field_id", "raw", "expected"), [
    ("batches", "12", 12), ("batches", "１２", 12), ("batches", "十二", 12), ("batches", "一百零五", 105),
    ("batches", "1,234", 1234), ("batches", "1，234", 1234), ("batches", "12批次", 12), ("cases_opened", "3件", 3),
    ("persons", "两千", 2000), ("batches", "0", 0),
    ("fines", "3.5", Decimal("3.5")), ("fines", "3.5万", Decimal("3.5")), ("fines", "1.2万元", Decimal("1.2")),
    ("fines", "12000元", Decimal("1.2")), ("fines", "叁万伍仟元", Decimal("3.5")), ("fines", "９０．９１５", Decimal("90.915")),
    ("fines", "0.0001", Decimal("0.0001")), ("fines", "五十点五", Decimal("50.5")),
])
def test_values_officers_type(field_id, raw, expected):
    assert value(field_id, raw) == expected


@pytest.mark.parametrize(("field_id", "raw", "says"), [
    ("batches", "-3", "不能是负数"), ("batches", "负三", "不能是负数"), ("batches", "很多", "不是数字"),
    ("batches", "", "没有填写"), ("batches", "1.5", "应为整数"), ("batches", "9999999", "超过了合理范围"),
    ("fines", "0.00001", "最多保留4位小数"), ("fines", "200000", "超过了合理范围"), ("fines", "三万多", "不是数字"),
])
def test_clear_errors(field_id, raw, says):
    with pytest.raises(ValueProblem) as caught:
        value(field_id, raw)
    assert says in str(caught.value)


def test_a_pasted_block_fills_every_field_it_names():
    values, problems = FIELDS.parse_block("批次 12\n出动人次：２４\n罚款金额：3.5万\n立案数 五\n双随机:3\n胡说八道 3\n查封 -1")
    assert values == {"batches": 12, "persons": 24, "fines": Decimal("3.5"), "cases_opened": 5, "random_checks": 3}
    assert len(problems) == 2 and "胡说八道" in problems[0] and "不能是负数" in problems[1]
    one_line, none = FIELDS.parse_block("批次12，人次24，罚款1.5万元")
    assert one_line == {"batches": 12, "persons": 24, "fines": Decimal("1.5")} and none == []


def test_what_is_a_block_and_what_is_a_value_or_a_question():
    assert FIELDS.looks_like_block("批次 12") and FIELDS.looks_like_block("批次 12\n人次 30")
    assert not FIELDS.looks_like_block("12") and not FIELDS.looks_like_block("大气法99条")
    assert not FIELDS.looks_like_block("企业未批先建怎么罚")


def test_cross_field_rules():
    assert FIELDS.check({"batches": 5, "persons": 3}) == [("warn", "出动人次少于批次（每批次至少一人）")]
    assert FIELDS.check({"inspections": 3, "random_checks": 4})[0][1].startswith("双随机抽查户次多于")
    assert FIELDS.check({"cases_opened": 2, "decisions": 3})[0][1].startswith("处罚决定数多于本月立案数")
    assert FIELDS.check({"batches": 5, "persons": 10, "decisions": 1}) == []  # fields not filled are not judged


# --- any text an officer may type (issue 15: no exception reaches an officer) ------------------------------------

TYPED = st.text(alphabet=st.sampled_from(list("0123456789０１２３４５６７８９.,，。-—+万元千百十零一二三四五六七八九两件户次批 \n：:"
                                              "罚款批次人次立案abcE%")), max_size=60)


@settings(max_examples=400, deadline=None)
@given(raw=TYPED, which=st.integers(min_value=0, max_value=15))
@example(raw="999999999999999916113920", which=7)  # a money field: too many digits to round to the places
def test_any_typed_value_is_a_number_in_range_or_a_value_problem(raw, which):
    fields = load_fields()
    field = fields.fields[which]
    try:
        value = fields.parse_value(field, raw)
    except ValueProblem as problem:
        assert str(problem)  # a sentence to show
        return
    assert value >= 0 and value <= field.max
    field.format(value)


@settings(max_examples=300, deadline=None)
@given(block=TYPED)
def test_any_pasted_block_parses_into_known_fields_and_sentences(block):
    fields = load_fields()
    values, problems = fields.parse_block(block)
    assert set(values) <= set(fields.ids())
    assert all(isinstance(p, str) and p for p in problems)
    fields.check(values)
