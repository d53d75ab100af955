"""Typical enforcement cases (典型案例): typed loader, validation, filters, article look-up and search.

The data is authored YAML (knowledge/data/cases.yaml) written from published cases; see its header.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.bm25 import TextIndex
from knowledge.corpus import Corpus, data_file, normalize_law_name
from knowledge.records import Cite, citing, parse_cites

CASES_FILE = "cases.yaml"


@dataclass
class TypicalCase:
    id: str
    title: str
    region: str
    year: int
    agency: str
    facts: str
    violated: tuple[Cite, ...]
    applied: tuple[Cite, ...]
    code: tuple[Cite, ...]
    outcome: str
    fine_wan: float | None
    lesson: str
    tags: tuple[str, ...]
    source_url: str
    measures: tuple[str, ...] = ()
    unresolved: tuple[str, ...] = ()
    code_note: str = ""
    code_by: str = "本项目"
    notes: str = ""

    @property
    def citations(self) -> tuple[Cite, ...]:
        return self.violated + self.applied + self.code

    @property
    def then(self) -> tuple[Cite, ...]:
        """The articles as published (violated, then applied)."""
        return self.violated + self.applied

    def search_text(self) -> dict[str, str]:
        return {
            "title": self.title,
            "facts": self.facts,
            "tags": " ".join(self.tags),
            "outcome": self.outcome,
            "lesson": self.lesson,
            "region": self.region,
        }


FIELD_WEIGHTS = {"title": 3.0, "tags": 2.0, "facts": 1.0, "outcome": 0.6, "lesson": 0.6, "region": 0.5}


def _case(raw: dict) -> TypicalCase:
    fine = raw.get("fine_wan")
    case = TypicalCase(
        id=str(raw["id"]),
        title=str(raw["title"]).strip(),
        region=str(raw["region"]),
        year=int(raw["year"]),
        agency=str(raw.get("agency") or ""),
        facts=str(raw["facts"]).strip(),
        violated=parse_cites(raw.get("violated")),
        applied=parse_cites(raw.get("applied")),
        code=parse_cites(raw.get("code")),
        outcome=str(raw["outcome"]).strip(),
        fine_wan=None if fine is None else float(fine),
        lesson=str(raw["lesson"]).strip(),
        tags=tuple(str(t) for t in raw.get("tags") or ()),
        source_url=str(raw["source_url"]),
        measures=tuple(str(m) for m in raw.get("measures") or ()),
        unresolved=tuple(str(u) for u in raw.get("unresolved") or ()),
        code_note=str(raw.get("code_note") or ""),
        code_by=str(raw.get("code_by") or "本项目"),
        notes=str(raw.get("notes") or ""),
    )
    if case.fine_wan is not None and case.fine_wan < 0:
        raise ValueError(f"{case.id}: negative fine")
    return case


class TypicalCases:
    """All cases, with filters, look-up by cited article (also through the Code successor) and search."""

    def __init__(self, cases: list[TypicalCase]):
        self.cases = cases
        self._by_id = {c.id: c for c in cases}
        if len(self._by_id) != len(cases):
            raise ValueError("duplicate case id")
        self._index: TextIndex[TypicalCase] | None = None

    def __len__(self) -> int:
        return len(self.cases)

    def case(self, case_id: str) -> TypicalCase | None:
        return self._by_id.get(case_id)

    @property
    def tags(self) -> list[str]:
        seen: dict[str, None] = {}
        for c in self.cases:
            for t in c.tags:
                seen.setdefault(t, None)
        return list(seen)

    def filter(self, tag: str | None = None, region: str | None = None, law: str | None = None,
               article: int | None = None, year: int | None = None) -> list[TypicalCase]:
        """Cases with the tag, in a region (substring: 广东 / 珠海), citing the law (and article), of the year."""
        found = self.cases
        if tag:
            found = [c for c in found if tag in c.tags]
        if region:
            found = [c for c in found if region in c.region]
        if year:
            found = [c for c in found if c.year == year]
        if law and article is not None:
            hits = {c.id for c, _ in self.citing(law, article)}
            found = [c for c in found if c.id in hits]
        elif law:
            name = normalize_law_name(law)
            found = [c for c in found if any(normalize_law_name(x.law) == name for x in c.citations)]
        return found

    def citing(self, law: str, article: int, successors: bool = True) -> list[tuple[TypicalCase, str]]:
        """Cases citing the article (violated / applied / code), or carried over by the Code (法典承接)."""
        return citing(self.cases, law, article, successors)

    def validate(self, corpus: Corpus) -> list[str]:
        problems = []
        for c in self.cases:
            for cite in c.citations:
                if (p := cite.problem(corpus)) is not None:
                    problems.append(f"{c.id}: {p}")
            if any(not x.is_code for x in c.code):
                problems.append(f"{c.id}: code lists a law other than the Code")
            if not c.code and not c.code_note:
                problems.append(f"{c.id}: no Code successor and no note saying why")
            if not c.then and not c.unresolved and not c.notes:
                problems.append(f"{c.id}: no published article and no note saying so")
            if not c.source_url.startswith("http"):
                problems.append(f"{c.id}: source_url is not a link")
            if not c.tags:
                problems.append(f"{c.id}: no tags")
        return problems

    @property
    def index(self) -> TextIndex[TypicalCase]:
        if self._index is None:
            self._index = TextIndex(self.cases, TypicalCase.search_text, FIELD_WEIGHTS)
        return self._index

    def search(self, question: str, k: int = 5, tag: str | None = None, region: str | None = None) -> list[tuple[TypicalCase, float]]:
        allowed = {c.id for c in self.filter(tag=tag, region=region)} if (tag or region) else None
        hits = self.index.search(question, k=len(self.cases))
        if allowed is not None:
            hits = [(c, s) for c, s in hits if c.id in allowed]
        return [(c, round(s, 4)) for c, s in hits[:k]]


@lru_cache(maxsize=4)
def load_typical_cases(path: Path | None = None) -> TypicalCases:
    """The authored cases (cached per file)."""
    data = yaml.safe_load((path or data_file(CASES_FILE)).read_text(encoding="utf-8"))
    return TypicalCases([_case(raw) for raw in data["cases"]])
