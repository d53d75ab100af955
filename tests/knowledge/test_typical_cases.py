"""Typical cases: data resolves in the corpus, counts, filters, article look-ups, search and the case card."""

from __future__ import annotations

import time

from knowledge.corpus import Corpus
from knowledge.typical_cases import load_typical_cases

CASES = load_typical_cases()


def test_counts_and_fields():
    assert len(CASES) >= 40
    ids = [c.id for c in CASES.cases]
    assert len(ids) == len(set(ids))
    for c in CASES.cases:
        assert c.facts and c.lesson and c.outcome and c.tags, c.id
        assert c.source_url.startswith("http"), c.id
        assert 2000 <= c.year <= 2026, c.id


def test_every_cited_article_resolves(corpus: Corpus):
    assert CASES.validate(corpus) == []
    for c in CASES.cases:
        for cite in c.citations:
            assert cite.problem(corpus) is None, (c.id, cite)


def test_code_articles_are_in_the_code_and_in_force(corpus: Corpus):
    code = corpus.law("中华人民共和国生态环境法典")
    for c in CASES.cases:
        for cite in c.code:
            assert cite.is_code and cite.article in code.articles, (c.id, cite)
        assert c.code or c.code_note, c.id


def test_published_facts_kept():
    c001 = CASES.case("c001")
    assert c001.fine_wan == 25 and c001.applied[0].label() == "《大气污染防治法》第九十九条第一款第二项"
    assert CASES.case("c010").fine_wan == 42.96
    assert CASES.case("c037").applied == () and CASES.case("c037").unresolved  # old numbering not resolved
    assert CASES.case("c006").unresolved


def test_filters():
    assert {c.id for c in CASES.filter(tag="不予处罚")} >= {"c024", "c025", "c026", "c029", "c043"}
    assert all("广东" in c.region for c in CASES.filter(region="广东"))
    assert {c.id for c in CASES.filter(region="上海", tag="上海")} >= {"c028", "c045"}
    solid = CASES.filter(law="中华人民共和国固体废物污染环境防治法")
    assert {"c030", "c031", "c035", "c036"} <= {c.id for c in solid}
    by_article = {c.id for c in CASES.filter(law="固体废物污染环境防治法", article=112)}
    assert {"c035", "c036"} <= by_article
    assert CASES.filter(tag="危废", year=2021)
    assert "危废" in CASES.tags


def test_citing_then_and_now():
    then = {c.id: how for c, how in CASES.citing("中华人民共和国固体废物污染环境防治法", 77)}
    assert then["c036"] == "violated"
    now = {c.id: how for c, how in CASES.citing("中华人民共和国生态环境法典", 1175)}
    assert now["c035"] == "code" and now["c036"] == "code" and now["c037"] == "code"
    # 环评法第三十一条 → 法典第一千零九十五条: cases recorded only with the Code article are found too
    via = {c.id for c, _ in CASES.citing("中华人民共和国环境影响评价法", 31)}
    assert {"c024", "c025", "c026", "c023"} <= via
    assert CASES.citing("中华人民共和国环境影响评价法", 31, successors=False)
    assert all(how != "法典承接" for _, how in CASES.citing("中华人民共和国环境影响评价法", 31, successors=False))


def test_search_officer_questions():
    expectations = {
        "危废没贴标签的案子": {"c035", "c036"},
        "在线监测数据造假 移送拘留": {"c010"},
        "未批先建 主动停了 不予处罚的例子": {"c024", "c025", "c026"},
        "检测站给冒黑烟的车出合格报告": {"c008"},
        "按日连续处罚怎么算": {"c016", "c006"},
        "夜间噪声扰民 超标": {"c038", "c039"},
        "无证收废机油": {"c031"},
        "医院射线装置没许可证": {"c040", "c042", "c043"},
    }
    CASES.search("预热")
    for question, expected in expectations.items():
        t = time.perf_counter()
        hits = {c.id for c, _ in CASES.search(question, k=3)}
        assert time.perf_counter() - t < 0.005, question
        assert hits & expected, (question, hits)


def test_search_with_filters():
    hits = CASES.search("超标排放", k=5, region="广东")
    assert hits and all("广东" in c.region for c, _ in hits)
    assert all("噪声" in c.tags for c, _ in CASES.search("超标", tag="噪声"))
