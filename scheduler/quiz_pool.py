"""The questions the quiz may ask: the authored bank, the questions generated from the articles, and period
questions made from the statutory deadline rules — each proven against its article before it is served.

    pool = build_pool(corpus)          # at start-up, off the event loop (a second or two)
    pool.get("pen-1169-hw"); pool.ids; pool.failures   # the questions that did not pass the proof

`lawbot quiz check` proves the same set and lists the failures (`all_questions` + knowledge.quiz.proof).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from knowledge.corpus import Corpus
from knowledge.quiz.bank import Question, load_bank
from knowledge.quiz.generator import Blank, generate, period_blank
from knowledge.quiz.proof import check_question
from knowledge.records import Cite
from scheduler.deadlines import RuleSet, default_rules

log = logging.getLogger(__name__)


def rule_blanks(rules: RuleSet) -> list[Blank]:
    """A period question per deadline rule whose quote states its period once: the rule's own sentence."""
    out = []
    for rule in rules.rules.values():
        c = rule.cite
        blank = period_blank(f"gen-rule-{rule.id}", Cite(c.law, c.article, c.paragraph, c.item), c.format(), rule.quote)
        if blank is not None:
            out.append(blank)
    return out


def all_questions(corpus: Corpus, rules: RuleSet | None = None) -> list[Question]:
    return load_bank() + generate(corpus, extra=rule_blanks(rules or default_rules()))


@dataclass
class QuizPool:
    questions: dict[str, Question]
    failures: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return list(self.questions)

    def get(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)

    @cached_property
    def topics(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for q in self.questions.values():
            found[q.topic].append(q.id)
        return dict(found)


_built: dict[str, QuizPool] = {}  # by corpus fingerprint: one build per corpus and process


def build_pool(corpus: Corpus, rules: RuleSet | None = None) -> QuizPool:
    """Only proven questions are served; a failing one is logged and left out (the test suite and
    `lawbot quiz check` keep the failures at zero)."""
    if rules is None and corpus.fingerprint in _built:
        return _built[corpus.fingerprint]
    questions: dict[str, Question] = {}
    failures: dict[str, list[str]] = {}
    for q in all_questions(corpus, rules):
        problems = check_question(q, corpus)
        if problems or q.id in questions:
            failures[q.id] = problems or ["duplicate id"]
            continue
        questions[q.id] = q
    if failures:
        log.warning("%d quiz question(s) left out, they do not pass the proof: %s", len(failures),
                    ", ".join(sorted(failures)[:10]))
    pool = QuizPool(questions, failures)
    if rules is None:
        _built[corpus.fingerprint] = pool
    return pool
