"""Which rule governs a violation: the repealed law or the 生态环境法典, by the date of the violation.

行政处罚法 第三十七条: the law in force when the violation occurred applies; but when, at the time of the
decision, the rule has been amended or repealed and the new rule punishes more lightly or no longer treats the
conduct as a violation, the new rule applies. A violation continuing past 2026-08-15 is judged under the Code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from knowledge.citations import default_resolver
from knowledge.cnnum import int_to_cn
from knowledge.corpus import Corpus
from knowledge.mapping import normalize, predecessors, resolve_law_name, successors
from knowledge.model import CODE_EFFECTIVE, CODE_NAME
from knowledge.penalties import PenaltyStructure, parse_article, summarize, yuan_cn

CODE_DATE = date.fromisoformat(CODE_EFFECTIVE)
Range = tuple[float, float]


@dataclass
class RuleSide:
    law: str
    article: int
    item: int | None
    range: Range | None  # widest yuan range (all conditions)
    summary: str

    @property
    def citation(self) -> str:
        item = f"第{_cn(self.item)}项" if self.item else ""
        return f"《{self.law.removeprefix('中华人民共和国')}》第{_cn(self.article)}条{item}"


@dataclass
class Governing:
    governs: str  # "old" | "code" | "unknown"
    old: RuleSide | None
    code: list[RuleSide] = field(default_factory=list)
    explanation: str = ""

    @property
    def rule(self) -> RuleSide | None:
        return self.old if self.governs == "old" else (self.code[0] if self.code else None)


def _cn(n: int | None) -> str:
    return int_to_cn(n or 0)


def is_code(law: str) -> bool:
    if law == CODE_NAME:
        return True
    res = default_resolver().resolve(law)
    return bool(res and res.law_name == CODE_NAME)


def _side(corpus: Corpus, law: str, article: int, item: int | None) -> RuleSide | None:
    art = corpus.article(law, article)
    if art is None:
        return None
    s: PenaltyStructure = parse_article(art)
    paragraph = None
    if item is not None:  # the 款 whose items hold this 项
        paragraph = next((i for i, p in enumerate(art.paragraphs, 1) if any(it.number == item for it in p.items)), None)
    rng = s.base_range(item, paragraph) if item else s.base_range()
    return RuleSide(art.law_name, article, item, rng, summarize(s, item, paragraph) if item else summarize(s))


def code_item(corpus: Corpus, code_article: int, old_text: str) -> int | None:
    """The 项 of a Code article closest to an old item's wording (rapidfuzz), None for an article without items."""
    art = corpus.article(CODE_NAME, code_article)
    items = [it for p in art.paragraphs for it in p.items] if art else []
    if not items:
        return None
    old = normalize(old_text)
    best = max(items, key=lambda it: fuzz.ratio(old, normalize(it.text)))
    return best.number


def _range_text(r: Range | None) -> str:
    if r is None:
        return "未规定数额"
    lo, hi = r
    return f"{yuan_cn(lo)}以上{yuan_cn(hi)}以下" if lo else f"{yuan_cn(hi)}以下"


def is_lighter(new: Range | None, old: Range | None) -> bool:
    """The new fine range is lighter: a lower maximum, or the same maximum with a lower minimum."""
    if new is None or old is None:
        return False
    return new[1] < old[1] or (new[1] == old[1] and new[0] < old[0])


def governing_rule(
    corpus: Corpus,
    violation_date: date,
    law: str,
    article: int,
    item: int | None = None,
    ongoing_until: date | None = None,
) -> Governing:
    """Which rule governs a violation on `violation_date` cited as (law, article, item) — old or Code."""
    end = max(violation_date, ongoing_until or violation_date)
    if is_code(law):
        preds = predecessors(article)
        old = _side(corpus, preds[0][0], preds[0][1], preds[0][2]) if preds else None
        code = [s for s in [_side(corpus, CODE_NAME, article, item)] if s]
    else:
        full = resolve_law_name(law)
        if full is None:
            return Governing("unknown", None, [], f"《{law}》不是法典废止的十部法律之一。")
        old = _side(corpus, full, article, item)
        old_art = corpus.article(full, article)
        old_item = old_art.item(item) if old_art and item else None
        code = [
            s for n, _c in successors(full, article, item)
            if (s := _side(corpus, CODE_NAME, n, code_item(corpus, n, old_item.text) if old_item else None))
        ]
    if old is None and not code:
        return Governing("unknown", None, [], "未找到所引条文。")
    side_by_side = _compare_text(old, code)
    if end >= CODE_DATE:
        why = "违法行为发生在2026年8月15日法典施行之后" if violation_date >= CODE_DATE else (
            "违法行为持续至2026年8月15日法典施行之后（连续或者继续状态），按行为终了时的规定")
        target = code[0].citation if code else "法典相应条文（未找到对应条文，请人工核对）"
        return Governing("code", old, code, f"{why}，原法律已废止，适用{target}。{side_by_side}")
    if old is None:
        return Governing("code", None, code, f"未找到原法律对应条文，适用{code[0].citation}。")
    if not code:
        return Governing(
            "unknown", old, [],
            f"违法行为发生在法典施行前，适用{old.citation}；未找到法典对应条文。如法典确已不再处罚该行为，"
            "依行政处罚法第三十七条适用新的规定（不予处罚），请人工核对。",
        )
    if is_lighter(code[0].range, old.range):
        return Governing(
            "code", old, code,
            f"违法行为发生在法典施行前，原则上适用{old.citation}；但法典{code[0].citation}处罚较轻，"
            f"依行政处罚法第三十七条（从旧兼从轻）适用法典。{side_by_side}",
        )
    return Governing(
        "old", old, code,
        f"违法行为发生在法典施行前，依行政处罚法第三十七条适用行为时的{old.citation}"
        f"（法典{code[0].citation}不轻于原规定）。{side_by_side}",
    )


def _compare_text(old: RuleSide | None, code: list[RuleSide]) -> str:
    parts = []
    if old:
        parts.append(f"原{old.citation}：{_fine_text(old)}")
    if code:
        parts.append(f"法典{code[0].citation}：{_fine_text(code[0])}")
    return "；".join(parts) + "。" if parts else ""


def _fine_text(side: RuleSide) -> str:
    return f"罚款{_range_text(side.range)}" if side.range else (side.summary or "未规定罚款数额")
