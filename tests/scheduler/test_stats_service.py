"""Monthly statistics on both databases with a controlled clock: the form (values, skip, back, a pasted block,
warnings), a restart mid-form, the deadline lock and the audited late change, access by unit, the 月报 nudges
that stop once the figures are in, the day-after note to the parent unit, and the report over a unit tree
(sums, year to date, last year, coverage, targets) checked by hand, with its Excel and PNG files."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select
from support.process import lawbot_env

from bot.services import audit
from bot.services.errors import NotAllowed
from bot.services.users import UserService
from bot.storage import Role, Unit, User
from bot.storage.reminders import Reminder, ReminderState
from bot.storage.stats import StatsReport
from scheduler.org_service import OrgDeadlineService
from scheduler.stats import Locked, NoUnit, StatsService, parse_month, parse_period
from scheduler.stats_files import SHEETS, chart_png, filename, workbook
from scheduler.stats_report import build_report

TZ = ZoneInfo("Asia/Shanghai")
ADMIN, BUREAU_CLERK, SQUAD_CLERK, ME, MATE, STRANGER, SQUAD2_CLERK = 900, 800, 801, 802, 803, 804, 805


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=TZ)


OCTOBER = date(2026, 10, 1)


@pytest.fixture
async def people(db) -> dict:
    """江门支队 (支队内勤) → 一大队 (大队内勤, me, mate), 二大队 (its 内勤); 外单位 (stranger)."""
    async with db.session() as s:
        top = Unit(name="江门支队")
        other = Unit(name="外单位")
        s.add_all([top, other])
        await s.flush()
        one, two = Unit(name="一大队", parent_id=top.id), Unit(name="二大队", parent_id=top.id)
        s.add_all([one, two])
        await s.flush()
        s.add_all([
            User(id=ADMIN, name="局管理员", role=Role.admin),
            User(id=BUREAU_CLERK, name="支队内勤", role=Role.unit_admin, unit_id=top.id),
            User(id=SQUAD_CLERK, name="大队内勤", role=Role.unit_admin, unit_id=one.id),
            User(id=ME, name="张三", role=Role.officer, unit_id=one.id),
            User(id=MATE, name="李四", role=Role.officer, unit_id=one.id),
            User(id=STRANGER, name="王五", role=Role.officer, unit_id=other.id),
            User(id=SQUAD2_CLERK, name="二队内勤", role=Role.unit_admin, unit_id=two.id),
        ])
    users = UserService(db)
    return {"units": {"top": top.id, "one": one.id, "two": two.id, "other": other.id},
            **{uid: await users.get(uid) for uid in (ADMIN, BUREAU_CLERK, SQUAD_CLERK, ME, MATE, STRANGER, SQUAD2_CLERK)}}


@pytest.fixture
def org(db) -> OrgDeadlineService:
    return OrgDeadlineService(db, tz=TZ, remind_hour=9)


@pytest.fixture
def stats(db, org) -> StatsService:
    service = StatsService(db, tz=TZ, org=org, remind_hour=9)
    org.done = service.figures_done
    return service


FULL = "批次 12\n人次 30\n检查户次 20\n双随机 5\n非现场 3\n立案 4\n处罚决定 3\n罚款 3.5万\n免罚 1\n按日 0\n查封 1\n限产 0\n拘留 0\n涉嫌犯罪 0\n信访 6\n宣传 2"


async def _submit(stats, member, month: date, block: str, now: datetime, unit: str | None = None):
    await stats.begin(member, month, now, unit)
    await stats.paste(member, block, now)
    return await stats.submit(member, now)


def test_months_and_periods():
    today = date(2026, 12, 2)
    assert parse_month("2026-10", today) == OCTOBER == parse_month("2026年10月", today) == parse_month("10月", today)
    assert parse_month("12月", date(2026, 3, 1)) == date(2025, 12, 1)  # ahead this year: last year's
    assert parse_month("2026-13", today) is None and parse_month("上个月", today) is None
    assert parse_period("2026-01..2026-10", today) == (date(2026, 1, 1), OCTOBER)
    assert parse_period("2026-10..2026-01", today) is None


# --- the form ---------------------------------------------------------------------------------------------------
async def test_field_by_field_with_skip_back_and_clear_errors(stats, people) -> None:
    now = at(2026, 11, 1)
    form = await stats.begin(people[ME], OCTOBER, now)
    assert form.current(stats.fields).id == "batches" and form.deadline == date(2026, 11, 3) and form.unit_name == "一大队"
    form = await stats.enter(people[ME], "十二", now)
    assert form.values["batches"] == 12 and form.current(stats.fields).id == "persons"
    form = await stats.enter(people[ME], "八", now)  # fewer people than batches: asked to check, later
    form = await stats.enter(people[ME], "很多", now)
    assert form.problems and "不是数字" in form.problems[0] and form.current(stats.fields).id == "inspections"
    form = await stats.skip(people[ME], now)
    assert form.values["inspections"] is None and form.current(stats.fields).id == "random_checks"
    form = await stats.back(people[ME], now)
    assert form.current(stats.fields).id == "inspections"
    assert "出动人次少于批次（每批次至少一人）" in form.warnings


async def test_a_pasted_block_and_the_summary(stats, people) -> None:
    now = at(2026, 11, 1)
    await stats.begin(people[ME], OCTOBER, now)
    form = await stats.paste(people[ME], "批次 12\n罚款金额：１．２万元\n人次：30", now)
    assert form.values == {"batches": 12, "fines": Decimal("1.2"), "persons": 30}
    assert form.current(stats.fields).id == "inspections"  # the first field still empty is asked
    form = await stats.paste(people[ME], FULL, now)
    assert form.stage == "confirm" and form.values["fines"] == Decimal("3.5") and form.warnings == []


async def test_nothing_typed_is_lost_when_the_bot_restarts(db, org, stats, people) -> None:
    now = at(2026, 11, 1)
    await stats.begin(people[ME], OCTOBER, now)
    await stats.enter(people[ME], "12", now)
    await stats.enter(people[ME], "30", now)
    restarted = StatsService(db, tz=TZ, org=org, remind_hour=9)
    await restarted.load_active()
    assert ME in restarted.active
    form = await restarted.form(people[ME])
    assert form.values == {"batches": 12, "persons": 30} and form.current(restarted.fields).id == "inspections"


async def test_submit_then_edit_until_the_deadline_then_only_a_unit_admin_with_audit(db, stats, people) -> None:
    done = await _submit(stats, people[ME], OCTOBER, FULL, at(2026, 11, 2))
    assert (done.revision, done.late) == (1, False)
    assert ME not in stats.active
    done = await _submit(stats, people[MATE], OCTOBER, "批次 13", at(2026, 11, 3, 23))  # still the deadline day
    assert done.revision == 2
    with pytest.raises(Locked):  # the 4th: the deadline (the 3rd) has passed
        await _submit(stats, people[ME], OCTOBER, "批次 14", at(2026, 11, 4))
    with pytest.raises(NotAllowed):  # another squad's clerk manages only their own squad
        await stats.begin(people[SQUAD2_CLERK], OCTOBER, at(2026, 11, 4), "一大队")
    late = await _submit(stats, people[BUREAU_CLERK], OCTOBER, "批次 15", at(2026, 11, 4), "一大队")
    assert late.late and late.revision == 3
    async with db.session() as s:
        report = await s.scalar(select(StatsReport).where(StatsReport.month == OCTOBER))
    assert report.values["batches"] == "15" and report.values["persons"] == "30"  # the rest kept
    entries = [(e.action, e.actor) for e in await audit.recent(db, action=None) if e.action.startswith("stats.")]
    assert entries[0] == ("stats.late_change", BUREAU_CLERK) and ("stats.submit", ME) in entries
    first_late = await _submit(stats, people[SQUAD2_CLERK], OCTOBER, "批次 2", at(2026, 11, 9))
    assert first_late.late and first_late.revision == 1  # a late first report is taken, and audited as late
    assert ("stats.late_submit", SQUAD2_CLERK) in [(e.action, e.actor) for e in await audit.recent(db, action=None)]


async def test_the_deadline_follows_the_units_orgdates(stats, org, people) -> None:
    await org.set_day(people[SQUAD_CLERK], people["units"]["one"], "monthly_figures", 5)
    assert await stats.deadline(people["units"]["one"], OCTOBER) == date(2026, 11, 5)
    assert await stats.deadline(people["units"]["two"], OCTOBER) == date(2026, 11, 3)


async def test_a_value_far_from_the_units_own_months_is_asked_about(stats, people) -> None:
    for month, batches in ((date(2026, 6, 1), 10), (date(2026, 7, 1), 12), (date(2026, 8, 1), 11)):
        await _submit(stats, people[ME], month, f"批次 {batches}", at(month.year, month.month + 1, 2))
    await stats.begin(people[ME], date(2026, 9, 1), at(2026, 10, 2))
    form = await stats.paste(people[ME], "批次 120", at(2026, 10, 2))
    assert any("近几个月" in w and "120批次" in w for w in form.warnings)


async def test_a_member_without_a_unit_cannot_fill_in(stats, db, people) -> None:
    with pytest.raises(NoUnit):
        await stats.begin(people[ADMIN], OCTOBER, at(2026, 11, 1))


# --- nudges ------------------------------------------------------------------------------------------------------
async def _org_rows(db, unit_id: int, after: datetime | None = None) -> list[Reminder]:
    async with db.session() as s:
        rows = list(await s.scalars(select(Reminder).where(
            Reminder.dedupe_key.startswith(f"org:{unit_id}:monthly_figures:"), Reminder.state == ReminderState.pending)))
    return [r for r in rows if after is None or r.due_at.replace(tzinfo=UTC) > after]


async def test_the_monthly_nudges_stop_once_the_units_figures_are_in(db, org, stats, people) -> None:
    one, two = people["units"]["one"], people["units"]["two"]
    await org.plan(at(2026, 11, 1, 6))
    assert await _org_rows(db, one) and await _org_rows(db, two)  # 2 days before and on the 3rd
    await _submit(stats, people[ME], OCTOBER, FULL, at(2026, 11, 1, 10))
    assert await _org_rows(db, one, after=at(2026, 11, 1, 10)) == []  # what was still ahead is cancelled
    assert await _org_rows(db, two, after=at(2026, 11, 1, 10))  # the unit that has not submitted keeps them
    await org.plan(at(2026, 11, 1, 12))
    assert await _org_rows(db, one, after=at(2026, 11, 1, 10)) == []  # the periodic planner does not revive them


async def test_the_day_after_the_deadline_the_parent_admin_hears_who_is_missing(db, stats, people) -> None:
    await _submit(stats, people[ME], OCTOBER, FULL, at(2026, 11, 2))
    assert await stats.plan_missing(at(2026, 11, 4, 8)) == 0  # not before 09:00 of the day after
    assert await stats.plan_missing(at(2026, 11, 4, 9)) == 1
    assert await stats.plan_missing(at(2026, 11, 4, 9, )) == 0  # once
    async with db.session() as s:
        [row] = list(await s.scalars(select(Reminder).where(Reminder.dedupe_key.startswith("statsmiss:"))))
    assert row.user_id == BUREAU_CLERK and "二大队" in row.text and "一大队" not in row.text


# --- the report ----------------------------------------------------------------------------------------------------
async def _fixture_year(stats, people) -> None:
    """一大队 Oct 2026 (FULL), Sep 2026 (3 decisions, 2万), Oct 2025 (2 decisions); 二大队 Oct 2026 only 批次 7."""
    await _submit(stats, people[ME], OCTOBER, FULL, at(2026, 11, 2))
    await _submit(stats, people[ME], date(2026, 9, 1), "处罚决定 3\n罚款 2\n查封 0", at(2026, 10, 2))
    await _submit(stats, people[SQUAD_CLERK], date(2025, 10, 1), "处罚决定 2\n罚款 1.5\n按日 1", at(2026, 11, 2))
    await _submit(stats, people[SQUAD2_CLERK], OCTOBER, "批次 7\n人次 14", at(2026, 11, 2))


async def test_the_report_sums_the_tree_and_says_who_is_missing(stats, people) -> None:
    await _fixture_year(stats, people)
    report = await build_report(stats, None, people[BUREAU_CLERK], OCTOBER, OCTOBER)
    assert [u.name for u in report.units] == ["江门支队", "一大队", "二大队"]
    assert report.totals["batches"] == 19 and report.totals["persons"] == 44 and report.totals["fines"] == Decimal("3.5")
    assert report.year_to_date["decisions"] == 6 and report.year_to_date["fines"] == Decimal("5.5")  # Sep + Oct
    assert report.last_year["decisions"] == 2 and report.last_year["fines"] == Decimal("1.5")
    assert report.missing == ["江门支队"]  # its own clerk has not reported
    assert report.paragraph.startswith("2026年10月，共出动执法人员19批次、44人次，检查20户次污染源")
    assert "作出行政处罚决定3件，共计处罚金额3.5万元；轻微违法免于处罚1件" in report.paragraph
    assert "（3个单位中2个已报送，未报送：江门支队）" in report.paragraph
    assert "2026年1-10月累计：作出行政处罚决定6件，罚款5.5万元。" in report.paragraph
    one = next(i for i in report.indicators if i.unit == "一大队")
    assert (one.decisions, one.decisions_last_year, one.decisions_met) == (6, 2, True)
    assert (one.four, one.four_last_year, one.four_met) == (1, 1, True)  # 查封 1 this year, 按日 1 last year
    assert one.kinds_met == {"daily_penalty": False, "seizures": True, "production_limits": False,
                             "detention_referrals": False}


async def test_a_range_and_a_units_own_scope(stats, people) -> None:
    await _fixture_year(stats, people)
    report = await build_report(stats, None, people[ME], date(2026, 9, 1), OCTOBER)
    assert [u.name for u in report.units] == ["一大队"] and report.totals["decisions"] == 6
    assert report.paragraph.startswith("2026年9-10月份，共")


async def test_another_units_officer_is_refused(stats, people) -> None:
    await _fixture_year(stats, people)
    with pytest.raises(NotAllowed):
        await build_report(stats, None, people[STRANGER], OCTOBER, OCTOBER, unit_name="一大队")
    with pytest.raises(NotAllowed):  # a squad's clerk cannot read the 支队's tree either
        await build_report(stats, None, people[SQUAD2_CLERK], OCTOBER, OCTOBER, unit_name="江门支队")
    own = await build_report(stats, None, people[STRANGER], OCTOBER, OCTOBER)
    assert [u.name for u in own.units] == ["外单位"] and own.totals["batches"] == 0


async def test_the_excel_workbook_reads_back_with_its_numbers_and_a_chart(stats, people) -> None:
    await _fixture_year(stats, people)
    report = await build_report(stats, None, people[BUREAU_CLERK], OCTOBER, OCTOBER)
    data = workbook(report, stats.fields)
    assert filename(report) == "2026年10月执法统计.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == list(SHEETS)
    summary = book["汇总"]
    rows = {r[0].value: r for r in summary.iter_rows(min_row=5) if r[0].value}
    assert rows["出动执法人员批次"][2].value == 19 and rows["罚款金额"][2].value == 3.5
    assert rows["罚款金额"][2].number_format == "0.0000" and rows["作出行政处罚决定数"][3].value == 6
    per_unit = book["各单位"]
    assert [c.value for c in per_unit["A"]][1:4] == ["江门支队", "一大队", "二大队"]
    assert len(per_unit._charts) == 1  # a native Excel chart
    targets = book["指标"]
    assert [c.value for c in targets[3]][:4] == ["一大队", 6, 2, "达标"]
    detail = book["明细"]
    assert detail.max_row >= 18 and {c.value for c in detail["C"]} >= {"出动执法人员批次", "罚款金额"}


async def test_the_chart_is_drawn_with_a_cjk_font(stats, people) -> None:
    await _fixture_year(stats, people)
    report = await build_report(stats, None, people[BUREAU_CLERK], OCTOBER, OCTOBER)
    png = chart_png(report, stats.fields)
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000



async def _lawbot_report(db_url: str, cwd, *args: str) -> subprocess.CompletedProcess:
    env = lawbot_env(LAWBOT_DB_URL=db_url, LAWBOT_DATA_DIR=str(cwd))
    return await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "bot.cli", "report", *args], cwd=cwd,
                                   env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)


async def test_the_command_line_report_reads_back_like_the_chat_one(db_url, stats, people, tmp_path) -> None:
    """`lawbot report 2026-10 --unit 江门支队 --xlsx` on the same database: the paragraph on stdout, the workbook
    under its document name with the same sums; an unknown unit or period is a clear error."""
    await _fixture_year(stats, people)
    done = await _lawbot_report(db_url, tmp_path, "2026-10", "--unit", "江门支队", "--xlsx")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2026年10月，共出动执法人员19批次、44人次")
    book = openpyxl.load_workbook(tmp_path / "2026年10月执法统计.xlsx")
    rows = {r[0].value: r for r in book["汇总"].iter_rows(min_row=5) if r[0].value}
    assert rows["出动执法人员批次"][2].value == 19 and rows["罚款金额"][2].value == 3.5
    assert [c.value for c in book["各单位"]["A"]][1:4] == ["江门支队", "一大队", "二大队"]
    unknown = await _lawbot_report(db_url, tmp_path, "2026-10", "--unit", "不存在的大队")
    assert unknown.returncode == 1 and "不存在的大队" in unknown.stderr and "<" not in unknown.stderr
    bad = await _lawbot_report(db_url, tmp_path, "十月")
    assert bad.returncode == 2 and "看不懂期间" in bad.stderr
