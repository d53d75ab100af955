"""Registration and administration: /start [code], /help, /invite, /invites, /revoke, /units, /addunit, /promote."""

from __future__ import annotations

import contextlib

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.render import Reply, esc
from bot.services.errors import AlreadyRegistered, NotAllowed, ServiceError
from bot.services.users import IssuedInvite, Member
from bot.storage import Role
from handlers import texts
from handlers.common import Context, error_text, member_or_prompt, role_name, send, svc


def _unit(member: Member) -> str:
    return esc(member.unit_name or texts.NO_UNIT)


async def start(update: Update, context: Context) -> None:
    user = update.effective_user
    s = svc(context)
    code = context.args[0] if context.args else None
    member = await s.users.identify(user.id, user.full_name)
    if member is None and code and code != "register":
        try:
            member = await s.users.redeem(code, user.id, user.full_name)
        except ServiceError as err:
            await send(update, f"{error_text(err)}\n\n{texts.YOUR_ID.format(id=user.id)}")
            return
        await send(update, texts.REGISTERED.format(unit=_unit(member), role=role_name(member.role)))
        return
    if member is None:
        await send(update, f"{texts.REGISTER_FIRST}\n\n{texts.YOUR_ID.format(id=user.id)}")
        return
    if code and code != "register":
        await send(update, error_text(AlreadyRegistered()))
        return
    await send(update, "\n\n".join([
        texts.WELCOME.format(name=esc(member.name), bot=esc(context.bot.username)),
        texts.WELCOME_BACK.format(unit=_unit(member), role=role_name(member.role)),
        texts.YOUR_ID.format(id=user.id),
    ]))


async def help_command(update: Update, context: Context) -> None:
    if await member_or_prompt(update, context):
        await send(update, texts.HELP.format(bot=esc(context.bot.username)))


def _invite_text(invite: IssuedInvite, bot_username: str) -> str:
    return texts.INVITE_CREATED.format(
        code=invite.code, unit=esc(invite.unit_name), role=role_name(invite.role),
        expires=invite.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
        link=esc(f"https://t.me/{bot_username}?start={invite.code}"),
    )


async def invite(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    s = svc(context)
    if not member.can_invite:
        await send(update, error_text(NotAllowed()))
        return
    args = list(context.args or [])
    role = Role.officer
    if len(args) > 1 and args[-1] in texts.ROLE_WORDS:
        role = Role(texts.ROLE_WORDS[args.pop()])
    units = await s.units.manageable(member.id)
    if not args:  # choose from the tree
        if not units:
            await send(update, texts.INVITE_NO_UNITS)
            return
        buttons = [[("　" * n.depth + n.name, callbacks.invite_unit(n.id))] for n in units[:50]]
        await send(update, Reply(texts.INVITE_CHOOSE_UNIT, buttons))
        return
    name = " ".join(args)
    match = next((n for n in units if n.name == name), None) or await s.units.find(name)
    if match is None:
        await send(update, texts.ERRORS["unit_not_found"].format(name=esc(name)))
        return
    try:
        issued = await s.users.issue_invite(member.id, match.id, role)
    except ServiceError as err:
        await send(update, error_text(err))
        return
    await send(update, _invite_text(issued, context.bot.username))


async def invite_unit_chosen(update: Update, context: Context) -> None:
    query = update.callback_query
    member = await member_or_prompt(update, context)
    if member is None:
        return
    unit_id = callbacks.int_arg(callbacks.parse(query.data), 0)
    try:
        if unit_id is None:
            raise ValueError("forged or stale button")
        issued = await svc(context).users.issue_invite(member.id, unit_id)
    except (ServiceError, ValueError) as err:
        await query.answer()
        await query.edit_message_text(error_text(err) if isinstance(err, ServiceError) else texts.ERRORS["error"])
        return
    await query.answer()
    await query.edit_message_text(_invite_text(issued, context.bot.username))


def _invites_reply(invites: list[IssuedInvite]) -> Reply:
    if not invites:
        return Reply(texts.INVITES_NONE)
    lines = [texts.INVITES_TITLE] + [texts.INVITES_LINE.format(
        code=i.code, unit=esc(i.unit_name), role=role_name(i.role), expires=i.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
    ) for i in invites]
    buttons = [[(texts.INVITE_REVOKE_BUTTON.format(code=i.code), callbacks.invite_revoke(i.code))] for i in invites[:20]]
    return Reply("\n".join(lines), buttons)


async def invites(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    try:
        found = await svc(context).users.open_invites(member.id)
    except ServiceError as err:
        await send(update, error_text(err))
        return
    await send(update, _invites_reply(found))


async def _revoke(context: Context, member: Member, code: str) -> str:
    try:
        revoked = await svc(context).users.revoke_invite(member.id, code)
    except ServiceError as err:
        return error_text(err)
    return texts.INVITE_REVOKED.format(code=revoked.code, unit=esc(revoked.unit_name))


async def revoke(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    args = context.args or []
    if len(args) != 1:
        await send(update, texts.REVOKE_USAGE)
        return
    await send(update, await _revoke(context, member, args[0][:32]))


async def invite_revoke_pressed(update: Update, context: Context) -> None:
    query = update.callback_query
    member = await member_or_prompt(update, context)
    if member is None:
        return
    code = (query.data or "").partition(":")[2][:32]
    await query.answer()
    await query.edit_message_text(await _revoke(context, member, code))


async def units(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    tree = await svc(context).units.tree()
    if not tree:
        await send(update, texts.UNITS_EMPTY)
        return
    lines = [texts.UNITS_TITLE] + ["　" * n.depth + "• " + esc(n.name) for n in tree]
    await send(update, "\n".join(lines))


async def addunit(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    args = context.args or []
    if not args or len(args) > 2:
        await send(update, texts.ADDUNIT_USAGE)
        return
    try:
        node = await svc(context).units.create(member.id, args[0], args[1] if len(args) > 1 else None)
    except ServiceError as err:
        await send(update, error_text(err))
        return
    await send(update, texts.UNIT_CREATED.format(unit=esc(node.name)))


async def promote(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    args = context.args or []
    if not args:
        await send(update, texts.PROMOTE_USAGE)
        return
    role = Role(texts.ROLE_WORDS[args[-1]]) if len(args) > 1 and args[-1] in texts.ROLE_WORDS else Role.unit_admin
    s = svc(context)
    found = await s.users.find(args[0])
    if len(found) != 1:
        await send(update, texts.ERRORS["user_not_found"])
        return
    try:
        target = await s.users.set_role(member.id, found[0].id, role)
    except ServiceError as err:
        await send(update, error_text(err))
        return
    await send(update, texts.PROMOTED.format(name=esc(target.name), id=target.id, role=role_name(role)))
    commands = texts.ADMIN_COMMANDS if target.can_invite else texts.COMMANDS
    with contextlib.suppress(TelegramError):  # their command menu; harmless if the chat is unknown
        await context.bot.set_my_commands(
            [BotCommand(c, d) for c, d in commands], scope=BotCommandScopeChat(target.id)
        )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("invite", invite))
    app.add_handler(CommandHandler("invites", invites))
    app.add_handler(CommandHandler("revoke", revoke))
    app.add_handler(CommandHandler("units", units))
    app.add_handler(CommandHandler("addunit", addunit))
    app.add_handler(CommandHandler("promote", promote))
    app.add_handler(CallbackQueryHandler(invite_unit_chosen, pattern=rf"^{callbacks.INVITE_UNIT}:"))
    app.add_handler(CallbackQueryHandler(invite_revoke_pressed, pattern=rf"^{callbacks.INVITE_REVOKE}:"))
