"""Telegram HTML cards for exemption items, /exempt dialog steps and verdicts, and cases.

Pure functions returning str. Every data string goes through html.escape; a card never exceeds
`LIMIT` characters (long free-text fields are shortened first, then the whole card as a last resort).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from knowledge.cases import Case
from knowledge.exemptions import Cite, ExemptDialog, ExemptionItem, Verdict

LIMIT = 4096
_MORE = "…"


def _e(text: object) -> str:
    return escape(str(text), quote=False)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + _MORE


def _cites(cites: Iterable[Cite]) -> str:
    return "；".join(_e(c.label()) for c in cites)


def _link(url: str, label: str = "来源") -> str:
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
        f"{_e(lst.title)} 第{_e(item.no)}项（{_e(lst.region)}）",
        f"有效期：{_e(lst.validity())}　<b>{_e(status)}</b>",
        "",
        f"<b>行为</b>：{_e(_cut(item.behaviour, 300))}",
    ]
    if item.violated:
        lines.append(f"<b>违反条款</b>：{_cites(item.violated)}")
    if item.penalty:
        by = "（本项目据法条确定）" if lst.penalty_by == "本项目" else ""
        lines.append(f"<b>罚则</b>：{_cites(item.penalty)}{_e(by)}")
    if item.code:
        lines.append(f"<b>法典现行</b>：{_cites(item.code)}")
    if item.unresolved:
        lines.append(f"<b>清单另引（语料库未收录）</b>：{_e(_cut('；'.join(item.unresolved), 300))}")
    verb = "依法可以不予行政处罚" if item.outcome == "可以不予处罚" else "不予行政处罚"
    if with_conditions:
        lines += ["", f"<b>同时满足下列条件的，{_e(verb)}</b>："]
        for i, cond in enumerate(item.all_conditions, 1):
            if cond.any_of:
                lines.append(f"{i}. 符合下列情形之一：")
                lines += [f"　· {_e(a.ask)}（须答：{'是' if a.need else '否'}）" for a in cond.any_of]
            else:
                lines.append(f"{i}. {_e(cond.ask)}（须答：{'是' if cond.need else '否'}）")
    notes = [n for n in (item.notes, item.code_note) if n]
    if item.articles_by == "本项目":
        notes.append("清单未列法条，上列条文由本项目按所述行为确定。")
    if notes:
        lines += ["", f"<i>{_e(_cut(' '.join(notes), 600))}</i>"]
    lines.append(_link(lst.source_url, "清单来源"))
    return _fit(lines)


def dialog_card(dialog: ExemptDialog) -> str:
    """The current question of the /exempt dialog, or the verdict when it is over."""
    if dialog.cancelled:
        return "已取消。"
    verdict = dialog.verdict()
    if verdict is not None:
        return verdict_card(verdict)
    q = dialog.question
    assert q is not None
    total = sum(len(c.questions()) for c in dialog.item.all_conditions)
    lines = [
        f"<b>{_e(dialog.item.title)}</b>",
        f"第{dialog.step}问（共约{total}问）",
        "",
        _e(q.ask),
        "",
        "请回答：是 / 否" + ("　｜　返回上一步" if dialog.can_go_back else "") + "　｜　取消",
    ]
    return _fit(lines)


_VERDICT_MARK = {"不予处罚": "✅", "可以不予处罚": "🟡", "不适用": "❌"}


def verdict_card(verdict: Verdict) -> str:
    item, lst = verdict.item, verdict.item.exemption_list
    assert lst is not None
    lines = [f"{_VERDICT_MARK[verdict.kind]} <b>{_e(verdict.kind)}</b>", f"清单项：{_e(lst.title)} 第{_e(item.no)}项 {_e(item.title)}",
             f"清单有效期：{_e(lst.validity())}（{_e(verdict.status)}）"]
    if verdict.kind == "不适用":
        if verdict.failed is not None:
            need = "是" if verdict.failed.need else "否"
            lines.append(f"不满足的条件：{_e(verdict.failed.ask)}（须为“{need}”）")
    else:
        lines.append(f"依据：{_e(verdict.basis.label())}：“{_e(verdict.basis_text)}”")
        lines.append(f"清单表述：符合条件的，{_e(verdict.list_says)}")
    if verdict.answers:
        lines += ["", "<b>已确认</b>："]
        lines += [f"· {_e(_cut(q, 80))} {'是' if a else '否'}" for q, a in verdict.answers]
    if verdict.notes:
        lines += [""] + [f"<i>{_e(n)}</i>" for n in verdict.notes]
    lines.append(_link(lst.source_url, "清单来源"))
    return _fit(lines)


def case_card(case: Case) -> str:
    fine = f"{case.fine_wan:g}万元" if case.fine_wan is not None else "未公布或无罚款"
    lines = [
        f"<b>{_e(case.title)}</b>",
        f"{_e(case.region)} · {case.year} · {_e(case.agency)}",
        "",
        f"<b>案情</b>：{_e(_cut(case.facts, 900))}",
    ]
    if case.violated:
        lines.append(f"<b>违反条款（当时）</b>：{_cites(case.violated)}")
    if case.applied:
        lines.append(f"<b>处罚依据（当时）</b>：{_cites(case.applied)}")
    if case.unresolved:
        lines.append(f"<b>另引（语料库未收录或版本不同）</b>：{_e(_cut('；'.join(case.unresolved), 300))}")
    if not case.then and not case.unresolved:
        lines.append("<b>条文</b>：原文未列")
    if case.code:
        lines.append(f"<b>现行法典</b>：{_cites(case.code)}")
    lines += [
        f"<b>结果</b>：{_e(_cut(case.outcome, 400))}（罚款：{_e(fine)}）",
        f"<b>要点</b>：{_e(_cut(case.lesson, 300))}",
    ]
    notes = [n for n in (case.code_note, case.notes) if n]
    if notes:
        lines.append(f"<i>{_e(_cut(' '.join(notes), 500))}</i>")
    if case.tags:
        lines.append(" ".join(f"#{_e(t)}" for t in case.tags))
    lines.append(_link(case.source_url, "案例来源"))
    return _fit(lines)


def item_line(item: ExemptionItem) -> str:
    """One line for a result list."""
    lst = item.exemption_list
    region = lst.region if lst else ""
    return f"• <b>{_e(item.title)}</b>（{_e(region)} 第{_e(item.no)}项）"


def case_line(case: Case) -> str:
    return f"• <b>{_e(case.title)}</b>（{_e(case.region)} {case.year}）"
