"""Services against a real migrated SQLite file: registration, invites, roles, units, audit."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.services import audit
from bot.services.errors import (
    AlreadyRegistered,
    InviteExpired,
    InviteNotFound,
    InviteRevoked,
    InviteUsed,
    NotAllowed,
)
from bot.services.units import UnitService
from bot.services.users import UserService
from bot.storage import Database, Role
from bot.storage.db import alembic_config, async_url

ADMIN = 900


@pytest.fixture
async def setup(db):
    users, units = UserService(db, {ADMIN}), UnitService(db)
    await users.identify(ADMIN, "局管理员")
    zhidui = await units.create(ADMIN, "江门支队")
    dadui = await units.create(ADMIN, "蓬江大队", "江门支队")
    other = await units.create(ADMIN, "新会大队", "江门支队")
    return users, units, zhidui, dadui, other


async def test_sqlite_pragmas(sqlite_db):
    async with sqlite_db.session() as s:
        assert (await s.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await s.execute(text("PRAGMA foreign_keys"))).scalar() == 1


async def test_schema_at_head(db):
    async with db.session() as s:
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()  # the newest migration
        assert (await s.execute(text("SELECT version_num FROM alembic_version"))).scalar() == head
    await db.migrate()  # idempotent on every start


async def test_plain_sqlite_url_gets_async_driver(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'x' / 'y.sqlite3'}")
    assert database.url.startswith("sqlite+aiosqlite://")
    await database.migrate()
    assert (tmp_path / "x" / "y.sqlite3").exists()
    await database.dispose()
    # PostgreSQL URLs get asyncpg (no server here to connect to)
    assert async_url("postgresql://u:p@h/db").startswith("postgresql+asyncpg://u:p@h/db")


async def test_admin_ids_are_admins_from_the_start(db):
    users = UserService(db, {ADMIN})
    assert await users.get(ADMIN) is None
    member = await users.identify(ADMIN, "局管理员")
    assert member.role == Role.admin
    assert await users.identify(12345, "路人") is None  # nobody else is registered by contact


async def test_invite_redeem_once(setup):
    users, _units, _zd, dadui, _ = setup
    invite = await users.issue_invite(ADMIN, dadui.id)
    assert len(invite.code) == 8 and invite.unit_name == "蓬江大队"
    member = await users.redeem(invite.code.lower(), 501, "李四")  # codes are case-insensitive
    assert (member.unit_name, member.role) == ("蓬江大队", Role.officer)
    with pytest.raises(InviteUsed):
        await users.redeem(invite.code, 502, "王五")
    with pytest.raises(AlreadyRegistered):
        await users.redeem(invite.code, 501, "李四")
    with pytest.raises(InviteNotFound):
        await users.redeem("NOPE2345", 503, "赵六")


async def test_expired_invite(setup):
    users, _units, _zd, dadui, _ = setup
    invite = await users.issue_invite(ADMIN, dadui.id, ttl=timedelta(days=1))
    with pytest.raises(InviteExpired):
        await users.redeem(invite.code, 501, "李四", now=datetime.now(UTC) + timedelta(days=2))


async def test_two_people_racing_for_one_code(setup):
    users, _units, _zd, dadui, _ = setup
    invite = await users.issue_invite(ADMIN, dadui.id)
    results = await asyncio.gather(*(users.redeem(invite.code, 600 + i, "队员") for i in range(5)),
                                   return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["InviteUsed"] * 4 + ["Member"]


async def test_admin_first_messages_at_once(db):
    users = UserService(db, {ADMIN})
    members = await asyncio.gather(*(users.identify(ADMIN, "局管理员") for _ in range(5)))
    assert {m.role for m in members} == {Role.admin}


async def test_unit_admin_invites_only_officers_of_own_subtree(setup):
    users, units, zhidui, dadui, other = setup
    await users.redeem((await users.issue_invite(ADMIN, dadui.id, Role.unit_admin)).code, 701, "内勤")
    assert (await users.get(701)).role == Role.unit_admin
    assert [n.name for n in await units.manageable(701)] == ["蓬江大队"]
    assert (await users.issue_invite(701, dadui.id)).role == Role.officer
    for unit_id, role in ((other.id, Role.officer), (zhidui.id, Role.officer), (dadui.id, Role.unit_admin)):
        with pytest.raises(NotAllowed):
            await users.issue_invite(701, unit_id, role)


async def test_a_revoked_code_stops_working_and_the_revocation_is_audited(setup, db):
    users, _units, _zd, dadui, other = setup
    await users.redeem((await users.issue_invite(ADMIN, dadui.id, Role.unit_admin)).code, 701, "内勤")
    mine = await users.issue_invite(701, dadui.id)
    theirs = await users.issue_invite(ADMIN, other.id)
    assert [i.code for i in await users.open_invites(701)] == [mine.code]  # only the own subtree's codes
    assert {i.code for i in await users.open_invites(ADMIN)} >= {mine.code, theirs.code}
    with pytest.raises(NotAllowed):
        await users.revoke_invite(701, theirs.code)  # another unit's code
    revoked = await users.revoke_invite(701, mine.code.lower())
    assert revoked.code == mine.code
    assert mine.code not in [i.code for i in await users.open_invites(ADMIN)]
    with pytest.raises(InviteRevoked):
        await users.redeem(mine.code, 502, "王五")
    assert await users.get(502) is None
    with pytest.raises(InviteNotFound):
        await users.revoke_invite(ADMIN, "NOSUCHCODE")
    await users.redeem(theirs.code, 503, "赵六")
    with pytest.raises(InviteUsed):  # a used code has done its work: nothing to revoke
        await users.revoke_invite(ADMIN, theirs.code)
    entries = await audit.recent(db, limit=10)
    assert [(e.actor, e.detail["code"]) for e in entries if e.action == "invite.revoke"] == [(701, mine.code)]
    with pytest.raises(NotAllowed):  # officers neither list nor revoke
        await users.open_invites(503)


async def test_supervisors_read_their_subtree_and_change_nothing(setup):
    from bot.services.users import may_manage_unit, may_oversee_unit

    users, units, zhidui, dadui, other = setup
    await users.redeem((await users.issue_invite(ADMIN, zhidui.id, Role.supervisor)).code, 801, "督查")
    member = await users.get(801)
    assert member.role == Role.supervisor and member.can_oversee and not member.can_invite
    assert await units.manageable(801) == []
    for unit_id in (zhidui.id, dadui.id):
        with pytest.raises(NotAllowed):
            await users.issue_invite(801, unit_id)
    async with users.db.session() as s:
        assert await may_oversee_unit(s, member, other.id) and not await may_manage_unit(s, member, other.id)
    with pytest.raises(NotAllowed):
        await users.open_invites(801)


async def test_only_admins_change_roles(setup):
    users, _units, _zd, dadui, _ = setup
    await users.redeem((await users.issue_invite(ADMIN, dadui.id)).code, 501, "李四")
    await users.redeem((await users.issue_invite(ADMIN, dadui.id)).code, 502, "王五")
    with pytest.raises(NotAllowed):
        await users.set_role(501, 502, Role.unit_admin)
    with pytest.raises(NotAllowed):
        await users.issue_invite(501, dadui.id)
    assert (await users.set_role(ADMIN, 501, Role.unit_admin)).role == Role.unit_admin
    with pytest.raises(NotAllowed):
        await users.set_role(ADMIN, ADMIN, Role.officer)  # an admin cannot lock themselves out


async def test_unit_tree_order(setup):
    _users, units, *_ = setup
    await units.create(ADMIN, "广东省生态环境保护综合执法总队")
    tree = await units.tree()
    assert [(n.name, n.depth) for n in tree][:3] == [("广东省生态环境保护综合执法总队", 0), ("江门支队", 0), ("新会大队", 1)]
    assert (await units.find("蓬江")).name == "蓬江大队"
    assert await units.find("大队") is None  # ambiguous


async def test_audit_trail(setup, db):
    users, _units, _zd, dadui, _ = setup
    invite = await users.issue_invite(ADMIN, dadui.id)
    await users.redeem(invite.code, 501, "李四")
    await users.set_role(ADMIN, 501, Role.unit_admin)
    actions = [e.action for e in await audit.recent(db)]
    assert actions[:3] == ["user.role", "user.register", "invite.create"]
    entry = (await audit.recent(db, action="user.register"))[0]
    assert entry.detail == {"via": "invite", "code": invite.code, "unit": "蓬江大队"}
