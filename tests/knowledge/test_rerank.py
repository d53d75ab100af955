"""The hybrid ranking's model (knowledge.rerank): its weights file, its fitting, and what it does with the
real index — a 项 that matches names itself, and a question's kind decides between otherwise equal articles."""

from __future__ import annotations

import json

import numpy as np
import pytest

from knowledge import rerank
from knowledge.analysis import is_penalty_question
from knowledge.corpus import data_file
from knowledge.model import CODE_NAME
from knowledge.semantic import SemanticHit, SemanticRanking


def test_weights_file_is_fitted_for_these_features_on_our_own_questions():
    data = json.loads(data_file(rerank.WEIGHTS_FILE).read_text(encoding="utf-8"))
    assert tuple(data["features"]) == rerank.FEATURES
    assert set(data["weights"]) == set(rerank.KINDS)
    for w in data["weights"].values():
        assert len(w) == len(rerank.FEATURES) and all(np.isfinite(w))
    assert data["fitted_on"] == "bench/questions"  # never ../shared/eval
    cv = data["cross_validation"]
    # the fitted model beats plain reciprocal-rank fusion on articles it never saw
    assert cv["cross_validated"]["all"]["mrr"] > cv["reciprocal_rank_fusion"]["all"]["mrr"]


def test_fit_learns_which_signal_marks_the_right_candidate():
    rng = np.random.default_rng(1)
    matrices, gold = [], []
    for _ in range(60):
        m = rng.normal(size=(20, 3))
        right = int(rng.integers(20))
        m[right, 1] += 3.0  # the second signal marks the right one; the others are noise
        matrices.append(m)
        gold.append([right])
    w = rerank.fit(matrices, gold, epochs=200)
    assert np.argmax(np.abs(w)) == 1 and w[1] > 0
    test = rng.normal(size=(20, 3))
    test[7, 1] += 3.0
    assert int(np.argmax(test @ w)) == 7


def _semantic(*hits: SemanticHit) -> SemanticRanking:
    return SemanticRanking(list(hits), {(h.law_id, h.article): h.score for h in hits},
                           max((h.score for h in hits), default=0.0),
                           {(h.law_id, h.article): i for i, h in enumerate(hits)})


def test_lexical_candidates_keep_the_item_their_own_document_matched(kb):
    searcher = kb.searcher
    question = "危险废物仓库门口没有设置识别标志怎么罚"
    terms = searcher.terms(question)
    lexical = searcher.scored(question, rerank.LEXICAL_DEPTH, terms)
    hits = rerank.rank(question, terms, lexical, _semantic(), searcher, 5)
    first = next(h for h in hits if h.law.name == CODE_NAME and h.article.number == 1175)
    item = first.article.item(first.item, first.paragraph)
    assert item is not None and "识别标志" in item.text


def test_features_say_what_kind_of_article_the_question_wants(kb):
    searcher = kb.searcher
    code = kb.corpus.law(CODE_NAME).law_id

    def column(question: str, feature: str) -> tuple[list[float], list]:
        terms = searcher.terms(question)
        lexical = searcher.scored(question, rerank.LEXICAL_DEPTH, terms)
        semantic = _semantic(SemanticHit(code, 1107, None, None, 0.9))
        found = rerank.candidates(lexical, semantic, searcher)
        matrix = rerank.features(rerank.Question.of(question, terms), found, semantic, searcher,
                                 searcher.weigher(question, terms), terms)
        assert matrix.shape == (len(found), len(rerank.FEATURES))
        return list(matrix[:, rerank.FEATURES.index(feature)]), [searcher.doc(*c.key) for c in found]

    values, docs = column("超标排放大气污染物怎么罚", "penalty_liability")  # a 怎么罚 question
    assert values == [float(d.liability) for d in docs] and 0.0 in values and 1.0 in values
    values, docs = column("大气污染物排放标准由谁制定", "penalty_liability")  # not one
    assert set(values) == {0.0}
    values, docs = column("申请听证的期限是几天", "period_states_period")
    assert values == [float(d.period) for d in docs] and 1.0 in values


@pytest.mark.parametrize("question", ["", "的的的"])
def test_nothing_to_rank_is_an_empty_list(kb, question):
    terms = kb.searcher.terms(question)
    assert rerank.rank(question, terms, kb.searcher.scored(question, 10, terms), _semantic(), kb.searcher, 5) == []


@pytest.mark.parametrize(("question", "situation"), [
    ("危废没贴标签怎么罚", True),
    ("危险废物仓库没设识别标志", True),  # a bare situation: the 罚则 article first
    ("淘汰的旧锅炉能不能卖给别的厂接着用", False),  # is it allowed: the duty
    ("排污单位要不要自己做监测", False),
    ("没做自行监测能不能罚", True),  # 罚 asked for too
    ("对处罚决定不服多久可以申请复议", False),  # procedure
])
def test_a_question_of_what_is_allowed_wants_the_duty_not_the_penalty(question, situation):
    assert is_penalty_question(question) is situation
    assert rerank.kind_of(rerank.Question.of(question, [])) == ("situation" if situation else "other")
