"""The quiz's questions are proven against the articles: the whole authored bank and every question the
generator makes from the articles, the rules of the proof itself, and the generator's distractors."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from knowledge.quiz.bank import KINDS, TOPICS, load_bank
from knowledge.quiz.generator import BLANK, generate
from knowledge.quiz.proof import amounts, canonical, check_all, check_question
from knowledge.records import Cite


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def generated(corpus):
    return generate(corpus)


def test_the_bank_is_large_and_covers_every_topic_and_kind(bank):
    assert len(bank) >= 200
    topics = Counter(q.topic for q in bank)
    kinds = Counter(q.kind for q in bank)
    assert set(topics) == set(TOPICS) and min(topics.values()) >= 20, topics
    assert set(kinds) == set(KINDS) and kinds["multiple"] >= 30 and kinds["judge"] >= 30, kinds
    assert sum(q.scenario for q in bank) >= 30
    assert {1, 2, 3} <= {q.difficulty for q in bank}


def test_every_authored_question_is_proven(bank, corpus):
    assert check_all(bank, corpus) == []


def test_every_generated_question_is_proven(generated, corpus):
    assert len(generated) >= 300
    assert check_all(generated, corpus) == []


def test_a_range_is_asked_with_the_condition_of_its_sentence(generated):
    """法典第1169条: 十万至一百万 in general, 二十万至二百万 where the waste is 危险废物 or 污泥, 一百至一千 for an
    individual's household waste: each blank shows the sentence that gives its condition."""
    by_id = {q.id: q for q in generated}
    first, second, third = by_id["gen-fine-code-1169-1-0-0"], by_id["gen-fine-code-1169-2-0-0"], \
        by_id["gen-fine-code-1169-3-0-0"]
    assert first.right_options == ["十万元以上一百万元以下"] and "擅自倾倒" in first.question
    assert second.right_options == ["二十万元以上二百万元以下"] and "危险废物" in second.question
    assert third.right_options == ["一百元以上一千元以下"] and "个人" in third.question
    assert all(BLANK in q.question for q in (first, second, third))


def test_an_item_reference_is_asked_in_the_items_own_words(generated):
    """法典第1175条第二款 names items by number; the question puts the item's words in their place."""
    label = next(q for q in generated if q.id == "gen-fine-code-1175-2-0-1")
    assert "未设置危险废物识别标志" in label.question and label.right_options == ["五万元以上二十万元以下"]
    assert "未设置危险废物识别标志；" in label.proof and any(p.startswith("有前款第一项") for p in label.proof)


def test_distractors_are_of_the_same_kind_and_never_mean_the_same(generated):
    for q in generated:
        canon = [canonical(o) for o in q.options]
        assert len(set(canon)) == len(canon) == 4, q.id
        if q.origin == "generator:fine":
            assert all(amounts(o) and o.endswith("以下") for o in q.options), q.id
        if q.origin == "generator:authority":  # no option is a part of another (partly right)
            parts = [frozenset(o.split("、")) for o in q.options]
            assert not any(a <= b for i, a in enumerate(parts) for j, b in enumerate(parts) if i != j), q.id


def test_generated_ids_are_stable_and_unique(corpus, generated):
    ids = [q.id for q in generated]
    assert len(set(ids)) == len(ids)
    assert [q.id for q in generate(corpus)] == ids  # the same articles give the same questions


# --- the proof catches what a wrong question gets wrong ----------------------------------------------------
def _one(bank, qid):
    return next(q for q in bank if q.id == qid)


def test_the_proof_refuses_a_wrong_right_option(bank, corpus):
    q = _one(bank, "pen-1169-hw")
    wrong = replace(q, answer=(q.options.index("十万元以上一百万元以下"),))
    assert any("not backed" in p for p in check_question(wrong, corpus))


def test_the_proof_refuses_an_excerpt_not_in_the_article(bank, corpus):
    q = _one(bank, "pen-1169-hw")
    assert any("proof not in the cited articles" in p
               for p in check_question(replace(q, proof=("处二十万元以上三百万元以下的罚款",)), corpus))


def test_the_proof_refuses_a_citation_that_does_not_resolve(bank, corpus):
    q = _one(bank, "pen-1169-hw")
    assert any("does not resolve" in p
               for p in check_question(replace(q, cite=(Cite("中华人民共和国生态环境法典", 1169, 4),)), corpus))


def test_the_proof_refuses_a_repealed_law_presented_as_current(bank, corpus):
    q = _one(bank, "map-daqi-99")
    current = replace(q, topic="罚则", question=q.question.replace("原", ""))
    assert any("repealed" in p for p in check_question(current, corpus))


def test_the_proof_refuses_telegram_overflows_and_twin_options(bank, corpus):
    q = _one(bank, "pen-1169-hw")
    long_question = replace(q, question="企" * 301)
    assert any("question has 301" in p for p in check_question(long_question, corpus))
    twins = replace(q, options=("二十万元以上二百万元以下", "20万元以上200万元以下", "一万元", "二万元"), answer=(0,))
    assert any("mean the same" in p for p in check_question(twins, corpus))
    feeds = replace(q, explanation="法典第一千一百六十九条\n一\n二\n三")
    assert any("line feeds" in p for p in check_question(feeds, corpus))


def test_a_false_judge_statement_needs_the_phrase_it_gets_wrong(bank, corpus):
    q = _one(bank, "proc-hearing-judge")
    assert any("truth" in p for p in check_question(replace(q, truth=""), corpus))


def test_the_proofs_limits_are_telegrams():
    from telegram.constants import PollLimit

    from knowledge.quiz import proof

    assert (proof.MAX_QUESTION, proof.MAX_OPTION, proof.MAX_OPTIONS, proof.MAX_EXPLANATION,
            proof.MAX_EXPLANATION_LINE_FEEDS) == (PollLimit.MAX_QUESTION_LENGTH, PollLimit.MAX_OPTION_LENGTH,
                                                  PollLimit.MAX_OPTION_NUMBER, PollLimit.MAX_EXPLANATION_LENGTH,
                                                  PollLimit.MAX_EXPLANATION_LINE_FEEDS)
