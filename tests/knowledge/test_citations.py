"""Citation parsing, law-name resolution and formatting against the real corpus."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.citations import (
    Citation,
    LawResolver,
    check_exists,
    default_resolver,
    find_citations,
    format_citation,
    parse_query,
    resolver_for,
)
from knowledge.corpus import Corpus
from knowledge.model import CODE_NAME

AIR = "中华人民共和国大气污染防治法"
WATER = "中华人民共和国水法"
WATER_POLL = "中华人民共和国水污染防治法"
PENALTY = "中华人民共和国行政处罚法"
FORCE = "中华人民共和国行政强制法"
EPL = "中华人民共和国环境保护法"
WASTE = "中华人民共和国固体废物污染环境防治法"
NOISE = "中华人民共和国噪声污染防治法"
EIA = "中华人民共和国环境影响评价法"
PERMIT = "排污许可管理条例"
RULES = "环境行政处罚办法"
CONSTRUCTION = "建设项目环境保护管理条例"


@pytest.fixture(scope="module")
def resolver(corpus: Corpus) -> LawResolver:
    return resolver_for(corpus)


# (query, law_name, article, paragraph, item)
FORMS = [
    # 《》 with and without 中华人民共和国
    ("《中华人民共和国大气污染防治法》第九十九条第二项", AIR, 99, None, 2),
    ("《中华人民共和国大气污染防治法》第九十九条第一款第二项", AIR, 99, 1, 2),
    ("《大气污染防治法》第九十九条第二项", AIR, 99, None, 2),
    ("《大气污染防治法》第99条", AIR, 99, None, None),
    ("《中华人民共和国生态环境法典》第一千二百三十六条", CODE_NAME, 1236, None, None),
    ("《生态环境法典》第一千二百四十二条", CODE_NAME, 1242, None, None),
    ("《行政强制法》第二十五条", FORCE, 25, None, None),
    ("《大气法》第九十九条", AIR, 99, None, None),
    ("《 大气污染防治法 》 第 九十九 条", AIR, 99, None, None),
    # short names with arabic digits, with or without 第 and 条
    ("大气法99条", AIR, 99, None, None),
    ("大气法第99条", AIR, 99, None, None),
    ("大气法 99 条", AIR, 99, None, None),
    ("大气法99条2项", AIR, 99, None, 2),
    ("大气法99条第2款", AIR, 99, 2, None),
    ("大气法第99条第1款第2项", AIR, 99, 1, 2),
    ("大气法99条第（二）项", AIR, 99, None, 2),
    ("大气法99条(2)项", AIR, 99, None, 2),
    ("大气法的99条", AIR, 99, None, None),
    ("法典1107", CODE_NAME, 1107, None, None),
    ("法典1107条", CODE_NAME, 1107, None, None),
    ("法典第1107条", CODE_NAME, 1107, None, None),
    ("法典 第 1107 条", CODE_NAME, 1107, None, None),
    ("法典 1107", CODE_NAME, 1107, None, None),
    ("环境法典第1102条", CODE_NAME, 1102, None, None),
    ("生态环境法典1060条原文", CODE_NAME, 1060, None, None),
    ("固废法112", WASTE, 112, None, None),
    ("处罚法第33条", PENALTY, 33, None, None),
    ("处罚法33条", PENALTY, 33, None, None),
    ("行政处罚法33条", PENALTY, 33, None, None),
    ("环保法第63条", EPL, 63, None, None),
    ("环保法63条第三项", EPL, 63, None, 3),
    ("行诉法第46条", "中华人民共和国行政诉讼法", 46, None, None),
    ("复议法20条 申请期限", "中华人民共和国行政复议法", 20, None, None),
    ("环评法第31条原文是啥", EIA, 31, None, None),
    ("噪音法82条说的啥", NOISE, 82, None, None),
    # full-width digits and spaces
    ("法典１１０７条", CODE_NAME, 1107, None, None),
    ("法典第１１０７条", CODE_NAME, 1107, None, None),
    ("大气法９９条第２项", AIR, 99, None, 2),
    ("法典　第１１０７条", CODE_NAME, 1107, None, None),
    # Chinese numerals
    ("强制法二十五条", FORCE, 25, None, None),
    ("法典第一千一百零七条", CODE_NAME, 1107, None, None),
    ("法典第一千二百四十二条", CODE_NAME, 1242, None, None),
    ("法典第一千零九十五条", CODE_NAME, 1095, None, None),
    ("法典一千一百零八条说的什么", CODE_NAME, 1108, None, None),
    ("大气法第一百一十条", AIR, 110, None, None),
    ("大气法第十条", AIR, 10, None, None),
    ("处罚法第五十一条", PENALTY, 51, None, None),
    ("水污染防治法第八十三条内容", WATER_POLL, 83, None, None),
    ("大气法第九十九条第一款第二项", AIR, 99, 1, 2),
    ("大气法九十九条二项", AIR, 99, None, 2),
    # law after the article
    ("第一千一百零七条（法典）", CODE_NAME, 1107, None, None),
    ("第1107条(法典)", CODE_NAME, 1107, None, None),
    # trailing words
    ("大气法99条是什么", AIR, 99, None, None),
    ("法典1107条罚多少", CODE_NAME, 1107, None, None),
    ("法典1175条第五项是啥", CODE_NAME, 1175, None, 5),
    ("法典52条查封扣押", CODE_NAME, 52, None, None),
    ("大气法99条？", AIR, 99, None, None),
    # typos, resolved by rapidfuzz
    ("大汽污染防治法第九十九条", AIR, 99, None, None),
    ("《大汽污染防治法》第九十九条", AIR, 99, None, None),
    ("中华人民共和国大汽污染防治法第99条", AIR, 99, None, None),
    ("水污染放治法83条", WATER_POLL, 83, None, None),
    ("固体废物污染环境防制法第112条", WASTE, 112, None, None),
    # ambiguous and near-ambiguous short names
    ("水法第十条", WATER, 10, None, None),
    ("《水法》第一条", WATER, 1, None, None),
    ("水污法83条", WATER_POLL, 83, None, None),
    ("水污染法第83条", WATER_POLL, 83, None, None),
    ("民法典第1107条", "中华人民共和国民法典", 1107, None, None),
    ("刑法第三百三十八条", "中华人民共和国刑法", 338, None, None),
    # imported regulations and rules
    ("排污许可管理条例第三十三条", PERMIT, 33, None, None),
    ("《排污许可管理条例》第三十三条第一款", PERMIT, 33, 1, None),
    ("排污许可条例33条", PERMIT, 33, None, None),
    ("《环境行政处罚办法》第九条", RULES, 9, None, None),
    ("建设项目环境保护管理条例第二十三条", CONSTRUCTION, 23, None, None),
    ("《中华人民共和国自然保护区条例》第二条", "中华人民共和国自然保护区条例", 2, None, None),
    ("上海市大气污染防治条例第十条", "上海市大气污染防治条例", 10, None, None),
    # no law named
    ("99条第一款", None, 99, 1, None),
    ("第三条", None, 3, None, None),
    ("第一千一百零七条", None, 1107, None, None),
]


@pytest.mark.parametrize(("query", "law", "article", "paragraph", "item"), FORMS)
def test_forms(resolver, query, law, article, paragraph, item):
    c = parse_query(query, resolver)
    assert c is not None, query
    assert (c.law_name, c.article, c.paragraph, c.item) == (law, article, paragraph, item)


def test_enough_forms():
    assert len(FORMS) >= 60


def test_span_covers_law_and_article(resolver):
    c = parse_query("请查 大气法99条2项 原文", resolver)
    assert c is not None and c.span == (3, 11)
    assert c.law_text == "大气法"


def test_fuzzy_flag(resolver):
    assert parse_query("大汽污染防治法第九十九条", resolver).fuzzy
    assert not parse_query("大气污染防治法第九十九条", resolver).fuzzy


def test_short_aliases_are_not_typo_corrected(resolver):
    # 环保法 and 环评法 differ by one character: a one-character typo of a short alias is unanswerable
    c = parse_query("环X法第十条", resolver)
    assert c is None or c.law_name is None


def test_ambiguous_prefer(resolver):
    c = parse_query("水法第十条", resolver)
    assert c.law_name == WATER
    assert WATER_POLL in c.candidates and not c.ambiguous


def test_ambiguous_without_prefer(resolver):
    c = parse_query("环境法第十条", resolver)
    assert c.law_name is None and c.ambiguous
    assert set(c.candidates) == {EPL, CODE_NAME}


def test_unknown_law_is_kept_as_written(resolver):
    c = parse_query("《江苏省大气污染防治条例》第十条", resolver)
    assert c is not None and c.law_name is None and c.law_text == "江苏省大气污染防治条例"
    assert not c.candidates


# --- queries that are not citations ----------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "",
        "危废没贴标签怎么罚",
        "首违能不能不罚",
        "一条河流被污染怎么办",
        "原大气法第99条在法典里对应哪条",
        "环保法59条按日计罚 现在法典里是哪条",
        "企业锅炉氮氧化物超标排放，违反了大气法99条，应当怎样处罚，罚款数额如何确定",
        "3条措施怎么落实到位",
        "2021年罚款多少",
        "排污许可证 content:大气 AND 99",
        "原大气法第99条对应法典第1107条吗",
    ],
)
def test_not_a_citation(resolver, query):
    assert parse_query(query, resolver) is None


# --- mentions inside longer text ------------------------------------------------------------------
def _cites(text: str, resolver: LawResolver, context: str | None = None) -> list[tuple]:
    return [(c.law_name, c.article, c.paragraph, c.item) for c in find_citations(text, resolver, context)]


def test_decision_list_inherits_law(resolver):
    text = "依据《中华人民共和国大气污染防治法》第九十九条第二项、第一百零八条的规定，本局决定如下"
    cs = find_citations(text, resolver)
    assert [(c.law_name, c.article, c.item) for c in cs] == [(AIR, 99, 2), (AIR, 108, None)]
    assert text[slice(*cs[0].span)] == "《中华人民共和国大气污染防治法》第九十九条第二项"
    assert text[slice(*cs[1].span)] == "第一百零八条"


def test_decision_two_laws(resolver):
    text = (
        "你单位的上述行为违反了《中华人民共和国环境影响评价法》第二十四条、第二十五条、第三十一条和"
        "《建设项目环境保护管理条例》第九条第一款、第四款的规定。依据《中华人民共和国行政处罚法》第三十三条第一款，"
        "决定不予行政处罚。"
    )
    assert _cites(text, resolver) == [
        (EIA, 24, None, None),
        (EIA, 25, None, None),
        (EIA, 31, None, None),
        (CONSTRUCTION, 9, 1, None),
        (CONSTRUCTION, 9, 4, None),
        (PENALTY, 33, 1, None),
    ]


def test_decision_short_names(resolver):
    text = "2022年5月30日市生态环境局依水污法第八十三条第三项作出行政处罚，罚款10万元"
    assert _cites(text, resolver) == [(WATER_POLL, 83, None, 3)]


def test_decision_arabic_digits(resolver):
    text = "根据《中华人民共和国环境影响评价法》第31条第3款，责令停止建设"
    assert _cites(text, resolver) == [(EIA, 31, 3, None)]


def test_numbers_sharing_one_article_word(resolver):
    assert _cites("《中华人民共和国行政处罚法》第六十七、七十二条", resolver) == [
        (PENALTY, 67, None, None),
        (PENALTY, 72, None, None),
    ]


def test_items_continue_previous_citation(resolver):
    text = "违反《大气污染防治法》第九十九条第一款第二项、第三项"
    assert _cites(text, resolver) == [(AIR, 99, 1, 2), (AIR, 99, 1, 3)]


def test_benfa_uses_context(resolver):
    text = "违反本法第十八条规定的，依照前款规定处罚；依照本法第九十九条、第一百条的规定处罚"
    assert _cites(text, resolver, AIR) == [
        (AIR, 18, None, None),
        (AIR, 99, None, None),
        (AIR, 100, None, None),
    ]
    assert [c.law_name for c in find_citations(text, resolver)] == [None, None, None]


def test_no_citation_in_plain_text(resolver):
    text = "依照前款规定，有下列情形之一的，处一万元以上十万元以下罚款；一条河流、3条措施，2018年修订"
    assert find_citations(text, resolver) == []


def test_unrelated_reference_not_inherited(resolver):
    text = "违反《中华人民共和国大气污染防治法》第十八条的规定，根据第九十九条处罚"
    assert _cites(text, resolver) == [(AIR, 18, None, None), (None, 99, None, None)]


def test_typo_inside_sentence(resolver):
    text = "该公司违反了大汽污染防治法第十八条的规定"
    (c,) = find_citations(text, resolver)
    assert (c.law_name, c.article, c.fuzzy) == (AIR, 18, True)
    assert text[slice(*c.span)] == "大汽污染防治法第十八条"


@pytest.mark.parametrize(
    "text",
    [
        "《中华人民共和国民法通则》第一百四十六条",  # not a typo of 民法典
        "《中华人民共和国治安管理处罚条例》第十九条",  # the 条例 that preceded 治安管理处罚法
        "《中华人民共和国继承法》第三十六条",
        "《广东省固体废物污染环境防治条例》第十一条第一款",
    ],
)
def test_other_laws_are_not_typos(resolver, text):
    (c,) = find_citations(text, resolver)
    assert c.law_name is None and not c.fuzzy and not c.candidates


def test_whole_corpus_scan(corpus, resolver):
    """Every article of every law: nothing raises, and no citation in statute text needs typo correction."""
    count = 0
    for law in corpus.laws.values():
        for article in law.articles.values():
            for c in find_citations(article.text, resolver, context=law.name):
                count += 1
                assert not c.fuzzy, (law.name, article.number, c)
                assert 1 <= c.article <= 9999
    assert count > 2000


def test_default_resolver_knows_short_names():
    c = parse_query("大气法99条", default_resolver())
    assert c is not None and c.law_name == AIR


# --- non-existent articles --------------------------------------------------------------------------
def test_article_beyond_end(corpus, resolver):
    c = parse_query("大气法130条", resolver)
    assert check_exists(c, corpus) == "《大气污染防治法》共一百二十九条，没有第一百三十条"


def test_code_beyond_end(corpus, resolver):
    c = parse_query("法典第一千二百四十三条", resolver)
    assert check_exists(c, corpus) == "《生态环境法典》共一千二百四十二条，没有第一千二百四十三条"


def test_existing_article(corpus, resolver):
    assert check_exists(parse_query("大气法99条", resolver), corpus) is None
    assert check_exists(parse_query("法典1107条", resolver), corpus) is None
    assert check_exists(parse_query("处罚法第三十三条第一款", resolver), corpus) is None


def test_paragraph_and_item_checked(corpus, resolver):
    c = parse_query("处罚法第三十三条第九款", resolver)
    n = len(corpus.article(PENALTY, 33).paragraphs)
    from knowledge.cnnum import int_to_cn

    assert check_exists(c, corpus) == f"《行政处罚法》第三十三条共{int_to_cn(n)}款，没有第九款"
    c = parse_query("行政处罚法第三十三条第一款第九项", resolver)
    assert check_exists(c, corpus) == "《行政处罚法》第三十三条第一款没有第九项"


def test_unknown_and_ambiguous_messages(corpus, resolver):
    assert check_exists(parse_query("环境法第十条", resolver), corpus) == (
        "“环境法”可能指《环境保护法》、《生态环境法典》，请说明是哪一部"
    )
    c = parse_query("《江苏省大气污染防治条例》第十条", resolver)
    assert check_exists(c, corpus) == "没有找到“江苏省大气污染防治条例”，请核对法律名称"
    assert check_exists(Citation(None, None, 5), corpus) == "请说明是哪部法律的第五条"


# --- formatting ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "full", "short"),
    [
        (
            (AIR, 99, None, 2),
            "《中华人民共和国大气污染防治法》第九十九条第二项",
            "《大气污染防治法》第九十九条第二项",
        ),
        (
            (CODE_NAME, 1107),
            "《中华人民共和国生态环境法典》第一千一百零七条",
            "《生态环境法典》第一千一百零七条",
        ),
        ((AIR, 10), "《中华人民共和国大气污染防治法》第十条", "《大气污染防治法》第十条"),
        (
            (AIR, 110, 1),
            "《中华人民共和国大气污染防治法》第一百一十条第一款",
            "《大气污染防治法》第一百一十条第一款",
        ),
        ((PERMIT, 33), "《排污许可管理条例》第三十三条", "《排污许可管理条例》第三十三条"),
        ((None, 15), "第十五条", "第十五条"),
    ],
)
def test_format(args, full, short):
    assert format_citation(*args) == full
    assert format_citation(*args, short=True) == short


def test_round_trip_1_to_1242(resolver):
    for n in range(1, 1243):
        for short in (False, True):
            text = format_citation(CODE_NAME, n, short=short)
            c = parse_query(text, resolver)
            assert c is not None and (c.law_name, c.article) == (CODE_NAME, n), text
        c = parse_query(format_citation(AIR, n, n % 7 + 1, n % 13 + 1), resolver)
        assert (c.article, c.paragraph, c.item) == (n, n % 7 + 1, n % 13 + 1)
        assert parse_query(f"法典{n}条", resolver).article == n


def test_citation_format_method(resolver):
    c = parse_query("大气法99条2项", resolver)
    assert c.format() == "《中华人民共和国大气污染防治法》第九十九条第二项"
    assert c.format(short=True) == "《大气污染防治法》第九十九条第二项"


# --- robustness and speed ---------------------------------------------------------------------------
ODD_INPUTS = [
    "😀" * 50,
    "法典" * 5000,
    "第" * 10000,
    "<b>大气法</b>99条<script>alert(1)</script>",
    'content:"大气" AND (法典 OR 99条)^2 title:处罚* ~',
    "'; DROP TABLE users; -- 第1条",
    "《" * 300 + "》" * 300 + "第一条",
    "第九九九九九九九九九九九九九九九条",
    "第十千百百千条第零款第〇项",
    "法典0条",
    "\x00\ud7ff\n\t",
]


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_odd_inputs(resolver, text):
    parse_query(text, resolver)
    for c in find_citations(text, resolver):
        assert 0 <= c.span[0] < c.span[1] <= len(text)
        assert 1 <= c.article <= 9999


_cite_alphabet = st.sampled_from(
    list("第条款项、，（）()《》 　一二三四五六七八九十百千零〇两0123456789１２３法典大气水污本例")
    + ["大气法", "法典", "水法", "环境法", "本法", "中华人民共和国", "排污许可管理条例", "年", "\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | st.lists(_cite_alphabet, max_size=60).map("".join))
def test_never_raises(corpus, text):
    resolver = resolver_for(corpus)
    parse_query(text, resolver)
    for c in find_citations(text, resolver, context=AIR):
        assert 0 <= c.span[0] < c.span[1] <= len(text)


def test_parse_query_is_fast(resolver):
    queries = [q for q, *_ in FORMS] + ["危废没贴标签怎么罚", "首违能不能不罚", "听证几天内申请"]
    for q in queries:  # warm the caches, as a running bot would have
        parse_query(q, resolver)
    start = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for q in queries:
            parse_query(q, resolver)
    mean_ms = (time.perf_counter() - start) * 1000 / (rounds * len(queries))
    assert mean_ms < 0.5, mean_ms
