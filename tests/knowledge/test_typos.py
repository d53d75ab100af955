"""Typo tolerance: a question mistyped on a pinyin keyboard finds what the correctly typed one finds, and a
correctly typed question is never 'corrected' into something else.

The Corrector is checked on a small vocabulary first (the rules), then through the real knowledge base
(the vocabulary of the indexed statutes).
"""

from __future__ import annotations

import pytest
from support.paths import SHARED_CORPUS

from knowledge.analysis import STOP_WORDS, tokenizer
from knowledge.engine import KnowledgeBase
from knowledge.typos import Corrector

VOCABULARY = {"复议": 50, "申辩": 12, "危险废物": 80, "排污许可证": 40, "水质": 30, "每个": 20, "罕见": 1,
              "污染防治": 60, "污染防止": 5}


@pytest.fixture(scope="module")
def corrector() -> Corrector:
    return Corrector(VOCABULARY, segment=tokenizer().lcut, stop_words=STOP_WORDS)


@pytest.mark.parametrize(("question", "expected"), [
    ("对复意决定不服", ["复议"]),            # homophone, one character off
    ("申辨期限几天", ["申辩"]),
    ("危险费物没贴标签", ["危险废物"]),      # a longer term: the longest correction wins, not its parts
    ("排污许可正过期了", ["排污许可证"]),
])
def test_a_homophone_slip_is_corrected(corrector, question, expected):
    assert corrector.corrections(question) == expected


def test_correct_words_and_unrelated_text_are_left_alone(corrector):
    assert corrector.corrections("对复议决定不服") == []
    assert corrector.corrections("老板说尾水从来不化验") == []
    assert corrector.corrections("养鱼塘换水直接往沟里放") == []  # 水|直: two words, never one mistyped 水质


def test_stop_words_are_not_read_as_typos(corrector):
    assert corrector.corrections("也没个测的计划") == []  # 没个 sounds like 每个 but is two function words


def test_a_rare_word_is_never_a_correction(corrector):
    assert corrector.corrections("这个罕鉴") == []  # a word of one article is not evidence of a slip


def test_one_wrong_character_of_a_long_term_is_corrected_when_only_one_term_fits():
    corrector = Corrector({"污染防治设施": 30, "污染防治": 60}, segment=tokenizer().lcut, stop_words=STOP_WORDS)
    assert corrector.corrections("污染防冶设施坏了") == ["污染防治设施"]  # 冶 for 治: a shape slip, not a sound
    ambiguous = Corrector({"排放标准": 30, "排放指标": 30}, segment=tokenizer().lcut, stop_words=STOP_WORDS)
    assert ambiguous.corrections("排放标标") == []  # one slip from two terms: the question does not say which


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    return KnowledgeBase.open(tmp_path_factory.getbasetemp() / "lawbot-shared-data",
                              [SHARED_CORPUS] if SHARED_CORPUS.is_dir() else [], semantic=False)


def top(kb: KnowledgeBase, question: str, n: int) -> list[tuple[str, int]]:
    return [(h.law.name, h.article.number) for h in kb.search(question, limit=n).hits]


@pytest.mark.parametrize(("typed", "meant"), [
    ("对复意决定不服还能起诉吗", "对复议决定不服还能起诉吗"),
    ("当事人申辨的权利", "当事人申辩的权利"),
    ("危险费物贮存超过一年怎么罚", "危险废物贮存超过一年怎么罚"),
    ("排污许可正过期了还在排", "排污许可证过期了还在排"),
])
def test_a_mistyped_question_finds_what_the_correct_one_finds(kb, typed, meant):
    assert top(kb, meant, 1)[0] in top(kb, typed, 3)  # the article meant is on the first screen
    assert len(set(top(kb, typed, 5)) & set(top(kb, meant, 5))) >= 3


def test_the_code_answers_a_situation_before_a_reply_that_applies_a_repealed_law(kb):
    """The 恶臭 复函 quotes the repealed 大气污染防治法; the Code now carries the penalty."""
    hits = kb.search("企业超标排放废气怎么罚", limit=5).hits
    assert hits[0].law.name == "中华人民共和国生态环境法典"
    assert all("复函" not in h.law.name for h in hits[:3])


def test_the_semantic_side_reads_the_correction_beside_the_slip(kb):
    read = kb.searcher.for_vectors("对处罚不服，多久内可以申请复意")
    assert read.startswith("对处罚不服，多久内可以申请复意") and "复议" in read
    assert kb.searcher.for_vectors("对处罚不服可以申请复议吗") == "对处罚不服可以申请复议吗"  # nothing to correct
