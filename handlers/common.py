"""Small helpers shared by the handler modules."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.render import Reply, esc
from bot.services.errors import ServiceError
from bot.services.users import Member
from handlers import texts
from scheduler.services import Services, services

Context = ContextTypes.DEFAULT_TYPE


def command_argument(update: Update) -> str:
    """The message text after the command (line breaks kept, unlike context.args); "" if none."""
    parts = (update.effective_message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def error_text(err: ServiceError) -> str:
    template = texts.ERRORS.get(err.key, texts.ERRORS["error"])
    return template.format(**{k: esc(v) for k, v in err.params.items()})


def role_name(role: str) -> str:
    return texts.ROLE_NAMES.get(str(role), str(role))


async def send(update: Update, reply: Reply | str) -> None:
    if isinstance(reply, str):
        reply = Reply(reply)
    await update.effective_message.reply_text(reply.text, reply_markup=reply.markup)


async def edit_in_place(update: Update, reply: Reply) -> None:
    """Replace the message a button belongs to; a double tap (same text again) is harmless."""
    try:
        await update.callback_query.edit_message_text(reply.text, reply_markup=reply.markup)
    except BadRequest as err:
        if "not modified" not in str(err).lower():
            raise


async def member_or_prompt(update: Update, context: Context) -> Member | None:
    """The registered sender; unregistered people get the registration path and nothing else."""
    user = update.effective_user
    member = await services(context).users.identify(user.id, user.full_name)
    if member is None:
        if update.callback_query:
            await update.callback_query.answer(texts.REGISTER_FIRST.split("\n")[0], show_alert=True)
        elif update.effective_message:
            await update.effective_message.reply_text(texts.REGISTER_FIRST)
    return member


def svc(context: Context) -> Services:
    return services(context)
