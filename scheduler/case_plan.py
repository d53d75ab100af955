"""Which reminders a tracked case should have: pure functions over a CaseView and its deadlines (no DB).

    plan = plan_case(case, deadlines, offsets=(3, 1, 0), remind_hour=9, tz=TZ, now=now, escalate_to=[901])

- the authority's own deadlines (binds 机关, within/before): the handler is nudged `offsets` days before
  the due day at `remind_hour` (hour periods: 2 hours before, and at the moment unless the overdue notice
  comes then); an offset whose time has
  passed is skipped, except the most recent one while the deadline is still ahead — it is planned at
  `now`, so opening a case or recording an event inside the reminder window nudges at once. Keys make
  each nudge fire at most once however often the case is re-planned;
- when such a deadline passes undone: an escalation to `escalate_to` and an overdue notice to the
  handler, on the morning after the due day (hour periods: at the moment), or at `now` if that passed;
- the party's periods (binds 当事人): one note the morning after the last day (“可以进行下一步”);
- direction "after" (the earliest day something may be done): one note on that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.storage.cases import CaseState
from scheduler.deadlines import Deadline, Status
from scheduler.planned import PlannedReminder
from scheduler.texts import case as T
from scheduler.texts import format_day


@dataclass(frozen=True)
class CaseView:
    id: int
    name: str
    party: str
    handler_id: int
    handler_name: str
    unit_id: int | None
    unit_name: str | None
    opened_on: date
    state: CaseState
    events: dict[str, date | datetime]  # canonical event → day (naive local datetime for timed events), incl. 立案
    closed_at: datetime | None
    done_rules: dict[str, date] = field(default_factory=dict)  # rule id → day the officer marked it done


HOUR_OFFSETS = (2, 0)  # hours before the due moment of an hour period
LATE_GRACE = timedelta(days=1)  # a one-off note (party expiry, "after") later than this is no use any more
MAX_TEXT = 500


# --- small helpers -------------------------------------------------------------------------------------
def _local(day: date, hour: int, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz)


def _aware(moment: datetime, tz: ZoneInfo) -> datetime:
    """Naive local wall time (hour periods) → aware; aware stays as it is."""
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def _as_utc(now: datetime) -> datetime:
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now


def binds_authority(d: Deadline) -> bool:
    return d.rule.binds == "机关" and d.rule.direction in ("within", "before")


def is_moot(d: Deadline, today: date) -> bool:
    """A "before" deadline (notify before the hearing) whose event has come: nothing can be done any more."""
    start = d.start.date() if isinstance(d.start, datetime) else d.start
    return d.rule.direction == "before" and today >= start


def escalates(d: Deadline, today: date) -> bool:
    """Whether a passed, undone deadline is reported to the unit: the authority's own, unconditional
    (a rule with a condition, such as the simplified-procedure reply, may not apply to this case), and
    not moot."""
    return binds_authority(d) and not d.rule.condition and not is_moot(d, today)


def is_overdue(d: Deadline, today: date) -> bool:
    return d.status is Status.OVERDUE and escalates(d, today)


def _schedule(moments: Iterable[tuple[str, datetime]], now: datetime, still_ahead: bool) -> list[tuple[str, datetime]]:
    """Future moments as they are; of the passed ones only the most recent, at `now`, and only while the
    deadline is still ahead."""
    moments = sorted(moments, key=lambda m: m[1])
    passed = [m for m in moments if m[1] <= now]
    out = [m for m in moments if m[1] > now]
    if passed and still_ahead:
        out.insert(0, (passed[-1][0], now))
    return out


def _once(moment: datetime, now: datetime) -> datetime | None:
    """A one-off note: at its moment, at `now` if it passed recently, never if it is stale."""
    if moment > now:
        return moment
    return now if now - moment <= LATE_GRACE else None


# --- texts ---------------------------------------------------------------------------------------------
def _left(d: Deadline, at: datetime, tz: ZoneInfo) -> str:
    if d.due_at is not None:
        minutes = int((_aware(d.due_at, tz) - at).total_seconds() // 60)
        if minutes > 90:
            return T.LEFT_HOURS.format(n=round(minutes / 60))
        if minutes > 0:
            return T.LEFT_MINUTES.format(n=minutes)
        return T.LEFT_NOW if minutes > -5 else T.LEFT_PAST
    days = (d.due - at.astimezone(tz).date()).days
    if days > 0:
        return T.LEFT_DAYS.format(n=days)
    return T.LEFT_TODAY if days == 0 else T.LEFT_OVERDUE.format(n=-days)


def _due_line(d: Deadline, at: datetime, tz: ZoneInfo) -> str:
    if d.due_at is not None:
        return T.DUE_AT_LINE.format(rule=d.rule.name, day=format_day(d.due), time=f"{d.due_at:%H:%M}", left=_left(d, at, tz))
    return T.DUE_LINE.format(rule=d.rule.name, day=format_day(d.due), left=_left(d, at, tz))


def _text(case: CaseView, d: Deadline, main: str, *extra: str, head: str | None = None) -> str:
    lines = [head] if head else []
    lines.append(T.CASE_LINE.format(name=case.name, party=case.party, id=case.id))
    lines.append(main + (T.APPROXIMATE if d.approximate else ""))
    lines.extend(extra)
    if d.rule.condition:
        lines.append(T.CONDITION_LINE.format(condition=d.rule.condition))
    if d.extended_due and d.rule.extension:
        lines.append(T.EXTENSION_LINE.format(day=format_day(d.extended_due), condition=d.rule.extension.condition))
    lines.append(T.BASIS_LINE.format(citation=d.citation))
    text = "\n".join(lines)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


# --- the plan ------------------------------------------------------------------------------------------
def _key(case: CaseView, d: Deadline) -> str:
    when = f"{d.due_at:%Y-%m-%dT%H%M}" if d.due_at is not None else d.due.isoformat()
    return f"case:{case.id}:{d.rule.id}:{when}"


def _reminder(case: CaseView, key: str, user: int, at: datetime, text: str, kind: str = "case") -> PlannedReminder:
    return PlannedReminder(key=key, user_id=user, chat_id=user, due_at=at.astimezone(UTC), text=text, kind=kind,
                           case_id=case.id)


def _authority(case: CaseView, d: Deadline, *, offsets, remind_hour, tz, now, escalate_to) -> list[PlannedReminder]:
    base, handler = _key(case, d), case.handler_id
    escalating = escalates(d, now.astimezone(tz).date())
    if d.due_at is not None:
        due_moment = _aware(d.due_at, tz)
        # at the due moment the overdue notice says it (once), when there is one
        moments = [(f"h{h}", due_moment - timedelta(hours=h)) for h in HOUR_OFFSETS if h or not escalating]
        still_ahead = due_moment >= now
        late_at = due_moment
    else:
        moments = [(f"d{n}", _local(d.due - timedelta(days=n), remind_hour, tz)) for n in offsets]
        still_ahead = d.due >= now.astimezone(tz).date()
        late_at = _local(d.due + timedelta(days=1), remind_hour, tz)
    out = [
        _reminder(case, f"{base}:{tag}:{handler}", handler, at, _text(case, d, _due_line(d, at, tz)))
        for tag, at in _schedule(moments, now, still_ahead)
    ]
    if not escalating:
        return out
    at = max(late_at, now)
    recipients = [u for u in escalate_to if u != handler]
    note = T.OVERDUE_NOTE if recipients else T.OVERDUE_NOTE_ALONE
    out.append(_reminder(case, f"{base}:over:{handler}", handler, at, _text(case, d, _due_line(d, at, tz), note)))
    escalation = _text(case, d, _due_line(d, at, tz), T.HANDLER_LINE.format(name=case.handler_name),
                       head=T.ESCALATION_HEAD)
    out.extend(_reminder(case, f"{base}:esc:{u}", u, at, escalation, kind="escalation") for u in recipients)
    return out


def _party_expired(case: CaseView, d: Deadline, *, remind_hour, tz, now) -> list[PlannedReminder]:
    moment = _aware(d.due_at, tz) if d.due_at else _local(d.due + timedelta(days=1), remind_hour, tz)
    at = _once(moment, now)
    if at is None:
        return []
    text = _text(case, d, T.EXPIRED_LINE.format(rule=d.rule.name, day=format_day(d.due)))
    return [_reminder(case, f"{_key(case, d)}:expired:{case.handler_id}", case.handler_id, at, text)]


def _opens(case: CaseView, d: Deadline, *, remind_hour, tz, now) -> list[PlannedReminder]:
    at = _once(_local(d.due, remind_hour, tz), now)
    if at is None:
        return []
    line = T.OPEN_LINE if at.astimezone(tz).date() == d.due else T.OPEN_LATE_LINE
    text = _text(case, d, line.format(rule=d.rule.name, day=format_day(d.due)))
    return [_reminder(case, f"{_key(case, d)}:open:{case.handler_id}", case.handler_id, at, text)]


def plan_case(
    case: CaseView,
    deadlines: list[Deadline],
    *,
    offsets: Iterable[int],
    remind_hour: int,
    tz: ZoneInfo,
    now: datetime,
    escalate_to: list[int],
) -> list[PlannedReminder]:
    """Every reminder the case should have from `now` on (see the module docstring)."""
    if case.state is CaseState.closed:
        return []
    now = _as_utc(now)
    offsets = sorted(set(offsets), reverse=True)
    plan: list[PlannedReminder] = []
    for d in deadlines:
        if d.status is Status.DONE:
            continue
        if d.rule.direction == "after":
            plan += _opens(case, d, remind_hour=remind_hour, tz=tz, now=now)
        elif d.rule.binds == "当事人":
            plan += _party_expired(case, d, remind_hour=remind_hour, tz=tz, now=now)
        else:
            plan += _authority(case, d, offsets=offsets, remind_hour=remind_hour, tz=tz, now=now,
                               escalate_to=escalate_to)
    return plan
