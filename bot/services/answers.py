"""Answers: search through the knowledge base, keep result lists for paging, find related articles."""

from __future__ import annotations

import asyncio
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from knowledge.cnnum import cn_to_int
from knowledge.hits import Hit, SearchResult
from knowledge.model import Article, Law

RESULT_LIMIT = 10
_REF = re.compile(r"(?<![》])本法第([一二三四五六七八九十百千零两〇0-9]+)条")


@dataclass
class ResultSet:
    token: str
    query: str
    hits: list[Hit]
    notice: str | None


class AnswerService:
    """Wraps the KnowledgeBase. Searches run in a worker thread so the event loop keeps serving others."""

    def __init__(self, kb, cache_size: int = 2000):
        self.kb = kb
        self._lock = threading.Lock()  # the search index is not assumed to be thread-safe
        self._results: OrderedDict[str, ResultSet] = OrderedDict()
        self._cache_size = cache_size

    def _search(self, query: str, limit: int) -> SearchResult:
        with self._lock:
            return self.kb.search(query, limit=limit)

    async def search(self, query: str, limit: int = RESULT_LIMIT) -> ResultSet:
        result = await asyncio.to_thread(self._search, query, limit)
        rs = ResultSet(secrets.token_urlsafe(6), query, list(result.hits), result.notice)
        self._results[rs.token] = rs
        while len(self._results) > self._cache_size:
            self._results.popitem(last=False)
        return rs

    def results(self, token: str) -> ResultSet | None:
        """A recent result set (None after a restart or when evicted: the officer asks again)."""
        rs = self._results.get(token)
        if rs is not None:
            self._results.move_to_end(token)
        return rs

    def article(self, law_id: str, number: int) -> tuple[Law, Article] | None:
        law = self.kb.corpus.laws.get(law_id)
        article = law.articles.get(number) if law else None
        return (law, article) if law and article else None

    def related(self, law_id: str, number: int, limit: int = 8) -> list[tuple[Law, Article]]:
        """Articles this one refers to (本法第X条), then its neighbours in the same law."""
        found = self.article(law_id, number)
        if not found:
            return []
        law, article = found
        numbers: list[int] = []
        for m in _REF.finditer(article.text):
            n = cn_to_int(m.group(1))
            if n and n != number and n in law.articles and n not in numbers:
                numbers.append(n)
        for n in (number - 1, number + 1):
            if n in law.articles and n not in numbers:
                numbers.append(n)
        return [(law, law.articles[n]) for n in numbers[:limit]]
