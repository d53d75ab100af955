"""Prove every quiz question against the text of the articles it cites.

Rules (each failure is one line naming the question):
- the question is well formed: known topic and kind, difficulty 1–3, the right number of right answers,
  Telegram's poll limits (question ≤ 300, 2–12 options ≤ 100, explanation ≤ 200 with ≤ 2 line feeds);
- every citation resolves in the corpus (law named as in the corpus, article, 款, 项);
- every proof excerpt occurs verbatim (spaces aside) in one of the cited articles;
- the right option is what the proof says: its text occurs in an excerpt, or its amounts and periods occur
  in one excerpt in the same order, or it names one of the cited articles; a scenario question's right
  option is the officer's reading of its excerpts, so the excerpts alone are its proof;
- judge questions: a false statement names `truth`, a phrase of the proof the statement does not contain;
  a true one has its amounts and periods (or its `truth`) in the proof;
- options are distinct, also once numerals are read as numbers (十万元 = 10万元);
- the explanation names an article the question cites;
- a repealed law is never treated as current: a question citing one is about the old → Code mapping or says
  that the law is the old one (原…, 已废止, 施行前).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from knowledge.cnnum import cn_to_int
from knowledge.corpus import Corpus
from knowledge.model import STATUS_REPEALED
from knowledge.quiz.bank import KINDS, TOPICS, Question
from knowledge.records import Cite

# Telegram's poll limits (Bot API 10.0; telegram.constants.PollLimit — a test keeps these equal)
MAX_QUESTION = 300
MAX_OPTION = 100
MIN_OPTIONS, MAX_OPTIONS = 2, 12
MAX_EXPLANATION = 200
MAX_EXPLANATION_LINE_FEEDS = 2

OLD_LAW_MARKS = ("原《", "原", "已废止", "施行前", "废止前", "旧法")
_SPACE = re.compile(r"\s+")
_CN = "零〇一二两三四五六七八九十百千万"
_AMOUNT = re.compile(
    rf"[{_CN}\d.]+(?:个)?(?:工作日|日|天|个月|月|年|小时|万元|元|倍|分贝|平方米|立方米|吨|公里|米|%)"
)
_ARTICLE = re.compile(rf"第([{_CN}\d]+)条")
_NUMBER_RUN = re.compile(rf"[{_CN}]+|\d+(?:\.\d+)?[万千]?")
_PUNCT = re.compile(r"[\s，。；：、,;:“”\"'‘’《》（）()]+")  # not "." : 0.1倍 ≠ 1倍


def squeeze(text: str) -> str:
    """Text without spaces and line breaks: the corpus breaks lines inside sentences."""
    return _SPACE.sub("", text)


def canonical(text: str) -> str:
    """For comparing options: punctuation gone, Chinese numerals read as numbers, 天 = 日."""
    text = _PUNCT.sub("", text).replace("天", "日")

    def number(m: re.Match) -> str:
        run = m.group(0)
        if run[0].isdigit():  # 20万 = 二十万
            scale = {"万": 10000, "千": 1000}.get(run[-1], 1)
            value: float | int | None = float(run.rstrip("万千")) * scale
            value = int(value) if value == int(value) else value
        else:
            value = cn_to_int(run)
        return str(value) if value is not None else run

    return _NUMBER_RUN.sub(number, text)


def amounts(text: str) -> list[str]:
    """The amounts and periods of a text, in order (十万元, 一百万元, 六十日 …)."""
    return _AMOUNT.findall(squeeze(text))


def _in_order(needles: list[str], hay: str) -> bool:
    pos = 0
    for needle in needles:
        found = hay.find(needle, pos)
        if found < 0:
            return False
        pos = found + len(needle)
    return True


def cited_text(corpus: Corpus, cite: Cite) -> str | None:
    """The whole cited article (proofs may quote its lead sentence for an item's penalty)."""
    article = corpus.article(cite.law, cite.article)
    return article.text if article else None


def _names_cited_article(option: str, cites: Iterable[Cite]) -> bool:
    numbers = {cn_to_int(m) for m in _ARTICLE.findall(option)}
    return bool(numbers) and numbers <= {c.article for c in cites}


def _backed(option: str, proofs: list[str], cites: tuple[Cite, ...]) -> bool:
    text = squeeze(option)
    if any(text in p for p in proofs):
        return True
    found = amounts(option)
    if found and any(_in_order(found, p) for p in proofs):
        return True
    return _names_cited_article(option, cites)


def check_question(q: Question, corpus: Corpus) -> list[str]:
    """Every rule this question breaks, as short English-or-Chinese lines (empty when it is proven)."""
    bad: list[str] = []
    if q.topic not in TOPICS:
        bad.append(f"unknown topic {q.topic!r}")
    if q.kind not in KINDS:
        bad.append(f"unknown kind {q.kind!r}")
    if q.difficulty not in (1, 2, 3):
        bad.append("difficulty must be 1, 2 or 3")
    bad += _limits(q)
    if len(set(q.answer)) != len(q.answer) or any(not 0 <= i < len(q.options) for i in q.answer):
        bad.append("answer indices out of range or repeated")
        return bad
    if q.kind in ("single", "judge") and len(q.answer) != 1:
        bad.append("single and judge questions have exactly one right option")
    if q.kind == "multiple" and len(q.answer) < 2:
        bad.append("multiple questions have at least two right options")
    canon = [canonical(o) for o in q.options]
    if len(set(canon)) != len(canon):
        bad.append("two options mean the same: " + "、".join(o for o, n in zip(q.options, canon) if canon.count(n) > 1))

    if not q.cite:
        bad.append("cites nothing")
    texts: list[str] = []
    for cite in q.cite:
        problem = cite.problem(corpus)
        if problem:
            bad.append(f"citation does not resolve: {problem}")
        else:
            texts.append(squeeze(cited_text(corpus, cite) or ""))
    if bad:
        return bad
    proofs = [squeeze(p) for p in q.proof if squeeze(p)]
    if not proofs:
        bad.append("no proof excerpt")
    for p in proofs:
        if not any(p in t for t in texts):
            bad.append(f"proof not in the cited articles: {p[:40]}")
    bad += _answer_problems(q, proofs)
    bad += _explanation_problems(q)
    bad += _repealed_problems(q, corpus)
    return bad


def _limits(q: Question) -> list[str]:
    bad = []
    if not 1 <= len(q.question) <= MAX_QUESTION:
        bad.append(f"question has {len(q.question)} characters (1–{MAX_QUESTION})")
    if not MIN_OPTIONS <= len(q.options) <= MAX_OPTIONS:
        bad.append(f"{len(q.options)} options ({MIN_OPTIONS}–{MAX_OPTIONS})")
    for o in q.options:
        if not 1 <= len(o) <= MAX_OPTION:
            bad.append(f"option of {len(o)} characters (1–{MAX_OPTION}): {o[:20]}")
    if len(q.explanation) > MAX_EXPLANATION:
        bad.append(f"explanation has {len(q.explanation)} characters (≤ {MAX_EXPLANATION})")
    if q.explanation.count("\n") > MAX_EXPLANATION_LINE_FEEDS:
        bad.append(f"explanation has more than {MAX_EXPLANATION_LINE_FEEDS} line feeds")
    return bad


def _answer_problems(q: Question, proofs: list[str]) -> list[str]:
    if q.kind == "judge":
        statement = squeeze(q.question)
        truth = squeeze(q.truth)
        if q.answer == (1,):  # false: the proof says something the statement gets wrong
            if not truth:
                return ["a false judge statement needs `truth`: the phrase of the proof it gets wrong"]
            if not any(truth in p for p in proofs):
                return [f"truth not in the proof: {q.truth}"]
            if truth in statement:
                return ["the false statement contains its own truth"]
            return []
        if truth:
            ok = truth in statement and any(truth in p for p in proofs)
            return [] if ok else [f"truth must occur in the statement and the proof: {q.truth}"]
        found = amounts(q.question)
        if found and any(_in_order(found, p) for p in proofs):
            return []
        return [] if q.scenario else ["a true judge statement needs its amounts or `truth` in the proof"]
    if q.scenario:
        return []
    return [f"right option not backed by the proof: {o}" for o in q.right_options if not _backed(o, proofs, q.cite)]


def _explanation_problems(q: Question) -> list[str]:
    numbers = {cn_to_int(m) for m in _ARTICLE.findall(q.explanation)}
    if not numbers & {c.article for c in q.cite}:
        return ["the explanation must name a cited article (第…条)"]
    return []


def _repealed_problems(q: Question, corpus: Corpus) -> list[str]:
    # 已废止 only: 刑法 is 已被修改 in the corpus (a newer amendment exists) and its stored text is the amended one
    repealed = [c for c in q.cite if (law := corpus.law(c.law)) is not None and law.status == STATUS_REPEALED]
    if not repealed:
        return []
    marked = q.topic == "法典对照" or any(m in q.question for m in OLD_LAW_MARKS)
    if not marked:
        names = "、".join(sorted({c.law.removeprefix("中华人民共和国") for c in repealed}))
        return [f"cites the repealed {names} without saying it is the old law (原…/已废止/施行前)"]
    return []


def check_all(questions: Iterable[Question], corpus: Corpus) -> list[str]:
    """One line per failure: `<origin>:<id>: <problem>`; duplicate ids too."""
    questions = list(questions)
    lines = []
    counts = Counter(q.id for q in questions)
    lines += [f"{qid}: duplicate id" for qid, n in counts.items() if n > 1]
    for q in questions:
        lines += [f"{q.origin}:{q.id}: {problem}" for problem in check_question(q, corpus)]
    return lines
