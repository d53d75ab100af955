"""Users, roles and invitations."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.errors import (
    AlreadyRegistered,
    InviteExpired,
    InviteNotFound,
    InviteRevoked,
    InviteUsed,
    NotAllowed,
    UnitNotFound,
    UserNotFound,
)
from bot.services.units import load_tree, subtree_ids
from bot.storage import MANAGER_ROLES, OVERSIGHT_ROLES, Database, Invite, Role, Unit, User

INVITE_TTL = timedelta(days=7)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and retyped


@dataclass(frozen=True)
class Member:
    """A snapshot of a registered user, safe to pass around after the session closed."""

    id: int
    name: str
    role: Role
    unit_id: int | None
    unit_name: str | None
    registered_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def can_invite(self) -> bool:
        """Admins and unit admins (内勤): invites, org dates, quiz times, corrections."""
        return self.role in MANAGER_ROLES

    @property
    def can_oversee(self) -> bool:
        """Who reads a unit's (and its subtree's) cases and figures: managers and 督查 supervisors."""
        return self.role in OVERSIGHT_ROLES


@dataclass(frozen=True)
class IssuedInvite:
    code: str
    unit_name: str
    role: Role
    expires_at: datetime


def _issued(invite: Invite) -> IssuedInvite:
    return IssuedInvite(invite.code, invite.unit.name, invite.role, _aware(invite.expires_at))


def _member(u: User) -> Member:
    return Member(u.id, u.name, u.role, u.unit_id, u.unit.name if u.unit else None, u.registered_at)


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)  # SQLite returns naive datetimes


class UserService:
    def __init__(self, db: Database, admin_ids: set[int] | frozenset[int] = frozenset()):
        self.db = db
        self.admin_ids = frozenset(admin_ids)

    async def get(self, user_id: int) -> Member | None:
        async with self.db.session() as s:
            user = await s.get(User, user_id)
            return _member(user) if user else None

    async def identify(self, user_id: int, name: str) -> Member | None:
        """The registered user, registering a configured admin (LAWBOT_ADMIN_IDS) on first contact."""
        member = await self.get(user_id)
        if member is not None or user_id not in self.admin_ids:
            return member
        try:
            async with self.db.session() as s:
                if (user := await s.get(User, user_id)) is None:
                    user = User(id=user_id, name=name, role=Role.admin)
                    s.add(user)
                    audit.record(s, user_id, "user.register", via="admin_ids", name=name)
                    await s.flush()
                return _member(user)
        except IntegrityError:  # two first messages at once: the other one registered them
            return await self.get(user_id)

    async def redeem(self, code: str, user_id: int, name: str, now: datetime | None = None) -> Member:
        now = now or datetime.now(UTC)
        code = code.strip().upper()
        async with self.db.session() as s:
            if await s.get(User, user_id) is not None:
                raise AlreadyRegistered()
            invite = await s.get(Invite, code)
            if invite is None:
                raise InviteNotFound()
            if invite.used_by is not None:
                raise InviteUsed()
            if invite.revoked_at is not None:
                raise InviteRevoked()
            if _aware(invite.expires_at) < now:
                raise InviteExpired()
            # conditional update: of two people redeeming the same code at once, exactly one wins
            claimed = await s.execute(
                update(Invite)
                .where(Invite.code == code, Invite.used_by.is_(None), Invite.revoked_at.is_(None))
                .values(used_by=user_id, used_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                raise InviteUsed()
            user = User(id=user_id, name=name, unit_id=invite.unit_id, role=invite.role, registered_at=now)
            s.add(user)
            audit.record(s, user_id, "user.register", via="invite", code=code, unit=invite.unit.name)
            await s.flush()
            await s.refresh(user, ["unit"])
            return _member(user)

    async def issue_invite(
        self, actor_id: int, unit_id: int, role: Role = Role.officer, ttl: timedelta = INVITE_TTL
    ) -> IssuedInvite:
        async with self.db.session() as s:
            actor = await s.get(User, actor_id)
            unit = await s.get(Unit, unit_id)
            if unit is None:
                raise UnitNotFound(name=str(unit_id))
            await self._check_can_invite(s, actor, unit.id, role)
            invite = Invite(
                code=new_code(), unit_id=unit.id, role=role, created_by=actor_id,
                expires_at=datetime.now(UTC) + ttl,
            )
            s.add(invite)
            audit.record(s, actor_id, "invite.create", code=invite.code, unit=unit.name, role=role.value)
            return IssuedInvite(invite.code, unit.name, role, invite.expires_at)

    async def open_invites(self, actor_id: int, now: datetime | None = None) -> list[IssuedInvite]:
        """Unused, unexpired, unrevoked codes of the units the actor manages, newest first."""
        now = now or datetime.now(UTC)
        async with self.db.session() as s:
            actor = await s.get(User, actor_id)
            if actor is None or actor.role not in MANAGER_ROLES:
                raise NotAllowed()
            q = (select(Invite).where(Invite.used_by.is_(None), Invite.revoked_at.is_(None), Invite.expires_at > now)
                 .order_by(Invite.created_at.desc()))
            if actor.role != Role.admin:
                if actor.unit_id is None:
                    return []
                q = q.where(Invite.unit_id.in_(subtree_ids(await load_tree(s), actor.unit_id)))
            return [_issued(i) for i in await s.scalars(q.limit(50))]

    async def revoke_invite(self, actor_id: int, code: str, now: datetime | None = None) -> IssuedInvite:
        """An unused code of a unit the actor manages stops working at once (audited)."""
        now = now or datetime.now(UTC)
        code = code.strip().upper()
        async with self.db.session() as s:
            actor = await s.get(User, actor_id)
            invite = await s.get(Invite, code)
            if actor is None or actor.role not in MANAGER_ROLES:
                raise NotAllowed()
            if invite is None:
                raise InviteNotFound()
            await self._check_can_invite(s, actor, invite.unit_id, invite.role)
            if invite.used_by is not None:
                raise InviteUsed()
            if invite.revoked_at is None:
                invite.revoked_at, invite.revoked_by = now, actor_id
                audit.record(s, actor_id, "invite.revoke", code=code, unit=invite.unit.name)
            return _issued(invite)

    async def _check_can_invite(self, s: AsyncSession, actor: User | None, unit_id: int, role: Role) -> None:
        if actor is None or actor.role not in MANAGER_ROLES:
            raise NotAllowed()
        if actor.role == Role.admin:
            return
        # unit admins invite officers into their own unit or the units below it
        if role != Role.officer or actor.unit_id is None:
            raise NotAllowed()
        if unit_id not in subtree_ids(await load_tree(s), actor.unit_id):
            raise NotAllowed()

    async def set_role(self, actor_id: int, target_id: int, role: Role) -> Member:
        """Admins make unit admins (or demote them). Nobody changes their own role."""
        async with self.db.session() as s:
            actor = await s.get(User, actor_id)
            if actor is None or actor.role != Role.admin or actor_id == target_id:
                raise NotAllowed()
            target = await s.get(User, target_id)
            if target is None:
                raise UserNotFound()
            old = target.role
            target.role = role
            audit.record(s, actor_id, "user.role", target=target_id, old=old.value, new=role.value)
            return _member(target)

    async def find(self, query: str) -> list[Member]:
        """By Telegram id or by (part of) the name."""
        async with self.db.session() as s:
            if query.strip().lstrip("-").isdigit():
                user = await s.get(User, int(query))
                return [_member(user)] if user else []
            rows = await s.scalars(select(User).where(User.name.contains(query.strip())).limit(10))
            return [_member(u) for u in rows]


async def _reaches(session: AsyncSession, member: Member | None, unit_id: int, roles: frozenset[Role]) -> bool:
    """Admins reach every unit; the other `roles` their own unit and the units below it."""
    if member is None or member.role not in roles:
        return False
    if member.role == Role.admin:
        return True
    if member.unit_id is None:
        return False
    return unit_id in subtree_ids(await load_tree(session), member.unit_id)


async def may_oversee_unit(session: AsyncSession, member: Member | None, unit_id: int) -> bool:
    """Reading a unit's cases and figures: admins every unit; unit admins and 督查 supervisors their unit and the
    units below it; officers none (their own unit's figures are checked by the caller)."""
    return await _reaches(session, member, unit_id, OVERSIGHT_ROLES)


async def may_manage_unit(session: AsyncSession, member: Member | None, unit_id: int) -> bool:
    """Admins manage every unit; a unit admin their unit and the units below it; officers none."""
    return await _reaches(session, member, unit_id, MANAGER_ROLES)
