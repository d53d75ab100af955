"""Search as an officer meets it: citations first, situation questions find the 罚则, current law first,
old articles lead to the Code, the index is rebuilt only when the corpus changes, bad input never breaks.

One real KnowledgeBase (database + ../shared/corpus, whoosh index in a tmp dir) per module.
The situation questions below are written for these tests (not taken from ../shared/eval/dev.jsonl); each
expected article was checked by reading it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.paths import SHARED_CORPUS

from knowledge import texts
from knowledge.corpus import import_folder
from knowledge.engine import KnowledgeBase
from knowledge.hits import SearchResult
from knowledge.model import CODE_NAME

CORPUS = SHARED_CORPUS
AIR = "中华人民共和国大气污染防治法"
WATER = "中华人民共和国水污染防治法"
NOISE = "中华人民共和国噪声污染防治法"
CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A tmp data dir shared with test_cli.py (same corpus, so the ~6 s index build happens once a session)."""
    shared = tmp_path_factory.getbasetemp() / "lawbot-shared-data"
    shared.mkdir(exist_ok=True)
    return shared


@pytest.fixture(scope="module")
def kb(data_dir) -> KnowledgeBase:
    return KnowledgeBase.open(data_dir, [CORPUS])


def ranked(result: SearchResult) -> list[tuple[str, int]]:
    return [(h.law.name, h.article.number) for h in result.hits]


def rank_of(result: SearchResult, law: str, number: int) -> int | None:
    pairs = ranked(result)
    return pairs.index((law, number)) + 1 if (law, number) in pairs else None


# --- citations --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "law", "number"),
    [
        ("大气法99条", AIR, 99),
        ("大气污染防治法第九十九条", AIR, 99),
        ("法典第1107条", CODE_NAME, 1107),
        ("法典第１１０７条", CODE_NAME, 1107),
        ("《中华人民共和国生态环境法典》第一千一百零七条", CODE_NAME, 1107),
        ("处罚法33条", "中华人民共和国行政处罚法", 33),
        ("《中华人民共和国行政处罚法》第三十三条第二款", "中华人民共和国行政处罚法", 33),
        ("环保法第六十三条", "中华人民共和国环境保护法", 63),
        ("排污许可管理条例第三十三条", "排污许可管理条例", 33),
    ],
)
def test_citation_answers_first(kb, query, law, number):
    result = kb.search(query)
    assert result.notice is None
    first = result.hits[0]
    assert (first.law.name, first.article.number) == (law, number)
    assert first.kind == "citation"
    assert len(result.hits) <= 10


def test_citation_of_paragraph_and_item_is_kept(kb):
    hit = kb.search("《中华人民共和国行政处罚法》第三十三条第二款").hits[0]
    assert hit.paragraph == 2
    hit = kb.search("大气法99条第2项").hits[0]
    assert (hit.article.number, hit.item) == (99, 2)


def test_citation_of_restored_code_article_carries_its_note(kb):
    hit = kb.search("法典1120条").hits[0]
    assert (hit.law.name, hit.article.number, hit.kind) == (CODE_NAME, 1120, "citation")
    assert hit.article.note and "缺失" in hit.article.note


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("大气法第130条", "《大气污染防治法》共一百二十九条，没有第一百三十条"),
        ("《大气污染防治法》第一百三十条", "《大气污染防治法》共一百二十九条，没有第一百三十条"),
        ("法典第1243条", "《生态环境法典》共一千二百四十二条，没有第一千二百四十三条"),
        ("法典第2000条", "《生态环境法典》共一千二百四十二条，没有第二千条"),
        ("处罚法第100条", "《行政处罚法》共八十六条，没有第一百条"),
    ],
)
def test_missing_article_gets_a_notice_and_no_guesses(kb, query, notice):
    result = kb.search(query)
    assert result.notice == notice
    # an officer must not read an unrelated article as the answer to "第X条"
    assert result.hits == []


def test_missing_paragraph_notice(kb):
    result = kb.search("法典1107条第9款")
    assert result.notice and "没有第九款" in result.notice
    assert result.hits == []


# --- situation questions: the Code's 罚则 in the top 3 ----------------------------------------------------
SITUATIONS = [
    # found since 项 documents score on their own (were known failures before)
    ("废气超标排放怎么罚", 1107),
    ("企业私设暗管把废水偷偷排出去", 1108),
    ("危险废物交给没有经营许可证的单位处置", 1175),
    ("危险废物仓库门口没有设置识别标志怎么罚", 1175),
    ("危废交给无资质单位处置怎么罚", 1175),
    ("未批先建怎么罚", 1095),
    ("私设暗管偷排怎么罚", 1108),
    ("篡改自动监测数据逃避监管排污", 1108),
    ("饭店油烟净化器没开，油烟超标排放", 1132),
    ("建筑工地没有围挡也没洒水抑尘，扬尘严重", 1128),
    ("晚上十一点工地还在施工噪声扰民，没有夜间施工证明", 1185),
    ("重点排污单位没有安装自动监测设备也没有联网", 1086),
    ("环保设施没验收就投入生产", 1100),
    ("擅自拆除污染防治设施", 1104),
    ("未按排污许可证规定运行污染防治设施", 1104),
    ("没有许可证收集贮存危险废物", 1178),
    ("运输渣土的车辆没有密闭，沿路遗撒", 1129),
    ("汽车维修店喷漆没有废气处理装置", 1133),
    ("干洗店没有异味处理设施", 1133),
    ("畜禽养殖场粪污没有及时处理", 1231),
    ("加油站没有安装油气回收装置", 1120),
    ("向污水处理厂排放不符合工艺要求的工业废水", 1140),
    ("未经批准擅自取用地下水", 1218),
    ("重点排放单位没有按期清缴碳排放配额", 1226),
    ("在禁止焚烧区域露天焚烧秸秆怎么处罚", 1131),
    ("监测机构监测数据弄虚作假怎么罚", 1091),
    ("在饮用水水源保护区内设置排污口怎么罚", 1109),
    ("商铺用高音喇叭做广告噪声扰民怎么处理", 1189),
    ("拒绝阻挠环保执法人员监督检查", 1229),
]
# Ranking failures seen when these tests were written (reported to the lead, who tunes the weights).
RANKING_FAILURES = [  # the lexical ranking alone (the fixture has no vectors)
    ("没有排污许可证排放污染物怎么罚", 1102),  # 1103/1104/1105 first; 1102 is 4th
    ("随意倾倒工业固体废物怎么罚", 1169),  # 1171/1170/1068/1179 first; 1169 is 5th
]


@pytest.mark.parametrize(("query", "number"), SITUATIONS)
def test_situation_question_finds_code_penalty_article(kb, query, number):
    result = kb.search(query)
    rank = rank_of(result, CODE_NAME, number)
    assert rank is not None and rank <= 3, (query, ranked(result)[:5])
    assert result.hits[rank - 1].kind == "article"


@pytest.mark.parametrize(
    ("query", "number"),
    [pytest.param(q, n, marks=pytest.mark.xfail(reason="ranking: see RANKING_FAILURES", strict=False))
     for q, n in RANKING_FAILURES],
)
def test_situation_question_known_ranking_failures(kb, query, number):
    rank = rank_of(kb.search(query), CODE_NAME, number)
    assert rank is not None and rank <= 3


def test_situation_hits_are_current_law_penalty_articles(kb):
    result = kb.search("私设暗管偷排怎么罚")
    first = result.hits[0]
    assert first.law.is_current
    assert first.article.chapter and "法律责任" in first.article.chapter
    assert first.snippet and len(first.snippet) <= 82


# --- current law above repealed law --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "code_article", "old_law", "old_article"),
    [
        ("超标排放大气污染物怎么处罚", 1107, AIR, 99),
        ("企业超标排放大气污染物", 1107, AIR, 99),
        ("餐馆油烟超标排放怎么处罚", 1132, AIR, 118),
        ("工地夜间施工没有办连续施工证明怎么罚", 1185, NOISE, 77),
        ("私设暗管偷排怎么罚", 1108, WATER, 83),
    ],
)
def test_current_law_ranks_above_repealed_law(kb, query, code_article, old_law, old_article):
    result = kb.search(query)
    new = rank_of(result, CODE_NAME, code_article)
    old = rank_of(result, old_law, old_article)
    assert new is not None, (query, ranked(result))
    assert old is None or new < old, (query, new, old)


def test_repealed_article_is_marked(kb):
    hit = kb.search("大气法99条").hits[0]
    assert hit.law.status == "已废止"
    assert not hit.law.is_current


# --- old article → Code successor ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "old_law", "old_article", "successor"),
    [
        ("原大气法第99条在法典里对应哪条", AIR, 99, 1107),
        ("大气污染防治法第九十九条法典对应哪条", AIR, 99, 1107),
        ("水污染防治法第八十三条现在对应法典哪条", WATER, 83, 1108),
    ],
)
def test_old_article_question_gets_code_successor_first(kb, query, old_law, old_article, successor):
    result = kb.search(query)
    first = result.hits[0]
    assert first.law.name == CODE_NAME
    assert first.kind == "successor"
    successors = [h.article.number for h in result.hits if h.kind == "successor"]
    assert successor in successors
    assert all(h.law.name == CODE_NAME for h in result.hits[: len(successors)])
    # the old article itself is still shown, after its successors
    old = rank_of(result, old_law, old_article)
    assert old is not None and old > len(successors)


def test_citing_repealed_article_also_offers_successors(kb):
    result = kb.search("大气法99条")
    assert result.hits[0].kind == "citation"
    assert any(h.kind == "successor" and h.article.number == 1107 for h in result.hits[1:4])


# --- imported laws are searchable ---------------------------------------------------------------------
def test_imported_regulation_is_searchable(kb):
    result = kb.search("排污许可证有效期几年")
    assert any(h.law.name == "排污许可管理条例" or h.law.name == CODE_NAME for h in result.hits[:5])
    assert kb.corpus.law("排污许可管理条例") is not None


# --- timing -------------------------------------------------------------------------------------------
def test_search_is_fast_and_reports_ms(kb):
    for query in ("危废没贴标签怎么罚", "法典第1107条", "听证几天内申请"):
        result = kb.search(query)
        assert 0 < result.ms < 500, (query, result.ms)


# --- bad input -----------------------------------------------------------------------------------------
BAD_INPUTS = [
    pytest.param("", id="empty"),
    pytest.param("   \n\t ", id="blank"),
    pytest.param("啊" * 10_000, id="10000-chars"),
    pytest.param("危废" * 5_000, id="10000-chars-words"),
    pytest.param("😀🏭💨", id="emoji"),
    pytest.param("<script>alert(1)</script>", id="html-script"),
    pytest.param("<b>危废</b>没贴标签怎么罚", id="html-with-question"),
    pytest.param('AND OR NOT * ? ~ " ( ) :', id="whoosh-syntax"),
    pytest.param("text:危废 AND (噪声 OR", id="whoosh-field-and-open-paren"),
    pytest.param("*", id="star"),
    pytest.param("?", id="question-mark"),
    pytest.param("~", id="tilde"),
    pytest.param('"', id="quote"),
    pytest.param("(", id="paren"),
    pytest.param(":", id="colon"),
    pytest.param("'; DROP TABLE laws; --", id="sql-drop"),
    pytest.param("SELECT * FROM articles WHERE 1=1", id="sql-select"),
    pytest.param("Ｐｍ2.5超标 排放 العربية русский 한국어", id="mixed-scripts"),
    pytest.param("\x00\x01\x02", id="control-chars"),
    pytest.param("\u200b\ufeff", id="zero-width"),
    pytest.param("法典第0条", id="article-zero"),
    pytest.param("法典第99999条", id="huge-article"),
    pytest.param("大气法第-1条", id="negative-article"),
    pytest.param("第第第条条", id="garbled-citation"),
    pytest.param("xyz法第3条", id="unknown-law"),
    pytest.param("{{7*7}} %s%n ../../etc/passwd", id="templates-and-paths"),
]


@pytest.mark.parametrize("query", BAD_INPUTS)
def test_bad_input_never_raises(kb, query):
    result = kb.search(query)
    assert isinstance(result, SearchResult)
    assert len(result.hits) <= 10
    assert result.hits or result.notice
    if result.notice:
        assert CJK.search(result.notice), "the notice is Chinese"
        assert len(result.notice) <= 200, "the notice is short"
        assert "Traceback" not in result.notice and "Error" not in result.notice


@pytest.mark.parametrize(
    "query",
    ["", "   ", "😀🏭💨", "<script>alert(1)</script>", 'AND OR NOT * ? ~ " ( ) :', "'; DROP TABLE laws; --", "\x00"],
)
def test_meaningless_input_gets_a_hint(kb, query):
    result = kb.search(query)
    assert result.hits == []
    assert result.notice in (texts.EMPTY_QUERY, texts.NOTHING_FOUND)


def test_empty_query_hint_shows_examples(kb):
    assert kb.search("").notice == texts.EMPTY_QUERY
    assert "大气法99条" in texts.EMPTY_QUERY


def test_long_input_is_answered_quickly(kb):
    result = kb.search("企业私设暗管偷排废水怎么罚" * 800)
    assert result.hits
    assert result.ms < 1000


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(max_size=200),
        st.text(alphabet=st.sampled_from(list("第条款项法典大气水罚危废一二三四五六七八九十百千零0123456789１２《》（）()：:*?~\"' ")),
                max_size=40),
    )
)
def test_search_never_raises_on_arbitrary_text(kb, text):
    result = kb.search(text)
    assert isinstance(result, SearchResult)
    assert len(result.hits) <= 10
    assert result.hits or result.notice


# --- index freshness -----------------------------------------------------------------------------------
def test_index_built_in_a_fresh_data_dir_and_stamped(kb, data_dir):
    assert (data_dir / "index" / "lawbot-index.json").is_file()
    assert not (data_dir / "index.building").exists()
    assert kb.index_build_seconds is None or kb.index_build_seconds > 0


def test_index_reused_when_corpus_unchanged(kb, data_dir):
    again = KnowledgeBase.open(data_dir, [CORPUS])
    assert again.index_build_seconds is None
    assert ranked(again.search("法典第1107条"))[:1] == [(CODE_NAME, 1107)]


def test_index_rebuilt_when_a_folder_is_imported(kb, data_dir, tmp_path):
    """Works on a copy of the shared data dir, so the other tests keep their index."""
    own = tmp_path / "data"
    shutil.copytree(data_dir, own)  # the copy keeps its freshness stamp
    data_dir = own
    folder = tmp_path / "new-rules"
    folder.mkdir()
    (folder / "某市餐厨垃圾测试管理办法.md").write_text(
        "# 某市餐厨垃圾测试管理办法\n\n发布机关：某市人民政府\n\n（2024年1月2日公布 自2024年3月1日起施行）\n\n"
        "<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了规范泔水油回收，制定本办法。\n\n"
        "第二条 泔水油收运单位应当建立台账。\n",
        encoding="utf-8",
    )
    laws, problems = import_folder(folder, data_dir)
    assert [law.name for law in laws] == ["某市餐厨垃圾测试管理办法"]
    assert problems == []
    reopened = KnowledgeBase.open(data_dir, [CORPUS])
    assert reopened.index_build_seconds is not None  # the corpus changed: rebuilt
    result = reopened.search("泔水油收运台账")
    assert ("某市餐厨垃圾测试管理办法", 2) in ranked(result)[:3]
    # and once more without change: reused
    assert KnowledgeBase.open(data_dir, [CORPUS]).index_build_seconds is None
    # the module's knowledge base still answers from memory
    assert ranked(kb.search("法典第1107条"))[:1] == [(CODE_NAME, 1107)]
