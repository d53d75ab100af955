"""BM25, once: the weight formula the article search and the small record indexes share, and `TextIndex`,
the in-memory index of the authored records (免罚清单 items, typical cases).

The article search (knowledge/search.py) precomputes these weights from whoosh's postings; `TextIndex`
computes them over jieba words of a few hundred records kept in dictionaries.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from knowledge.analysis import record_terms, words

T = TypeVar("T")


def idf(n_docs: int, doc_freq: int) -> float:
    return math.log(1 + (n_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def term_weight(tf: float, length: float, average: float, k1: float, b: float) -> float:
    """The saturated, length-normalised term frequency of BM25."""
    return tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average))


class TextIndex(Generic[T]):
    """BM25 over jieba words (domain dictionary, stop words, synonyms) of weighted record fields.

    Queries are expanded with the article synonyms plus the record vocabulary of synonyms.yaml
    (`knowledge.analysis.record_terms`).
    """

    K1 = 1.2
    B = 0.6

    def __init__(self, records: Sequence[T], fields: Callable[[T], dict[str, str]], weights: dict[str, float]):
        self.records = list(records)
        self._tf: list[Counter[str]] = []
        for rec in self.records:
            tf: Counter[str] = Counter()
            for name, text in fields(rec).items():
                w = weights.get(name, 1.0)
                for token in words(text):
                    tf[token] += w
            self._tf.append(tf)
        self._len = [sum(tf.values()) for tf in self._tf]
        self._avg = sum(self._len) / max(len(self._len), 1)
        df: Counter[str] = Counter()
        for tf in self._tf:
            df.update(tf.keys())
        self._idf = {t: idf(len(self._tf), d) for t, d in df.items()}
        self._postings: dict[str, list[int]] = {}
        for i, tf in enumerate(self._tf):
            for t in tf:
                self._postings.setdefault(t, []).append(i)

    def search(self, question: str, k: int = 5) -> list[tuple[T, float]]:
        scores: dict[int, float] = {}
        for term, qw in record_terms(question):
            term_idf = self._idf.get(term)
            if term_idf is None:
                continue
            for i in self._postings[term]:
                weight = term_weight(self._tf[i][term], self._len[i], self._avg, self.K1, self.B)
                scores[i] = scores.get(i, 0.0) + qw * term_idf * weight
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(self.records[i], s) for i, s in ranked[:k]]
