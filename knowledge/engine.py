"""KnowledgeBase: the one object the bot talks to. Loads the corpus, keeps the index fresh, answers.

Contract used by bot/ and handlers/ (keep stable):
    kb = KnowledgeBase.open(data_dir, extra_dirs)      # corpus + index (built only when the corpus changed)
    result = kb.search("大气法99条", limit=10)          # -> SearchResult
    result.hits: list[Hit]   (hit.law, hit.article, hit.score, hit.kind, hit.snippet, hit.paragraph, hit.item)
    result.notice: str | None   (a Chinese sentence for the officer: article does not exist, ambiguous law …)
    kb.corpus.article(law_name, number) -> Article | None
"""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.model import Article, Law


@dataclass
class Hit:
    law: Law
    article: Article
    score: float
    kind: str = "article"  # "citation" when the query cited this article directly
    snippet: str = ""
    paragraph: int | None = None  # 款 / 项 the citation named, if any
    item: int | None = None


@dataclass
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    notice: str | None = None  # e.g. 《大气污染防治法》共一百二十九条，没有第一百三十条
    ms: float = 0.0
