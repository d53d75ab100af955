"""Citations and the old → Code map, turned into search hits that rank before everything else.

- "大气法99条", "法典1107条罚多少": the cited article itself (or a notice when it does not exist).
- "原大气法第99条在法典里对应哪条", "以前按水污染防治法83条处罚 法典施行后按哪条": the Code articles that now
  carry the repealed rule, then the old article.
"""

from __future__ import annotations

from knowledge import citations, texts
from knowledge.analysis import cues
from knowledge.corpus import Corpus
from knowledge.hits import Hit, SearchResult
from knowledge.mapping import is_confident, successors
from knowledge.model import CODE_NAME

CITATION_SCORE = 1000.0
SUCCESSOR_SCORE = 900.0


def cited_hits(corpus: Corpus, query: str, result: SearchResult) -> list[Hit]:
    resolver = citations.resolver_for(corpus)
    cited = citations.parse_query(query, resolver)
    if cited is not None:
        problem = citations.check_exists(cited, corpus)
        if problem:
            result.notice = problem
            return []
        hit = _hit(corpus, cited.law_name, cited.article, CITATION_SCORE, "citation")
        if hit:
            hit.paragraph, hit.item = cited.paragraph, cited.item
            return [hit, *_successor_hits(corpus, cited.law_name, cited.article, cited.item)]
        return []
    if not any(cue in query for cue in cues()["mapping"]):
        return []
    hits: list[Hit] = []
    for mention in citations.find_citations(query, resolver):
        if mention.law_name is None:
            continue
        successors = _successor_hits(corpus, mention.law_name, mention.article, mention.item)
        if successors:
            old = _hit(corpus, mention.law_name, mention.article, SUCCESSOR_SCORE - 1, "citation")
            hits += successors + ([old] if old else [])
    return hits


def _successor_hits(corpus: Corpus, law_name: str, article: int, item: int | None) -> list[Hit]:
    law = corpus.law(law_name)
    if law is None or law.is_current:
        return []
    hits = []
    found = successors(law.name, article, item)
    line = texts.SUCCESSOR_SNIPPET if is_confident(found) else texts.CANDIDATE_SNIPPET
    for rank, (number, confidence) in enumerate(found):
        hit = _hit(corpus, CODE_NAME, number, SUCCESSOR_SCORE - rank * 0.01, "successor")
        if hit:
            hit.snippet = line.format(law=law.short_name, article=article, confidence=confidence)
            hit.confidence = confidence
            hits.append(hit)
    return hits


def _hit(corpus: Corpus, law_name: str | None, number: int, score: float, kind: str) -> Hit | None:
    law = corpus.law(law_name) if law_name else None
    article = law.articles.get(number) if law else None
    if article is None:
        return None
    return Hit(law, article, score, kind=kind, snippet=article.text.split("\n", 1)[0][:80])
