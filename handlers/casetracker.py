"""Case tracker in Telegram: /newcase (dialog or one line), the case card with its deadlines and event
buttons, 标记已办 (mark an authority deadline done, or take the mark back), /case 编号, /event 编号 事件 日期,
/mycases [本单位]. scheduler/case_tracker.py holds the rules.

Buttons carry everything they act on (`ck:<op>:<case id>[:<event index>[:<days back>]]`, well under 64 bytes;
a deadline is named by its rule's position in deadlines.yaml, `ck:k:<case id>:<rule index>`),
so a card keeps working after a restart; the service re-checks who may see the case on every press. Only
the /newcase dialog and a date being typed live in chat_data, with a 10-minute expiry like /exempt.
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.render import MAX_MESSAGE, Buttons, Reply, esc
from bot.services.errors import ServiceError
from bot.services.users import Member
from bot.storage.cases import CaseState
from handlers.common import (
    Context,
    command_argument,
    edit_in_place,
    error_text,
    member_or_prompt,
    send,
)
from handlers.exemptions import WAITING as EXEMPT_WAITING
from handlers.texts import case as t
from scheduler.case_plan import CaseView
from scheduler.case_tracker import (
    FUTURE_EVENTS,
    TRACKED_EVENTS,
    CaseClosed,
    CaseService,
    CaseSummary,
    markable,
)
from scheduler.deadlines import Deadline, Status, UnknownEventError, default_rules
from scheduler.services import services
from scheduler.texts import format_day
from scheduler.when import parse_case_date

log = logging.getLogger(__name__)
DIALOG = "case_dialog"  # chat_data[DIALOG] = {"step": name|party|opened|event, "since": monotonic, …}
WAIT_SECONDS = 600
PREFIX = "ck"
MAX_LIST_BUTTONS = 10
MAX_RULE_LABEL = 20  # characters of a deadline's name on a button
NAME_MAX = 100
SEPARATORS = re.compile(r"[；;｜|\n]")


def case_service(context: Context) -> CaseService:
    return services(context).cases


def _tz(context: Context) -> ZoneInfo:
    return ZoneInfo(services(context).settings.timezone)


def _today(context: Context) -> date:
    return datetime.now(_tz(context)).date()


@lru_cache(maxsize=1)
def timed_events() -> frozenset[str]:
    """Events that start a period counted in hours: their time of day matters (当场查封扣押 …)."""
    return frozenset(r.trigger for r in default_rules().rules.values() if r.trigger and r.period.unit == "小时")


def canonical_event(name: str) -> str:
    """The canonical event for a name or alias; UnknownEventError (a Chinese sentence) otherwise."""
    rules = default_rules()
    found = rules.event(name)
    if found is None:
        raise UnknownEventError(name, rules.events)
    return found


@lru_cache(maxsize=1)
def rule_ids() -> tuple[str, ...]:
    """Rule ids in deadlines.yaml order: a button names a deadline by its index here (short, stable)."""
    return tuple(default_rules().rules)


def event_value(event: str, when: date | datetime) -> date | datetime:
    """A time of day is kept only for events whose periods run in hours."""
    if isinstance(when, datetime) and event not in timed_events():
        return when.date()
    return when


# --- pure rendering ------------------------------------------------------------------------------------
def fmt_long(day: date) -> str:
    return t.LONG_DATE_FORMAT.format(y=day.year, m=day.month, d=day.day)


def fmt_short(day: date) -> str:
    return t.SHORT_DATE_FORMAT.format(m=day.month, d=day.day)


def fmt_moment(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f"{format_day(value.date())} {value:%H:%M}"
    return format_day(value)


def days_text(d: Deadline, today: date) -> str:
    """还有N天 / 今天到期 / 逾期N天 / 已届满N天 / 已可办理 / 还有N天可办理."""
    if d.status == Status.OPEN:
        return t.OPEN_NOW
    if d.status == Status.WAITING:
        return t.DAYS_UNTIL_OPEN.format(n=d.days_left(today))
    if d.status in (Status.OVERDUE, Status.EXPIRED):
        late = max((today - d.due).days, 0)
        if d.status == Status.OVERDUE:
            return t.DAYS_OVERDUE.format(n=late) if late else t.OVERDUE_NOW
        return t.DAYS_EXPIRED.format(n=late) if late else t.EXPIRED_NOW
    if d.status == Status.DUE_TODAY or d.days_left(today) <= 0:
        return t.DUE_TODAY
    return t.DAYS_LEFT.format(n=d.days_left(today))


def due_text(d: Deadline) -> str:
    when = fmt_moment(d.due_at) if d.due_at else format_day(d.due)
    template = {"before": t.DUE_BEFORE, "after": t.DUE_AFTER}.get(d.rule.direction, t.DUE_WITHIN)
    return template.format(date=when)


def deadline_block(d: Deadline, today: date, with_notes: bool = True) -> list[str]:
    party = t.CARD_PARTY_TAG if d.rule.binds == "当事人" else ""
    lines = [
        f"{t.STATUS_MARKS.get(str(d.status), str(d.status))} · <b>{esc(d.rule.name)}</b>{party}",
        f"　{esc(due_text(d))}，{days_text(d, today)}",
        f"　{t.CARD_BASIS.format(citation=esc(d.citation))}",
    ]
    if with_notes:
        lines += [f"　{t.CARD_NOTE.format(note=esc(n))}" for n in d.notes]
    return lines


def _local_date(moment: datetime, tz: ZoneInfo) -> date:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive UTC
    return aware.astimezone(tz).date()


def card_text(case: CaseView, deadlines: list[Deadline], today: date, *, notice: str = "",
              tz: ZoneInfo = ZoneInfo("Asia/Shanghai"), limit: int = MAX_MESSAGE) -> str:
    """The case as HTML ≤ `limit`: head, recorded events, deadlines. When too long, the done ones go
    first, then the notes, then the last deadlines."""
    head = [esc(notice), ""] if notice else []
    head.append(t.CARD_TITLE.format(id=case.id, name=esc(case.name)))
    head.append(t.CARD_PARTY.format(party=esc(case.party)))
    head.append(t.CARD_OPENED.format(date=format_day(case.opened_on)))
    if case.unit_name:
        head.append(t.CARD_HANDLER.format(handler=esc(case.handler_name), unit=esc(case.unit_name)))
    else:
        head.append(t.CARD_HANDLER_NO_UNIT.format(handler=esc(case.handler_name)))
    events = sorted(case.events.items(), key=lambda kv: (_day(kv[1]), kv[0] != "立案"))
    head += ["", t.CARD_EVENTS] + [t.CARD_EVENT.format(event=esc(e), date=fmt_moment(w)) for e, w in events]
    if case.state == CaseState.closed:
        closed = _local_date(case.closed_at, tz) if case.closed_at else today
        return _join(head + ["", t.CARD_CLOSED.format(date=format_day(closed))])[:limit]

    active = [d for d in deadlines if d.status != Status.DONE]
    done = [d for d in deadlines if d.status == Status.DONE]
    names = "、".join(
        t.CARD_DONE_MARKED.format(name=esc(d.rule.name), date=fmt_short(case.done_rules[d.rule.id]))
        if d.rule.id in case.done_rules else esc(d.rule.name)
        for d in done
    )
    done_line = [t.CARD_DONE_COUNT.format(n=len(done), names=names)] if done else []
    hint = ["", t.CARD_HINT.format(id=case.id)]
    if not deadlines:
        return _join(head + ["", t.CARD_NO_DEADLINES] + hint)[:limit]
    for with_notes, done_part in ((True, done_line), (True, []), (False, [])):
        blocks = [deadline_block(d, today, with_notes) for d in active]
        text = _join(head + ["", t.CARD_DEADLINES] + [x for b in blocks for x in b] + done_part + hint)
        if len(text) <= limit:
            return text
    # still too long: keep the soonest deadlines, say how many are left out
    blocks = [deadline_block(d, today, False) for d in active]
    while blocks:
        blocks.pop()
        more = [t.CARD_MORE.format(n=len(active) - len(blocks), id=case.id)]
        text = _join(head + ["", t.CARD_DEADLINES] + [x for b in blocks for x in b] + more + hint)
        if len(text) <= limit:
            return text
    return _join(head)[:limit]


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _join(lines: list[str]) -> str:
    return "\n".join(lines)


def to_mark(case: CaseView, deadlines: list[Deadline]) -> tuple[list[Deadline], list[Deadline]]:
    """(the authority's deadlines that may be marked done, those marked done)."""
    open_ = [d for d in deadlines if markable(d) and d.status != Status.DONE]
    marked = [d for d in deadlines if d.rule.id in case.done_rules]
    return open_, marked


def card_buttons(case: CaseView, deadlines: Sequence[Deadline] = ()) -> Buttons:
    if case.state == CaseState.closed:
        return [[(t.BUTTON_REOPEN, f"{PREFIX}:o:{case.id}"), (t.BUTTON_REFRESH, f"{PREFIX}:f:{case.id}")]]
    row = [(t.BUTTON_RECORD, f"{PREFIX}:m:{case.id}")]
    if any(to_mark(case, list(deadlines))):
        row.append((t.BUTTON_MARK_DONE, f"{PREFIX}:a:{case.id}"))
    row += [(t.BUTTON_REFRESH, f"{PREFIX}:f:{case.id}"), (t.BUTTON_CLOSE, f"{PREFIX}:x:{case.id}")]
    return [row]


def case_card(case: CaseView, deadlines: list[Deadline], today: date, *, notice: str = "",
              tz: ZoneInfo = ZoneInfo("Asia/Shanghai")) -> Reply:
    return Reply(card_text(case, deadlines, today, notice=notice, tz=tz), card_buttons(case, deadlines))


def _short(label: str, limit: int = MAX_RULE_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def done_menu(case: CaseView, deadlines: list[Deadline]) -> Reply:
    """One button per deadline that may be marked done, one per marked one to take the mark back."""
    open_, marked = to_mark(case, deadlines)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids())}
    buttons: Buttons = [[(_short(d.rule.name), f"{PREFIX}:k:{case.id}:{index[d.rule.id]}")] for d in open_]
    buttons += [[(t.BUTTON_UNDO_DONE.format(rule=_short(d.rule.name, MAX_RULE_LABEL - 5)),
                  f"{PREFIX}:u:{case.id}:{index[d.rule.id]}")] for d in marked]
    buttons.append([(t.BUTTON_BACK, f"{PREFIX}:f:{case.id}")])
    text = t.DONE_MENU.format(id=case.id, name=esc(case.name))
    if not open_:
        text += t.DONE_MENU_NONE
    if marked:
        text += t.DONE_MENU_UNDO
    return Reply(text, buttons)


def event_menu(case: CaseView) -> Reply:
    buttons: Buttons = []
    for i, event in enumerate(TRACKED_EVENTS):
        label = f"{event}✓" if event in case.events else event
        if i % 3 == 0:
            buttons.append([])
        buttons[-1].append((label, f"{PREFIX}:d:{case.id}:{i}"))
    buttons.append([(t.BUTTON_BACK, f"{PREFIX}:f:{case.id}")])
    return Reply(t.EVENT_MENU.format(id=case.id, name=esc(case.name)), buttons)


def date_prompt(case: CaseView, event: str) -> Reply:
    """Which day? 今天/昨天/前天 (明天/后天 for a planned hearing) for a tracked event, or a typed date."""
    examples = t.FUTURE_DATE_EXAMPLES if event in FUTURE_EVENTS else t.DATE_EXAMPLES
    text = t.ASK_EVENT_DATE.format(id=case.id, name=esc(case.name), event=esc(event), examples=examples)
    if event in timed_events():
        text += t.ASK_EVENT_TIME_HINT
    buttons: Buttons = []
    if event in TRACKED_EVENTS:
        index = TRACKED_EVENTS.index(event)
        offsets = (0, -1, -2) if event in FUTURE_EVENTS else (0, 1, 2)
        buttons.append([(t.DAY_BUTTONS[n], f"{PREFIX}:r:{case.id}:{index}:{n}") for n in offsets])
    buttons.append([(t.BUTTON_BACK, f"{PREFIX}:m:{case.id}"), (t.BUTTON_CANCEL, f"{PREFIX}:f:{case.id}")])
    return Reply(text, buttons)


def summary_line(s: CaseSummary, today: date, with_handler: bool) -> str:
    c = s.case
    overdue = t.MYCASES_OVERDUE.format(n=s.overdue) if s.overdue else ""
    if s.next_deadline is None:
        nxt = t.MYCASES_NO_NEXT
    else:
        d = s.next_deadline
        nxt = t.MYCASES_NEXT.format(rule=esc(d.rule.name), date=fmt_short(d.due), left=days_text(d, today))
    line = t.MYCASES_LINE.format(overdue=overdue, id=c.id, name=esc(c.name), party=esc(c.party), next=nxt)
    if with_handler:
        line += t.MYCASES_HANDLER.format(handler=esc(c.handler_name))
    return line


def cases_list(summaries: list[CaseSummary], today: date, *, unit_scope: bool, notice: str = "") -> Reply:
    if not summaries:
        return Reply(_join(([notice, ""] if notice else []) + [t.UNITCASES_EMPTY if unit_scope else t.MYCASES_EMPTY]))
    title = (t.UNITCASES_TITLE if unit_scope else t.MYCASES_TITLE).format(n=len(summaries))
    lines = ([notice, ""] if notice else []) + [title, ""]
    tail = [] if len(summaries) <= MAX_LIST_BUTTONS else ["", t.MYCASES_MORE.format(shown=MAX_LIST_BUTTONS)]
    budget = MAX_MESSAGE - len(_join(lines + tail)) - 1
    for s in summaries:
        line = summary_line(s, today, unit_scope)
        if len(line) + 1 > budget:
            break
        lines.append(line)
        budget -= len(line) + 1
    buttons: Buttons = []
    for i, s in enumerate(summaries[:MAX_LIST_BUTTONS]):
        label = t.BUTTON_OPEN_CASE.format(id=s.case.id, name=s.case.name)
        label = label if len(label) <= 20 else label[:19] + "…"
        if i % 2 == 0:
            buttons.append([])
        buttons[-1].append((label, f"{PREFIX}:v:{s.case.id}"))
    return Reply(_join(lines + tail), buttons)


def split_newcase(text: str) -> list[str]:
    """“名称；当事人；2026-11-20” (；; ｜| or new lines) → its non-empty parts."""
    return [p.strip() for p in SEPARATORS.split(text) if p.strip()]


# --- dialog state ----------------------------------------------------------------------------------------
def _dialog(context: Context) -> dict | None:
    state = context.chat_data.get(DIALOG)
    if state is None or time.monotonic() - state["since"] >= WAIT_SECONDS:
        context.chat_data.pop(DIALOG, None)
        return None
    return state


def _set_dialog(context: Context, **state: object) -> None:
    context.chat_data.pop(EXEMPT_WAITING, None)  # one dialog at a time: the next text is for this one
    context.chat_data[DIALOG] = {**state, "since": time.monotonic()}


def _drop_event_wait(context: Context) -> None:
    """The officer moved on from a date question (another button): what they type next is not a date."""
    state = context.chat_data.get(DIALOG)
    if state and state["step"] == "event":
        context.chat_data.pop(DIALOG, None)


def _opened_prompt(name: str, party: str) -> Reply:
    buttons = [[(t.BUTTON_TODAY, f"{PREFIX}:n:0"), (t.BUTTON_YESTERDAY, f"{PREFIX}:n:1")],
               [(t.BUTTON_CANCEL, f"{PREFIX}:c")]]
    return Reply(t.ASK_OPENED.format(name=esc(name), party=esc(party)), buttons)


async def _card(context: Context, member: Member, case_id: int, notice: str = "") -> Reply:
    service = case_service(context)
    case = await service.get(member, case_id)
    return case_card(case, service.deadlines(case), _today(context), notice=notice, tz=_tz(context))


def _card_of(context: Context, case: CaseView, notice: str = "") -> Reply:
    return case_card(case, case_service(context).deadlines(case), _today(context), notice=notice, tz=_tz(context))


def _recorded_notice(event: str, when: date | datetime) -> str:
    return t.EVENT_RECORDED.format(event=event, date=fmt_moment(when))


# --- /newcase ----------------------------------------------------------------------------------------------
async def newcase(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    parts = split_newcase(command_argument(update))
    cancel = [[(t.BUTTON_CANCEL, f"{PREFIX}:c")]]
    if len(parts) > 3:
        await send(update, t.NEWCASE_TOO_MANY_PARTS)
        return
    if not parts:
        _set_dialog(context, step="name")
        await send(update, Reply(t.ASK_NAME, cancel))
        return
    if too_long := _too_long(parts[:2]):
        await send(update, too_long)
        return
    if len(parts) == 1:
        _set_dialog(context, step="party", name=parts[0])
        await send(update, Reply(t.ASK_PARTY.format(name=esc(parts[0])), cancel))
        return
    name, party = parts[0], parts[1]
    if len(parts) == 2:
        _set_dialog(context, step="opened", name=name, party=party)
        await send(update, _opened_prompt(name, party))
        return
    await _open_with_typed_date(update, context, member, name, party, parts[2])


def _too_long(values: list[str]) -> str | None:
    for value in values:
        if len(value) > NAME_MAX:
            return t.TOO_LONG.format(n=NAME_MAX, length=len(value))
    return None


async def _open_with_typed_date(update: Update, context: Context, member: Member, name: str, party: str,
                                typed: str) -> None:
    opened = parse_case_date(typed, _today(context))
    if opened is None:
        _set_dialog(context, step="opened", name=name, party=party)
        await send(update, Reply(t.BAD_OPENED.format(text=esc(typed)), _opened_prompt(name, party).buttons))
        return
    await _open(update, context, member, name, party, _day(opened))


async def _open(update: Update, context: Context, member: Member, name: str, party: str, opened: date) -> None:
    try:
        case = await case_service(context).open_case(member, name, party, opened)
    except ServiceError as err:
        _set_dialog(context, step="opened", name=name, party=party)  # let the officer pick another day
        await _reply(update, Reply(error_text(err), _opened_prompt(name, party).buttons))
        return
    context.chat_data.pop(DIALOG, None)
    await _reply(update, _card_of(context, case, t.CASE_OPENED.format(id=case.id)))
    services(context).reminders.wake()  # a deadline already inside its reminder window is nudged now


async def _reply(update: Update, reply: Reply) -> None:
    """Edit the message whose button was pressed, or answer a typed message."""
    if update.callback_query:
        await edit_in_place(update, reply)
    else:
        await send(update, reply)


async def typed(update: Update, context: Context) -> None:
    """Text while the /newcase dialog or an event date is waiting for it."""
    member = await member_or_prompt(update, context)
    if member is None:
        return
    state = _dialog(context)
    if state is None:
        return
    text = (update.effective_message.text or "").strip()
    step = state["step"]
    cancel = [[(t.BUTTON_CANCEL, f"{PREFIX}:c")]]
    if step in ("name", "party") and (too_long := _too_long([text])):
        await send(update, Reply(too_long, cancel))
        return
    if step == "name":
        _set_dialog(context, step="party", name=text)
        await send(update, Reply(t.ASK_PARTY.format(name=esc(text)), cancel))
    elif step == "party":
        _set_dialog(context, step="opened", name=state["name"], party=text)
        await send(update, _opened_prompt(state["name"], text))
    elif step == "opened":
        await _open_with_typed_date(update, context, member, state["name"], state["party"], text)
    elif step == "event":
        await _record_typed(update, context, member, state["case"], state["event"], text)


async def _record_typed(update: Update, context: Context, member: Member, case_id: int, event: str,
                        text: str) -> None:
    when = parse_case_date(text, _today(context))
    if when is None:
        _set_dialog(context, step="event", case=case_id, event=event)  # the officer may try again
        await send(update, Reply(t.BAD_EVENT_DATE.format(text=esc(text)), [[(t.BUTTON_CANCEL, f"{PREFIX}:c")]]))
        return
    when = event_value(event, when)
    try:
        case = await case_service(context).record_event(member, case_id, event, when)
    except (ServiceError, UnknownEventError) as err:
        await send(update, _error(err))
        return
    context.chat_data.pop(DIALOG, None)
    await send(update, _card_of(context, case, _recorded_notice(event, when)))
    services(context).reminders.wake()


def _error(err: Exception) -> str:
    return error_text(err) if isinstance(err, ServiceError) else esc(str(err))


# --- /case, /event, /mycases --------------------------------------------------------------------------------
def _case_id(text: str) -> int | None:
    text = text.strip().lstrip("#＃")
    # isdecimal, not isdigit: "²" is a digit int() refuses; full-width "１２" is decimal and int() reads it
    return int(text) if text.isdecimal() and len(text) < 10 else None


async def show_case(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    case_id = _case_id(command_argument(update))
    if case_id is None:
        await send(update, t.CASE_USAGE)
        return
    try:
        await send(update, await _card(context, member, case_id))
    except ServiceError as err:
        await send(update, error_text(err))


async def record_event(update: Update, context: Context) -> None:
    """/event 12 决定书送达 2026-11-20 — any event or alias, also those without a button."""
    member = await member_or_prompt(update, context)
    if member is None:
        return
    parts = command_argument(update).split(maxsplit=2)
    case_id = _case_id(parts[0]) if parts else None
    if case_id is None:
        events = "、".join(esc(e) for e in default_rules().events)
        await send(update, t.EVENT_USAGE.format(events=events))
        return
    if len(parts) < 2:
        await send(update, t.EVENT_USAGE_SHORT.format(id=case_id))
        return
    try:
        event = canonical_event(parts[1])
        if len(parts) == 2:  # no date yet: ask for it, like the event button does
            case = await case_service(context).get(member, case_id)
            if case.state == CaseState.closed:
                raise CaseClosed(id=case.id)
            _set_dialog(context, step="event", case=case_id, event=event)
            await send(update, date_prompt(case, event))
            return
    except (ServiceError, UnknownEventError) as err:
        await send(update, _error(err))
        return
    await _record_typed(update, context, member, case_id, event, parts[2])


async def my_cases(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    wants_unit = command_argument(update) in t.MYCASES_SCOPE_WORDS
    admins = services(context).settings.admin_id_set
    may_see_unit = member.can_oversee or member.id in admins
    unit_scope = wants_unit and may_see_unit
    notice = t.MYCASES_SCOPE_REFUSED if wants_unit and not may_see_unit else ""
    summaries = await case_service(context).list_open(member, unit_scope=unit_scope)
    await send(update, cases_list(summaries, _today(context), unit_scope=unit_scope, notice=notice))


# --- buttons ---------------------------------------------------------------------------------------------------
def _parse_button(data: str) -> tuple[str, list[int]] | None:
    """ck:<op>[:<int>…] → (op, ints); None when malformed."""
    parts = data.split(":")
    if len(parts) < 2 or parts[0] != PREFIX:
        return None
    try:
        return parts[1], [int(p) for p in parts[2:]]
    except ValueError:
        return None


async def _stale(update: Update) -> None:
    await update.callback_query.answer(t.BUTTON_EXPIRED, show_alert=True)


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    member = await member_or_prompt(update, context)
    if member is None:
        return
    parsed = _parse_button(query.data or "")
    if parsed is None:
        await _stale(update)
        return
    op, args = parsed
    if op in ("c", "n"):
        await _dialog_button(update, context, member, op, args)
        return
    if not args:
        await _stale(update)
        return
    service = case_service(context)
    case_id = args[0]
    _drop_event_wait(context)  # 'd' sets it again
    try:
        if op == "v":  # from a reminder or a list: a new card, the pressed message stays
            reply = await _card(context, member, case_id)
            await query.answer()
            await query.get_bot().send_message(update.effective_chat.id, reply.text, reply_markup=reply.markup)
            return
        if op == "f":
            reply = await _card(context, member, case_id)
        elif op == "m":
            reply = event_menu(await service.get(member, case_id))
        elif op == "d" and len(args) == 2 and 0 <= args[1] < len(TRACKED_EVENTS):
            event = TRACKED_EVENTS[args[1]]
            reply = date_prompt(await service.get(member, case_id), event)
            _set_dialog(context, step="event", case=case_id, event=event)
        elif op == "r" and len(args) == 3 and 0 <= args[1] < len(TRACKED_EVENTS) and -2 <= args[2] <= 2:
            event = TRACKED_EVENTS[args[1]]
            when = _today(context) - timedelta(days=args[2])
            case = await service.record_event(member, case_id, event, when)
            context.chat_data.pop(DIALOG, None)
            reply = _card_of(context, case, _recorded_notice(event, when))
        elif op == "a":
            case = await service.get(member, case_id)
            if case.state == CaseState.closed:
                raise CaseClosed(id=case.id)
            reply = done_menu(case, service.deadlines(case))
        elif op in ("k", "u") and len(args) == 2 and 0 <= args[1] < len(rule_ids()):
            rule_id = rule_ids()[args[1]]
            rule = default_rules().rule(rule_id)
            if op == "k":
                case = await service.mark_done(member, case_id, rule_id)
                notice = t.MARKED_DONE.format(rule=rule.name, date=fmt_long(case.done_rules[rule_id]))
            else:
                case = await service.unmark_done(member, case_id, rule_id)
                notice = t.UNMARKED_DONE.format(rule=rule.name)
            reply = _card_of(context, case, notice)
        elif op == "x":
            case = await service.get(member, case_id)
            reply = Reply(t.CONFIRM_CLOSE.format(id=case.id, name=esc(case.name)), [[
                (t.BUTTON_CONFIRM_CLOSE, f"{PREFIX}:X:{case.id}"), (t.BUTTON_BACK, f"{PREFIX}:f:{case.id}"),
            ]])
        elif op == "X":
            reply = _card_of(context, await service.close(member, case_id), t.CLOSED)
        elif op == "o":
            reply = _card_of(context, await service.reopen(member, case_id), t.REOPENED)
        else:
            await _stale(update)
            return
    except (ServiceError, UnknownEventError) as err:
        await query.answer(_plain(_error(err)), show_alert=True)
        return
    await query.answer()
    await edit_in_place(update, reply)
    if op in ("r", "o", "k", "u"):  # recorded an event, reopened, (un)marked: a reminder may be due now
        services(context).reminders.wake()


def _plain(html_text: str) -> str:
    """Alert texts are plain (≤200 characters)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))[:200]


async def _dialog_button(update: Update, context: Context, member: Member, op: str, args: list[int]) -> None:
    query = update.callback_query
    if op == "c":
        state = context.chat_data.pop(DIALOG, None)
        await query.answer()
        event_wait = state is not None and state["step"] == "event"
        await edit_in_place(update, Reply(t.EVENT_CANCELLED if event_wait else t.DIALOG_CANCELLED))
        return
    state = _dialog(context)
    if state is None or state["step"] != "opened" or args not in ([0], [1]):
        await query.answer(t.DIALOG_EXPIRED, show_alert=True)
        return
    await query.answer()
    await _open(update, context, member, state["name"], state["party"], _today(context) - timedelta(days=args[0]))


async def leave_dialog(update: Update, context: Context) -> None:
    """Another command abandons the dialog: what is typed next is not a case name any more."""
    context.chat_data.pop(DIALOG, None)


def _waiting_filter(app: Application) -> filters.MessageFilter:
    class Waiting(filters.MessageFilter):
        """A private text while this chat's case dialog or an event date waits for it (not expired)."""

        def filter(self, message: Message) -> bool:
            state = (app.chat_data.get(message.chat.id) or {}).get(DIALOG)
            return state is not None and time.monotonic() - state["since"] < WAIT_SECONDS

    return Waiting(name="case_waiting")


def register(app: Application) -> None:
    """Register before the free-text question handler: what the dialog asks for is not a question."""
    app.add_handler(CommandHandler("newcase", newcase))
    app.add_handler(CommandHandler("case", show_case))
    app.add_handler(CommandHandler("event", record_event))
    app.add_handler(CommandHandler("mycases", my_cases))
    app.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    app.add_handler(MessageHandler(
        filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & _waiting_filter(app), typed
    ))
    # group 1 runs besides whatever handled the command in group 0
    keeps_dialog = filters.Regex(r"^/(newcase|event)(@\w+)?(\s|$)")  # these set the dialog themselves
    app.add_handler(MessageHandler(filters.COMMAND & ~keeps_dialog, leave_dialog), group=1)
