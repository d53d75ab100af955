"""Structured citations of the authored records (免罚清单 items, typical cases) and their look-up by article.

A record cites articles as [law as named in the corpus, article, 款?, 项?]. `citing` finds the records citing
an article directly, or through the old → Code map (an old article whose Code successor a record cites, or
the reverse): both exemption items and typical cases use it, and so do the answer cards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.citations import format_citation
from knowledge.corpus import Corpus, normalize_law_name
from knowledge.mapping import successors
from knowledge.model import CODE_NAME


@dataclass(frozen=True)
class Cite:
    """A structured citation: law as named in the corpus, article, optional 款 and 项."""

    law: str
    article: int
    paragraph: int | None = None
    item: int | None = None

    @classmethod
    def parse(cls, raw: Sequence) -> Cite:
        if not isinstance(raw, (list, tuple)) or not 2 <= len(raw) <= 4:
            raise ValueError(f"citation must be [law, article, paragraph, item]: {raw!r}")
        law, article, *rest = list(raw) + [None] * (4 - len(raw))
        if not isinstance(law, str) or not isinstance(article, int):
            raise ValueError(f"bad citation {raw!r}")
        paragraph, item = rest[0], rest[1]
        return cls(law, article, paragraph or None, item or None)

    @property
    def short_law(self) -> str:
        return self.law.removeprefix("中华人民共和国")

    @property
    def is_code(self) -> bool:
        return normalize_law_name(self.law) == normalize_law_name(CODE_NAME)

    def label(self, short: bool = True) -> str:
        """《大气污染防治法》第九十九条第二项 (short) or with the full law name."""
        return format_citation(self.law, self.article, self.paragraph, self.item, short=short)

    def key(self) -> tuple[str, int]:
        return normalize_law_name(self.law), self.article

    def problem(self, corpus: Corpus) -> str | None:
        """None when the law, article, 款 and 项 all exist in the corpus; otherwise what is missing."""
        law = corpus.law(self.law)
        if law is None:
            return f"{self.label(False)}: law not in corpus"
        if law.name != self.law:
            return f"{self.label(False)}: law must be named as in the corpus ({law.name})"
        article = law.articles.get(self.article)
        if article is None:
            return f"{self.label(False)}: no such article"
        if self.paragraph and article.paragraph(self.paragraph) is None:
            return f"{self.label(False)}: no such 款"
        if self.item and article.item(self.item, self.paragraph) is None:
            return f"{self.label(False)}: no such 项"
        return None


def parse_cites(raw: Iterable | None) -> tuple[Cite, ...]:
    return tuple(Cite.parse(c) for c in raw or ())


def successor_keys(cite: Cite) -> set[tuple[str, int]]:
    """Code articles carrying an old article (knowledge.mapping); none for an article the map does not know."""
    try:
        found = successors(cite.law, cite.article, cite.item)
    except (FileNotFoundError, KeyError, ValueError):
        return set()
    return {(normalize_law_name(CODE_NAME), int(n)) for n, _conf in found}


def citing(items: Iterable, law: str, article: int, successors: bool = True) -> list[tuple]:
    """Shared by exemptions and cases: records whose `violated`/`penalty`/`applied`/`code` cite the article."""
    key = (normalize_law_name(law), article)
    code_key = normalize_law_name(CODE_NAME)
    query_successors = successor_keys(Cite(law, article)) if successors and key[0] != code_key else set()
    found = []
    for rec in items:
        how = ""
        for name in ("violated", "penalty", "applied", "code"):
            if any(c.key() == key for c in getattr(rec, name, ())):
                how = name
                break
        if not how and successors:
            code_keys = {c.key() for c in rec.code}
            if query_successors & code_keys:
                how = "法典承接"
            elif key[0] == code_key:
                olds = [c for c in rec.citations if not c.is_code]
                if any(key in successor_keys(c) for c in olds):
                    how = "法典承接"
        if how:
            found.append((rec, how))
    return found
