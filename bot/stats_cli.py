"""`lawbot report`: the monthly statistics report on the command line, from LAWBOT_DB_URL (part of the wiring)."""

from __future__ import annotations

import argparse
import asyncio
import html
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.services.errors import ServiceError
from bot.services.users import Member
from bot.settings import Settings
from bot.storage import Database, Role
from handlers.common import error_text
from scheduler.org_service import OrgDeadlineService
from scheduler.stats import StatsService, parse_period
from scheduler.stats_files import chart_png, filename, workbook
from scheduler.stats_report import build_report

# the command line reads as a bureau admin does: every unit (or the tree of the unit named)
OPERATOR = Member(id=0, name="命令行", role=Role.admin, unit_id=None, unit_name=None, registered_at=datetime.now(UTC))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    tz = ZoneInfo(settings.timezone)
    period = parse_period(args.period, datetime.now(tz).date())
    if period is None:
        print(f"看不懂期间：{args.period}（写成 2026-10 或 2026-01..2026-10）", file=sys.stderr)
        return 2
    db = Database(settings.database_url)
    try:
        await db.migrate()
        stats = StatsService(db, tz=tz, org=OrgDeadlineService(db, tz=tz, remind_hour=settings.reminder_hour),
                             remind_hour=settings.reminder_hour)
        report = await build_report(stats, None, OPERATOR, *period, unit_name=args.unit)
    except ServiceError as err:  # the unit named does not exist …
        print(f"无法生成报告：{html.unescape(error_text(err))}", file=sys.stderr)
        return 1
    except Exception as err:  # the database is unreachable …
        print(f"无法生成报告：{err}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    print(report.paragraph)
    if args.xlsx is not None:
        path = Path(args.xlsx or filename(report))
        path.write_bytes(workbook(report, stats.fields))
        print(f"已写出 {path}", file=sys.stderr)
    if args.png is not None:
        png = chart_png(report, stats.fields)
        if png is None:
            print("没有找到中文字体，未生成图表。", file=sys.stderr)
        else:
            path = Path(args.png or filename(report, "png"))
            path.write_bytes(png)
            print(f"已写出 {path}", file=sys.stderr)
    return 0


def report_main(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args, settings))
