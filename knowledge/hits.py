"""What a search returns: hits (an article, how it was found, a snippet) and the result around them."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.model import Article, Law


@dataclass
class Hit:
    law: Law
    article: Article
    score: float
    kind: str = "article"  # "citation" when the query cited this article directly; "successor": old → Code
    snippet: str = ""
    paragraph: int | None = None  # 款 / 项 the citation named, if any
    item: int | None = None
    confidence: float = 1.0  # for successor hits: how sure the old → Code map is


@dataclass
class SearchResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    notice: str | None = None  # e.g. 《大气污染防治法》共一百二十九条，没有第一百三十条
    ms: float = 0.0
