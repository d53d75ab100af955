"""Organisational dates of a unit (monthly figures, 简报, annual self-evaluation): /orgdates lists them,
/orgdate changes one; the planning job turns them into reminders for the right people.

Unit admins (内勤) manage their unit and the units below it, admins any unit (unit name at the end of the
command); officers only receive the reminders. Buttons carry unit id, item id and the operation
(`od:<unit>:<item>:<op>`), so they keep working after a restart.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.render import Buttons, Reply, esc
from bot.services.errors import NotAllowed, ServiceError
from bot.services.units import UnitNode
from bot.services.users import Member
from handlers import texts
from handlers.common import Context, edit_in_place, error_text, member_or_prompt, send, svc
from handlers.texts import org as t
from scheduler.org_deadlines import OrgItem, next_due
from scheduler.org_service import OrgDeadlineService, is_unit_setting
from scheduler.services import services
from scheduler.texts import format_day
from scheduler.texts import org as org_source

log = logging.getLogger(__name__)

BUTTON = "od"
OPS = {"off": "关闭", "on": "开启", "def": "默认"}
WORDS = {"关闭": "off", "停用": "off", "关": "off", "开启": "on", "启用": "on", "打开": "on", "开": "on",
         "默认": "def", "恢复默认": "def", "重置": "def"}
DAY = re.compile(r"^(?:每月)?(\d{1,2})[日号]?$")
MONTH_DAY = re.compile(r"^(?:每年)?(\d{1,2})(?:[-/.月])(\d{1,2})[日号]?$")


def org_service(context: Context) -> OrgDeadlineService:
    return services(context).org_deadlines


# --- pure pieces (testable without a bot) ----------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    number: int
    op: str  # day | off | on | def
    day: int | None = None
    month: int | None = None
    unit_name: str = ""


def parse_change(args: list[str]) -> Change | None:
    """`1 5`, `3 11-20`, `2 关闭` (开启, 默认), optionally followed by a unit name; None if it is none of these."""
    if len(args) < 2 or not args[0].lstrip("#").isdigit():
        return None
    number, value, unit_name = int(args[0].lstrip("#")), args[1], " ".join(args[2:]).strip()
    if value in WORDS:
        return Change(number, WORDS[value], unit_name=unit_name)
    if m := DAY.match(value):
        return Change(number, "day", day=int(m.group(1)), unit_name=unit_name)
    if m := MONTH_DAY.match(value):
        return Change(number, "day", day=int(m.group(2)), month=int(m.group(1)), unit_name=unit_name)
    return None


def rule_text(item: OrgItem) -> str:
    """每月3日前报送 / 每年11月20日前报送 (a 29th–31st falls on the last day of shorter months)."""
    if item.kind == "yearly":
        return t.RULE_YEARLY.format(month=item.month, day=item.day)
    return t.RULE_MONTHLY.format(day=item.day) + (t.MONTH_END_NOTE if item.day > 28 else "")


def remind_text(item: OrgItem) -> str:
    before = [f"{n}天" for n in item.remind_before_days if n > 0]
    parts = [t.REMIND_BEFORE.format(days="、".join(before))] if before else []
    if 0 in item.remind_before_days:
        parts.append(t.REMIND_SAME_DAY)
    return t.REMIND_JOIN.join(parts) + t.REMIND_SUFFIX


def listing(unit: UnitNode, items: list[OrgItem], today: date, *, other_unit: bool) -> Reply:
    """The unit's items, numbered, with rule, next due date, who is reminded, on/off and default or own."""
    lines = [t.LIST_TITLE.format(unit=esc(unit.name)), ""]
    buttons: Buttons = []
    for n, item in enumerate(items, 1):
        lines.append(t.LIST_ITEM.format(n=n, name=esc(item.name), rule=rule_text(item)))
        if item.enabled:
            lines.append(t.LIST_NEXT.format(date=format_day(next_due(item, today)), remind=remind_text(item)))
        else:
            lines.append(t.LIST_OFF)
        source = org_source.SOURCE_UNIT if is_unit_setting(item) else org_source.SOURCE_DEFAULT
        state = t.STATE_ON if item.enabled else t.STATE_OFF
        lines.append(t.LIST_WHO.format(notify=t.NOTIFY[item.notify], state=state, source=source))
        toggle = ("off", t.BUTTON_OFF) if item.enabled else ("on", t.BUTTON_ON)
        row = [(toggle[1].format(n=n), f"{BUTTON}:{unit.id}:{item.id}:{toggle[0]}")]
        if is_unit_setting(item):
            row.append((t.BUTTON_DEFAULT.format(n=n), f"{BUTTON}:{unit.id}:{item.id}:def"))
        buttons.append(row)
    lines += ["", t.LIST_HELP]
    if other_unit:
        lines.append(t.LIST_HELP_OTHER_UNIT.format(unit=esc(unit.name)))
    return Reply("\n".join(lines), buttons)


def changed_text(op: str, item: OrgItem, today: date) -> str:
    if op == "off":
        return t.CHANGED_OFF.format(name=esc(item.name))
    template = {"day": t.CHANGED, "on": t.CHANGED_ON, "def": t.CHANGED_RESET}[op]
    rule = t.CHANGED_RULE.format(name=esc(item.name), rule=rule_text(item))
    return template.format(rule=rule, date=format_day(next_due(item, today)))


# --- handlers ----------------------------------------------------------------------------------------------
async def _manager(update: Update, context: Context) -> Member | None:
    """The registered sender if they may manage organisational dates; officers get a polite refusal."""
    member = await member_or_prompt(update, context)
    if member is None:
        return None
    if not member.can_invite:  # admins and unit admins (内勤)
        await send(update, t.OFFICERS_REFUSED)
        return None
    return member


async def _unit(update: Update, context: Context, member: Member, name: str) -> UnitNode | None:
    """The named unit, else the sender's own; tells the sender what is wrong otherwise."""
    units = svc(context).units
    if name:
        node = await units.find(name)
        if node is None:
            await send(update, t.UNIT_NOT_FOUND.format(name=esc(name)))
            return None
    elif member.unit_id is not None:
        node = next((n for n in await units.tree() if n.id == member.unit_id), None)
    else:
        node = None
    if node is None:
        await send(update, t.NEED_UNIT)
        return None
    if not await org_service(context).can_manage(member, node.id):
        await send(update, error_text(NotAllowed()))
        return None
    return node


def _today(service: OrgDeadlineService) -> date:
    return datetime.now(service.tz).date()


async def orgdates(update: Update, context: Context) -> None:
    member = await _manager(update, context)
    if member is None:
        return
    unit = await _unit(update, context, member, " ".join(context.args or []).strip())
    if unit is None:
        return
    service = org_service(context)
    items = await service.items_for(unit.id)
    await send(update, listing(unit, items, _today(service), other_unit=unit.id != member.unit_id))


async def orgdate(update: Update, context: Context) -> None:
    member = await _manager(update, context)
    if member is None:
        return
    change = parse_change(context.args or [])
    if change is None:
        await send(update, t.USAGE)
        return
    service = org_service(context)
    if not 1 <= change.number <= len(service.defaults):
        await send(update, texts.ERRORS["org_unknown_item"].format(n=change.number))
        return
    unit = await _unit(update, context, member, change.unit_name)
    if unit is None:
        return
    item_id = service.defaults[change.number - 1].id
    try:
        item = await _apply(service, member, unit.id, item_id, change)
    except ServiceError as err:
        await send(update, error_text(err))
        return
    text = changed_text(change.op, item, _today(service))
    if unit.id != member.unit_id:
        text += t.CHANGED_FOR.format(unit=esc(unit.name))
    await send(update, text)


async def _apply(service: OrgDeadlineService, member: Member, unit_id: int, item_id: str, change: Change) -> OrgItem:
    if change.op == "day":
        item = await service.set_day(member, unit_id, item_id, change.day, change.month)
    elif change.op == "def":
        item = await service.reset(member, unit_id, item_id)
    else:
        item = await service.set_enabled(member, unit_id, item_id, change.op == "on")
    await _replan(service, unit_id)
    return item


async def _replan(service: OrgDeadlineService, unit_id: int) -> None:
    """Right after a change, so the new date's reminders exist (and the old ones are cancelled) at once."""
    try:
        await service.plan_unit(unit_id, datetime.now(UTC), revive=True)
    except Exception:  # the change is saved; the planning job catches up within PLAN_INTERVAL
        log.exception("re-planning organisational dates of unit %s failed", unit_id)


async def button(update: Update, context: Context) -> None:
    query = update.callback_query
    member = await member_or_prompt(update, context)
    if member is None:
        return
    parts = (query.data or "").split(":")
    service = org_service(context)
    if len(parts) != 4 or not parts[1].isdigit() or parts[3] not in OPS:
        await query.answer(t.BUTTON_EXPIRED, show_alert=True)
        return
    unit_id, item_id, op = int(parts[1]), parts[2], parts[3]
    try:
        await _apply(service, member, unit_id, item_id, Change(0, op))
    except ServiceError as err:
        await query.answer(error_text(err)[:200], show_alert=True)
        return
    await query.answer(OPS[op])
    unit = next((n for n in await svc(context).units.tree() if n.id == unit_id), None)
    if unit is None:
        return
    reply = listing(unit, await service.items_for(unit_id), _today(service), other_unit=unit_id != member.unit_id)
    await edit_in_place(update, reply)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("orgdates", orgdates))
    app.add_handler(CommandHandler("orgdate", orgdate))
    app.add_handler(CallbackQueryHandler(button, pattern=rf"^{BUTTON}:"))
