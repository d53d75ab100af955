"""Quiz rankings (比学赶超): officers by right answers, units fairly — participation rate × accuracy, so a big
unit does not win by headcount — for this week and this month; and the Monday summary to each unit admin,
planned as a row of the reminder sweep (kind quiz_week).

    board = await ranking(db, quiz, member, now)     # /rank
    await plan_weekly(db, quiz, now, hour=9)        # Monday morning: last week's standing per unit admin
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from bot.services.units import UnitNode, load_tree, subtree_ids
from bot.services.users import Member
from bot.storage import Database, Role, User
from scheduler.planned import PlannedReminder, sync_planned
from scheduler.quiz import QuizService
from scheduler.texts import format_day
from scheduler.texts import quiz as T

TOP = 5


@dataclass(frozen=True)
class PersonScore:
    user_id: int
    name: str
    unit_id: int | None
    answered: int
    right: int

    @property
    def accuracy(self) -> float:
        return self.right / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class UnitScore:
    unit_id: int
    name: str
    members: int
    active: int  # members who answered at least once
    answered: int
    right: int

    @property
    def participation(self) -> float:
        return self.active / self.members if self.members else 0.0

    @property
    def accuracy(self) -> float:
        return self.right / self.answered if self.answered else 0.0

    @property
    def score(self) -> float:
        return self.participation * self.accuracy


@dataclass(frozen=True)
class Board:
    period: str  # week | month
    start: date
    people: list[PersonScore]  # of the member's unit, best first
    me: PersonScore | None
    my_rank: int | None
    tree_name: str | None
    units: list[UnitScore]  # of the supervisor's tree, best first


def rank_people(scores: list[PersonScore]) -> list[PersonScore]:
    return sorted(scores, key=lambda p: (-p.right, -p.accuracy, p.name, p.user_id))


def rank_units(scores: list[UnitScore]) -> list[UnitScore]:
    return sorted(scores, key=lambda u: (-u.score, -u.participation, u.name))


def period_start(period: str, today: date) -> date:
    return today - timedelta(days=today.weekday()) if period == "week" else today.replace(day=1)


def _tree_root(tree: list[UnitNode], unit_id: int) -> int:
    """The supervisor's unit (the parent), or the unit itself at the top."""
    node = next((n for n in tree if n.id == unit_id), None)
    return node.parent_id if node is not None and node.parent_id is not None else unit_id


async def _scores(db: Database, quiz: QuizService, start: datetime, end: datetime
                  ) -> tuple[list[User], list[UnitNode], dict[int, PersonScore]]:
    async with db.session() as s:
        users = list(await s.scalars(select(User)))
        tree = await load_tree(s)
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for uid, right in await quiz.answers_between(start, end):
        tally[uid][0] += 1
        tally[uid][1] += int(right)
    people = {u.id: PersonScore(u.id, u.name, u.unit_id, *tally.get(u.id, (0, 0))) for u in users}
    return users, tree, people


def unit_scores(units: list[UnitNode], people: dict[int, PersonScore]) -> list[UnitScore]:
    out = []
    for node in units:
        members = [p for p in people.values() if p.unit_id == node.id]
        if not members:
            continue
        out.append(UnitScore(node.id, node.name, len(members), sum(1 for p in members if p.answered),
                             sum(p.answered for p in members), sum(p.right for p in members)))
    return rank_units(out)


async def ranking(db: Database, quiz: QuizService, member: Member, now: datetime, period: str = "week") -> Board:
    today = now.astimezone(quiz.tz).date()
    start = period_start(period, today)
    _users, tree, people = await _scores(db, quiz, datetime.combine(start, time(), quiz.tz), now)
    me = people.get(member.id)
    if member.unit_id is None:
        return Board(period, start, [], me, None, None, [])
    mine = rank_people([p for p in people.values() if p.unit_id == member.unit_id])
    my_rank = next((i for i, p in enumerate(mine, 1) if p.user_id == member.id), None)
    root = _tree_root(tree, member.unit_id)
    in_tree = subtree_ids(tree, root)
    units = unit_scores([n for n in tree if n.id in in_tree], people)
    tree_name = next((n.name for n in tree if n.id == root), None)
    return Board(period, start, mine, me, my_rank, tree_name, units)


def percent(value: float) -> str:
    return T.PERCENT.format(p=round(value * 100))


def weekly_text(unit: UnitScore, place: int, of: int, tree_name: str, top: list[PersonScore],
                start: date, end: date) -> str:
    lines = [T.WEEK_TITLE.format(unit=unit.name, start=format_day(start), end=format_day(end))]
    if not unit.active:
        lines.append(T.WEEK_NOBODY)
    else:
        lines.append(T.WEEK_UNIT.format(active=unit.active, members=unit.members, answered=unit.answered,
                                        accuracy=percent(unit.accuracy)))
        lines.append(T.WEEK_PLACE.format(tree=tree_name, n=of, rank=place, score=f"{unit.score:.2f}"))
        names = "、".join(f"{p.name}（{p.right}题）" for p in top if p.answered)
        if names:
            lines.append(T.WEEK_TOP.format(n=len([p for p in top if p.answered]), names=names))
    lines.append(T.WEEK_SEE)
    return "\n".join(lines)


async def plan_weekly(db: Database, quiz: QuizService, now: datetime, hour: int) -> int:
    """On Mondays: last week's standing to each unit admin, at `hour` local (once: keyed on the Monday)."""
    today = now.astimezone(quiz.tz).date()
    if today.weekday() != 0:
        return 0
    start, end = today - timedelta(days=7), today - timedelta(days=1)
    users, tree, people = await _scores(db, quiz, datetime.combine(start, time(), quiz.tz),
                                        datetime.combine(today, time(), quiz.tz))
    planned = []
    due = datetime.combine(today, time(hour), quiz.tz)
    for admin in (u for u in users if u.role == Role.unit_admin and u.unit_id is not None):
        root = _tree_root(tree, admin.unit_id)
        ranked = unit_scores([n for n in tree if n.id in subtree_ids(tree, root)], people)
        mine = next((u for u in ranked if u.unit_id == admin.unit_id), None)
        if mine is None:
            continue
        top = rank_people([p for p in people.values() if p.unit_id == admin.unit_id])[:3]
        tree_name = next((n.name for n in tree if n.id == root), "")
        text = weekly_text(mine, ranked.index(mine) + 1, len(ranked), tree_name, top, start, end)
        planned.append(PlannedReminder(f"quizweek:{today.isoformat()}:{admin.id}", admin.id, admin.id, due, text,
                                       "quiz_week"))
    async with db.session() as s:
        result = await sync_planned(s, planned, scope_prefix=f"quizweek:{today.isoformat()}:",
                                    cancel_from=datetime.now(UTC))
    return result.added
