"""Exemption lists: data resolves in the corpus, counts, article look-ups, search quality, the /exempt dialog."""

from __future__ import annotations

import time
from datetime import date

import pytest

from knowledge.corpus import Corpus
from knowledge.exemptions import (
    ART33_DISCRETIONARY,
    ART33_MANDATORY,
    Cite,
    ExemptDialog,
    load_exemptions,
    start_dialog,
)

EX = load_exemptions()

# One question per item, in an officer's words (not the item's title). Items that several lists share
# name the place, as an officer of that place would.
QUESTIONS: dict[str, str] = {
    "jm-01": "江门 登记表没去备案 第一次 能免罚吗",
    "jm-02": "江门 批了报告表后工艺大改没重新报批就开工了 首次 能不罚吗",
    "jm-03": "江门 环评批下来五年多才动工 没拿去重新审核 能不能不罚",
    "jm-04": "江门 报告表还没批就开工建厂房 主动停了 不罚行不行",
    "jm-05": "江门 验收做完了但报告没对外公示 首次",
    "jm-06": "初步设计里没写环保投资概算 施工合同也没环保设施 能免罚吗",
    "jm-07": "项目投产后没做环境影响后评价 两年内第一次",
    "jm-08": "江门 环保设施建好了没验收就投产 还没过验收期限 能不罚吗",
    "jm-09": "江门 废水pH超标一点点 一年内第一次 能不罚吗",
    "jm-10": "江门 污水处理设施突然坏了不正常运行 24小时内报告了",
    "jm-11": "江门 废气有一个指标超标不到0.1倍 首次",
    "jm-12": "江门 废气治理设施故障 开了应急排放口 日均值没超",
    "jm-13": "江门 喷漆车间没密闭 有机废气 第一次 不罚吗",
    "jm-14": "江门 砂石料堆没盖 第一次发现 能不罚吗",
    "jm-15": "江门 危废标识没贴 首次 能不能不罚",
    "jm-16": "江门 一般固废堆场没做防渗防雨 首次",
    "jm-17": "江门 危废间里危废跟一般垃圾混放 量很少",
    "jm-18": "江门 养猪场粪污没及时清运处理 不到20天",
    "jm-19": "工业固废产生情况没向环保局申报 两年内首次",
    "jm-20": "危废管理计划没做 两年内头一回 能免罚吗",
    "jm-21": "危废单位没编意外事故应急预案也没备案 首次",
    "jm-22": "填埋危废的经营单位关门了 档案没交给环保局",
    "jm-23": "学校实验室废试剂没建立分类登记制度",
    "jm-24": "工厂把隔音设施拆了 没报批 噪声没超标",
    "jm-25": "土壤重点监管单位没做自行监测方案 也没有隐患排查制度",
    "jm-26": "尾矿库没做土壤污染状况监测 第一次",
    "jm-27": "地块修复完了 后期管理没做",
    "jm-28": "地块改住宅用地之前没做土壤调查",
    "jm-29": "维修空调制冷剂的店没去环保局备案 氟利昂",
    "jm-30": "江门 重点排污单位公开信息的方式不对",
    "jm-31": "江门 重点排污单位信息公开超过时限了",
    "jm-32": "江门 没在排污许可平台公开排放信息 不到20天",
    "jm-33": "重点排污单位废气自动监测数据没公开",
    "jm-34": "排有毒有害水污染物 信息没公开 排污口监测做了",
    "jm-35": "江门 固废污染防治信息没按时公开 首次",
    "jm-36": "垃圾焚烧厂排放数据没实时公开",
    "jm-37": "企业没做自行监测 原始记录也没保存 第一次",
    "jm-38": "在线监测设备坏了没正常运行 已联网",
    "jm-39": "突发环境事件应急预案没去备案 两年内首次",
    "jm-40": "江门 台账记录不按排污许可证要求记 首次",
    "gd-01": "广东 登记表没去备案 第一次 能免罚吗",
    "gd-02": "广东 批了报告表后工艺大改没重新报批就开工了 首次",
    "gd-03": "广东 环评批下来五年多才动工 没重新审核",
    "gd-04": "广东 报告表还没批就开工 主动停了 不罚行不行",
    "gd-05": "广东 验收报告没对外公示 首次",
    "gd-06": "广东 废水pH超标一点点 一年内第一次",
    "gd-07": "广东 污水处理设施突然坏了不正常运行",
    "gd-08": "广东 废气有一个指标超标不到0.1倍",
    "gd-09": "广东 废气治理设施故障 开了应急排放口",
    "gd-10": "广东 喷漆车间没密闭 有机废气 第一次",
    "gd-11": "广东 砂石料堆没盖 第一次发现",
    "gd-12": "广东 危废标识没贴 今年第一次",
    "gd-13": "广东 一般固废堆场没做防渗防雨",
    "gd-14": "广东 危废跟一般垃圾混放 量很少",
    "gd-15": "广东 固废污染防治信息没按时公开",
    "gd-16": "广东 养猪场粪污没及时处理",
    "gd-17": "广东 重点排污单位公开信息的方式不对",
    "gd-18": "广东 重点排污单位信息公开超过时限",
    "gd-19": "广东 没在排污许可平台公开排放信息",
    "gd-20": "广东 台账记录不按排污许可证要求记",
    "sh-01": "上海 没批环评就开工 责令后停了还恢复原状了",
    "hn-01": "海南 改扩建项目没新增用地 没批先建 停下来了",
    "hn-02": "海南 没验收就生产 企业自己停了 承诺做验收",
    "hn-03": "海南 排污许可执行报告没按时交 排放口标识牌没装",
    "hn-04": "海南 排污许可执行信息没公开 5天内改好了",
    "ly-01": "临沂 设备突然故障治污设施停了 24小时报告了",
    "ly-02": "临沂 超标不到0.1倍 第二天就整改达标",
    "ly-03": "临沂 未批先建 还没排污 主动停工",
    "ly-04": "临沂 登记表没备案 5个工作日补上",
    "hs-01": "黄石 报告表项目没环评就开工 还没投产 停了",
    "hs-02": "黄石 登记表没备案 3个工作日补",
    "hs-03": "黄石 没验收就投产 设施正常运行达标",
    "hs-04": "黄石 单因子超标不到10% 次日整改",
    "hs-05": "黄石 突发故障治污设施不正常运行 报备了",
    "hs-06": "黄石 料堆没盖 起尘",
    "hs-07": "黄石 没装在线监测 没联网",
    "hlj-01": "黑龙江 登记表没备案 初次违法 补办了",
    "hlj-02": "黑龙江 料堆不到10平米没苫盖",
    "bj-01": "北京 改扩建项目没批环评就开工 敏感区外 停了",
    "bj-02": "北京 环评批了没验收 三个月内补验收",
    "bj-03": "北京 燃气锅炉没环评没验收就用了",
    "zb-01": "淄博 登记表没备案 首次被发现 5个工作日补",
    "zb-02": "淄博 报告表项目刚开工没批 主体没建成 停了",
    "qz-01": "衢州 登记表没备案 7天内自己补了",
    "qz-02": "衢州 初步设计没落实环保措施 7天内纠正",
    "wz-01": "温州 登记表没备案 首次 及时纠正",
    "gt-01": "馆陶 登记表没备案 5日内补办",
    "gt-02": "馆陶 报告书没批就开工 没产生污染 主动停了",
}


def test_counts():
    jiangmen = EX.list("jiangmen-2022")
    assert jiangmen is not None and len(jiangmen.items) == 40
    assert len(EX.lists) == 12
    assert len(EX.items) == 88
    assert {it.id for it in EX.items} == set(QUESTIONS)


def test_every_list_of_the_jsonl_is_present():
    titles = {lst.title for lst in EX.lists}
    for expected in ("生态环境轻微违法违规行为免罚清单", "广东省生态环境不予行政处罚的轻微违法行为目录",
                     "生态环境轻微违法行为免罚清单", "临沂市生态环境局依法不予行政处罚的轻微环境违法行为清单",
                     "黄石市生态环境部门依法不予行政处罚轻微环境违法行为清单",
                     "黑龙江省生态环境领域免予行政处罚违法行为清单（试行）",
                     "淄博市生态环境轻微违法行为免罚事项清单", "衢州市生态环境轻微违法行为不予行政处罚目录清单（试行）",
                     "温州市生态环境局依法不予行政处罚的轻微环境违法行为目录清单"):
        assert expected in titles


def test_every_cited_article_resolves(corpus: Corpus):
    assert EX.validate(corpus) == []
    cited = [c for it in EX.items for c in it.citations]
    assert len(cited) > 200
    for cite in cited:
        assert cite.problem(corpus) is None, cite


def test_article_33_wording_matches_corpus(corpus: Corpus):
    art = corpus.article("中华人民共和国行政处罚法", 33)
    first = art.paragraph(1).text
    assert ART33_MANDATORY in first and ART33_DISCRETIONARY in first
    code = corpus.article("中华人民共和国生态环境法典", 1056).paragraph(2).text
    assert "违法行为轻微并及时改正，没有造成危害后果的，不予处罚" in code


def test_code_successors_are_code_articles():
    for it in EX.items:
        assert all(c.is_code for c in it.code), it.id
        assert it.code or it.code_note, it.id


def test_list_dates_and_status():
    jm = EX.list("jiangmen-2022")
    assert jm.effective == date(2022, 2, 1) and jm.expires == date(2025, 1, 31)
    assert jm.status(date(2023, 6, 1)) == "现行"
    assert jm.status(date(2025, 6, 1)) == "已失效"
    assert jm.status(date(2021, 1, 1)) == "尚未施行"
    assert EX.list("huangshi").status(date(2025, 1, 1)) == "日期不明"
    assert "有效期不明" in EX.list("hainan-2021").validity()


def test_citing_direct_and_through_the_code():
    direct = {it.id: how for it, how in EX.citing("中华人民共和国固体废物污染环境防治法", 77)}
    assert direct["jm-15"] == "violated" and direct["gd-12"] == "violated"
    by_penalty = {it.id for it, how in EX.citing("固体废物污染环境防治法", 112) if how == "penalty"}
    assert {"jm-15", "jm-17", "jm-20", "jm-21"} <= by_penalty
    code = {it.id: how for it, how in EX.citing("中华人民共和国生态环境法典", 1175)}
    assert code["jm-15"] == "code"
    # an old article found through its Code successor: 法典1095 carries 环评法31
    assert any(it.id == "jm-01" for it, _ in EX.citing("中华人民共和国生态环境法典", 1095))
    assert EX.citing("中华人民共和国刑法", 338) == []


@pytest.mark.parametrize("item_id", sorted(QUESTIONS))
def test_officer_question_finds_item_in_top3(item_id: str):
    question = QUESTIONS[item_id]
    item = EX.item(item_id)
    assert question.replace(" ", "") not in item.title
    hits = [it.id for it, _ in EX.search(question, k=3)]
    assert item_id in hits, (question, hits)


def test_search_share_and_speed():
    EX.search("预热")
    found, times = 0, []
    for item_id, question in QUESTIONS.items():
        t = time.perf_counter()
        hits = EX.search(question, k=3)
        times.append(time.perf_counter() - t)
        found += item_id in [it.id for it, _ in hits]
    assert found / len(QUESTIONS) == 1.0
    times.sort()
    assert times[len(times) // 2] < 0.005  # median under 5 ms
    assert times[int(len(times) * 0.95)] < 0.005


def test_brief_example():
    hits = [it.id for it, _ in EX.search("危废标识没贴 首次 能不能不罚", k=3)]
    assert "jm-15" in hits


# --- dialog ---------------------------------------------------------------------------------------------
def _all_yes_path(dialog: ExemptDialog) -> ExemptDialog:
    while dialog.question is not None:
        dialog.answer(dialog.question.need)
    return dialog


def test_dialog_happy_path_first_violation_branch():
    item = EX.item("jm-15")
    d = start_dialog(item, on=date(2023, 6, 1))
    asked = []
    while d.question is not None:
        asked.append(d.question.ask)
        d.answer(d.question.need)
    assert len(asked) == 4  # three item conditions + the list's sensitive-area question
    v = d.verdict()
    assert v.kind == "可以不予处罚" and v.basis_text == ART33_DISCRETIONARY
    assert v.basis.label() == "《行政处罚法》第三十三条第一款"
    assert v.list_says == "不予行政处罚" and v.status == "现行"
    assert "2022-02-01 至 2025-01-31" == v.validity
    assert d.finished and not d.cancelled


def test_dialog_mandatory_branch():
    d = _all_yes_path(start_dialog(EX.item("sh-01"), on=date(2021, 1, 1)))
    v = d.verdict()
    assert v.kind == "不予处罚" and v.basis_text == ART33_MANDATORY


def test_dialog_discretionary_item_and_expired_list():
    d = _all_yes_path(start_dialog(EX.item("jm-10"), on=date(2026, 9, 1)))
    v = d.verdict()
    assert v.kind == "可以不予处罚" and v.list_says == "依法可以不予行政处罚"
    assert v.status == "已失效" and any("失效" in n for n in v.notes)


def test_dialog_failed_condition_is_not_applicable():
    d = start_dialog(EX.item("jm-15"))
    d.answer(False)  # not a first violation within two years
    assert d.question is None and d.finished
    v = d.verdict()
    assert v.kind == "不适用" and v.failed.ask.startswith("属于两年内首次违法")


def test_dialog_need_no_condition():
    d = start_dialog(EX.item("jm-15"))
    for _ in range(3):
        d.answer(True)
    assert "敏感区" in d.question.ask and d.question.need is False
    d.answer(True)  # inside a sensitive area
    assert d.verdict().kind == "不适用"


def test_dialog_any_of_alternatives():
    item = EX.item("jm-13")
    d = start_dialog(item)
    d.answer(True)  # first violation
    first_alt = d.question
    d.answer(False)  # not the first alternative …
    assert d.question is not first_alt and d.question.ask.startswith("属于“无法密闭")
    d.answer(True)  # … but the second
    assert "敏感区" in d.question.ask
    d.answer(False)
    assert d.verdict().kind == "可以不予处罚"
    d2 = start_dialog(item)
    d2.answer(True).answer(False).answer(False)
    v = d2.verdict()
    assert v.kind == "不适用" and v.failed.any_of


def test_dialog_back_and_cancel():
    d = start_dialog(EX.item("jm-01"))
    assert not d.can_go_back
    d.back()  # nothing to undo at the first question
    assert d.step == 1
    q1 = d.question
    d.answer(True)
    q2 = d.question
    d.back()
    assert d.question == q1 and d.step == 1
    d.answer(False)
    assert d.verdict().kind == "不适用"
    d.back()  # back from a verdict
    assert d.question == q1 and d.verdict() is None
    d.answer(True)
    assert d.question == q2
    d.cancel()
    assert d.cancelled and d.finished and d.question is None and d.verdict() is None
    with pytest.raises(ValueError):
        d.answer(True)
    with pytest.raises(ValueError):
        d.back()


def test_dialog_answer_after_verdict_is_refused():
    d = _all_yes_path(start_dialog(EX.item("ly-04")))
    with pytest.raises(ValueError):
        d.answer(True)


def test_every_item_dialog_reaches_each_verdict():
    for item in EX.items:
        ok = _all_yes_path(start_dialog(item)).verdict()
        assert ok.kind in ("不予处罚", "可以不予处罚"), item.id
        first = item.all_conditions[0].questions()[0]
        d = start_dialog(item)
        d.answer(not first.need)
        if not item.all_conditions[0].any_of:
            assert d.verdict().kind == "不适用", item.id


def test_cite_parse_and_label():
    cite = Cite.parse(["中华人民共和国固体废物污染环境防治法", 112, 1, 1])
    assert cite.label() == "《固体废物污染环境防治法》第一百一十二条第一款第一项"
    assert Cite.parse(["中华人民共和国生态环境法典", 1175]).is_code
    with pytest.raises(ValueError):
        Cite.parse(["法", "一"])
