"""Penalty parsing on real 罚则 articles; every expectation was checked against the article text."""

from __future__ import annotations

import pytest

from knowledge.penalties import parse_amount, parse_article, summarize

CODE = "中华人民共和国生态环境法典"
W = 10000

# (law, article, item, 款 or None, expected base range (None: no yuan amount), measures that must be present)
CASES = [
    (CODE, 1086, 1, None, (2 * W, 20 * W), {"责令改正", "限制生产、停产整治"}),
    (CODE, 1086, None, 2, (5 * W, 100 * W), {"责令改正"}),
    (CODE, 1095, None, 1, (10 * W, 1000 * W), {"责令停止违法行为", "恢复原状"}),
    (CODE, 1095, None, 3, (0, 5 * W), {"责令改正"}),
    (CODE, 1102, None, None, (20 * W, 100 * W), {"限制生产、停产整治", "责令停业、关闭", "拘留"}),
    (CODE, 1104, None, 1, (2 * W, 20 * W), {"限制生产、停产整治"}),
    (CODE, 1104, None, 2, (10 * W, 100 * W), {"吊销许可证", "责令停业、关闭"}),
    (CODE, 1107, None, None, (10 * W, 100 * W), {"限制生产、停产整治", "责令停业、关闭"}),
    (CODE, 1108, None, None, (10 * W, 100 * W), {"限制生产、停产整治", "吊销许可证", "拘留"}),
    (CODE, 1109, None, 1, (2 * W, 50 * W), {"限制生产、停产整治"}),
    (CODE, 1109, None, 3, (2 * W, 10 * W), {"责令改正"}),
    (CODE, 1110, None, None, (2 * W, 20 * W), {"限制生产、停产整治", "公告"}),
    (CODE, 1114, 1, None, (10 * W, 100 * W), {"责令停业、关闭"}),
    (CODE, 1115, 1, None, None, {"没收"}),
    (CODE, 1117, None, None, None, {"责令改正"}),
    (CODE, 1118, None, None, (1 * W, 10 * W), set()),
    (CODE, 1119, 1, None, (2 * W, 20 * W), {"没收", "拆除"}),
    (CODE, 1121, None, 1, None, {"没收", "限制生产、停产整治"}),
    (CODE, 1122, None, None, None, {"没收"}),
    (CODE, 1132, None, 1, (5000, 5 * W), {"责令停业整治"}),
    (CODE, 1132, None, 2, (1 * W, 10 * W), {"责令停业、关闭"}),
    (CODE, 1132, None, 3, (500, 2 * W), {"没收"}),
    (CODE, 1136, 2, None, (20 * W, 200 * W), {"责令停止违法行为", "代为履行", "责令停业、关闭"}),
    (CODE, 1136, 3, None, (2 * W, 20 * W), {"限制生产、停产整治"}),
    (CODE, 1137, 1, None, (2 * W, 20 * W), {"代为履行"}),
    (CODE, 1137, 4, None, (10 * W, 100 * W), set()),
    (CODE, 1139, 3, None, (2 * W, 20 * W), set()),
    (CODE, 1147, 3, None, (20 * W, 200 * W), set()),
    (CODE, 1147, 8, None, (10 * W, 100 * W), set()),
    (CODE, 1147, None, 3, (100, 1000), set()),
    (CODE, 1150, 2, None, (20 * W, 100 * W), {"责令停止违法行为", "责令停业、关闭"}),
    (CODE, 1151, None, None, (20 * W, 100 * W), {"警告"}),
    (CODE, 1152, 1, None, (20 * W, 200 * W), {"吊销许可证", "扣押"}),
    (CODE, 1152, 7, None, (50 * W, 500 * W), set()),
    (CODE, 1153, 1, None, (10 * W, 50 * W), set()),
    (CODE, 1153, 4, None, (2 * W, 10 * W), set()),
    (CODE, 1154, 4, None, (0, 2 * W), set()),
    (CODE, 1154, 6, None, (3 * W, 30 * W), set()),
    (CODE, 1154, 7, None, (1 * W, 50 * W), set()),
    (CODE, 1155, 3, None, (5 * W, 20 * W), set()),
    (CODE, 1156, 4, None, (10 * W, 20 * W), set()),
    (CODE, 1156, 2, None, (5 * W, 10 * W), set()),
    (CODE, 1163, None, None, (10 * W, 100 * W), {"没收"}),
    (CODE, 1166, 1, None, (2 * W, 10 * W), {"责令改正"}),
    (CODE, 1167, 2, None, (1 * W, 5 * W), {"责令改正"}),
    (CODE, 1173, None, None, (20 * W, 100 * W), set()),
    (CODE, 1175, 1, None, (5 * W, 100 * W), {"没收", "责令停业、关闭"}),
    (CODE, 1175, 8, None, (20 * W, 200 * W), set()),
    (CODE, 1178, None, 1, (20 * W, 500 * W), {"没收", "责令停业、关闭"}),
    (CODE, 1178, None, 3, (2 * W, 50 * W), {"没收"}),
    (CODE, 1179, 3, None, None, {"拘留"}),
    (CODE, 1190, 1, None, (2000, 2 * W), {"警告"}),
    (CODE, 1222, None, None, None, {"没收", "责令停业、关闭"}),
    (CODE, 1235, 1, None, (1 * W, 5 * W), {"责令改正"}),
    (CODE, 1237, 1, None, (5 * W, 50 * W), {"吊销许可证"}),
    (CODE, 1237, 3, None, (20 * W, 200 * W), set()),
    ("中华人民共和国大气污染防治法", 99, 1, None, (10 * W, 100 * W), {"限制生产、停产整治", "责令停业、关闭"}),
    ("中华人民共和国大气污染防治法", 100, 4, None, (2 * W, 20 * W), {"限制生产、停产整治"}),
    ("中华人民共和国固体废物污染环境防治法", 112, 1, None, (10 * W, 100 * W), set()),
    ("中华人民共和国固体废物污染环境防治法", 112, 3, None, None, set()),
    ("医疗废物管理条例", 53, None, 1, (5000, 2 * W), {"警告", "没收"}),
]


@pytest.mark.parametrize(("law", "article", "item", "paragraph", "expected", "measures"), CASES)
def test_penalty_structure(corpus, law, article, item, paragraph, expected, measures):
    art = corpus.article(law, article)
    assert art is not None
    s = parse_article(art)
    assert s.complete, s.unparsed
    assert s.base_range(item, paragraph) == expected
    kinds = {m.kind for m in s.measures(item, paragraph)}
    assert measures <= kinds, kinds


def test_enough_cases():
    assert len(CASES) >= 50


def test_detention_days_and_authority(corpus):
    s = parse_article(corpus.article(CODE, 1102))
    detention = [m for m in s.measures() if m.kind == "拘留"]
    assert {m.days for m in detention} == {(10, 15), (5, 10)}
    assert all(m.authority == "公安机关" for m in detention)
    closure = next(m for m in s.measures() if m.kind == "责令停业、关闭")
    assert closure.approval and closure.condition == "情节严重的"


def test_item_applicability(corpus):
    s = parse_article(corpus.article(CODE, 1175))
    items = {p.items for p in s.penalties if p.items}
    assert (1, 2, 3, 4, 6, 7, 9, 10, 11) in items and (5, 8) in items
    s = parse_article(corpus.article(CODE, 1147))  # 有前款除第三项以外情形之一的
    assert any(p.items == (1, 2, 4, 5, 6, 7, 8) for p in s.penalties)


def test_multiples_and_units(corpus):
    fines = parse_article(corpus.article(CODE, 1117)).fines()
    assert any(f.kind == "multiple" and f.base == "货值金额" and (f.low, f.high) == (1, 5) for f in fines)
    fines = parse_article(corpus.article(CODE, 1124)).fines()
    assert any(f.kind == "per_unit" and f.low == f.high == 5000 for f in fines)
    fines = parse_article(corpus.article("消耗臭氧层物质管理条例", 33)).fines()
    assert any(f.kind == "multiple" and f.low == f.high == 3 for f in fines)
    fines = parse_article(corpus.article(CODE, 1136)).fines(paragraph=1)
    assert any(f.kind == "unspecified" for f in fines)  # 处以罚款 with the amounts per item in the next 款


def test_managers_fine_is_not_the_units_range(corpus):
    s = parse_article(corpus.article(CODE, 1178))
    targets = {f.target for f in s.fines(paragraph=1) if f.target}
    assert any("直接责任人员" in t for t in targets)
    fines = parse_article(corpus.article("中华人民共和国固体废物污染环境防治法", 112)).fines(3)
    assert any(f.kind == "multiple" and f.base == "所需处置费用" and (f.low, f.high) == (3, 5) for f in fines)


def test_references(corpus):
    assert parse_article(corpus.article(CODE, 1197)).references  # 依照《核安全法》
    assert parse_article(corpus.article(CODE, 1126)).complete  # 依法予以处罚


def test_summary(corpus):
    text = summarize(parse_article(corpus.article(CODE, 1107)))
    assert text.startswith("处十万元以上一百万元以下的罚款，可以责令限制生产、停产整治；")  # no authority, no 责令改正
    assert "；情节严重的，报经有批准权的人民政府批准，责令停业、关闭；" in text
    assert text.endswith("其中，污染物为工业噪声的，罚款数额为二万元以上二十万元以下")


@pytest.mark.parametrize(
    ("text", "value"),
    [("十万", 100000), ("一百万", 1000000), ("五千", 5000), ("5万", 50000), ("50000", 50000),
     ("伍万", 50000), ("壹拾万", 100000), ("1.5万", 15000), ("５万元", 50000), ("一千万", 10000000)],
)
def test_parse_amount(text, value):
    assert parse_amount(text) == value
