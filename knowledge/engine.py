"""KnowledgeBase: the one object the bot talks to. Loads the corpus, keeps the index fresh, answers.

Contract used by bot/ and handlers/ (keep stable):
    kb = KnowledgeBase.open(data_dir, extra_dirs)      # corpus + index (built only when the corpus changed)
    kb.vectors.build_in_background()                    # semantic layer: lexical answers until it is ready
    result = kb.search("大气法99条", limit=10)          # -> SearchResult
    result.hits: list[Hit]   (knowledge.hits; hit.law, hit.article, hit.score, hit.kind, hit.snippet, hit.paragraph, hit.item)
    result.notice: str | None   (a Chinese sentence for the officer: article does not exist, ambiguous law …)
    kb.corpus.article(law_name, number) -> Article | None
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from whoosh import index as whoosh_index

from knowledge import rerank, texts
from knowledge.citations_glue import cited_hits
from knowledge.corpus import load_corpus
from knowledge.hits import Hit, SearchResult
from knowledge.index import build, is_fresh
from knowledge.search import Searcher
from knowledge.semantic import SemanticIndex


class KnowledgeBase:
    """The corpus, its index and the searcher, opened once per process."""

    def __init__(self, corpus, searcher, index_build_seconds: float | None = None,
                 vectors: SemanticIndex | None = None):
        self.corpus = corpus
        self.searcher = searcher
        self.index_build_seconds = index_build_seconds
        self.vectors = vectors  # None: lexical only (semantic=False)
        self._embedding = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-vector")

    @classmethod
    def open(cls, data_dir, extra_dirs=(), rebuild: bool = False, semantic: bool = True) -> KnowledgeBase:
        """Load the corpus (database + imports under data_dir + extra_dirs) and open a fresh index; the
        semantic vectors are loaded from their cache when present (`kb.vectors.build…` makes them)."""
        data_dir = Path(data_dir)
        corpus = load_corpus(data_dir, extra_dirs)
        index_dir = data_dir / "index"
        built = None
        if rebuild or not is_fresh(index_dir, corpus):
            built = build(index_dir, corpus)
        vectors = SemanticIndex(data_dir / "vectors", corpus) if semantic else None
        kb = cls(corpus, Searcher(corpus, whoosh_index.open_dir(index_dir)), built, vectors)
        kb.search("大气法99条对应法典哪条")  # warm-up: law-name resolver and old→Code map load now, not on a user
        return kb

    def search(self, query: str, limit: int = 10) -> SearchResult:
        """Never raises on user text: a citation answers first, then ranked articles, else a hint."""
        started = time.perf_counter()
        query = (query or "").strip()
        result = SearchResult(query=query)
        if not query:
            result.notice = texts.EMPTY_QUERY
            return result
        cited = self._cited(query, result)
        # a cited article that does not exist gets its notice only: ranked guesses after "没有第二千条" mislead
        # a deeper ranking is only needed to order several Code successors by the question's words
        depth = max(limit, 30) if sum(h.kind == "successor" for h in cited) > 1 else limit
        hits = [] if result.notice else self._ranked(query, depth)
        cited = _order_successors(cited, hits)
        seen = {(h.law.law_id, h.article.number) for h in cited}
        result.hits = (cited + [h for h in hits if (h.law.law_id, h.article.number) not in seen])[:limit]
        if not result.hits and not result.notice:
            result.notice = texts.NOTHING_FOUND
        result.ms = (time.perf_counter() - started) * 1000
        return result

    def _ranked(self, query: str, depth: int) -> list[Hit]:
        """Lexical, and both sides ranked together (knowledge.rerank) once the vectors are ready."""
        if self.vectors is None or not self.vectors.ready:
            return self.searcher.ranked(query, depth)
        # the query's vector is computed beside the lexical search (the engine releases the GIL)
        semantic = self._embedding.submit(self.vectors.ranking, self.searcher.for_vectors(query),
                                          rerank.SEMANTIC_DEPTH)
        terms = self.searcher.terms(query)
        lexical = self.searcher.scored(query, rerank.LEXICAL_DEPTH, terms)
        hits = rerank.rank(query, terms, lexical, semantic.result(), self.searcher, depth)
        return self.searcher.add_snippets(hits, terms)

    def _cited(self, query: str, result: SearchResult) -> list[Hit]:
        """Articles the query cites directly (via knowledge.citations)."""
        return cited_hits(self.corpus, query, result)


def _order_successors(cited: list[Hit], ranked: list[Hit]) -> list[Hit]:
    """Several Code articles may carry one old article; the question's own words decide their order."""
    successors = [h for h in cited if h.kind == "successor"]
    if len(successors) < 2:
        return cited
    position = {(h.law.law_id, h.article.number): i for i, h in enumerate(ranked)}
    ordered = iter(sorted(successors, key=lambda h: position.get((h.law.law_id, h.article.number), len(ranked))))
    return [next(ordered) if h.kind == "successor" else h for h in cited]
