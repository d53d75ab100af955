"""Extra lines on an article's answer card: matching 免罚清单 items and one typical case.

`bot.render` calls `card_lines(law, article, paragraph, item)` for every answer card; the lines are plain
text (render escapes them). Finding items through the old→Code map costs a successor look-up per cited
article, so an index of every record by the articles it cites (directly and through the Code) is built
once per process (`warm()` builds it off the event loop at start-up).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable

from bot import texts
from knowledge.corpus import normalize_law_name
from knowledge.exemptions import load_exemptions
from knowledge.model import CODE_NAME, Article, Law
from knowledge.records import Cite, successor_keys
from knowledge.typical_cases import load_typical_cases

MAX_ITEMS = 2
_DIRECT = ("violated", "penalty", "applied", "code")


class _ArticleIndex:
    """(law key, article) → records citing it directly, and records reached through the Code map."""

    def __init__(self, records: Iterable):
        self.norm = normalize_law_name
        self.code = normalize_law_name(CODE_NAME)
        self.direct: dict[tuple[str, int], list] = defaultdict(list)
        self.via_code: dict[tuple[str, int], list] = defaultdict(list)  # Code key → records citing its predecessor
        self.records = list(records)
        for rec in self.records:
            keys = {c.key() for name in _DIRECT for c in getattr(rec, name, ())}
            for key in keys:
                self.direct[key].append(rec)
            for cite in rec.citations:
                if not cite.is_code:
                    for code_key in successor_keys(cite):
                        if rec not in self.via_code[code_key]:
                            self.via_code[code_key].append(rec)
        self.successors = successor_keys

    def find(self, law: str, number: int) -> list[tuple[object, bool]]:
        """(record, cited directly?): direct citations first, then what the Code carries over (法典承接)."""
        key = (self.norm(law), number)
        direct = list(self.direct.get(key, ()))
        carried: list = []
        if key[0] == self.code:
            carried += self.via_code.get(key, ())
        else:  # an old article: records citing its Code successor
            for code_key in self.successors(Cite(law, number)):
                carried += self.direct.get(code_key, ())
        seen: set[str] = set()
        out = []
        for rec, is_direct in [(r, True) for r in direct] + [(r, False) for r in carried]:
            if rec.id not in seen:
                seen.add(rec.id)
                out.append((rec, is_direct))
        return out


_lock = threading.Lock()
_indexes: dict[str, _ArticleIndex] = {}


def _index(kind: str) -> _ArticleIndex:
    with _lock:
        if kind not in _indexes:
            if kind == "exemptions":
                _indexes[kind] = _ArticleIndex(load_exemptions().items)
            else:
                _indexes[kind] = _ArticleIndex(load_typical_cases().cases)
        return _indexes[kind]


def warm() -> None:
    _index("exemptions")
    _index("cases")


def _rank(found: tuple) -> tuple[int, int, int]:
    """Lists in force first, then direct citations, then complete lists."""
    item, direct = found
    lst = item.exemption_list
    in_force = lst is not None and lst.status() == "现行"
    return (0 if in_force else 1, 0 if direct else 1, 0 if lst is not None and lst.complete else 1)


def exemption_lines(law: Law, article: Article) -> list[str]:
    items = [it for it, _ in sorted(_index("exemptions").find(law.name, article.number), key=_rank)[:MAX_ITEMS]]
    out = []
    for it in items:
        lst = it.exemption_list
        where = f"{lst.region} 第{it.no}项，{lst.status()}" if lst else f"第{it.no}项"
        out.append(texts.EXEMPTION_LINE.format(text=f"{it.title}（{where}）"))
    return out


def case_lines(law: Law, article: Article) -> list[str]:
    found = _index("cases").find(law.name, article.number)
    if not found:
        return []
    direct = [c for c, is_direct in found if is_direct]
    case = max(direct, key=lambda c: c.year) if direct else found[0][0]  # the most recent direct one
    return [texts.CASE_LINE.format(text=f"{case.title}（{case.region} {case.year}）")]


def card_lines(law: Law, article: Article, paragraph: int | None = None, item: int | None = None) -> list[str]:
    return exemption_lines(law, article) + case_lines(law, article)
