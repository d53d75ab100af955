"""Exemption lists (免罚清单): typed loader, validation, look-ups, search and the /exempt decision dialog.

The data is authored YAML (knowledge/data/exemptions.yaml) written from the facts of published lists. Every
structured citation must resolve in the corpus; see the header of the YAML for the field meanings.
The dialog is pure: `ExemptDialog` replays the officer's yes/no answers over an item's conditions and ends
in a `Verdict` (不予处罚 / 可以不予处罚 / 不适用) that cites 行政处罚法第三十三条 and the list's dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge import texts
from knowledge.bm25 import TextIndex
from knowledge.corpus import Corpus, data_file
from knowledge.records import Cite, citing, parse_cites

EXEMPTIONS_FILE = "exemptions.yaml"
OUTCOMES = ("不予处罚", "可以不予处罚")
BRANCHES = ("轻微", "首违")
PENALTY_LAW = "中华人民共和国行政处罚法"


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


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
        violated=parse_cites(raw.get("violated")),
        penalty=parse_cites(raw.get("penalty")),
        code=parse_cites(raw.get("code")),
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


@lru_cache(maxsize=4)
def load_exemptions(path: Path | None = None) -> Exemptions:
    """The authored lists (cached per file)."""
    data = yaml.safe_load((path or data_file(EXEMPTIONS_FILE)).read_text(encoding="utf-8"))
    return Exemptions([_list(raw) for raw in data["lists"]])


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
    list_says = texts.LIST_SAYS_MAY if item.outcome == "可以不予处罚" else texts.LIST_SAYS_MUST
    status = lst.status(on)
    notes: list[str] = []
    if failed is not None:
        kind, text = "不适用", ""
        notes.append(texts.VERDICT_NOT_MET)
    elif item.branch == "轻微" and item.outcome == "不予处罚":
        kind, text = "不予处罚", ART33_MANDATORY
    else:
        kind, text = "可以不予处罚", ART33_DISCRETIONARY
        if item.outcome == "不予处罚":
            notes.append(texts.VERDICT_LIST_DECIDED)
    if kind != "不适用":
        notes.append(texts.VERDICT_EDUCATE.format(sentence=ART33_EDUCATE.removesuffix("。")))
        notes.append(texts.VERDICT_CODE_RESTATES)
    if status == "已失效":
        notes.append(texts.LIST_EXPIRED.format(day=lst.expires))
    elif status == "日期不明":
        notes.append(texts.LIST_DATE_UNKNOWN)
    elif status == "尚未施行":
        notes.append(texts.LIST_NOT_YET.format(day=lst.effective))
    if not lst.complete:
        notes.append(texts.LIST_INCOMPLETE)
    return Verdict(kind, item, basis, text, list_says, lst.validity(), status, failed, asked, tuple(notes))


def start_dialog(item: ExemptionItem, on: date | None = None) -> ExemptDialog:
    return ExemptDialog(item, on=on)
