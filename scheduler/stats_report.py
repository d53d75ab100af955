"""The monthly report: sums over a unit tree for a period, the same period last year, the year to date, the
coverage (who reported), the target indicators per unit, quiz participation; and the 简报 paragraph.

    report = await build_report(stats, quiz, member, start, end, unit_name=None)
    report.paragraph            # 2026年10月，共出动执法人员…（12个单位中11个已报送，未报送：…）
    report.indicators           # per unit: 处罚案件 vs last year, 四个配套办法 vs last year, each kind non-zero

Targets (the bureaus' own): 行政处罚案件数量不少于去年总数；环保法及四个配套办法案件不少于去年总数；按日计罚、
查封扣押、停产限产、移送行政拘留四类案件单项清零 (each at least one). They are annual: the year to date is
compared with last year's whole year, so "not met" in October may still be met by December.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from bot.services.units import UnitNode
from bot.services.users import Member
from bot.storage.stats import StatsReport
from scheduler.quiz import QuizService
from scheduler.quiz_rank import UnitScore
from scheduler.stats import StatsService, month_start, next_month
from scheduler.stats_fields import FieldSet
from scheduler.texts import stats as T

Totals = dict[str, Decimal]


@dataclass(frozen=True)
class Indicator:
    unit: str
    decisions: Decimal  # this year to date
    decisions_last_year: Decimal  # last year's whole year
    four: Decimal
    four_last_year: Decimal
    kinds: dict[str, Decimal]  # the four kinds, this year to date

    @property
    def decisions_met(self) -> bool:
        return self.decisions >= self.decisions_last_year

    @property
    def four_met(self) -> bool:
        return self.four >= self.four_last_year

    @property
    def kinds_met(self) -> dict[str, bool]:
        return {k: v > 0 for k, v in self.kinds.items()}


@dataclass
class Report:
    start: date  # first month (its first day)
    end: date  # last month (its first day)
    scope: str  # the unit tree's name, or 全部单位
    units: list[UnitNode]
    totals: Totals
    year_to_date: Totals
    last_year: Totals  # the same period last year
    per_unit: dict[int, Totals]
    reported: dict[int, set[date]]  # unit → months reported
    rows: list[StatsReport]  # the detail
    indicators: list[Indicator]
    quiz: list[UnitScore] = field(default_factory=list)
    paragraph: str = ""

    @property
    def months(self) -> list[date]:
        out, m = [], self.start
        while m <= self.end:
            out.append(m)
            m = next_month(m)
        return out

    @property
    def missing(self) -> list[str]:
        return [u.name for u in self.units if not set(self.months) <= self.reported.get(u.id, set())]


def _sum(rows: list[StatsReport], fields: FieldSet) -> Totals:
    totals: Totals = {f.id: Decimal(0) for f in fields.fields}
    for r in rows:
        for fid, text in r.values.items():
            if fid in totals and text not in ("", None):
                totals[fid] += Decimal(text)
    return totals


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def period_label(start: date, end: date) -> str:
    if start == end:
        return T.PERIOD_MONTH.format(y=start.year, m=start.month)
    if start.year == end.year:
        return T.PERIOD_RANGE.format(y=start.year, m1=start.month, m2=end.month)
    return T.PERIOD_RANGE_YEARS.format(y1=start.year, m1=start.month, y2=end.year, m2=end.month)


def paragraph(report: Report, fields: FieldSet) -> str:
    values = {fid: _fmt(v) for fid, v in report.totals.items()}
    text = T.PARAGRAPH.format(period=period_label(report.start, report.end), parts=fields.paragraph.format(**values))
    missing = report.missing
    coverage = T.COVERAGE.format(n=len(report.units), k=len(report.units) - len(missing),
                                 missing=T.COVERAGE_MISSING.format(units="、".join(missing)) if missing else "")
    end = report.end
    ytd = T.YEAR_TO_DATE.format(y=end.year, m=end.month, decisions=_fmt(report.year_to_date["decisions"]),
                                fines=_fmt(report.year_to_date["fines"]))
    compare = T.COMPARE.format(last=_fmt(report.last_year["decisions"]), last_fines=_fmt(report.last_year["fines"]))
    return f"{text}{coverage}\n{ytd}{compare}"


async def build_report(stats: StatsService, quiz: QuizService | None, member: Member, start: date, end: date,
                       unit_name: str | None = None) -> Report:
    """The report of the units the member may read (refusal: NotAllowed from `stats.scope`)."""
    start, end = month_start(start), month_start(end)
    units, root = await stats.scope(member, unit_name)
    units = [u for u in units if await stats.has_members(u.id)] or units
    ids = {u.id for u in units}
    fields = stats.fields
    year_start = date(end.year, 1, 1)
    last_start, last_end = date(start.year - 1, start.month, 1), date(end.year - 1, end.month, 1)
    everything = await stats.reports(ids, min(last_start, date(end.year - 1, 1, 1)), end)
    in_period = [r for r in everything if start <= r.month <= end]
    per_unit_rows: dict[int, list[StatsReport]] = defaultdict(list)
    reported: dict[int, set[date]] = defaultdict(set)
    for r in in_period:
        per_unit_rows[r.unit_id].append(r)
        reported[r.unit_id].add(r.month)
    indicators = []
    for u in units:
        ytd = _sum([r for r in everything if r.unit_id == u.id and year_start <= r.month <= end], fields)
        last_year = _sum([r for r in everything if r.unit_id == u.id and r.month.year == end.year - 1], fields)
        four = sum((ytd[k] for k in fields.four_kinds), Decimal(0))
        four_last = sum((last_year[k] for k in fields.four_kinds), Decimal(0))
        indicators.append(Indicator(u.name, ytd["decisions"], last_year["decisions"], four, four_last,
                                    {k: ytd[k] for k in fields.four_kinds}))
    report = Report(
        start=start, end=end, scope=root.name if root else "全部单位", units=units,
        totals=_sum(in_period, fields),
        year_to_date=_sum([r for r in everything if year_start <= r.month <= end], fields),
        last_year=_sum([r for r in everything if last_start <= r.month <= last_end], fields),
        per_unit={u.id: _sum(per_unit_rows.get(u.id, []), fields) for u in units},
        reported=dict(reported), rows=sorted(in_period, key=lambda r: (r.month, r.unit_id)), indicators=indicators,
    )
    if quiz is not None:
        report.quiz = await _quiz_lines(stats, quiz, units, start, end)
    report.paragraph = paragraph(report, fields)
    return report


async def _quiz_lines(stats: StatsService, quiz: QuizService, units: list[UnitNode], start: date,
                      end: date) -> list[UnitScore]:
    since = datetime.combine(start, time(), quiz.tz)
    until = datetime.combine(next_month(end), time(), quiz.tz)
    answers = await quiz.answers_between(since, until)
    members = await stats.members_by_unit({u.id for u in units})
    out = []
    for u in units:
        people = members.get(u.id, set())
        mine = [(uid, right) for uid, right in answers if uid in people]
        out.append(UnitScore(u.id, u.name, len(people), len({uid for uid, _ in mine}), len(mine),
                             sum(1 for _, right in mine if right)))
    return out
