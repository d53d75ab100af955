"""Ranked search: a parsed citation answers first; then BM25F over headings/text, re-ranked for officers.

Re-ranking: current law above repealed law for the same rule, national law above local and lower-level
documents, and for situation questions (违法 + 怎么罚/罚多少/处罚) the 法律责任 articles first.
"""

from __future__ import annotations

import heapq
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from knowledge.analysis import (
    STOP_WORDS,
    expand,
    is_penalty_question,
    query_tokens,
    states_period,
    tokenizer,
    words,
)
from knowledge.bm25 import idf, term_weight
from knowledge.corpus import Corpus
from knowledge.hits import Hit
from knowledge.index import article_key, parse_item_key
from knowledge.liability import is_liability
from knowledge.model import CODE_NAME, STATUS_REPEALED, Article, Law
from knowledge.typos import Corrector

MAX_QUERY_CHARS = 300  # officers type short questions; longer input is cut, never rejected
# National law first; subordinate documents repeat its rules in more words and would otherwise crowd it out.
LEVEL_WEIGHT = {"法律": 1.0, "行政法规": 0.75, "部门规章": 0.7, "司法解释": 0.75, "规范性文件": 0.5, "地方性法规": 0.6}
CODE_WEIGHT = 1.5  # since 2026-08-15 the Code carries the rule; regulations and old laws repeat it in more words
REPEALED_WEIGHT = 0.7
# The procedure laws every enforcement case runs on. Procedure questions ("几天内申请听证", "多久作出决定")
# share their words with permit, police and rule-making texts; for this bot's officers these four answer.
PROCEDURE_LAWS = frozenset(
    "中华人民共和国" + n for n in ("行政处罚法", "行政强制法", "行政复议法", "行政诉讼法")
)
PROCEDURE_LAW_WEIGHT = 1.4
PENALTY_WEIGHT = 2.5
# "几天内 / 多久" questions want the article that states the period, not its neighbours that name the
# same procedure (dev: any weight 1.2–1.7 gives the same ranking; procedure MRR 0.737 → 0.772).
PERIOD_WEIGHT = 1.3
_FIELDS = (("text", 1.0), ("headings", 1.0), ("lawname", 1.0))


def _repealed_citation(corpus: Corpus) -> re.Pattern | None:
    """Matches a citation of an article of a repealed law that no current law shares a name with
    (大气污染防治法第九十九条 — not 行政处罚法第三十六条, whose older versions are marked repealed too)."""
    current = {law.name for law in corpus.laws.values() if law.is_current}
    names = {law.name for law in corpus.laws.values() if law.status == STATUS_REPEALED} - current
    variants = sorted({v for name in names for v in (name, name.removeprefix("中华人民共和国"))}, key=len, reverse=True)
    if not variants:
        return None
    return re.compile("(?:" + "|".join(map(re.escape, variants)) + r")》?第[零一二三四五六七八九十百千\d]+条")


@dataclass
class Doc:
    """A searchable article with its query-independent weights."""

    law: Law
    article: Article
    prior: float  # query-independent weight
    liability: bool
    period: bool  # states a period


@dataclass
class Scored:
    """One article's lexical match: its own BM25 (weighted for officers), the share of the question's word
    weight it contains, and its best 项 document, when it has items."""

    doc: Doc
    base: float  # BM25 of the article document
    score: float  # base times the question's weights (the lexical ranking's order)
    coverage: float  # 0..1: idf-weighted share of the question's terms the article contains
    item_base: float = 0.0  # BM25 of its best 项 document
    paragraph: int | None = None  # that 项
    item: int | None = None

    @property
    def key(self) -> tuple[str, int]:
        return self.doc.law.law_id, self.doc.article.number

    @property
    def item_wins(self) -> bool:
        """Its best 项 matches better than the whole article: a hit names that 项."""
        return self.item_base > self.base


class Searcher:
    """BM25 over the whoosh index's postings, held in memory for millisecond queries.

    whoosh stores and analyses; at open, each term's postings are turned once into precomputed BM25
    weights (per field, with field boosts), so a query is a few sparse additions instead of a whoosh
    query tree walk (which took 30-150 ms per question here).

    The index holds two kinds of documents: articles, and the 项 of multi-item 罚则 articles
    (knowledge.index.item_documents). Each kind is normalised against its own kind's lengths, and idf counts
    articles only, so an article's score does not depend on whether its neighbours have items.
    """

    K1 = 1.2
    B = 0.5  # milder length normalisation: 罚则 articles with many 项 are long but precise

    def __init__(self, corpus: Corpus, index):
        self.corpus = corpus
        # `terms` and `for_vectors` both need a question's typo corrections: computed once per question
        self._corrections = lru_cache(maxsize=256)(self._correct)
        docs_by_key: dict[str, Doc] = {}
        quotes_repealed = _repealed_citation(corpus)
        for law, article in corpus.search_articles():
            prior = LEVEL_WEIGHT.get(law.level, 0.8) * (1.0 if law.is_current else REPEALED_WEIGHT)
            if law.is_current and law.level != "法律" and quotes_repealed and quotes_repealed.search(article.text):
                prior *= REPEALED_WEIGHT  # a 复函 or rule applying a repealed law: the Code now carries the rule
            if law.name == CODE_NAME:
                prior *= CODE_WEIGHT
            elif law.name in PROCEDURE_LAWS:
                prior *= PROCEDURE_LAW_WEIGHT
            docs_by_key[article_key(law.law_id, article.number)] = Doc(
                law, article, prior, is_liability(article), states_period(article.text)
            )
        self._by_key = docs_by_key
        with index.reader() as reader:
            self._docs: list[Doc | None] = []  # article documents, by whoosh document number
            self._items: dict[int, tuple[int, int, int]] = {}  # 项 document → (article document, 款, 项)
            self._item_doc: dict[tuple[int, int, int], int] = {}  # and back
            self._clauses: dict[int, frozenset[str]] = {}  # document → words of its opening clause
            article_doc: dict[str, int] = {}
            pending: list[tuple[int, str]] = []
            for number, fields in reader.iter_docs():
                key = fields.get("key", "")
                self._clauses[number] = frozenset((fields.get("clause") or "").split())
                while len(self._docs) <= number:
                    self._docs.append(None)
                if parse_item_key(key) is None:
                    self._docs[number] = docs_by_key.get(key)
                    article_doc[key] = number
                else:
                    pending.append((number, key))
            for number, key in pending:
                law_id, article, paragraph, item = parse_item_key(key)
                owner = article_doc.get(article_key(law_id, article))
                if owner is not None and self._docs[owner] is not None:
                    self._items[number] = (owner, paragraph, item)
                    self._item_doc[owner, paragraph, item] = number
            self._article_doc = article_doc
            self._postings, self._idf = self._load_postings(reader)

    def _load_postings(self, reader) -> tuple[dict[str, tuple[list[int], list[float]]], dict[str, float]]:
        boosts = dict(_FIELDS)
        n_all = reader.doc_count_all()
        is_item = [d in self._items for d in range(n_all)]
        n_articles = max(n_all - sum(is_item), 1)
        lengths = {field: [reader.doc_field_length(d, field) or 0 for d in range(n_all)] for field in boosts}
        average: dict[tuple[str, bool], float] = {}
        for field, ls in lengths.items():
            for kind in (False, True):
                chosen = [n for n, item in zip(ls, is_item, strict=True) if item is kind]
                average[field, kind] = (sum(chosen) / len(chosen)) if chosen and sum(chosen) else 1.0
        merged: dict[str, dict[int, float]] = {}
        article_df: dict[str, set[int]] = {}
        raw: list[tuple[str, str, list[tuple[int, float]]]] = []
        for field, term in reader.all_terms():
            if field not in boosts:
                continue
            word = term.decode("utf-8") if isinstance(term, bytes) else term
            postings = list(reader.postings(field, term).items_as("frequency"))
            raw.append((field, word, postings))
            article_df.setdefault(word, set()).update(d for d, _ in postings if not is_item[d])
        term_idf = {word: idf(n_articles, len(docs)) for word, docs in article_df.items()}
        for field, word, postings in raw:
            target = merged.setdefault(word, {})
            field_lengths, boost = lengths[field], boosts[field]
            for doc, tf in postings:
                weight = term_weight(tf, field_lengths[doc], average[field, is_item[doc]], self.K1, self.B)
                target[doc] = target.get(doc, 0.0) + boost * term_idf[word] * weight
        return {term: (list(w), list(w.values())) for term, w in merged.items()}, term_idf

    def close(self) -> None:
        self._postings.clear()

    @cached_property
    def corrector(self) -> Corrector:
        """Typo correction against the words the indexed articles use (built on first use, about a second)."""
        return Corrector({word: len(docs) for word, (docs, _) in self._postings.items()},
                         segment=tokenizer().lcut, stop_words=STOP_WORDS)

    def clause_coverage(self, key: tuple[str, int], terms, paragraph: int | None = None,
                        item: int | None = None) -> float:
        """The idf-weighted share of the article's (or its 项's) opening clause — the conduct it is about — that
        the question's terms cover: 超标排放废气 covers the general rule's 超过污染物排放标准…排放污染物, not
        the clause of an article on importing vehicles that also mentions the standard."""
        number = self._article_doc.get(article_key(*key))
        if number is not None and item is not None:
            number = self._item_doc.get((number, paragraph, item))
        clause = self._clauses.get(number, frozenset()) if number is not None else frozenset()
        total = sum(self._idf.get(w, 0.0) for w in clause)
        if not total:
            return 0.0
        asked = {w for w, _ in terms}
        return sum(self._idf.get(w, 0.0) for w in clause if w in asked) / total

    def doc(self, law_id: str, number: int) -> Doc | None:
        return self._by_key.get(article_key(law_id, number))

    @staticmethod
    def add_snippets(hits: list[Hit], terms: list[tuple[str, float]]) -> list[Hit]:
        for hit in hits:
            if not hit.snippet:
                hit.snippet = snippet(hit.article, terms)
        return hits

    def weigher(self, query: str, terms: list[tuple[str, float]] | None = None) -> Callable[[str, int], float]:
        """What the ranking multiplies an article's match by for this question (prior, 罚则, period), for
        another ranking (the semantic one) to order its candidates the same way; 0 for unknown articles."""
        weigh = self._weigher(query, self.terms(query) if terms is None else terms)
        return lambda law_id, number: weigh(doc) if (doc := self.doc(law_id, number)) else 0.0

    @staticmethod
    def _weigher(query: str, terms: list[tuple[str, float]]) -> Callable[[Doc], float]:
        penalty = is_penalty_question(query)
        period = any(word == "sigperiod" for word, _ in terms)

        def weigh(doc: Doc) -> float:
            weight = doc.prior
            if penalty and doc.liability:
                weight *= PENALTY_WEIGHT
            if period and doc.period:
                weight *= PERIOD_WEIGHT
            return weight

        return weigh

    def for_vectors(self, query: str) -> str:
        """The question as the semantic side reads it: its typos' corrections appended (复意 → 复议), so the
        model sees the statute's word as well as the slip."""
        query = query[:MAX_QUERY_CHARS]
        fixed = self._corrections(query)
        return f"{query}（{'、'.join(fixed)}）" if fixed else query

    def _correct(self, query: str) -> tuple[str, ...]:
        return tuple(self.corrector.corrections(query))

    def terms(self, query: str) -> list[tuple[str, float]]:
        """The weighted words a question is searched by: its own, its typos corrected, their synonyms."""
        query = query[:MAX_QUERY_CHARS]
        tokens = query_tokens(query)
        for correction in self._corrections(query):
            tokens += words(correction)
        return expand(tokens)

    def scored(self, query: str, limit: int, terms: list[tuple[str, float]] | None = None) -> list[Scored]:
        """The best `limit` articles by their weighted match, article and 项 documents alike: an article
        whose 项 matches better than the whole counts by that 项."""
        query = query[:MAX_QUERY_CHARS]
        terms = self.terms(query) if terms is None else terms
        scores: dict[int, float] = {}
        covered: dict[int, float] = {}
        total = sum(weight * self._idf.get(word, 0.0) for word, weight in terms) or 1.0
        for word, weight in terms:
            postings = self._postings.get(word)
            if not postings:
                continue
            share = weight * self._idf[word] / total
            for doc, w in zip(*postings):
                scores[doc] = scores.get(doc, 0.0) + weight * w
                covered[doc] = covered.get(doc, 0.0) + share
        items: dict[int, tuple[float, int, int]] = {}
        for doc, base in scores.items():
            owner = self._items.get(doc)
            if owner is not None and base > items.get(owner[0], (0.0, 0, 0))[0]:
                items[owner[0]] = (base, owner[1], owner[2])
        weigh = self._weigher(query, terms)
        ranked: list[tuple[float, int]] = []
        for number in set(scores) | set(items):
            doc = self._docs[number] if number < len(self._docs) else None
            if doc is not None:
                ranked.append((max(scores.get(number, 0.0), items.get(number, (0.0,))[0]) * weigh(doc), number))
        found = []
        for score, number in heapq.nlargest(limit, ranked):
            item_base, paragraph, item = items.get(number, (0.0, None, None))
            found.append(Scored(self._docs[number], scores.get(number, 0.0), score,
                                min(covered.get(number, 0.0), 1.0), item_base, paragraph, item))
        return found

    def ranked(self, query: str, limit: int = 10, terms: list[tuple[str, float]] | None = None,
               snippets: bool = True) -> list[Hit]:
        """The best `limit` articles; `terms` when the caller has them already, `snippets` False when the
        caller will cut the list further (snippets are the costly part of a long list). A hit names the 项
        whose document outscored the article's own."""
        terms = self.terms(query[:MAX_QUERY_CHARS]) if terms is None else terms
        if not terms:
            return []
        hits = []
        for s in self.scored(query, limit, terms):
            hit = Hit(s.doc.law, s.doc.article, round(s.score, 4))
            if s.item_wins:
                hit.paragraph, hit.item = s.paragraph, s.item
            hits.append(hit)
        return self.add_snippets(hits, terms) if snippets else hits


def snippet(article: Article, terms: list[tuple[str, float]], width: int = 80) -> str:
    """The first line of the article that contains a query word, cut to `width` characters."""
    text = article.text
    words = sorted((w for w, _ in terms), key=len, reverse=True)
    for line in text.split("\n"):
        for word in words:
            pos = line.find(word)
            if pos >= 0:
                start = max(0, pos - width // 3)
                piece = line[start:start + width]
                return ("…" if start else "") + piece + ("…" if start + width < len(line) else "")
    return text[:width] + ("…" if len(text) > width else "")


def timed(fn, *args, **kwargs) -> tuple[object, float]:
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, (time.perf_counter() - started) * 1000
