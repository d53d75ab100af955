"""A second, deliberately plain reading of a 罚则 sentence, to check the 💰 line against.

It does not share code with knowledge.penalties: it walks the clauses of each "；"-segment in order, takes the
last clause ending in "的" before a penalty as that penalty's condition, and records every amount range and every
measure word with the condition it stands under. A 款 after the first carries its own violation (前款规定的固体废物为
危险废物…的, 个人擅自倾倒…的) as the condition of everything it imposes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.model import Article

_N = r"[0-9一二三四五六七八九十百千万零两]+"
AMOUNT = re.compile(rf"({_N})(元|倍)以上({_N})(?:元|倍)以下|({_N})元以下|处({_N})元(?!以上)")
# measure words as the statute writes them → the words the 💰 line must show
MEASURE_WORDS = {
    "停产整治": "停产整治", "停工整治": "停工整治", "停业整治": "停业整治", "暂停销售": "暂停销售",
    "停业、关闭": "关闭", "关闭": "关闭", "吊销": "吊销", "没收": "没收", "拘留": "拘留", "代为": "代为",
    "公告": "公告", "按日连续处罚": "按日连续处罚", "拆除": "拆除", "恢复原状": "恢复原状", "警告": "警告",
    "通报批评": "通报批评", "暂扣": "暂扣", "撤销": "撤销", "扣押": "扣押",
}
_AUTHORITY = re.compile(r"^由.{0,60}?(?:部门|机构|政府|机关)")


@dataclass(frozen=True)
class Expected:
    paragraph: int
    condition: str | None  # the clause it stands under, or None
    what: str  # an amount as written ("十万元以上一百万元以下") or a measure word


def read(article: Article) -> list[Expected]:
    out: list[Expected] = []
    for pi, para in enumerate(article.paragraphs, start=1):
        texts = [t for t in (para.text, para.tail) if t]
        for text in texts:
            in_violation = True  # until the 由…部门 clause, or the first penalty
            for segment in re.split(r"[；。]", text):
                condition = None
                for clause in re.split(r"[，：]", segment):
                    clause = clause.strip()
                    if not clause:
                        continue
                    if _AUTHORITY.match(clause):
                        if in_violation:
                            condition = None  # what came before is this 款's own violation
                        in_violation = False
                    if in_violation and not _penalty_in(clause):
                        if pi > 1 and clause.endswith("的"):
                            condition = clause  # 前款规定的固体废物为危险废物…的: unless an authority follows
                        continue
                    if in_violation and not _AUTHORITY.match(clause) and pi == 1:
                        condition = None
                    in_violation = False
                    if clause.endswith("的") and not re.search(r"罚款|拘留", clause):
                        condition = clause
                        continue
                    for m in AMOUNT.finditer(clause):
                        if "罚款" in clause[m.end():]:
                            out.append(Expected(pi, condition, _amount_text(m)))
                    for word, shown in MEASURE_WORDS.items():
                        if word in clause and not (word == "关闭" and "停业、关闭" in clause):
                            if word == "公告" and "罚款" in clause:
                                continue
                            out.append(Expected(pi, condition, shown))
    return out


def _penalty_in(clause: str) -> bool:
    return "罚款" in clause or "责令" in clause or "没收" in clause or "拘留" in clause


def _amount_text(m: re.Match[str]) -> str:
    if m.group(1):
        return f"{m.group(1)}{m.group(2)}以上{m.group(3)}{m.group(2)}以下"
    if m.group(4):
        return f"{m.group(4)}元以下"
    return f"{m.group(5)}元"


def paragraph_violation(article: Article, paragraph: int) -> str:
    """The clause(s) of a 款 before its 由…部门 / first penalty: what that 款 punishes."""
    text = article.paragraphs[paragraph - 1].text
    head = re.split(r"[，：](?=由)|的，(?=(?:处|对|责令|没收))", text, maxsplit=1)[0]
    return head.removeprefix("违反本法规定，")
