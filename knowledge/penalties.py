"""Penalty structure of 罚则 articles: fines, measures, and the 项 each penalty applies to.

The parser reads the statute's own sentence pattern: a paragraph is split at "；" into segments; a segment may
open with an item reference ("有前款第一项、第三项情形之一的") and carries comma-separated clauses, where a
clause ending in "的" after a penalty ("拒不改正的", "情节严重的") is the condition of the clauses that follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.cnnum import cn_to_int, int_to_cn, to_halfwidth_digits
from knowledge.model import Article

_NUM = r"[0-9０-９.一二三四五六七八九十百千万零两〇]+"


def parse_amount(text: str) -> int | None:
    """十万 → 100000, 一百万 → 1000000, 5万 → 50000, 50000 → 50000, 伍万 → 50000 (financial numerals)."""
    text = to_halfwidth_digits(text.strip()).translate(_FINANCIAL).replace(",", "").replace("，", "")
    text = text.removesuffix("元").removesuffix("人民币")
    if not text:
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万|千|百)?", text)
    if m:
        unit = {"万": 10000, "千": 1000, "百": 100, None: 1}[m.group(2)]
        return round(float(m.group(1)) * unit)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)万(\d+)", text)  # 1万5000
    if m:
        return round(float(m.group(1)) * 10000) + int(m.group(2))
    return cn_to_int(text)


_FINANCIAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")


@dataclass(frozen=True)
class Fine:
    """A fine. kind: amount (yuan), multiple (of `base`), per_unit (按次/每辆/每日…), unspecified (处以罚款),
    reference (适用本条第二款、第三款的规定处以罚款: `base` holds the words)."""

    low: float | None = None
    high: float | None = None
    kind: str = "amount"
    base: str | None = None  # 货值金额 / 违法所得 / 应缴纳倾倒费数额 …
    unit: str | None = None  # 按次 / 每辆 / 每平方米 …
    target: str | None = None  # 对个人 / 对单位 / 对直接负责的主管人员…
    condition: str | None = None  # 情节严重的 / 拒不改正的 …
    optional: bool = False  # "可以处…罚款"
    words: str | None = field(default=None, compare=False)  # a multiple as written: 百分之五十以下, 一倍以上五倍以下

    def render(self) -> str:
        return f"可{self._render()}" if self.optional else self._render()

    def _render(self) -> str:
        if self.kind == "unspecified":
            return "处以罚款（未规定数额）"
        if self.kind == "reference":
            return self.base or ""
        rng = _range_text(self.low, self.high, self.kind == "multiple")
        if self.kind == "multiple":
            text = f"{self.base or ''}{self.words or rng}"
        else:
            text = f"{self.unit or ''}{rng}"
        return f"罚款{text}"


@dataclass(frozen=True)
class Measure:
    """A non-fine measure: 责令改正, 限制生产、停产整治, 停业、关闭, 吊销许可证, 没收, 拘留 (days), 警告 …"""

    kind: str
    optional: bool = False  # "可以…"
    approval: bool = False  # "报经有批准权的人民政府批准"
    authority: str | None = None  # 公安机关 for 拘留
    days: tuple[int, int] | None = None
    condition: str | None = None
    wording: str | None = field(default=None, compare=False)  # the statute's own words, for the summary


@dataclass
class Penalty:
    """What one segment of a paragraph imposes, and on which items (empty: the whole 款)."""

    paragraph: int
    items: tuple[int, ...] = ()
    item_paragraph: int | None = None  # the 款 whose items `items` refers to
    fines: list[Fine] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    scope: str | None = None  # the statute's words for `items`: 有前款第一项、第五项情形之一的
    sequence: list[Fine | Measure] = field(default_factory=list)  # fines and measures in the statute's order
    words: str = ""  # what the segment imposes, in the statute's own words (the 💰 line shows these)

    def add(self, fines: list[Fine], measures: list[Measure]) -> None:
        for f in fines:
            self.fines.append(f)
            self.sequence.append(f)
        for m in measures:
            if m not in self.measures:
                self.measures.append(m)
                self.sequence.append(m)


@dataclass
class PenaltyStructure:
    law: str
    article: int
    violations: list[tuple[int, int | None, str]]  # (款, 项 or None, text)
    penalties: list[Penalty]
    references: list[str] = field(default_factory=list)  # "依照《…》的规定" / "依照前款规定处罚"
    unparsed: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        has_penalty = any(p.fines or p.measures for p in self.penalties) or bool(self.references)
        return has_penalty and not self.unparsed

    def fines(self, item: int | None = None, paragraph: int | None = None) -> list[Fine]:
        return [f for p in self.applicable(item, paragraph) for f in p.fines]

    def measures(self, item: int | None = None, paragraph: int | None = None) -> list[Measure]:
        return [m for p in self.applicable(item, paragraph) for m in p.measures]

    def applicable(self, item: int | None = None, paragraph: int | None = None) -> list[Penalty]:
        """Penalties that apply to 款 `paragraph` (default: all) / 项 `item` of it."""
        if item is not None and paragraph is None:  # the 款 that lists this 项
            paragraph = next((pi for pi, it, _t in self.violations if it == item), None)
        out = []
        for p in self.penalties:
            if paragraph is not None and p.paragraph != paragraph and p.item_paragraph != paragraph:
                continue
            if item is not None and p.items and item not in p.items:
                continue
            out.append(p)
        return out

    def base_range(self, item: int | None = None, paragraph: int | None = None) -> tuple[float, float] | None:
        """Statutory yuan range for the violator itself: from the lowest ordinary minimum to the highest
        maximum including escalations (情节严重的/拒不改正的/造成严重后果的). A condition that only names a variant
        (农业投入品使用者为个人的, 报批类型为报告表的) is ordinary: its floor is one of the article's floors. A 款 with no
        ordinary fine offers its lowest escalated one. Fines on managers (对直接负责的主管人员…) and special-subject
        clauses (其中，污染物为工业噪声的) are left out. None when no amount is fixed."""
        by_paragraph: dict[int, list[Fine]] = {}
        for p in self.applicable(item, paragraph):
            by_paragraph.setdefault(p.paragraph, []).extend(
                f for f in p.fines if f.kind == "amount" and f.high is not None and _principal(f))
        lows, highs = [], []
        for fines in by_paragraph.values():
            if not fines:
                continue
            ordinary = [f for f in fines if not f.condition or not _ESCALATION.search(f.condition)]
            lows.append(min((f.low or 0) for f in (ordinary or fines)))
            highs.append(max(f.high or 0 for f in fines))
        return (min(lows), max(highs)) if lows else None

    def escalated_only(self, amount: float, item: int | None = None,
                       paragraph: int | None = None) -> list[str] | None:
        """When `amount` is lawful only under an escalation (情节严重的, 拒不改正的 …): those conditions; None when an
        ordinary fine of the article allows it (or no fine does)."""
        fines = [f for p in self.applicable(item, paragraph) for f in p.fines
                 if f.kind == "amount" and f.high is not None and _principal(f)
                 and (f.low or 0) <= amount <= f.high]
        if not fines or any(not f.condition or not _ESCALATION.search(f.condition) for f in fines):
            return None
        return list(dict.fromkeys(f.condition for f in fines if f.condition))


    def special_only(self, amount: float, item: int | None = None, paragraph: int | None = None) -> list[str]:
        """The special ranges of the article that allow `amount` (其中，污染物为工业噪声的 …; 对个人 …): their
        conditions or targets as written."""
        return list(dict.fromkeys(
            (f.condition if _special(f) else f.target) or ""
            for p in self.applicable(item, paragraph) for f in p.fines
            if f.kind == "amount" and f.high is not None and (f.low or 0) <= amount <= f.high
            and (_special(f) or f.target == "对个人")))


_ESCALATION = re.compile(r"情节|拒不|逾期|造成|致使|被责令|二年内|再次|屡次|后果|多次|未完成|无法")
_SPECIAL = ("其中", "污染物为")


def _special(f: Fine) -> bool:
    """A special range of the article (其中，污染物为工业噪声的 …), beside its ordinary one."""
    return bool(f.condition) and any(w in f.condition for w in _SPECIAL)


def _principal(f: Fine) -> bool:
    if _special(f):
        return False
    return not f.target or f.target in ("对单位", "对企业事业单位")


# --- parsing ---------------------------------------------------------------------------------------
_CONDITION_START = re.compile(r"^(情节|拒不|逾期|其中|污染物为|被责令|二年内|有前款|有本条|构成)")
_ITEM_REF = re.compile(
    rf"有(前款|本条第{_NUM}款|第{_NUM}款)?(除)?((?:第{_NUM}项(?:至第{_NUM}项)?[、，和或]?)+)(?:以外)?(?:规定)?(?:的)?(?:情形|行为|违法行为)(?:之一)?"
)
_ONE_ITEM = re.compile(rf"第({_NUM})项(?:至第({_NUM})项)?")
_RANGE_YUAN = re.compile(rf"(每[^，；。元]{{1,6}}?|按次)?({_NUM})元以上({_NUM})元以下(?:的)?罚款")
_UPTO_YUAN = re.compile(rf"(每[^，；。元]{{1,6}}?|按次)?处?({_NUM})元以下(?:的)?罚款")
_FROM_YUAN = re.compile(rf"处({_NUM})元以上(?:的)?罚款")
_FIXED_YUAN = re.compile(rf"处(每[^，；。元]{{1,6}}?|按次)?({_NUM})元(?:的)?罚款")
_MULTIPLE = re.compile(
    rf"((?:并?处)?[^，；。]{{0,30}}?(?:货值金额|违法所得|数额|价款|价格|总价|费用|税款|收入)[^，；。]{{0,12}}?)"
    rf"(?:({_NUM}(?:分之{_NUM})?)倍?以上)?({_NUM}(?:分之{_NUM})?)倍?以下(?:的)?(?:对[^，；。]{{0,30}}?处以)?罚款"
)
_MULTIPLE_FIXED = re.compile(
    rf"处以?([^，；。处]{{0,30}}?(?:货值金额|违法所得|数额|价款|价格|总价|费用|税款|收入))({_NUM})倍(?:的)?罚款"
)
_UNSPECIFIED = re.compile(r"处以罚款|依法处以罚款|并处罚款")
_DETENTION = re.compile(rf"处(?:({_NUM})日以上)?({_NUM})日以下(?:的)?(?:行政)?拘留")
_TARGET = re.compile(
    r"对(?:其)?(个人|单位|其他生产经营者|企业事业单位|[^，；。]{0,40}(?:人员|所有人|经营人|管理人|负责人|维修单位|建设单位|船长))"
    r"(?:和其他直接责任人员)?"
)
_APPROVAL = "报经有批准权的"
_MEASURES: list[tuple[str, re.Pattern[str]]] = [
    ("责令改正", re.compile(r"责令(?:其)?(?:限期)?改正|限期改正|责令(?:其)?限期采取治理措施")),
    ("责令停止违法行为", re.compile(r"责令(?:其)?停止(?:违法行为|建设|生产|使用|施工|作业|排放|销售|进口|开采)")),
    ("限制生产、停产整治", re.compile(r"(?:限制生产、)?停产整治|限制生产|限产")),
    ("责令停业、关闭", re.compile(r"责令(?:其)?(?:停业、关闭|停业或者关闭|关闭|停业)(?!整治)|予以关闭|或者关闭")),
    ("责令停工整治", re.compile(r"停工整治(?:或者停业整治)?")),
    ("责令停业整治", re.compile(r"(?<!或者)停业整治")),
    ("责令暂停销售", re.compile(r"暂停销售")),
    ("吊销许可证", re.compile(r"(?:暂扣或者)?吊销[^，；。]{0,20}?(?:许可证|证书|资质|执照|证件|许可)")),
    ("暂扣", re.compile(r"暂扣[^，；。]{0,12}?(?:许可证|驾驶证|证书)")),
    ("没收", re.compile(r"没收[^，；。]{0,30}")),
    ("警告", re.compile(r"(?:给予|予以|处以)?警告")),
    ("通报批评", re.compile(r"通报批评")),
    ("恢复原状", re.compile(r"恢复原状|恢复原貌|恢复植被|恢复地貌")),
    ("代为履行", re.compile(r"代为(?:治理|处置|清除|修复|履行|处理)")),
    ("撤销许可", re.compile(r"撤销[^，；。]{0,12}?(?:许可|证书|批准|资格)")),
    ("拆除", re.compile(r"(?:责令)?拆除")),
    ("按日连续处罚", re.compile(r"按日连续处罚")),
    ("禁止从业", re.compile(r"(?:年内)?不得(?:再次)?(?:申请|从事|担任)")),
    ("处分", re.compile(r"(?:给予|依法给予)[^，；。]{0,6}处分")),
    ("扣押", re.compile(r"扣押")),
    ("公告", re.compile(r"公告|公开")),
]
_REFERENCE = re.compile(
    r"依照(《[^》]+》|本法|前款|本条|有关法律)[^，；。]*?(?:规定|处罚|追究)|适用[^，；。]{0,20}?规定[^，；。]{0,8}?处"
    r"|依法(?:予以处罚|给予治安管理处罚)|从其规定|按照[^，；。]{0,30}?规定予以处罚|受到罚款处罚"
)
# a floor for the base of a multiple: 货值金额不足五万元的，以五万元计算
_BASE_FLOOR = re.compile(rf"(?:不足{_NUM}元的|[以按]{_NUM}元计算)")


def _range_text(low: float | None, high: float | None, multiple: bool = False) -> str:
    def fmt(v: float) -> str:
        if multiple:
            return _cn_small(v)
        return yuan_cn(v)

    unit = "倍" if multiple else ""
    if low and high:
        if low == high:
            return f"{fmt(low)}{unit}"
        return f"{fmt(low)}{unit}以上{fmt(high)}{unit}以下"
    if high:
        return f"{fmt(high)}{unit}以下"
    if low:
        return f"{fmt(low)}{unit}以上"
    return ""


def _cn_small(v: float) -> str:
    if v < 1:  # 十分之一
        den = round(1 / v)
        return f"{int_to_cn(den)}分之一"
    return int_to_cn(int(v))


def yuan_cn(amount: float) -> str:
    """100000 → 十万元, 5000 → 五千元, 1500000 → 一百五十万元 (statute style)."""
    amount = int(amount)
    if amount >= 10000 and amount % 10000 == 0:
        return f"{int_to_cn(amount // 10000)}万元"
    if amount >= 10000:
        wan, rest = divmod(amount, 10000)
        return f"{int_to_cn(wan)}万{'零' if rest < 1000 else ''}{int_to_cn(rest)}元"
    return f"{int_to_cn(amount)}元"


def _multiple_value(text: str | None) -> float | None:
    if not text:
        return None
    if "分之" in text:
        den, num = text.split("分之")
        d, n = cn_to_int(den), cn_to_int(num)
        return n / d if d and n else None
    return cn_to_int(text)


def _optional(clause: str, m: re.Match[str]) -> bool:
    """"可以处…": 可以 before the amount (for a multiple, before its number, not before its base)."""
    first_number = m.start(2) if m.group(2) else m.start(3)
    return re.search(r"可(?:以|处|并)", clause[:first_number]) is not None


def _clause_fines(clause: str, target: str | None, condition: str | None) -> tuple[list[Fine], str]:
    """Fines in one clause, and the clause with them removed (to see what is left unparsed)."""
    fines: list[Fine] = []
    rest = clause
    for m in _MULTIPLE.finditer(clause):
        base = re.sub(r"^.*?(?:并处以?|处以?|按照)", "", m.group(1)).strip()
        words = re.sub(r"的?(?:对[^，；。]*?处以)?罚款$", "", m.group(0)[len(m.group(1)):])
        fines.append(Fine(_multiple_value(m.group(2)), _multiple_value(m.group(3)), "multiple", base,
                          target=target, condition=condition, optional=_optional(clause, m), words=words))
        rest = rest.replace(m.group(0), "", 1)
    for m in _MULTIPLE_FIXED.finditer(rest):
        v = _multiple_value(m.group(2))
        fines.append(Fine(v, v, "multiple", m.group(1).strip(), target=target, condition=condition))
        rest = rest.replace(m.group(0), "", 1)
    for m in _RANGE_YUAN.finditer(rest):
        fines.append(Fine(parse_amount(m.group(2)), parse_amount(m.group(3)), "per_unit" if m.group(1) else "amount",
                          unit=m.group(1), target=target, condition=condition, optional=_optional(clause, m)))
        rest = rest.replace(m.group(0), "", 1)
    for m in _UPTO_YUAN.finditer(rest):
        fines.append(Fine(None, parse_amount(m.group(2)), "per_unit" if m.group(1) else "amount",
                          unit=m.group(1), target=target, condition=condition, optional=_optional(clause, m)))
        rest = rest.replace(m.group(0), "", 1)
    for m in _FROM_YUAN.finditer(rest):
        fines.append(Fine(parse_amount(m.group(1)), None, target=target, condition=condition))
        rest = rest.replace(m.group(0), "", 1)
    for m in _FIXED_YUAN.finditer(rest):
        v = parse_amount(m.group(2))
        fines.append(Fine(v, v, "per_unit" if m.group(1) else "amount", unit=m.group(1), target=target,
                          condition=condition))
        rest = rest.replace(m.group(0), "", 1)
    if not fines and _UNSPECIFIED.search(rest) and not _REFERENCE.search(clause):
        fines.append(Fine(kind="unspecified", target=target, condition=condition))
        rest = _UNSPECIFIED.sub("", rest)
    return fines, rest


def _clause_measures(clause: str, segment: str, condition: str | None) -> list[Measure]:
    out: list[Measure] = []
    seen: set[str] = set()
    for m in _DETENTION.finditer(clause):
        days = (cn_to_int(m.group(1)) or 0 if m.group(1) else 0, cn_to_int(m.group(2)) or 0)
        out.append(Measure("拘留", authority="公安机关", days=days, condition=condition))
        seen.add("拘留")
    body = _DETENTION.sub("", clause)
    for kind, rx in _MEASURES:
        m = rx.search(body)
        if not m or kind in seen:
            continue
        if kind == "公告" and "罚款" in body:
            continue
        if kind == "警告" and "预警" in body:
            continue
        optional = "可以" in body[: m.start()] or body.startswith("可")
        approval = kind == "责令停业、关闭" and _APPROVAL in segment
        out.append(Measure(kind, optional=optional, approval=approval, condition=condition, wording=m.group(0)))
        seen.add(kind)
    return out


def _items_of(ref: re.Match[str], available: list[int]) -> tuple[int, ...]:
    numbers: list[int] = []
    for m in _ONE_ITEM.finditer(ref.group(3)):
        a = cn_to_int(m.group(1)) or 0
        b = cn_to_int(m.group(2)) if m.group(2) else a
        numbers += range(a, (b or a) + 1)
    if ref.group(2):  # 除第三项以外
        return tuple(n for n in available if n not in numbers)
    return tuple(numbers)


_MONEYISH = re.compile(rf"{_NUM}(?:元|倍|日)|罚款|拘留")


_AUTHORITY = re.compile(r"^由.{0,60}?(?:部门|机构|政府|机关|海关)")
_BODY = r"(?:部门|机构|政府|机关|海关)"
# the deciding authority at the head of a clause: 由生态环境主管部门、海警机构按照职责分工 / 由地方人民政府指定的部门;
# "……境主管部门" where the source text lost the article's beginning
_AUTHORITY_HEAD = re.compile(rf"^(?:由|……)[^，；。]{{0,40}}?{_BODY}")
_AUTHORITY_MORE = re.compile(rf"^(?:、|和|或者|或|及)?[^，；。]{{0,20}}?{_BODY}")
_AUTHORITY_DUTY = re.compile(r"^(?:按照职责分工|按照职责|依据职责|根据职责|依照职责)")
_VERBS = re.compile(r"依法|向|将|对|责令|处|没收|予以|按照|吊销|给予|指定有|提出")


def _without_authority(clause: str) -> str:
    m = _AUTHORITY_HEAD.match(clause)
    if not m:
        return clause
    rest = clause[m.end():]
    while (more := _AUTHORITY_MORE.match(rest)) and not _VERBS.search(more.group(0)):
        rest = rest[more.end():]  # 、海警机构 / 生态环境主管部门 / 指定的部门: still the authority
    return _AUTHORITY_DUTY.sub("", rest)


_UNSPECIFIED_ONLY = re.compile(r"^(?:并|依法)?处以?罚款$")
_CORRECTION_ONLY = re.compile(r"^(?:责令(?:其)?(?:限期)?改正|限期改正)$")


def _statute_words(condition: str | None, clauses: list[str]) -> str:
    """The segment's penalty in the statute's words: the deciding authority and a bare 责令改正 left out (every
    罚则 orders correction), conditions, 或者, 可以, 按次, 对单位 and 以…计算 kept as written."""
    body = []
    for clause in clauses:
        clause = _without_authority(clause).strip()
        if clause and not _CORRECTION_ONLY.match(clause):
            body.append(clause)
    if not body:
        return ""
    text = "，".join(body)
    return f"{condition}，{text}" if condition and not text.startswith(condition) else text


def _is_condition(clause: str) -> bool:
    """A clause that states when what follows applies: 情节严重的, 拒不改正的, 对造成重大…事故的, 有违法所得的."""
    if _CONDITION_START.match(clause) or (clause.endswith("的") and re.search(r"元|倍", clause)):
        return True
    return clause.endswith("的") and not re.search(r"罚款|拘留", clause)


def _imposes(clause: str) -> bool:
    fines, _rest = _clause_fines(clause, None, None)
    return bool(fines or _clause_measures(clause, clause, None) or _REFERENCE.search(clause))


def _lead_condition(clauses: list[str], opens_paragraph: bool, pi: int) -> tuple[str | None, list[str]]:
    """Split a segment's opening clauses from what it imposes. Where they open a 款 with its own authority
    (由…部门), or open the article, they state the violation (dropped: the card shows it); elsewhere — 前款规定的
    固体废物为危险废物…的, 致使…，但不属于…的 — they are the condition of everything in the segment."""
    cut = next((i for i, c in enumerate(clauses) if _AUTHORITY.match(c)), None)
    violation = opens_paragraph and (cut is not None or pi == 1)
    if cut is None:
        cut = next((i for i, c in enumerate(clauses) if _imposes(c)), len(clauses))
    if not violation:  # the condition ends at its last "…的"; 报经有批准权的人民政府批准 belongs to the measure
        cut = max((i + 1 for i, c in enumerate(clauses[:cut]) if c.endswith("的")), default=0)
    head, body = clauses[:cut], clauses[cut:]
    if violation:  # keep what limits the penalty: 拒不执行的, 有前款第四项、第五项情形之一, 除依法承担赔偿责任外
        kept = [c for c in head if _CONDITION_START.match(c) or "前款" in c or c.startswith("除")]
    else:
        kept = [c.removeprefix("违反本法规定") for c in head if c != "违反本法规定"]
    return ("，".join(kept) or None), body


def parse_article(article: Article) -> PenaltyStructure:
    """Parse one 罚则 article into its violations, penalties (per segment) and references."""
    violations: list[tuple[int, int | None, str]] = []
    penalties: list[Penalty] = []
    references: list[str] = []
    unparsed: list[str] = []
    for pi, para in enumerate(article.paragraphs, start=1):
        lead = para.text
        if para.items:
            violations += [(pi, it.number, it.text) for it in para.items]
        elif lead:
            violations.append((pi, None, re.split(r"的，由|的，", lead, maxsplit=1)[0]))
        prev_items = [it.number for it in article.paragraphs[pi - 2].items] if pi > 1 else []
        own_items = [it.number for it in para.items]
        texts = [(t, t is lead) for t in (lead, para.tail) if t]
        # items that carry their own penalty clause ("（一）…的，处…罚款") are parsed as segments of their own
        texts += [(f"有第{int_to_cn(it.number)}项情形的，{it.text.split('的，', 1)[1]}", False)
                  for it in para.items if "的，" in it.text and _MONEYISH.search(it.text.split("的，", 1)[1])]
        for text, is_lead in texts:
            for ref in _REFERENCE.finditer(text):
                references.append(ref.group(0))
            for si, segment in enumerate(re.split(r"[；。]", text)):
                segment = segment.strip().rstrip("：:")
                if not segment:
                    continue
                pen, clauses = _segment_scope(segment, pi, own_items, prev_items)
                condition, clauses = _lead_condition(clauses, is_lead and si == 0 and not pen.scope, pi)
                unparsed += _parse_clauses(pen, clauses, segment, condition)
                pen.words = _statute_words(condition, clauses)
                if pen.fines or pen.measures or pen.words:
                    penalties.append(pen)
    return PenaltyStructure(article.law_name, article.number, violations, penalties, references, unparsed)


def _segment_scope(segment: str, pi: int, own_items: list[int], prev_items: list[int]) -> tuple[Penalty, list[str]]:
    """The segment's Penalty with the items it is limited to (有前款第一项、第三项情形之一的), and its other clauses."""
    clauses = [c.strip() for c in re.split(r"[，：]", segment) if c.strip()]
    ref = _ITEM_REF.search(segment)
    if not ref or ref.start() >= 6:
        return Penalty(pi), clauses
    own = ref.group(1) is None and own_items
    items = _items_of(ref, own_items if own else prev_items)
    scope = segment[: ref.end()] + ("的" if segment[ref.end():].startswith("的") else "")
    rest = [c for c in clauses if not (c in scope or scope.endswith(c))]
    return Penalty(pi, items, pi if own else pi - 1, scope=scope), rest


def _parse_clauses(pen: Penalty, clauses: list[str], segment: str, condition: str | None) -> list[str]:
    """Fill `pen` from the clauses that impose something; return the clauses with amounts not understood."""
    leftover: list[str] = []
    target: str | None = None
    after_condition = condition is not None
    for clause in clauses:
        # a threshold such as "违法所得10万元以上的" is a condition, not a fine
        money = _MONEYISH.search(clause) and not (clause.endswith("的") and "罚款" not in clause)
        if _is_condition(clause) and not money:
            # consecutive conditions read together: 其中，在地下水禁止开采区…的
            condition = f"{condition}，{clause}" if after_condition and condition else clause
            after_condition = True
            continue
        after_condition = False
        tm = _TARGET.search(clause)
        if tm and clause.removeprefix("并").startswith("对") and not _MONEYISH.search(clause):
            target = clause.removeprefix("并")  # "对法定代表人、…直接责任人员，处十万元…": the target of what follows
            continue
        if tm and ("罚款" in clause or "拘留" in clause):
            target = tm.group(0)
        fines, rest = _clause_fines(clause, target, condition)
        rest = _BASE_FLOOR.sub("", _DETENTION.sub("", rest))
        if not fines and _REFERENCE.search(clause) and "罚款" in clause:
            fines = [Fine(kind="reference", base=clause, condition=condition)]
        pen.add(fines, _clause_measures(clause, segment, condition))
        if _MONEYISH.search(rest) and not _REFERENCE.search(clause) and "罚款数额" not in clause:
            leftover.append(clause)
        elif "罚款数额为" in clause:  # 其中，污染物为工业噪声的，罚款数额为二万元以上二十万元以下
            m = re.search(rf"({_NUM})元以上({_NUM})元以下", clause)
            if m:
                pen.add([Fine(parse_amount(m.group(1)), parse_amount(m.group(2)), condition=condition)], [])
            else:
                leftover.append(clause)
    return leftover


# --- summary ---------------------------------------------------------------------------------------
_MEASURE_TEXT = {
    "限制生产、停产整治": "责令限制生产、停产整治",
    "吊销许可证": "吊销许可证",
    "没收": "没收违法所得等",
}
# measures shown in the statute's own words (吊销排污许可证, 没收原材料和产品, 责令停工整治或者停业整治)
_OWN_WORDS = {"限制生产、停产整治", "吊销许可证", "没收", "责令停业整治", "责令停工整治", "责令暂停销售"}


def summarize(structure: PenaltyStructure, item: int | None = None, paragraph: int | None = None) -> str:
    """The penalty in the statute's own words, without the violation and the deciding authority:
    处十万元以上一百万元以下的罚款，可以责令限制生产、停产整治；情节严重的，报经有批准权的人民政府批准，责令停业、关闭.
    Segments of a 款 are joined by "；"; over a whole article of several penalised 款, each 款 is named
    (第二款：前款规定的固体废物为危险废物…的，处二十万元以上二百万元以下的罚款…). Rewording the statute was tried and
    misstated it (责令停业 shown as 停业、关闭, 或者 read as 和); its own words cannot."""
    applicable = structure.applicable(item, paragraph)
    whole = item is None and paragraph is None
    groups: dict[int, list[str]] = {}
    for pen in applicable:
        text = pen.words
        if text and item is None and pen.scope and not text.startswith(pen.scope):
            text = f"{pen.scope}，{text}"
        if text and text not in groups.setdefault(pen.paragraph, []):
            groups[pen.paragraph].append(text)
    if item is not None and any(re.search(r"元|倍", part) for parts in groups.values() for part in parts):
        # 处以罚款 in a 款 whose amounts another 款 sets (第一千二百三十七条) says nothing the amounts do not
        groups = {pi: [p for p in parts if not _UNSPECIFIED_ONLY.match(p)] for pi, parts in groups.items()}
    groups = {pi: parts for pi, parts in groups.items() if parts}
    if not groups:
        return structure.references[0] if structure.references else ""
    if whole and len(groups) > 1:
        return "。".join(f"第{int_to_cn(pi)}款：" + "；".join(parts) for pi, parts in groups.items())
    return "。".join("；".join(parts) for parts in groups.values())


def _render_penalty(pen: Penalty, with_scope: bool, drop_unspecified: bool) -> str:
    out: list[str] = []
    last: object = None
    for x in pen.sequence:
        if isinstance(x, Fine):
            if drop_unspecified and x.kind == "unspecified":
                continue
            text = x.render()
            if x.target and x.target not in ("对单位",):
                text = f"{x.target}{text}"
        else:
            text = _measure_text(x)
        if not text:
            continue
        if x.condition and x.condition != last:
            text = f"{x.condition}，{text}"
        last = x.condition
        if text not in out:
            out.append(text)
    body = "，".join(out)
    if body and with_scope and pen.scope:
        body = f"{pen.scope}，{body}"
    return body


def _measure_text(m: Measure) -> str | None:
    if m.kind == "责令改正" and not m.condition:
        return None  # every 罚则 orders correction; keep the line short
    if m.kind == "拘留" and m.days:
        lo, hi = m.days
        return f"移送公安机关拘留{int_to_cn(lo)}日以上{int_to_cn(hi)}日以下" if lo else f"拘留{int_to_cn(hi)}日以下"
    text = _MEASURE_TEXT.get(m.kind, m.kind)
    if m.kind in _OWN_WORDS and m.wording:
        text = m.wording if m.wording.startswith(("责令", "没收", "吊销", "暂扣")) else f"责令{m.wording}"
    if m.approval:
        text = f"报批{text}"
    if m.optional:
        text = f"可{text}"
    return text
