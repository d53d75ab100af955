"""Which articles are 罚则 articles (they set the penalty a situation question asks for)."""

from __future__ import annotations

import re

from knowledge.model import Article

_FINE = re.compile(r"处[^。；]{0,40}罚款|罚款[^。；]{0,10}元|没收|吊销|责令停业|拘留")


def is_liability(article: Article) -> bool:
    """A 罚则 article: under a 法律责任 heading, or it sets fines/measures itself."""
    where = f"{article.chapter or ''}{article.section or ''}"
    return "法律责任" in where or "罚则" in where or bool(_FINE.search(article.text))
