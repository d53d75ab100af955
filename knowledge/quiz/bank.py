"""The quiz question: authored in YAML (knowledge/data/quiz/*.yaml) or made by the generator from articles.

A question is only as good as its proof: every question cites its article(s) and carries `proof`, excerpts
that occur verbatim in the cited articles; `knowledge.quiz.proof` checks both, and that the right option is
what the excerpt says (see that module for the rules).

YAML fields (one entry of `questions:`):
    id           stable, unique (answers and review schedules refer to it)
    topic        one of TOPICS
    difficulty   1 易 · 2 中 · 3 难
    kind         single | multiple | judge (判断: options are 对 / 错)
    question     ≤ 300 characters
    options      2–12 options of ≤ 100 characters (not for judge)
    answer       indices of the right options (single: one; multiple: two or more); judge: true | false
    cite         [[law as named in the corpus, article, 款?, 项?], …]
    proof        [excerpt, …]: each occurs verbatim in one of the cited articles
    truth        judge questions answered false: the phrase of the proof that the statement gets wrong
    scenario     true for situation questions (a case → the article, the lawful measure, the next step):
                 their right option is the officer's reading of the proof, not a phrase of it
    explanation  ≤ 200 characters, ≤ 2 line feeds, names the article
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.corpus import data_file
from knowledge.records import Cite

BANK_DIR = "quiz"
TOPICS = ("罚则", "执法程序", "许可与环评", "危险废物", "免罚清单", "法典对照", "情景案例")
KINDS = ("single", "multiple", "judge")
JUDGE_OPTIONS = ("对", "错")


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    difficulty: int
    kind: str
    question: str
    options: tuple[str, ...]
    answer: tuple[int, ...]  # indices into options
    cite: tuple[Cite, ...]
    proof: tuple[str, ...]
    explanation: str
    truth: str = ""
    scenario: bool = False
    source: str = "bank"  # bank | generated
    origin: str = ""  # file (bank) or generator rule (generated), for messages
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def right_options(self) -> list[str]:
        return [self.options[i] for i in self.answer]


class BankError(ValueError):
    """A YAML entry that cannot even be read as a question (the proof reports the rest)."""


def _cite(raw: object, where: str) -> Cite:
    try:
        return Cite.parse(raw)
    except ValueError as err:
        raise BankError(f"{where}: {err}") from err


def parse_question(raw: dict, origin: str = "") -> Question:
    where = f"{origin}:{raw.get('id', '?')}"
    try:
        kind = str(raw["kind"])
        if kind == "judge":
            if not isinstance(raw.get("answer"), bool):
                raise BankError(f"{where}: judge answer must be true or false")
            options, answer = JUDGE_OPTIONS, (0 if raw["answer"] else 1,)
        else:
            options = tuple(str(o) for o in raw["options"])
            answer = tuple(int(i) for i in raw["answer"])
        return Question(
            id=str(raw["id"]),
            topic=str(raw["topic"]),
            difficulty=int(raw["difficulty"]),
            kind=kind,
            question=str(raw["question"]).strip(),
            options=options,
            answer=answer,
            cite=tuple(_cite(c, where) for c in raw["cite"]),
            proof=tuple(str(p) for p in raw["proof"]),
            explanation=str(raw["explanation"]).strip(),
            truth=str(raw.get("truth") or ""),
            scenario=bool(raw.get("scenario", False)),
            origin=origin,
        )
    except (KeyError, TypeError) as err:
        raise BankError(f"{where}: missing or malformed field {err}") from err


def bank_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or data_file(BANK_DIR)).glob("*.yaml"))


def load_bank(folder: Path | None = None) -> list[Question]:
    """Every authored question, in file order."""
    out: list[Question] = []
    for path in bank_files(folder):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in data.get("questions") or ():
            out.append(parse_question(raw, path.name))
    return out
