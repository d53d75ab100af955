"""The 💰 罚则 line of every 罚则 article of the Code, read against the article's own sentence.

A second reading (tests/support/penalty_reading.py, no code shared with the parser) lists each amount and
measure of the sentence with the condition it stands under; the line must show each of them, inside the same
"；"-part as its condition, and — over a whole article of several penalised 款 — under that 款's name.
"""

from __future__ import annotations

import pytest
from support.penalty_reading import read

from knowledge.cnnum import int_to_cn
from knowledge.liability import is_liability
from knowledge.penalties import parse_article, summarize

CODE = "中华人民共和国生态环境法典"
CODE_LIABILITY = range(1085, 1239)  # 第七编 法律责任和附则: 罚则 articles 1085–1238


def _liability_articles(corpus):
    arts = [corpus.article(CODE, n) for n in CODE_LIABILITY]
    return [a for a in arts if a is not None and is_liability(a)]


def _parts(line: str) -> list[str]:
    return [p for group in line.split("。") for p in group.split("；")]


def test_every_code_penalty_line_keeps_each_amount_and_measure_under_its_condition(corpus):
    articles = _liability_articles(corpus)
    assert len(articles) >= 140
    wrong = []
    for art in articles:
        structure = parse_article(art)
        for e in read(art):
            line = summarize(structure, paragraph=e.paragraph)
            if not any(e.what in p and (not e.condition or e.condition in p) for p in _parts(line)):
                wrong.append(f"第{art.number}条第{e.paragraph}款 「{e.condition or ''}」{e.what}: {line}")
    assert not wrong, "\n".join(wrong)


def test_whole_article_line_names_the_paragraph_of_each_penalty(corpus):
    wrong = []
    for art in _liability_articles(corpus):
        line = summarize(parse_article(art))
        groups = {g.split("：", 1)[0]: g for g in line.split("。") if g.startswith("第") and "款：" in g}
        if len(line.split("。")) < 2:
            continue
        for e in read(art):
            group = groups.get(f"第{int_to_cn(e.paragraph)}款", "")
            if not any(e.what in p and (not e.condition or e.condition in p) for p in group.split("；")):
                wrong.append(f"第{art.number}条第{e.paragraph}款 「{e.condition or ''}」{e.what}: {line}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("article", "present", "absent"),
    [
        # the higher range is for 危险废物 and 污泥 only, and the 500万 for 造成严重后果
        (1169, ["第二款：前款规定的固体废物为危险废物、城镇污水处理设施产生的污泥和处理后的污泥的，处二十万元以上二百万元以下的罚款",
                "造成严重后果的，处二百万元以上五百万元以下的罚款", "第三款：处一百元以上一千元以下的罚款"], []),
        # 公告 once, under 拒不改正的; "未向社会公开" is the violation, not a measure
        (1110, ["处二万元以上二十万元以下的罚款；拒不改正的，责令限制生产、停产整治，并公告上述生态环境信息"], ["未向社会公开"]),
        (1130, ["拒不改正的，责令停工整治或者停业整治"], []),
        (1191, ["第一款：处一万元以上五万元以下的罚款；拒不改正的，责令暂停销售",
                "第二款：处五千元以上五万元以下的罚款；拒不改正的，处五万元以上二十万元以下的罚款"], ["指定的部门"]),
        (1116, ["无法退运的，没收原材料和产品", "责令退运"], []),
        # 对造成…事故的 is a condition; the managers' fine is a percentage of income, and optional
        (1236, ["对造成一般环境污染、生态破坏事故的，处三十万元以上一百万元以下的罚款",
                "对直接负责的主管人员和其他直接责任人员可以处上一年度从本企业事业单位取得收入百分之五十以下的罚款",
                "对造成重大或者特别重大环境污染、生态破坏事故的，报经有批准权的人民政府批准，责令停业、关闭"], []),
        (1095, ["第三款：可以处五万元以下的罚款"], []),
        # what the first reading got wrong: 停业整顿 is not 停业、关闭; 或者 stays 或者; 按次; per activity ranges
        (1145, ["可以责令停业整顿", "责令拆除或者关闭"], ["停业、关闭"]),
        (1152, ["按次处五千元以上二万元以下的罚款", "三年内不得再次申请倾倒许可证", "必要时可以扣押船舶"], ["禁止从业"]),
        (1178, ["对收集、贮存危险废物经营活动并处二十万元以上一百万元以下的罚款",
                "对利用、处置危险废物经营活动并处一百万元以上五百万元以下的罚款"], []),
        (1198, ["违法所得不足五十万元的，以五十万元计算，责令限制生产、停产整治或者吊销许可证"], []),
        # the second reading: what limits a 款 before its authority, and the authority's own acts, stay
        (1165, ["第二款：土壤污染责任人或者土地使用权人有前款第四项、第五项情形之一，情节严重的，将案件移送公安机关"], []),
        (1102, ["拒不停止排放污染物的，将案件移送公安机关"], []),
        (1112, ["已经非法入境的，依法向海关提出处理意见"], []),
        (1134, ["第一款：构成违反治安管理行为的，依法予以处罚"], []),
        (1236, ["第一款：除依法承担赔偿责任外，责令限期采取治理措施"], []),
        (1153, ["第一款：处以罚款。第二款：有前款第二项至第五项情形之一的，处二万元以上十万元以下的罚款"], []),
    ],
)
def test_lines_the_issue_named(corpus, article, present, absent):
    line = summarize(parse_article(corpus.article(CODE, article)))
    for text in present:
        assert text in line, line
    for text in absent:
        assert text not in line, line


def test_a_cited_item_shows_only_its_own_penalty(corpus):
    # 第一千二百三十七条: 第（二）项 carries 二十万至二百万; the 第（一）项 range and 暂扣 are not its
    line = summarize(parse_article(corpus.article(CODE, 1237)), item=2)
    assert line == "处二十万元以上二百万元以下的罚款"
    assert "五万元以上五十万元以下" not in line and "暂扣" not in line
