"""Statutory deadline rules (scheduler/data/deadlines.yaml) and the deadlines of one case.

    rules = load_rules()                                  # validated; raises RuleDataError
    deadlines = compute_deadlines({"立案": date(2025, 9, 1)}, now=date(2025, 9, 20))
    for d in deadlines: d.rule.name, d.due, d.status, d.citation

`check_citations(rules, corpus)` verifies every citation and quote against the legal corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import yaml

from knowledge.citations import format_citation
from knowledge.cnnum import int_to_cn
from scheduler.calendar import CalendarRangeError, WorkCalendar, default_calendar

PERIOD_UNITS = ("日", "工作日", "月", "年", "小时")
DIRECTIONS = ("within", "before", "after")
BINDS = ("机关", "当事人")
HOLIDAY_POLICIES = ("extend", "silent")
SURCHARGE_RATE = Decimal("0.03")  # 行政处罚法第七十二条第一款第一项


class RuleDataError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("期限规则数据有误：\n" + "\n".join(f"- {p}" for p in problems))


class UnknownEventError(ValueError):
    def __init__(self, name: str, known: Iterable[str]):
        self.name = name
        super().__init__(f"未知的案件事件“{name}”。可记录的事件：{'、'.join(known)}")


# --- the rule model --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Citation:
    law: str
    article: int
    paragraph: int | None = None
    item: int | None = None

    def format(self) -> str:
        """《行政处罚法》第六十四条第一款第二项"""
        return format_citation(self.law, self.article, self.paragraph, self.item, short=True)


@dataclass(frozen=True)
class Quoted:
    cite: Citation
    quote: str


@dataclass(frozen=True)
class Period:
    n: int
    unit: str

    def __str__(self) -> str:
        return {"工作日": f"{self.n}个工作日", "月": f"{self.n}个月"}.get(self.unit, f"{self.n}{self.unit}")


@dataclass(frozen=True)
class Extension:
    n: int
    unit: str
    condition: str


@dataclass(frozen=True)
class Counting:
    key: str
    name: str
    holiday_end: str
    workday_days: frozenset[int] = frozenset()
    workday_max: int = 0
    workday_all: bool = False
    workday_basis: Quoted | None = None
    holiday_basis: tuple[Quoted, ...] = ()
    notes: str = ""

    def is_workday_period(self, n: int) -> bool:
        """Whether the law turns “n日” into n working days."""
        return self.workday_all or n in self.workday_days or (0 < n <= self.workday_max)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    period: Period
    direction: str
    binds: str
    counting: Counting
    cite: Citation
    quote: str
    trigger: str | None = None
    trigger_rules: tuple[str, ...] = ()
    condition: str = ""
    extension: Extension | None = None
    done_by: tuple[str, ...] = ()
    notes: str = ""
    # the rule governs only when its trigger event falls in [applies_from, applies_before) — e.g. an act that
    # ended before the Code took effect keeps the old law's period (从旧兼从轻); the card shows applies_note
    applies_from: date | None = None
    applies_before: date | None = None
    applies_note: str = ""

    def governs(self, start: date | datetime) -> bool:
        day = start.date() if isinstance(start, datetime) else start
        if self.applies_from and day < self.applies_from:
            return False
        return not (self.applies_before and day >= self.applies_before)

    @property
    def citation(self) -> str:
        return self.cite.format()

    @property
    def rolls_on_holiday(self) -> bool:
        """Whether a last day on a non-working day moves to the next working day.

        The law says so (extend), or the law is silent and the period binds the party: then waiting
        for the next working day never makes the authority act too early. The authority's own periods
        are not moved when the law is silent, so its reminder comes on the stricter date.
        """
        if self.period.unit in ("工作日", "小时") or self.direction == "before":
            return False
        return self.counting.holiday_end == "extend" or self.binds == "当事人"


@dataclass
class RuleSet:
    rules: dict[str, Rule]
    events: dict[str, str]
    aliases: dict[str, str]
    counting: dict[str, Counting]
    silent: list[dict[str, Any]] = field(default_factory=list)

    def rule(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def event(self, name: str) -> str | None:
        """Canonical event name for a name or alias (None when unknown)."""
        name = name.strip()
        if name in self.events:
            return name
        return self.aliases.get(name)

    def triggered_by(self, event: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.trigger == event]


# --- loading and validation -----------------------------------------------------------------------
def _data_file(name: str) -> Path:
    return Path(str(resources.files("scheduler") / "data" / name))


def _citation(raw: Any, where: str, problems: list[str]) -> Citation | None:
    if not isinstance(raw, Mapping) or not raw.get("law") or not isinstance(raw.get("article"), int):
        problems.append(f"{where}: cite 需要 law 和整数 article")
        return None
    for key in ("paragraph", "item"):
        if raw.get(key) is not None and (not isinstance(raw[key], int) or raw[key] < 1):
            problems.append(f"{where}: cite.{key} 应为正整数")
            return None
    return Citation(str(raw["law"]), raw["article"], raw.get("paragraph"), raw.get("item"))


def _quoted(raw: Any, where: str, problems: list[str]) -> Quoted | None:
    if not isinstance(raw, Mapping) or not raw.get("quote"):
        problems.append(f"{where}: 需要 cite 和 quote")
        return None
    cite = _citation(raw.get("cite"), where, problems)
    return Quoted(cite, str(raw["quote"])) if cite else None


def _counting(key: str, raw: Mapping[str, Any], problems: list[str]) -> Counting | None:
    where = f"counting.{key}"
    policy = raw.get("holiday_end")
    if policy not in HOLIDAY_POLICIES:
        problems.append(f"{where}: holiday_end 应为 {HOLIDAY_POLICIES}")
        return None
    wd = raw.get("workdays") or {}
    basis = _quoted(raw["workday_basis"], where, problems) if raw.get("workday_basis") else None
    if (wd.get("days") or wd.get("max_days") or wd.get("all")) and basis is None:
        problems.append(f"{where}: 按工作日计算需要 workday_basis")
    holiday_basis = tuple(q for q in (_quoted(h, where, problems) for h in raw.get("holiday_basis") or []) if q)
    if policy == "extend" and not holiday_basis:
        problems.append(f"{where}: holiday_end=extend 需要 holiday_basis")
    return Counting(
        key=key,
        name=str(raw.get("name") or key),
        holiday_end=policy,
        workday_days=frozenset(int(d) for d in wd.get("days") or []),
        workday_max=int(wd.get("max_days") or 0),
        workday_all=bool(wd.get("all")),
        workday_basis=basis,
        holiday_basis=holiday_basis,
        notes=str(raw.get("notes") or ""),
    )


def _applies(raw: Any, where: str, problems: list[str]) -> tuple[date | None, date | None, str]:
    """applies: {from: YYYY-MM-DD, before: YYYY-MM-DD, note: …} (the trigger event's date window)."""
    if not raw:
        return None, None, ""
    try:
        start = date.fromisoformat(str(raw["from"])) if raw.get("from") else None
        end = date.fromisoformat(str(raw["before"])) if raw.get("before") else None
    except ValueError:
        problems.append(f"{where}: applies 的 from / before 应为日期 YYYY-MM-DD")
        return None, None, ""
    if not (start or end) or not raw.get("note"):
        problems.append(f"{where}: applies 需要 from 或 before，以及向办案人员说明的 note")
    return start, end, " ".join(str(raw.get("note") or "").split())


def normalize_text(text: str) -> str:
    """For comparing quotes with article text: no whitespace, one kind of quotation mark."""
    text = re.sub(r"\s+", "", text)
    return re.sub("[“”„‟＂]", '"', text).translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def _mentions_number(quote: str, n: int) -> bool:
    q = normalize_text(quote)
    forms = {str(n), int_to_cn(n)} | ({"两"} if n == 2 else set()) | ({"每日"} if n == 1 else set())
    return any(f in q for f in forms)


def parse_rules(data: Mapping[str, Any]) -> RuleSet:
    """Build and validate a RuleSet from the YAML structure; raises RuleDataError listing every problem."""
    problems: list[str] = []
    events = {str(k): str(v) for k, v in (data.get("events") or {}).items()}
    aliases = {str(k): str(v) for k, v in (data.get("aliases") or {}).items()}
    for alias, target in aliases.items():
        if target not in events:
            problems.append(f"aliases.{alias}: 指向未知事件 {target}")
    counting = {}
    for key, raw in (data.get("counting") or {}).items():
        c = _counting(str(key), raw or {}, problems)
        if c:
            counting[c.key] = c

    rules: dict[str, Rule] = {}
    for i, raw in enumerate(data.get("rules") or []):
        rid = str(raw.get("id") or f"#{i}")
        where = f"rules.{rid}"
        before = len(problems)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", rid):
            problems.append(f"{where}: id 只能用小写字母、数字和下划线")
        if rid in rules:
            problems.append(f"{where}: id 重复")
        for key in ("name", "period", "direction", "binds", "counting", "cite", "quote"):
            if not raw.get(key):
                problems.append(f"{where}: 缺少 {key}")
        if len(problems) > before:
            continue
        period_raw = raw["period"]
        n, unit = period_raw.get("n"), period_raw.get("unit")
        if not isinstance(n, int) or n <= 0 or unit not in PERIOD_UNITS:
            problems.append(f"{where}: period 应为正整数 n 和单位 {PERIOD_UNITS}")
            continue
        if raw["direction"] not in DIRECTIONS:
            problems.append(f"{where}: direction 应为 {DIRECTIONS}")
        if raw["binds"] not in BINDS:
            problems.append(f"{where}: binds 应为 {BINDS}")
        trigger, trigger_rules = raw.get("trigger"), tuple(raw.get("trigger_rules") or ())
        if bool(trigger) == bool(trigger_rules):
            problems.append(f"{where}: trigger 和 trigger_rules 必须且只能有一个")
        if trigger and trigger not in events:
            problems.append(f"{where}: trigger {trigger} 不在 events 中")
        for dep in trigger_rules:
            if dep not in rules:
                problems.append(f"{where}: trigger_rules 引用的 {dep} 不存在或不在本规则之前")
        for ev in raw.get("done_by") or []:
            if ev not in events:
                problems.append(f"{where}: done_by {ev} 不在 events 中")
        count = counting.get(raw["counting"])
        if count is None:
            problems.append(f"{where}: 未知的 counting {raw['counting']}")
            continue
        quote = str(raw["quote"])
        if unit == "日" and count.is_workday_period(n):
            problems.append(f"{where}: {count.name}规定“{n}日”按工作日计算，unit 应为 工作日")
        if unit == "工作日" and not count.is_workday_period(n) and "工作日" not in quote:
            problems.append(f"{where}: unit=工作日 但条文未写工作日，{count.name}也未把“{n}日”规定为工作日")
        if unit == "小时" and raw["direction"] != "within":
            problems.append(f"{where}: 按小时计算的期限只支持 within")
        if not _mentions_number(quote, n):
            problems.append(f"{where}: quote 中没有期间数字 {n}")
        ext = None
        if raw.get("extension"):
            e = raw["extension"]
            if not isinstance(e.get("n"), int) or e.get("unit") not in ("日", "工作日", "月", "年") or not e.get("condition"):
                problems.append(f"{where}: extension 需要 n、unit、condition")
            else:
                ext = Extension(e["n"], e["unit"], str(e["condition"]))
        cite = _citation(raw["cite"], where, problems)
        if cite is None:
            continue
        applies = _applies(raw.get("applies"), where, problems)
        rules[rid] = Rule(
            id=rid,
            name=str(raw["name"]),
            period=Period(n, unit),
            direction=raw["direction"],
            binds=raw["binds"],
            counting=count,
            cite=cite,
            quote=quote,
            trigger=trigger,
            trigger_rules=trigger_rules,
            condition=str(raw.get("condition") or ""),
            extension=ext,
            done_by=tuple(raw.get("done_by") or ()),
            notes=" ".join(str(raw.get("notes") or "").split()),
            applies_from=applies[0],
            applies_before=applies[1],
            applies_note=applies[2],
        )
    silent = list(data.get("silent") or [])
    for i, s in enumerate(silent):
        if not s.get("topic") or not s.get("text") or _citation(s.get("cite"), f"silent[{i}]", problems) is None:
            problems.append(f"silent[{i}]: 需要 topic、text、cite")
    if problems:
        raise RuleDataError(problems)
    return RuleSet(rules, events, aliases, counting, silent)


def load_rules(path: Path | None = None) -> RuleSet:
    text = (path or _data_file("deadlines.yaml")).read_text(encoding="utf-8")
    return parse_rules(yaml.safe_load(text))


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    return load_rules()


# --- checking against the corpus ------------------------------------------------------------------
class _ArticleLike(Protocol):
    text: str

    def paragraph(self, n: int) -> Any: ...

    def item(self, n: int, paragraph: int | None = None) -> Any: ...


class _CorpusLike(Protocol):
    def article(self, law_name: str, number: int) -> _ArticleLike | None: ...


def cited_text(corpus: _CorpusLike, cite: Citation) -> str | None:
    """The text of the cited article / 款 / 项, or None when the corpus has no such place."""
    article = corpus.article(cite.law, cite.article)
    if article is None:
        return None
    if cite.item:
        item = article.item(cite.item, cite.paragraph)
        return item.text if item else None
    if cite.paragraph:
        para = article.paragraph(cite.paragraph)
        return para.render() if para else None
    return article.text


def _all_quoted(rules: RuleSet) -> Iterable[tuple[str, Citation, str]]:
    for r in rules.rules.values():
        yield f"rules.{r.id}", r.cite, r.quote
    for c in rules.counting.values():
        for q in filter(None, (c.workday_basis, *c.holiday_basis)):
            yield f"counting.{c.key}", q.cite, q.quote


def check_citations(rules: RuleSet, corpus: _CorpusLike) -> list[str]:
    """Problems found: citations that do not resolve, quotes not found in the cited text."""
    problems = []
    for where, cite, quote in _all_quoted(rules):
        text = cited_text(corpus, cite)
        if text is None:
            problems.append(f"{where}: 语料库中找不到 {cite.format()}")
        elif normalize_text(quote) not in normalize_text(text):
            problems.append(f"{where}: {cite.format()} 中没有原文“{quote}”")
    for i, s in enumerate(rules.silent):
        c = s["cite"]
        cite = Citation(c["law"], c["article"], c.get("paragraph"), c.get("item"))
        if cited_text(corpus, cite) is None:
            problems.append(f"silent[{i}]: 语料库中找不到 {cite.format()}")
    return problems


# --- computing a case's deadlines -----------------------------------------------------------------
class Status(StrEnum):
    DONE = "已完成"
    OVERDUE = "已逾期"  # the authority's own deadline has passed
    EXPIRED = "已届满"  # the party's period has run out
    DUE_TODAY = "今日到期"
    DUE_SOON = "即将到期"
    PENDING = "未到期"
    WAITING = "未到可办理日"  # direction=after, not yet
    OPEN = "可以办理"  # direction=after, reached


@dataclass
class Deadline:
    rule: Rule
    start: date | datetime  # the event (or the end of the periods it follows)
    due: date  # last day (within), latest day (before), earliest day (after)
    status: Status
    due_at: datetime | None = None  # hour periods
    extended_due: date | None = None  # the longest permitted extension
    rolled: bool = False  # moved off a non-working day
    approximate: bool = False  # holiday data missing for a year in the period
    notes: list[str] = field(default_factory=list)

    @property
    def citation(self) -> str:
        return self.rule.citation

    def days_left(self, today: date) -> int:
        return (self.due - today).days


def _as_datetime(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time.min)


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)


def _status(rule: Rule, due: date, due_at: datetime | None, now: datetime, soon_days: int) -> Status:
    today = now.date()
    if rule.direction == "after":
        return Status.OPEN if today >= due else Status.WAITING
    late = (now > due_at) if due_at else (today > due)
    if late:
        return Status.EXPIRED if rule.binds == "当事人" else Status.OVERDUE
    if today == due:
        return Status.DUE_TODAY
    if (due - today).days <= soon_days:
        return Status.DUE_SOON
    return Status.PENDING


def _compute_one(rule: Rule, start: date | datetime, cal: WorkCalendar) -> tuple[date, datetime | None, bool, list[str]]:
    """(due day, due moment for hour periods, rolled?, notes)."""
    n = rule.period.n if rule.direction != "before" else -rule.period.n
    if rule.period.unit == "小时":
        notes = [] if isinstance(start, datetime) else ["未记录具体时刻，按当日零时起算（从严）。"]
        due_at = _naive(_as_datetime(start)) + timedelta(hours=n)
        return due_at.date(), due_at, False, notes
    day = start.date() if isinstance(start, datetime) else start
    plain = cal.add_period(day, n, rule.period.unit)
    due = cal.add_period(day, n, rule.period.unit, roll=rule.rolls_on_holiday)
    notes = []
    if due != plain:
        basis = "" if rule.counting.holiday_end == "extend" else "（法律未规定，按顺延计算以免过早认定逾期）"
        notes.append(f"期间最后一日 {plain.isoformat()} 不是工作日，顺延至 {due.isoformat()}{basis}。")
    elif rule.counting.holiday_end == "silent" and rule.period.unit != "工作日" and rule.direction == "within":
        if cal.covers(plain) and not cal.is_workday(plain):
            notes.append("期间最后一日不是工作日；法律未规定是否顺延，按不顺延提醒（从严）。")
    return due, None, due != plain, notes


def compute_deadlines(
    events: Mapping[str, date | datetime],
    now: date | datetime | None = None,
    *,
    rules: RuleSet | None = None,
    calendar: WorkCalendar | None = None,
    soon_days: int = 3,
) -> list[Deadline]:
    """Every deadline that follows from the recorded events, sorted by due day.

    `events` maps event names (or aliases) to dates; events with an hour period may be datetimes.
    `now` (default: today) decides the status. Raises UnknownEventError for an unknown event name.
    For a year without holiday data the day is estimated counting weekends only and marked approximate.
    """
    rules = rules or default_rules()
    cal = calendar or default_calendar()
    fallback = replace(cal, fallback=True)
    recorded: dict[str, date | datetime] = {}
    for name, when in events.items():
        canonical = rules.event(name)
        if canonical is None:
            raise UnknownEventError(name, rules.events)
        recorded[canonical] = when
    now_dt = _naive(_as_datetime(now)) if now is not None else datetime.now()

    found: dict[str, Deadline] = {}
    for rule in rules.rules.values():
        if rule.trigger:
            if rule.trigger not in recorded:
                continue
            start: date | datetime = recorded[rule.trigger]
        else:
            deps = [found.get(d) for d in rule.trigger_rules]
            if not deps or any(d is None for d in deps):
                continue
            start = max(d.due for d in deps if d)
        if not rule.governs(start):
            continue
        approximate = False
        try:
            due, due_at, rolled, notes = _compute_one(rule, start, cal)
        except CalendarRangeError as exc:
            due, due_at, rolled, notes = _compute_one(rule, start, fallback)
            approximate = True
            notes.append(f"{exc.year}年节假日安排未收录，按仅扣除周末估算，请核对。")
        ext_due = None
        if rule.extension:
            base = cal if cal.span_covered(due, due) else fallback
            ext_due = base.add_period(due, rule.extension.n, rule.extension.unit)
            notes.append(f"可延长：{rule.extension.condition}，最长至 {ext_due.isoformat()}。")
        if rule.applies_note:
            notes.insert(0, rule.applies_note)
        if rule.condition:
            notes.insert(0, f"适用条件：{rule.condition}")
        done = any(ev in recorded for ev in rule.done_by)
        status = Status.DONE if done else _status(rule, due, due_at, now_dt, soon_days)
        found[rule.id] = Deadline(rule, start, due, status, due_at, ext_due, rolled, approximate, notes)
    return sorted(found.values(), key=lambda d: (d.due_at or _as_datetime(d.due), d.rule.id))


def surcharge_amount(fine: Decimal | int | str, overdue_days: int) -> Decimal:
    """加处罚款: 3% of the fine per overdue day, never more than the fine (行政处罚法第七十二条第一款第一项)."""
    fine = Decimal(str(fine))
    amount = min(fine, fine * SURCHARGE_RATE * max(overdue_days, 0))
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
