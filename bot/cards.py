"""Telegram HTML cards for exemption items, /exempt dialog steps and verdicts, and cases.

Pure functions returning str. Every data string goes through html.escape; a card never exceeds
`LIMIT` characters (long free-text fields are shortened first, then the whole card as a last resort).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from bot import texts
from knowledge.exemptions import ExemptDialog, ExemptionItem, Verdict
from knowledge.records import Cite
from knowledge.typical_cases import TypicalCase

LIMIT = 4096
_MORE = "…"


def _e(text: object) -> str:
    return escape(str(text), quote=False)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + _MORE


def _yes(flag: bool) -> str:
    return texts.YES if flag else texts.NO


def _cites(cites: Iterable[Cite]) -> str:
    return "；".join(_e(c.label()) for c in cites)


def _link(url: str, label: str) -> str:
    return f'<a href="{escape(url, quote=True)}">{_e(label)}</a>'


def _fit(lines: list[str], limit: int = LIMIT) -> str:
    text = "\n".join(line for line in lines if line is not None)
    if len(text) <= limit:
        return text
    # drop trailing lines until it fits, keeping the heading; never cut inside a tag
    while len(lines) > 1 and len("\n".join(lines)) > limit - 2:
        lines = lines[:-1]
    return "\n".join(lines) + "\n" + _MORE


def item_card(item: ExemptionItem, on: date | None = None, with_conditions: bool = True) -> str:
    lst = item.exemption_list
    assert lst is not None
    status = lst.status(on)
    lines = [
        f"<b>{_e(item.title)}</b>",
        texts.ITEM_PLACE.format(list=_e(lst.title), no=_e(item.no), region=_e(lst.region)),
        texts.ITEM_VALIDITY.format(validity=_e(lst.validity()), status=_e(status)),
        "",
        texts.ITEM_BEHAVIOUR.format(text=_e(_cut(item.behaviour, 300))),
    ]
    if item.violated:
        lines.append(texts.ITEM_VIOLATED.format(cites=_cites(item.violated)))
    if item.penalty:
        by = texts.ITEM_PENALTY_OURS if lst.penalty_by == "本项目" else ""
        lines.append(texts.ITEM_PENALTY.format(cites=_cites(item.penalty), by=_e(by)))
    if item.code:
        lines.append(texts.ITEM_CODE.format(cites=_cites(item.code)))
    if item.unresolved:
        lines.append(texts.ITEM_UNRESOLVED.format(text=_e(_cut('；'.join(item.unresolved), 300))))
    verb = texts.ITEM_VERB_MAY if item.outcome == "可以不予处罚" else texts.ITEM_VERB_MUST
    if with_conditions:
        lines += ["", texts.ITEM_CONDITIONS.format(verb=_e(verb))]
        for i, cond in enumerate(item.all_conditions, 1):
            if cond.any_of:
                lines.append(texts.ITEM_ANY_OF.format(i=i))
                lines += [texts.ITEM_ALTERNATIVE.format(ask=_e(a.ask), need=_yes(a.need)) for a in cond.any_of]
            else:
                lines.append(texts.ITEM_CONDITION.format(i=i, ask=_e(cond.ask), need=_yes(cond.need)))
    notes = [n for n in (item.notes, item.code_note) if n]
    if item.articles_by == "本项目":
        notes.append(texts.ITEM_ARTICLES_OURS)
    if notes:
        lines += ["", f"<i>{_e(_cut(' '.join(notes), 600))}</i>"]
    lines.append(_link(lst.source_url, texts.LIST_SOURCE))
    return _fit(lines)


def dialog_card(dialog: ExemptDialog) -> str:
    """The current question of the /exempt dialog, or the verdict when it is over."""
    if dialog.cancelled:
        return texts.DIALOG_CANCELLED
    verdict = dialog.verdict()
    if verdict is not None:
        return verdict_card(verdict)
    q = dialog.question
    assert q is not None
    total = sum(len(c.questions()) for c in dialog.item.all_conditions)
    lines = [
        f"<b>{_e(dialog.item.title)}</b>",
        texts.DIALOG_STEP.format(step=dialog.step, total=total),
        "",
        _e(q.ask),
        "",
        texts.DIALOG_ANSWER_BACK if dialog.can_go_back else texts.DIALOG_ANSWER,
    ]
    return _fit(lines)


_VERDICT_MARK = {"不予处罚": "✅", "可以不予处罚": "🟡", "不适用": "❌"}


def verdict_card(verdict: Verdict) -> str:
    item, lst = verdict.item, verdict.item.exemption_list
    assert lst is not None
    lines = [f"{_VERDICT_MARK[verdict.kind]} <b>{_e(verdict.kind)}</b>", texts.VERDICT_ITEM.format(list=_e(lst.title), no=_e(item.no), title=_e(item.title)),
             texts.VERDICT_VALIDITY.format(validity=_e(lst.validity()), status=_e(verdict.status))]
    if verdict.kind == "不适用":
        if verdict.failed is not None:
            lines.append(texts.VERDICT_FAILED.format(ask=_e(verdict.failed.ask), need=_yes(verdict.failed.need)))
    else:
        lines.append(texts.VERDICT_BASIS.format(cite=_e(verdict.basis.label()), text=_e(verdict.basis_text)))
        lines.append(texts.VERDICT_LIST_SAYS.format(text=_e(verdict.list_says)))
    if verdict.answers:
        lines += ["", texts.VERDICT_ANSWERS]
        lines += [texts.VERDICT_ANSWER.format(ask=_e(_cut(q, 80)), answer=_yes(a)) for q, a in verdict.answers]
    if verdict.notes:
        lines += [""] + [f"<i>{_e(n)}</i>" for n in verdict.notes]
    lines.append(_link(lst.source_url, texts.LIST_SOURCE))
    return _fit(lines)


def case_card(case: TypicalCase) -> str:
    fine = texts.CASE_FINE.format(wan=f"{case.fine_wan:g}") if case.fine_wan is not None else texts.CASE_NO_FINE
    lines = [
        f"<b>{_e(case.title)}</b>",
        f"{_e(case.region)} · {case.year} · {_e(case.agency)}",
        "",
        texts.CASE_FACTS.format(text=_e(_cut(case.facts, 900))),
    ]
    if case.violated:
        lines.append(texts.CASE_VIOLATED.format(cites=_cites(case.violated)))
    if case.applied:
        lines.append(texts.CASE_APPLIED.format(cites=_cites(case.applied)))
    if case.unresolved:
        lines.append(texts.CASE_UNRESOLVED.format(text=_e(_cut('；'.join(case.unresolved), 300))))
    if not case.then and not case.unresolved:
        lines.append(texts.CASE_NO_ARTICLES)
    if case.code:
        lines.append(texts.CASE_CODE.format(cites=_cites(case.code)))
    lines += [
        texts.CASE_OUTCOME.format(text=_e(_cut(case.outcome, 400)), fine=_e(fine)),
        texts.CASE_LESSON.format(text=_e(_cut(case.lesson, 300))),
    ]
    notes = [n for n in (case.code_note, case.notes) if n]
    if notes:
        lines.append(f"<i>{_e(_cut(' '.join(notes), 500))}</i>")
    if case.tags:
        lines.append(" ".join(f"#{_e(t)}" for t in case.tags))
    lines.append(_link(case.source_url, texts.CASE_SOURCE))
    return _fit(lines)


def item_line(item: ExemptionItem) -> str:
    """One line for a result list."""
    lst = item.exemption_list
    region = lst.region if lst else ""
    return texts.ITEM_LINE.format(title=_e(item.title), region=_e(region), no=_e(item.no))


def case_line(case: TypicalCase) -> str:
    return texts.CASE_LIST_LINE.format(title=_e(case.title), region=_e(case.region), year=case.year)
