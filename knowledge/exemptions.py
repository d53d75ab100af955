"""Exemption lists (免罚清单): typed loader, validation, look-ups, search and the /exempt decision dialog.

The data is authored YAML (knowledge/data/exemptions.yaml) written from the facts of published lists. Every
structured citation must resolve in the corpus; see the header of the YAML for the field meanings.
The dialog is pure: `ExemptDialog` replays the officer's yes/no answers over an item's conditions and ends
in a `Verdict` (不予处罚 / 可以不予处罚 / 不适用) that cites 行政处罚法第三十三条 and the list's dates.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

import yaml

from knowledge.citations import format_citation
from knowledge.corpus import Corpus, data_file, normalize_law_name
from knowledge.model import CODE_NAME

EXEMPTIONS_FILE = "exemptions.yaml"
OUTCOMES = ("不予处罚", "可以不予处罚")
BRANCHES = ("轻微", "首违")
PENALTY_LAW = "中华人民共和国行政处罚法"
T = TypeVar("T")


# --- citations -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cite:
    """A structured citation: law as named in the corpus, article, optional 款 and 项."""

    law: str
    article: int
    paragraph: int | None = None
    item: int | None = None

    @classmethod
    def parse(cls, raw: Sequence) -> Cite:
        if not isinstance(raw, (list, tuple)) or not 2 <= len(raw) <= 4:
            raise ValueError(f"citation must be [law, article, paragraph, item]: {raw!r}")
        law, article, *rest = list(raw) + [None] * (4 - len(raw))
        if not isinstance(law, str) or not isinstance(article, int):
            raise ValueError(f"bad citation {raw!r}")
        paragraph, item = rest[0], rest[1]
        return cls(law, article, paragraph or None, item or None)

    @property
    def short_law(self) -> str:
        return self.law.removeprefix("中华人民共和国")

    @property
    def is_code(self) -> bool:
        return normalize_law_name(self.law) == normalize_law_name(CODE_NAME)

    def label(self, short: bool = True) -> str:
        """《大气污染防治法》第九十九条第二项 (short) or with the full law name."""
        return format_citation(self.law, self.article, self.paragraph, self.item, short=short)

    def key(self) -> tuple[str, int]:
        return normalize_law_name(self.law), self.article

    def problem(self, corpus: Corpus) -> str | None:
        """None when the law, article, 款 and 项 all exist in the corpus; otherwise what is missing."""
        law = corpus.law(self.law)
        if law is None:
            return f"{self.label(False)}: law not in corpus"
        if law.name != self.law:
            return f"{self.label(False)}: law must be named as in the corpus ({law.name})"
        article = law.articles.get(self.article)
        if article is None:
            return f"{self.label(False)}: no such article"
        if self.paragraph and article.paragraph(self.paragraph) is None:
            return f"{self.label(False)}: no such 款"
        if self.item and article.item(self.item, self.paragraph) is None:
            return f"{self.label(False)}: no such 项"
        return None


def _cites(raw: Iterable | None) -> tuple[Cite, ...]:
    return tuple(Cite.parse(c) for c in raw or ())


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _successor_keys(cite: Cite) -> set[tuple[str, int]]:
    """Code articles carrying an old article (through knowledge.mapping when it is available)."""
    try:
        from knowledge.mapping import successors
    except ImportError:  # the mapping module is optional for this module
        return set()
    try:
        found = successors(cite.law, cite.article, cite.item)
    except (FileNotFoundError, KeyError, ValueError):
        return set()
    return {(normalize_law_name(CODE_NAME), int(n)) for n, _conf in found}


# --- model -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Condition:
    """A yes/no question and the answer the item requires; with `any_of`, one alternative suffices."""

    ask: str
    need: bool = True
    any_of: tuple[Condition, ...] = ()

    @classmethod
    def parse(cls, raw: dict) -> Condition:
        if "any_of" in raw:
            alts = tuple(cls.parse(a) for a in raw["any_of"])
            if len(alts) < 2:
                raise ValueError("any_of needs at least two alternatives")
            return cls(ask=raw.get("ask", "符合下列情形之一"), need=True, any_of=alts)
        if not isinstance(raw.get("need"), bool) or not str(raw.get("ask", "")).strip():
            raise ValueError(f"condition needs ask and a yes/no need: {raw!r}")
        return cls(ask=str(raw["ask"]).strip(), need=raw["need"])

    def questions(self) -> tuple[Condition, ...]:
        return self.any_of or (self,)


@dataclass
class ExemptionItem:
    id: str
    list_id: str
    no: str
    area: str
    title: str
    behaviour: str
    violated: tuple[Cite, ...]
    penalty: tuple[Cite, ...]
    code: tuple[Cite, ...]
    outcome: str
    branch: str
    conditions: tuple[Condition, ...]
    unresolved: tuple[str, ...] = ()
    code_note: str = ""
    notes: str = ""
    articles_by: str = "清单"
    exemption_list: ExemptionList | None = field(default=None, repr=False, compare=False)

    @property
    def citations(self) -> tuple[Cite, ...]:
        return self.violated + self.penalty + self.code

    @property
    def all_conditions(self) -> tuple[Condition, ...]:
        general = self.exemption_list.general_conditions if self.exemption_list else ()
        return self.conditions + general

    @property
    def region(self) -> str:
        return self.exemption_list.region if self.exemption_list else ""

    def search_text(self) -> dict[str, str]:
        lst = self.exemption_list
        return {
            "title": self.title,
            "behaviour": self.behaviour,
            "area": self.area,
            "region": f"{lst.region} {lst.title}" if lst else "",
            "conditions": " ".join(q.ask for c in self.conditions for q in c.questions()),
        }


@dataclass
class ExemptionList:
    id: str
    title: str
    issuer: str
    region: str
    effective: date | None
    expires: date | None
    date_note: str
    complete: bool
    total_items: int | None
    source_url: str
    penalty_by: str
    notes: str
    general_conditions: tuple[Condition, ...]
    items: list[ExemptionItem]
    corpus_law: str | None = None

    def status(self, on: date | None = None) -> str:
        """现行 / 已失效 / 尚未施行 / 日期不明 on the given day (today by default)."""
        on = on or date.today()
        if self.effective and on < self.effective:
            return "尚未施行"
        if self.expires and on > self.expires:
            return "已失效"
        if self.effective is None:
            return "日期不明"
        return "现行"

    def validity(self) -> str:
        start = self.effective.isoformat() if self.effective else "施行日期不明"
        end = self.expires.isoformat() if self.expires else "有效期不明"
        return f"{start} 至 {end}"


# --- loading and validation ------------------------------------------------------------------------
def _item(raw: dict, lst: ExemptionList) -> ExemptionItem:
    item = ExemptionItem(
        id=str(raw["id"]),
        list_id=lst.id,
        no=str(raw["number"]),
        area=str(raw["area"]),
        title=str(raw["title"]).strip(),
        behaviour=str(raw["behaviour"]).strip(),
        violated=_cites(raw.get("violated")),
        penalty=_cites(raw.get("penalty")),
        code=_cites(raw.get("code")),
        outcome=str(raw["outcome"]),
        branch=str(raw["branch"]),
        conditions=tuple(Condition.parse(c) for c in raw["conditions"]),
        unresolved=tuple(str(u) for u in raw.get("unresolved") or ()),
        code_note=str(raw.get("code_note") or ""),
        notes=str(raw.get("notes") or ""),
        articles_by=str(raw.get("articles_by") or "清单"),
        exemption_list=lst,
    )
    if item.outcome not in OUTCOMES or item.branch not in BRANCHES:
        raise ValueError(f"{item.id}: outcome must be one of {OUTCOMES}, branch one of {BRANCHES}")
    if not item.conditions:
        raise ValueError(f"{item.id}: no conditions")
    return item


def _list(raw: dict) -> ExemptionList:
    lst = ExemptionList(
        id=str(raw["id"]),
        title=str(raw["title"]),
        issuer=str(raw["issuer"]),
        region=str(raw["region"]),
        effective=_date(raw.get("effective")),
        expires=_date(raw.get("expires")),
        date_note=str(raw.get("date_note") or ""),
        complete=bool(raw.get("complete")),
        total_items=raw.get("total_items"),
        source_url=str(raw["source_url"]),
        penalty_by=str(raw.get("penalty_by") or ""),
        notes=" ".join(str(raw.get("notes") or "").split()),
        general_conditions=tuple(Condition.parse(c) for c in raw.get("general_conditions") or ()),
        items=[],
        corpus_law=raw.get("corpus_law"),
    )
    lst.items = [_item(r, lst) for r in raw["items"]]
    return lst


class Exemptions:
    """All lists and items, with look-ups by id and by cited article, and a question search."""

    def __init__(self, lists: list[ExemptionList]):
        self.lists = lists
        self.items: list[ExemptionItem] = [it for lst in lists for it in lst.items]
        self._by_id = {it.id: it for it in self.items}
        self._lists = {lst.id: lst for lst in lists}
        if len(self._by_id) != len(self.items) or len(self._lists) != len(lists):
            raise ValueError("duplicate list or item id")
        self._index: TextIndex[ExemptionItem] | None = None

    def item(self, item_id: str) -> ExemptionItem | None:
        return self._by_id.get(item_id)

    def list(self, list_id: str) -> ExemptionList | None:
        return self._lists.get(list_id)

    def validate(self, corpus: Corpus) -> list[str]:
        """Problems: citations that do not resolve, items without any article, bad list dates."""
        problems = []
        for lst in self.lists:
            if lst.effective and lst.expires and lst.expires < lst.effective:
                problems.append(f"{lst.id}: expires before effective")
            if lst.complete and lst.total_items is not None and lst.total_items != len(lst.items):
                problems.append(f"{lst.id}: {len(lst.items)} items, list has {lst.total_items}")
            if lst.corpus_law and corpus.law(lst.corpus_law) is None:
                problems.append(f"{lst.id}: corpus_law {lst.corpus_law} not in corpus")
        for it in self.items:
            for cite in it.citations:
                if (p := cite.problem(corpus)) is not None:
                    problems.append(f"{it.id}: {p}")
            if any(not c.is_code for c in it.code):
                problems.append(f"{it.id}: code lists a law other than the Code")
            if not it.citations and not it.unresolved:
                problems.append(f"{it.id}: cites nothing")
            if not it.code and not it.code_note:
                problems.append(f"{it.id}: no Code successor and no note saying why")
        return problems

    def citing(self, law: str, article: int, successors: bool = True) -> list[tuple[ExemptionItem, str]]:
        """Items citing the article, with how: violated / penalty / code (direct), or 法典承接 via the
        old→Code map (an old article whose Code successor an item cites, or the reverse)."""
        return citing(self.items, law, article, successors)

    @property
    def index(self) -> TextIndex[ExemptionItem]:
        if self._index is None:
            self._index = TextIndex(self.items, ExemptionItem.search_text, FIELD_WEIGHTS)
        return self._index

    def search(self, question: str, k: int = 5, on: date | None = None) -> list[tuple[ExemptionItem, float]]:
        """Items for an officer's question. A region named in the question narrows to that region's lists."""
        regions = {lst.id for lst in self.lists if _mentions_region(question, lst.region)}
        hits = self.index.search(question, k=len(self.items))
        if regions:
            hits = [(it, s) for it, s in hits if it.list_id in regions] or hits
        ranked = sorted(hits, key=lambda h: -(h[1] * _prior(h[0], on)))
        return [(it, round(s * _prior(it, on), 4)) for it, s in ranked[:k]]


FIELD_WEIGHTS = {"title": 3.0, "behaviour": 2.0, "area": 1.0, "region": 0.5, "conditions": 0.6}


def _prior(item: ExemptionItem, on: date | None) -> float:
    """Prefer complete lists and lists in force: the officer most likely asks about those."""
    lst = item.exemption_list
    if lst is None:
        return 1.0
    weight = 1.0 if lst.complete else 0.97
    return weight * (1.0 if lst.status(on) == "现行" else 0.99)


_REGION_SUFFIX = re.compile(r"(省|市|县|区|自治区)$")


def _mentions_region(question: str, region: str) -> bool:
    """True when the question names the list's most specific place (江门, 临沂, 黑龙江, 馆陶 …)."""
    parts = re.findall(r"[^省市县区]+(?:自治区|省|市|县|区)", region) or [region]
    place = _REGION_SUFFIX.sub("", parts[-1])
    return bool(place) and place in question


def citing(items: Iterable, law: str, article: int, successors: bool = True) -> list[tuple]:
    """Shared by exemptions and cases: records whose `violated`/`penalty`/`applied`/`code` cite the article."""
    key = (normalize_law_name(law), article)
    code_key = normalize_law_name(CODE_NAME)
    query_successors = _successor_keys(Cite(law, article)) if successors and key[0] != code_key else set()
    found = []
    for rec in items:
        how = ""
        for name in ("violated", "penalty", "applied", "code"):
            if any(c.key() == key for c in getattr(rec, name, ())):
                how = name
                break
        if not how and successors:
            code_keys = {c.key() for c in rec.code}
            if query_successors & code_keys:
                how = "法典承接"
            elif key[0] == code_key:
                olds = [c for c in rec.citations if not c.is_code]
                if any(key in _successor_keys(c) for c in olds):
                    how = "法典承接"
        if how:
            found.append((rec, how))
    return found


@lru_cache(maxsize=4)
def _load(path: str) -> Exemptions:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return Exemptions([_list(raw) for raw in data["lists"]])


def load_exemptions(path: Path | None = None) -> Exemptions:
    """The authored lists (cached per file)."""
    return _load(str(path or data_file(EXEMPTIONS_FILE)))


# --- search ----------------------------------------------------------------------------------------
# Officers' words for things the lists name formally, on top of knowledge/data/synonyms.yaml.
EXTRA_SYNONYMS: dict[str, list[str]] = {
    "标识": ["识别标志", "标志"], "标签": ["识别标志", "标志"], "牌子": ["标志", "标识牌"], "没贴": ["未设置"],
    "没挂": ["未设置"], "标志牌": ["标识牌"], "在线": ["自动监测"], "在线监测": ["自动监测"], "掉线": ["联网", "正常运行"],
    "联网": ["联网"], "起尘": ["扬尘"], "料堆": ["物料", "扬尘"], "砂石": ["砂土", "物料"], "堆场": ["物料", "扬尘"],
    "没盖": ["密闭", "覆盖"], "苫盖": ["覆盖"], "喷漆": ["挥发性有机物"], "VOCs": ["挥发性有机物"], "VOC": ["挥发性有机物"],
    "有机废气": ["挥发性有机物"], "氟利昂": ["消耗臭氧层物质"], "制冷剂": ["消耗臭氧层物质"], "臭氧": ["消耗臭氧层物质"],
    "粪污": ["畜禽粪污"], "养猪场": ["畜禽", "养殖"], "猪场": ["畜禽", "养殖"], "养殖场": ["畜禽", "养殖"],
    "台帐": ["台账"], "记录": ["台账", "记录"], "执行报告": ["执行报告"], "公示": ["公开"], "没公开": ["公开"],
    "危废间": ["贮存", "危险废物"], "暂存间": ["贮存"], "混放": ["混入"], "混着": ["混入"], "故障": ["突发故障"],
    "坏了": ["故障", "突发故障"], "停运": ["不正常运行"], "没开": ["不正常运行"], "旁路": ["应急排放通道"],
    "噪音": ["噪声"], "隔音": ["噪声", "防治设施"], "拆了": ["拆除"], "停用": ["闲置"], "土壤调查": ["土壤污染状况调查"],
    "地块": ["土壤污染状况调查", "建设用地"], "自测": ["自行监测"], "自检": ["自行监测"], "验收报告": ["验收报告", "公开"],
    "没验收": ["验收"], "没批": ["报批", "未批先建"], "没环评": ["未批先建", "报批"], "补办": ["备案", "改正"],
    "改扩建": ["改建", "扩建"], "锅炉": ["锅炉"], "预案": ["应急预案"], "应急": ["应急预案"], "档案": ["档案"],
    "实验室": ["实验室"], "后评价": ["后评价"], "尾矿": ["尾矿库"], "垃圾焚烧": ["生活垃圾处理单位"], "焚烧厂": ["生活垃圾处理单位"],
    "申报": ["申报登记"], "管理计划": ["管理计划"], "超五年": ["超过五年", "重新审核"], "五年": ["重新审核"],
    "重大变动": ["重大变动", "重新报批"], "设计": ["初步设计"], "施工合同": ["施工合同"], "色度": ["色度"], "pH": ["pH"],
    "ph": ["pH"], "有毒有害": ["有毒有害水污染物"], "后期管理": ["后期管理"], "修复": ["修复"],
}


def _analysis() -> tuple[Callable[[str], list[str]], Callable[[list[str]], list[tuple[str, float]]]]:
    from knowledge.analysis import expand, words

    return words, expand


class TextIndex(Generic[T]):
    """BM25 over jieba words (project analysis: domain dictionary, stop words, synonyms) of weighted fields.

    Small collections only (hundreds of records): everything is kept in dictionaries, a query is a few
    dictionary look-ups per term.
    """

    K1 = 1.2
    B = 0.6

    def __init__(self, records: Sequence[T], fields: Callable[[T], dict[str, str]], weights: dict[str, float]):
        words, _ = _analysis()
        self.records = list(records)
        self._tf: list[Counter[str]] = []
        for rec in self.records:
            tf: Counter[str] = Counter()
            for name, text in fields(rec).items():
                w = weights.get(name, 1.0)
                for token in words(text):
                    tf[token] += w
            self._tf.append(tf)
        self._len = [sum(tf.values()) for tf in self._tf]
        self._avg = sum(self._len) / max(len(self._len), 1)
        df: Counter[str] = Counter()
        for tf in self._tf:
            df.update(tf.keys())
        n = len(self._tf)
        self._idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self._postings: dict[str, list[int]] = {}
        for i, tf in enumerate(self._tf):
            for t in tf:
                self._postings.setdefault(t, []).append(i)

    def terms(self, question: str) -> list[tuple[str, float]]:
        words, expand = _analysis()
        tokens = words(question)
        weights = dict(expand(tokens))
        for token in tokens:
            for target in EXTRA_SYNONYMS.get(token, ()):
                for word in words(target) or [target]:
                    weights[word] = max(weights.get(word, 0.0), 0.8)
        for key, targets in EXTRA_SYNONYMS.items():  # multi-character slang jieba may split differently
            if len(key) > 1 and key in question and key not in weights:
                for target in targets:
                    for word in words(target) or [target]:
                        weights[word] = max(weights.get(word, 0.0), 0.8)
        return list(weights.items())

    def search(self, question: str, k: int = 5) -> list[tuple[T, float]]:
        scores: dict[int, float] = {}
        for term, qw in self.terms(question):
            idf = self._idf.get(term)
            if idf is None:
                continue
            for i in self._postings[term]:
                tf = self._tf[i][term]
                norm = tf * (self.K1 + 1) / (tf + self.K1 * (1 - self.B + self.B * self._len[i] / self._avg))
                scores[i] = scores.get(i, 0.0) + qw * idf * norm
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(self.records[i], s) for i, s in ranked[:k]]


# --- the /exempt dialog -----------------------------------------------------------------------------
ART33_MANDATORY = "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。"
ART33_DISCRETIONARY = "初次违法且危害后果轻微并及时改正的，可以不予行政处罚。"
ART33_EDUCATE = "对当事人的违法行为依法不予行政处罚的，行政机关应当对当事人进行教育。"
VERDICTS = ("不予处罚", "可以不予处罚", "不适用")


@dataclass(frozen=True)
class Verdict:
    kind: str  # 不予处罚 / 可以不予处罚 / 不适用
    item: ExemptionItem
    basis: Cite  # 行政处罚法第三十三条第一款
    basis_text: str  # the sentence of 第三十三条第一款 the verdict rests on ("" for 不适用)
    list_says: str  # what the list itself says for this item
    validity: str  # the list's dates
    status: str  # 现行 / 已失效 / 尚未施行 / 日期不明 on the day asked
    failed: Condition | None = None  # the condition that ruled the item out
    answers: tuple[tuple[str, bool], ...] = ()
    notes: tuple[str, ...] = ()


@dataclass
class ExemptDialog:
    """The /exempt conversation over one item: ask each condition, allow one step back, cancel, decide.

    State is just the answers given so far; every property is recomputed by replaying them, so going back
    is dropping the last answer and the dialog can be stored as (item id, answers).
    """

    item: ExemptionItem
    answers: list[bool] = field(default_factory=list)
    cancelled: bool = False
    on: date | None = None

    # -- replay ---------------------------------------------------------------------------------------
    def _replay(self) -> tuple[Condition | None, Condition | None, list[tuple[str, bool]]]:
        """(next question or None, failed condition or None, the questions answered so far)."""
        given = list(self.answers)
        asked: list[tuple[str, bool]] = []
        for cond in self.item.all_conditions:
            alternatives = cond.questions()
            satisfied = False
            for alt in alternatives:
                if not given:
                    return alt, None, asked
                answer = given.pop(0)
                asked.append((alt.ask, answer))
                if answer == alt.need:
                    satisfied = True
                    break
                if not cond.any_of:
                    return None, alt, asked
            if not satisfied:
                return None, cond, asked
        return None, None, asked

    @property
    def question(self) -> Condition | None:
        """The condition to ask now, or None when the dialog is over (verdict or cancelled)."""
        return None if self.cancelled else self._replay()[0]

    @property
    def step(self) -> int:
        return len(self.answers) + 1

    @property
    def finished(self) -> bool:
        return self.cancelled or self.question is None

    @property
    def can_go_back(self) -> bool:
        return bool(self.answers) and not self.cancelled

    # -- transitions ----------------------------------------------------------------------------------
    def answer(self, yes: bool) -> ExemptDialog:
        if self.finished:
            raise ValueError("the dialog is over")
        self.answers.append(bool(yes))
        return self

    def back(self) -> ExemptDialog:
        """Undo the last answer (also from a verdict). No effect at the first question."""
        if self.cancelled:
            raise ValueError("the dialog was cancelled")
        if self.answers:
            self.answers.pop()
        return self

    def cancel(self) -> ExemptDialog:
        self.cancelled = True
        return self

    # -- outcome --------------------------------------------------------------------------------------
    def verdict(self) -> Verdict | None:
        if self.cancelled:
            return None
        question, failed, asked = self._replay()
        if question is not None:
            return None
        return decide(self.item, failed, tuple(asked), self.on)


def decide(item: ExemptionItem, failed: Condition | None, asked: tuple[tuple[str, bool], ...] = (),
           on: date | None = None) -> Verdict:
    lst = item.exemption_list
    assert lst is not None
    basis = Cite(PENALTY_LAW, 33, 1)
    list_says = "依法可以不予行政处罚" if item.outcome == "可以不予处罚" else "不予行政处罚"
    status = lst.status(on)
    notes: list[str] = []
    if failed is not None:
        kind, text = "不适用", ""
        notes.append("不符合本清单项的条件，本项不能作为不予处罚的依据；是否另有从轻、减轻情节，按裁量基准个案判断。")
    elif item.branch == "轻微" and item.outcome == "不予处罚":
        kind, text = "不予处罚", ART33_MANDATORY
    else:
        kind, text = "可以不予处罚", ART33_DISCRETIONARY
        if item.outcome == "不予处罚":
            notes.append("法律上属于“可以不予处罚”的裁量情形；本清单已统一裁量，对符合条件的规定为不予行政处罚。")
    if kind != "不适用":
        notes.append(ART33_EDUCATE.replace("。", "（第三十三条第三款）。"))
        notes.append("生态环境法典第一千零五十六条第二款（2026-08-15施行）重申了上述两种不予处罚情形。")
    if status == "已失效":
        notes.append(f"清单已于{lst.expires}失效：只能说明当时的决定，现在办案请核对当地现行清单。")
    elif status == "日期不明":
        notes.append("清单施行日期不明，使用前请核对原文。")
    elif status == "尚未施行":
        notes.append(f"清单自{lst.effective}起施行，此前不适用。")
    if not lst.complete:
        notes.append("本清单只收录了部分条目（来源不完整）。")
    return Verdict(kind, item, basis, text, list_says, lst.validity(), status, failed, asked, tuple(notes))


def start_dialog(item: ExemptionItem, on: date | None = None) -> ExemptDialog:
    return ExemptDialog(item, on=on)
