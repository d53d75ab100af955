"""Units: the 总队 → 支队 → 大队 tree."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.errors import NotAllowed, UnitExists, UnitNotFound
from bot.storage import MANAGER_ROLES, Database, Role, Unit, User


@dataclass(frozen=True)
class UnitNode:
    id: int
    name: str
    parent_id: int | None
    depth: int


async def load_tree(session: AsyncSession) -> list[UnitNode]:
    """All units in display order: each parent followed by its children (by name)."""
    units = list((await session.scalars(select(Unit).order_by(Unit.name))).all())
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    out: list[UnitNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for u in children.get(parent, []):
            out.append(UnitNode(u.id, u.name, u.parent_id, depth))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


def subtree_ids(tree: list[UnitNode], root: int) -> set[int]:
    ids = {root}
    for node in tree:  # tree order guarantees parents come before children
        if node.parent_id in ids:
            ids.add(node.id)
    return ids


class UnitService:
    def __init__(self, db: Database):
        self.db = db

    async def tree(self) -> list[UnitNode]:
        async with self.db.session() as s:
            return await load_tree(s)

    async def manageable(self, actor_id: int) -> list[UnitNode]:
        """Units the actor may issue invites for: all for admins, own subtree for unit admins."""
        async with self.db.session() as s:
            actor = await s.get(User, actor_id)
            tree = await load_tree(s)
        if actor is None or actor.role not in MANAGER_ROLES:
            return []
        if actor.role == Role.admin:
            return tree
        if actor.unit_id is None:
            return []
        allowed = subtree_ids(tree, actor.unit_id)
        return [n for n in tree if n.id in allowed]

    async def find(self, name: str) -> UnitNode | None:
        name = name.strip()
        tree = await self.tree()
        for node in tree:
            if node.name == name:
                return node
        partial = [n for n in tree if name and name in n.name]
        return partial[0] if len(partial) == 1 else None

    async def create(self, actor_id: int, name: str, parent_name: str | None = None) -> UnitNode:
        name = name.strip()
        async with self.db.session() as s:
            actor = await s.get(User, actor_id)
            if actor is None or actor.role != Role.admin:
                raise NotAllowed()
            if await s.scalar(select(func.count()).select_from(Unit).where(Unit.name == name)):
                raise UnitExists(name=name)
            parent_id = None
            if parent_name:
                parent = await s.scalar(select(Unit).where(Unit.name == parent_name.strip()))
                if parent is None:
                    raise UnitNotFound(name=parent_name)
                parent_id = parent.id
            unit = Unit(name=name, parent_id=parent_id)
            s.add(unit)
            await s.flush()
            audit.record(s, actor_id, "unit.create", unit=name, parent=parent_name)
            depth = 0 if parent_id is None else 1 + next(n.depth for n in await load_tree(s) if n.id == parent_id)
            return UnitNode(unit.id, unit.name, parent_id, depth)
