"""Bridge from the citation parser to search hits (the parser lives in knowledge.citations)."""

from __future__ import annotations

from knowledge.corpus import Corpus
from knowledge.engine import Hit, SearchResult


def cited_hits(corpus: Corpus, query: str, result: SearchResult) -> list[Hit]:
    try:
        from knowledge import citations
    except ImportError:  # parser not installed yet
        return []
    return citations_to_hits(corpus, query, result, citations)


def citations_to_hits(corpus, query, result, citations) -> list[Hit]:  # replaced once the parser lands
    return []
