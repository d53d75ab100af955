"""Hybrid ranking: the lexical candidates (knowledge.search) and the semantic ones (knowledge.semantic) scored
together by a linear model over general signals of a match — ranks and scores on both sides, how much of the
question's word weight an article holds, whether its best 项 outscores it, the kind of law, and whether the
article is of the kind the question asks for (罚则 for 怎么罚, a period for 几天, a definition for 什么是).

The weights in knowledge/data/rerank.json are fitted by scripts/train_rerank.py on our own officer-worded
questions (bench/questions), never on ../shared/eval, and checked there by cross-validation over held-out
*articles* (a question's gold article never in its training folds), so what they learn is how a right answer
looks in general, not which article answers which question. No feature names an article or a word.

Citations and old → Code hits never come here: the engine puts them first by their kind.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from knowledge.analysis import cues, is_penalty_question
from knowledge.corpus import data_file
from knowledge.hits import Hit
from knowledge.model import CODE_NAME
from knowledge.search import PROCEDURE_LAWS, Doc, Scored, Searcher
from knowledge.semantic import SemanticRanking

WEIGHTS_FILE = "rerank.json"
LEXICAL_DEPTH = 100  # lexical candidates
SEMANTIC_DEPTH = 50  # semantic candidates
RANK_K = 20  # reciprocal-rank features: 1 / (RANK_K + rank)
VOTE_DEPTH = 10  # the first candidates of each side that vote for their chapter/section
NO_VECTOR_GAP = 0.3  # the cosine gap given to an article without a vector (regulations, rules, local law)

FEATURES = (
    "lexical_rank",            # 1 / (K + rank) in the lexical ranking, 0 when not found there
    "lexical_relative",        # its weighted lexical score over the best one's
    "lexical_found",
    "semantic_rank",           # 1 / (K + rank) among all embedded articles, 0 without a vector
    "cosine",                  # best unit's cosine (article, 款 or 项), 0 without a vector
    "cosine_gap",              # best cosine of all minus this one
    "no_vector",
    "log_weight",              # log of the lexical ranking's weights (level, current, Code, 罚则, period)
    "penalty_liability",       # a 怎么罚 question and a 罚则 article
    "period_states_period",    # a 几天/多久 question and an article stating a period
    "concept_defines",         # a 什么是 question and an article defining terms
    "code",
    "procedure_law",
    "log_length",
    "liability",
    "penalty_code_liability",  # a 怎么罚 question and a 罚则 article of the Code
    "log_lexical",             # log(1 + BM25)
    "long_lexical_rank",       # question length (to 200 characters, /100) times lexical_rank
    "long_cosine",             # question length times cosine: long rambling questions trust the vectors more
    "current",
    "national_law",
    "coverage",                # idf-weighted share of the question's terms the article contains
    "item_relative",           # its best 项 document's BM25 over the best lexical score
    "item_wins",               # that 项 outscores the whole article
    "procedure_procedure_law",  # a procedure question and one of the four procedure laws
    "penalty_code",
    "coverage_squared",
    "semantic_section_vote",   # share of the semantic side's first candidates in the same chapter/section
    "lexical_section_vote",
    "clause_coverage",         # share of the article's (or its matched 项's) opening clause the question covers
)


@dataclass(frozen=True)
class Question:
    """What the features need to know about the question."""

    text: str
    penalty: bool  # a situation question (the lexical ranking's 罚则 weight applies)
    period: bool
    concept: bool
    procedure: bool

    @classmethod
    def of(cls, text: str, terms: Sequence[tuple[str, float]]) -> Question:
        words = {w for w, _ in terms}
        return cls(text, is_penalty_question(text), "sigperiod" in words, "sigdefine" in words,
                   any(cue in text for cue in cues()["procedure"]))


@dataclass
class Candidate:
    key: tuple[str, int]
    doc: Doc
    lexical: Scored | None
    lexical_rank: int | None
    semantic_rank: int | None
    paragraph: int | None = None  # the 项 the semantic side named
    item: int | None = None


def candidates(lexical: list[Scored], semantic: SemanticRanking, searcher: Searcher) -> list[Candidate]:
    """Both sides' candidates, once each; semantic finds the searcher does not know are dropped."""
    found: dict[tuple[str, int], Candidate] = {}
    for rank, scored in enumerate(lexical):
        found[scored.key] = Candidate(scored.key, scored.doc, scored, rank, semantic.rank.get(scored.key))
    for rank, hit in enumerate(semantic.hits):
        key = (hit.law_id, hit.article)
        if key not in found:
            doc = searcher.doc(*key)
            if doc is None:
                continue
            found[key] = Candidate(key, doc, None, None, rank)
        found[key].semantic_rank = semantic.rank.get(key, rank)
        found[key].paragraph, found[key].item = hit.paragraph, hit.item
    return list(found.values())


def _item_of(c: Candidate) -> tuple[int | None, int | None]:
    """The 项 that matched: the lexical side's best 项 document, else the one the semantic side named."""
    if c.lexical and c.lexical.item_base > 0:
        return c.lexical.paragraph, c.lexical.item
    return c.paragraph, c.item


def features(question: Question, found: list[Candidate], semantic: SemanticRanking, searcher: Searcher,
             weigh, terms: Sequence[tuple[str, float]]) -> np.ndarray:
    """One row of FEATURES per candidate."""
    top_lexical = max((c.lexical.score for c in found if c.lexical), default=0.0) or 1.0
    length = min(len(question.text), 200) / 100

    def where(c: Candidate) -> tuple:
        return c.key[0], c.doc.article.chapter, c.doc.article.section

    by_semantic = sorted((c for c in found if c.semantic_rank is not None), key=lambda c: c.semantic_rank)
    by_lexical = sorted((c for c in found if c.lexical_rank is not None), key=lambda c: c.lexical_rank)
    semantic_votes = Counter(where(c) for c in by_semantic[:VOTE_DEPTH])
    lexical_votes = Counter(where(c) for c in by_lexical[:VOTE_DEPTH])
    rows = []
    for c in found:
        doc, law = c.doc, c.doc.law
        scored = c.lexical
        cosine = semantic.cosine.get(c.key)
        lexical_rank = 1 / (RANK_K + c.lexical_rank + 1) if c.lexical_rank is not None else 0.0
        coverage = scored.coverage if scored else 0.0
        is_code, is_procedure = law.name == CODE_NAME, law.name in PROCEDURE_LAWS
        values = {
            "lexical_rank": lexical_rank,
            "lexical_relative": scored.score / top_lexical if scored else 0.0,
            "lexical_found": float(scored is not None),
            "semantic_rank": 1 / (RANK_K + c.semantic_rank + 1) if c.semantic_rank is not None else 0.0,
            "cosine": cosine or 0.0,
            "cosine_gap": semantic.top - cosine if cosine is not None else NO_VECTOR_GAP,
            "no_vector": float(cosine is None),
            "log_weight": math.log(max(weigh(*c.key), 1e-3)),
            "penalty_liability": float(question.penalty and doc.liability),
            "period_states_period": float(question.period and doc.period),
            "concept_defines": float(question.concept and ("是指" in doc.article.text or "所称" in doc.article.text)),
            "code": float(is_code),
            "procedure_law": float(is_procedure),
            "log_length": math.log(len(doc.article.text) + 10) / 7,
            "liability": float(doc.liability),
            "penalty_code_liability": float(question.penalty and doc.liability and is_code),
            "log_lexical": math.log1p(scored.base) if scored else 0.0,
            "long_lexical_rank": length * lexical_rank,
            "long_cosine": length * (cosine or 0.0),
            "current": float(law.is_current),
            "national_law": float(law.level == "法律"),
            "coverage": coverage,
            "item_relative": scored.item_base / top_lexical if scored else 0.0,
            "item_wins": float(bool(scored) and scored.item_wins),
            "procedure_procedure_law": float(question.procedure and is_procedure),
            "penalty_code": float(question.penalty and is_code),
            "coverage_squared": coverage * coverage,
            "semantic_section_vote": semantic_votes[where(c)] / VOTE_DEPTH,
            "lexical_section_vote": lexical_votes[where(c)] / VOTE_DEPTH,
            "clause_coverage": max(searcher.clause_coverage(c.key, terms),
                                   searcher.clause_coverage(c.key, terms, *_item_of(c))),
        }
        rows.append([values[name] for name in FEATURES])
    return np.array(rows, dtype=np.float64).reshape(len(found), len(FEATURES))


KINDS = ("situation", "other")  # a situation question (the 罚则 article first), and every other: each kind
#                                 has weights of its own


def kind_of(question: Question) -> str:
    return "situation" if question.penalty else "other"


@cache
def weights() -> dict[str, np.ndarray]:
    data = json.loads(data_file(WEIGHTS_FILE).read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES or set(data["weights"]) != set(KINDS):
        raise ValueError("rerank.json was fitted for other features: run scripts/train_rerank.py")
    return {kind: np.array(w, dtype=np.float64) for kind, w in data["weights"].items()}


def rank(query: str, terms: Sequence[tuple[str, float]], lexical: list[Scored], semantic: SemanticRanking,
         searcher: Searcher, limit: int, w: np.ndarray | None = None) -> list[Hit]:
    """The candidates of both sides in the model's order, as hits naming the 项 that matched."""
    found = candidates(lexical, semantic, searcher)
    if not found:
        return []
    question = Question.of(query, terms)
    scores = features(question, found, semantic, searcher, searcher.weigher(query, list(terms)), terms) @ (
        weights()[kind_of(question)] if w is None else w)
    order = np.argsort(-scores, kind="stable")[:limit]
    hits = []
    for i in order:
        c = found[i]
        hit = Hit(c.doc.law, c.doc.article, round(float(scores[i]), 5))
        hit.paragraph, hit.item = _named_item(c)
        hits.append(hit)
    return hits


def _named_item(c: Candidate) -> tuple[int | None, int | None]:
    """The 项 a hit names: the one whose document outscored the article on the lexical side, or the one the
    semantic side clearly preferred; none when the two sides name different ones (own set: a named 项 is
    right 89 % of the time: 271 of 305)."""
    lexical = (c.lexical.paragraph, c.lexical.item) if c.lexical and c.lexical.item_wins else None
    semantic = (c.paragraph, c.item) if c.item is not None else None
    if lexical and semantic and lexical != semantic:
        return None, None
    return lexical or semantic or (None, None)


def fit(matrices: list[np.ndarray], gold: list[list[int]], l2: float = 1e-3, epochs: int = 400,
        rate: float = 0.05) -> np.ndarray:
    """Weights that make the gold candidates likely under a softmax over each question's candidates (a
    listwise loss: what matters is the gold article's place among the others). Features are standardised
    while fitting (Adam, L2) and the weights returned for the raw features."""
    stacked = np.vstack(matrices)
    mean, spread = stacked.mean(0), stacked.std(0) + 1e-6
    scaled = [(m - mean) / spread for m in matrices]
    w = np.zeros(stacked.shape[1])
    first, second = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, epochs + 1):
        grad = np.zeros_like(w)
        for m, g in zip(scaled, gold, strict=True):
            s = m @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            target = np.zeros(len(s))
            target[g] = 1 / len(g)
            grad += m.T @ (p - target)
        grad = grad / len(scaled) + l2 * w
        first = 0.9 * first + 0.1 * grad
        second = 0.999 * second + 0.001 * grad**2
        w -= rate * (first / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
    return w / spread
