"""Document check on realistic decision excerpts: planted errors are found, clean excerpts give no findings."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.check import ERROR, check_document, decided_measures, fine_amount, violation_date
from knowledge.governing import governing_rule

CLEAN = [
    "经查，你公司于2026年3月12日超过大气污染物排放标准排放大气污染物。依据《中华人民共和国大气污染防治法》第九十九条第二项的规定，决定处罚款人民币贰拾万元整。",
    "经查，你公司于2026年9月3日超过大气污染物排放标准排放大气污染物。以上事实违反了《中华人民共和国生态环境法典》有关规定，依据《中华人民共和国生态环境法典》第一千一百零七条的规定，决定责令改正，处罚款人民币拾伍万元整。",
    "2026年10月9日，我局执法人员现场检查发现，你单位危险废物贮存场所未设置危险废物识别标志。依据《生态环境法典》第一千一百七十五条第一项，决定罚款人民币陆万元。",
    "2025年11月20日检查发现你公司未依法取得排污许可证排放水污染物，违反《水污染防治法》第二十一条第一款，依据《水污染防治法》第八十三条第一项，决定责令改正，罚款人民币拾万元整。",
    "经查，你单位于2026年8月20日在噪声敏感建筑物集中区域使用高音广播喇叭，经责令改正拒不改正。依据法典第1190条第一项，决定给予警告，并处罚款5000元。",
    "经查，你公司于2026年4月2日未按照规定对所排放的工业废气进行监测并保存原始监测记录。依据《大气污染防治法》第一百条第二项，决定罚款人民币3万元。",
    "经查，你单位2026年9月15日不正常运行污染防治设施，通过逃避监管的方式排放污染物。依据《生态环境法典》第一千一百零八条，决定处罚款人民币壹拾伍万元整，并责令限制生产、停产整治。",
    "2026年5月6日检查发现，你公司重点排污单位未公开自动监测数据，依据《中华人民共和国大气污染防治法》第一百条第四项之规定，决定罚款人民币贰万元整。",
    "经查，你单位于2026年12月1日未向社会公开污染物排放信息，依据《中华人民共和国生态环境法典》第一千一百一十条，决定罚款人民币伍万元整。",
    "经查，你公司于2025年12月3日超过污染物排放标准排放污染物，依据《中华人民共和国环境保护法》第六十条、《中华人民共和国大气污染防治法》第九十九条第二项，决定责令限制生产，并处罚款人民币壹拾万元整。",
]

# (excerpt, severity, part of the message)
PLANTED = [
    (
        "经查，你公司于2026年9月3日超过大气污染物排放标准排放大气污染物。依据《中华人民共和国大气污染防治法》第九十九条第二项的规定，决定处罚款人民币拾伍万元整。",
        "错误",
        "应引用《生态环境法典》第一千一百零七条",
    ),
    (
        "经查，你公司于2026年9月3日超过污染物排放标准排放污染物，依据《生态环境法典》第一千一百零七条，决定罚款人民币伍万元整。",
        "错误",
        "低于《生态环境法典》第一千一百零七条法定最低十万元",
    ),
    (
        "经查，你公司于2026年9月3日超过污染物排放标准排放污染物，依据《生态环境法典》第一千一百零七条，决定罚款人民币贰佰万元整。",
        "错误",
        "高于《生态环境法典》第一千一百零七条法定最高一百万元",
    ),
    (
        "经查，你单位于2026年10月9日存在违法行为，依据《中华人民共和国生态环境法典》第一千三百条，决定罚款人民币伍万元整。",
        "错误",
        "没有第一千三百条",
    ),
    (
        "经查，你单位于2025年10月9日存在违法行为，依据《中华人民共和国大气污染防治法》第一百三十条，决定罚款人民币伍万元整。",
        "错误",
        "没有第一百三十条",
    ),
    (
        "2026年10月9日检查发现，你单位未设置危险废物识别标志，依据《固体废物污染环境防治法》第一百一十二条第一项，决定罚款人民币拾万元。",
        "错误",
        "应引用《生态环境法典》第一千一百七十五条第一项",
    ),
    (
        "2026年10月9日检查发现，你单位未设置危险废物识别标志，依据《生态环境法典》第一千一百七十五条第一项，决定罚款人民币3万元。",
        "错误",
        "低于《生态环境法典》第一千一百七十五条第一项法定最低五万元",
    ),
    (
        "2026年11月2日检查发现，你单位未依法取得排污许可证排放污染物，依据法典第1102条，决定罚款10万元。",
        "错误",
        "低于《生态环境法典》第一千一百零二条法定最低二十万元",
    ),
    (
        "经查，你公司于2026年4月2日未按照规定对所排放的工业废气进行监测，依据《大气污染防治法》第一百条第二项，决定罚款人民币1万元。",
        "错误",
        "低于《大气污染防治法》第一百条第二项法定最低二万元",
    ),
    (
        "经查，你公司于2026年4月2日重点排污单位不公开自动监测数据，依据《大气污染防治法》第一百条第四项，决定罚款人民币25万元。",
        "错误",
        "高于《大气污染防治法》第一百条第四项法定最高二十万元",
    ),
    (
        "经查，你单位于2026年12月1日未向社会公开污染物排放信息，依据《生态环境法典》第一千一百一十条，决定罚款人民币伍万元整，并吊销排污许可证。",
        "提示",
        "“吊销许可证”",
    ),
    (
        "经查，你单位于2026年8月20日在噪声敏感建筑物集中区域使用高音广播喇叭，拒不改正，依据法典第1190条第一项，决定罚款3万元。",
        "错误",
        "高于《生态环境法典》第一千一百九十条第一项法定最高二万元",
    ),
    (
        "经查，你单位于2026年8月20日在噪声敏感建筑物集中区域使用高音广播喇叭，拒不改正，依据法典第1190条第一项，决定给予警告，责令停业、关闭。",
        "提示",
        "“责令停业、关闭”",
    ),
    (
        "2026年9月10日检查发现你公司通过暗管排放水污染物，依据《水污染防治法》第八十三条第三项，决定责令改正，罚款人民币伍拾万元整。",
        "错误",
        "应引用《生态环境法典》第一千一百零八条",
    ),
    (
        "经查，你公司2026年9月1日未批先建，依据《中华人民共和国环境影响评价法》第三十一条第一款，决定责令停止建设，罚款人民币伍拾万元整。",
        "错误",
        "应引用《生态环境法典》第一千零九十五条",
    ),
    (
        "经查，你单位2026年10月5日餐饮油烟超标排放，依据《大气污染防治法》第一百一十八条第一款，决定罚款人民币壹万元整。",
        "错误",
        "应引用《生态环境法典》第一千一百三十二条",
    ),
    (
        "经查，你单位于2026年9月20日露天烧烤食品，依据《生态环境法典》第一千一百三十二条第三款，决定没收烧烤工具，并处罚款人民币叁万元整。",
        "错误",
        "高于《生态环境法典》第一千一百三十二条第三款法定最高二万元",
    ),
    (
        "经查，你公司2026年10月18日将危险废物提供给无许可证的单位，依据《生态环境法典》第一千一百七十五条第五项，决定罚款人民币拾万元整。",
        "错误",
        "低于《生态环境法典》第一千一百七十五条第五项法定最低二十万元",
    ),
    (
        "经查，你公司于2026年9月8日超过重点污染物排放总量控制指标排放污染物，依据《生态环境法典》第一千一百零七条，决定罚款人民币陆拾万元整，并处行政拘留十日。",
        "提示",
        "“拘留”",
    ),
    (
        "经查，你公司于2026年8月16日未按照规定设置危险废物识别标志，依据《中华人民共和国固体废物污染环境防治法》第一百一十二条第一项的规定，决定罚款人民币伍万元整。",
        "错误",
        "违法行为发生于2026年8月16日",
    ),
    (
        "经查，你单位2026年11月11日施工工地未设置硬质围挡，依据《生态环境法典》第一千一百二十八条第一项，决定罚款人民币十五万元。",
        "错误",
        "高于《生态环境法典》第一千一百二十八条第一项法定最高十万元",
    ),
    (
        "经查，你单位2026年9月2日船舶向海域排放含油污水，依据《生态环境法典》第一千一百五十三条第一项，决定罚款人民币伍万元整。",
        "错误",
        "低于《生态环境法典》第一千一百五十三条第一项法定最低十万元",
    ),
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_excerpt_has_no_findings(corpus, text):
    assert check_document(text, corpus) == []


@pytest.mark.parametrize(("text", "severity", "message"), PLANTED)
def test_planted_error_is_found(corpus, text, severity, message):
    findings = check_document(text, corpus)
    assert any(f.severity == severity and message in f.message for f in findings), findings


def test_counts():
    assert len(PLANTED) >= 20 and len(CLEAN) >= 10


def test_findings_carry_article_text(corpus):
    [f] = check_document(PLANTED[1][0], corpus)
    assert f.severity == ERROR and "十万元以上一百万元以下" in (f.article_text or "")


@pytest.mark.parametrize(
    ("text", "value"),
    [("决定处罚款人民币伍万元整。", 50000), ("罚款50000元", 50000), ("处5万元罚款", 50000),
     ("罚款人民币壹拾伍万元整", 150000), ("罚款人民币（大写）贰拾万元", 200000),
     ("依照第九十九条处十万元以上一百万元以下的罚款", None)],
)
def test_fine_amount(text, value):
    assert fine_amount(text) == value


def test_violation_date():
    assert violation_date("经查，你公司于2026年9月3日超标排放。") == date(2026, 9, 3)
    assert violation_date("本局于2026年10月20日作出决定。经查，你公司2026年9月3日违法排放污染物。") == date(2026, 9, 3)
    assert violation_date("二〇二六年九月三日检查发现违法行为") == date(2026, 9, 3)
    assert violation_date("没有日期") is None


def test_decided_measures():
    assert decided_measures("决定：责令限制生产、停产整治，并处罚款") == ["限制生产、停产整治"]


def test_governing_before_code_old_law_unless_lighter(corpus):
    g = governing_rule(corpus, date(2026, 3, 1), "大气法", 99, 2)  # same range 10万–100万 → old law
    assert g.governs == "old" and g.code[0].article == 1107
    assert g.old.range == (100000, 1000000) and g.code[0].range == (100000, 1000000)
    assert "第三十七条" in g.explanation
    g = governing_rule(corpus, date(2026, 3, 1), "固废法", 112, 1)  # 法典1175条第一项 五万元起 → lighter
    assert g.governs == "code" and g.code[0].item == 1 and "从旧兼从轻" in g.explanation


def test_governing_after_code(corpus):
    g = governing_rule(corpus, date(2026, 9, 3), "大气法", 99, 1)
    assert g.governs == "code" and g.rule.article == 1102 and "已废止" in g.explanation
    g = governing_rule(corpus, date(2026, 8, 1), "大气法", 99, 1, ongoing_until=date(2026, 9, 1))
    assert g.governs == "code" and "持续" in g.explanation


def test_governing_from_a_code_article(corpus):
    g = governing_rule(corpus, date(2026, 3, 1), "法典", 1102)
    assert g.old is not None and g.code[0].article == 1102


# --- what a second reader of the rules found (行政处罚法第三十二条、第三十六条; the articles' special ranges) --------
def test_conduct_that_went_on_is_dated_by_the_day_it_ended():
    text = "经查，你公司自2026年7月1日起至2026年9月10日持续超标排放大气污染物。"
    assert violation_date(text) == date(2026, 9, 10)  # 行政处罚法第三十六条第二款: from the day it ended


def test_the_decision_date_is_not_taken_for_the_violation():
    assert violation_date("本局于2026年10月20日作出决定。") is None
    assert violation_date("本局于2026年10月20日作出决定。2026年9月3日你公司排放污染物。") == date(2026, 9, 3)


def test_a_continuing_violation_past_the_code_date_is_judged_under_the_code(corpus):
    text = ("经查，你公司自2026年7月1日起至2026年9月10日持续超过大气污染物排放标准排放大气污染物。"
            "依据《中华人民共和国大气污染防治法》第九十九条第二项的规定，决定处罚款人民币拾伍万元整。")
    assert any("应引用《生态环境法典》第一千一百零七条" in f.message for f in check_document(text, corpus))


def test_a_fine_in_the_articles_special_range_is_lawful_when_the_document_names_it(corpus):
    """法典第1102条: 二十万至一百万, 其中，污染物为工业噪声的，二万至二十万."""
    art = corpus.article("中华人民共和国生态环境法典", 1102).text
    assert "污染物为工业噪声的，罚款数额为二万元以上二十万元以下" in art
    noise = ("经查，你公司于2026年9月3日未依法取得排污许可证排放工业噪声。依据《生态环境法典》第一千一百零二条，"
             "决定罚款人民币拾万元整。")
    assert not [f for f in check_document(noise, corpus) if "法定最低" in f.message]
    air = noise.replace("排放工业噪声", "排放大气污染物")
    assert any("低于《生态环境法典》第一千一百零二条法定最低二十万元" in f.message for f in check_document(air, corpus))


def test_a_fine_for_an_individual_within_the_individual_range_is_lawful(corpus):
    """法典第1190条: 对个人可以处二百元以上一千元以下的罚款，对单位可以处二千元以上二万元以下的罚款."""
    assert "对个人可以处二百元以上一千元以下的罚款" in corpus.article("中华人民共和国生态环境法典", 1190).text
    text = ("经查，当事人张某（个人）于2026年8月20日在噪声敏感建筑物集中区域使用高音广播喇叭，经责令改正拒不改正。"
            "依据法典第1190条第一项，决定给予警告，并处罚款500元。")
    assert not [f for f in check_document(text, corpus) if "法定最低" in f.message]


def test_a_reduced_fine_below_the_minimum_is_a_hint_to_check_article_32(corpus):
    assert "应当从轻或者减轻行政处罚" in corpus.article("中华人民共和国行政处罚法", 32).text
    text = ("经查，你公司于2026年9月3日超过污染物排放标准排放污染物，主动消除违法行为危害后果，依据《行政处罚法》"
            "第三十二条第一项，依法减轻处罚，依据《生态环境法典》第一千一百零七条，决定罚款人民币伍万元整。")
    found = [f for f in check_document(text, corpus) if "法定最低" in f.message]
    assert found and all(f.severity != ERROR for f in found) and "第三十二条" in found[0].message
