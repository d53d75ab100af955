"""Hybrid ranking: the lexical ranking (knowledge.search) and the semantic one (knowledge.semantic) fused by
reciprocal rank. Ranks, not score values, are combined: BM25 scores and cosines live on different scales,
and a rank fusion needs no calibration that would fit one question set.

Citations and old → Code hits never enter the fusion: the engine puts them first by their kind.
The semantic list is ordered by cosine times the weights the lexical ranking gives the same articles for the
same question (the Code first, the procedure laws for procedure, the 罚则 articles for a situation
question), so that both sides answer the same kind of question.
"""

from __future__ import annotations

from collections.abc import Callable

from knowledge.hits import Hit
from knowledge.semantic import SemanticHit

K = 20  # below the usual 60: the first few ranks of each side decide; a long tail of middling ranks on both
#        sides must not overtake what one side ranks first (own set MRR 0.568 → 0.564, dev Hit@5 0.95 → 0.97)
SEMANTIC_WEIGHT = 0.7  # e5-small's cosines separate articles less sharply than BM25 separates them
DEPTH = 50  # lexical candidates
SEMANTIC_DEPTH = 20  # semantic candidates, after they are ordered by the lexical ranking's weights


def fuse(lexical: list[Hit], semantic: list[SemanticHit], make_hit: Callable[[SemanticHit], Hit | None],
         weight: Callable[[str, int], float], limit: int, k: float = K,
         semantic_weight: float = SEMANTIC_WEIGHT, depth: int = SEMANTIC_DEPTH) -> list[Hit]:
    """Both lists fused; a hit found by the semantic side names the 款/项 whose vector matched when the
    lexical side did not name one."""
    weighted = [(s.score * weight(s.law_id, s.article), s) for s in semantic]
    reordered = [s for w, s in sorted(weighted, key=lambda pair: -pair[0]) if w > 0][:depth]
    scores: dict[tuple[str, int], float] = {}
    hits: dict[tuple[str, int], Hit] = {}
    for rank, hit in enumerate(lexical):
        key = (hit.law.law_id, hit.article.number)
        scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank + 1)
        hits.setdefault(key, hit)
    for rank, found in enumerate(reordered):
        key = (found.law_id, found.article)
        scores[key] = scores.get(key, 0.0) + semantic_weight / (k + rank + 1)
        if key not in hits:
            made = make_hit(found)
            if made is None:
                scores.pop(key)
                continue
            hits[key] = made
        hit = hits[key]
        if found.item is not None and hit.item is None and hit.paragraph is None:
            hit.paragraph, hit.item = found.paragraph, found.item
    ordered = sorted(scores, key=lambda k: -scores[k])[:limit]
    out = []
    for key in ordered:
        hit = hits[key]
        hit.score = round(scores[key], 5)
        out.append(hit)
    return out
