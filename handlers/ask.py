"""Questions and citations: free text and /law → answer card; buttons: pages, full text, related."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks, render
from bot.services.answers import ResultSet
from handlers import texts
from handlers.common import Context, edit_in_place, member_or_prompt, send, svc


def card_for(rs: ResultSet, index: int) -> render.Reply:
    hit = rs.hits[index]
    return render.answer_card(
        hit.law, hit.article, paragraph=hit.paragraph, item=hit.item,
        notice=rs.notice if index == 0 else None, page=(index, len(rs.hits), rs.token),
    )


async def answer_query(update: Update, context: Context, query: str) -> None:
    answers = svc(context).answers
    if answers is None:
        await send(update, texts.SEARCH_UNAVAILABLE)
        return
    rs = await answers.search(query)
    if not rs.hits:
        await send(update, render.esc(rs.notice) if rs.notice else texts.NO_RESULTS)
        return
    await send(update, card_for(rs, 0))


async def ask(update: Update, context: Context) -> None:
    if await member_or_prompt(update, context) is None:
        return
    await answer_query(update, context, update.effective_message.text.strip())


async def law(update: Update, context: Context) -> None:
    if await member_or_prompt(update, context) is None:
        return
    query = " ".join(context.args or []).strip()
    if not query:
        await send(update, texts.LAW_USAGE)
        return
    await answer_query(update, context, query)


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if await member_or_prompt(update, context) is None:
        return
    answers = svc(context).answers
    cb = callbacks.parse(query.data)
    if answers is None or cb is None:
        await query.answer(texts.SEARCH_UNAVAILABLE)
        return
    if cb.kind == callbacks.PAGE:
        rs = answers.results(cb.args[0]) if cb.args else None
        index = callbacks.int_arg(cb, 1)
        if rs is None or index is None or not 0 <= index < len(rs.hits):
            await query.answer(texts.RESULTS_EXPIRED, show_alert=True)
            return
        await query.answer()
        reply = card_for(rs, index)
        await edit_in_place(update, reply)  # paging edits the message in place
        return
    number = callbacks.int_arg(cb, 1)
    found = answers.article(cb.args[0], number) if number is not None else None
    if found is None:
        await query.answer(texts.ARTICLE_GONE, show_alert=True)
        return
    await query.answer()
    law_, article = found
    chat = update.effective_chat
    if cb.kind == callbacks.FULL:
        for part in render.full_text(law_, article):
            await context.bot.send_message(chat.id, part)
    elif cb.kind == callbacks.RELATED:
        reply = render.related_list(law_, article, answers.related(law_.law_id, article.number))
        await context.bot.send_message(chat.id, reply.text, reply_markup=reply.markup)
    elif cb.kind == callbacks.ARTICLE:
        reply = render.answer_card(law_, article)
        await context.bot.send_message(chat.id, reply.text, reply_markup=reply.markup)


async def unknown_command(update: Update, context: Context) -> None:
    if await member_or_prompt(update, context):
        await send(update, texts.UNKNOWN_COMMAND)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("law", law))
    pattern = rf"^({callbacks.PAGE}|{callbacks.FULL}|{callbacks.RELATED}|{callbacks.ARTICLE}):"
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, ask))


async def unknown_button(update: Update, context: Context) -> None:
    """A button no handler knows (an old release's, or forged data): say so instead of leaving it spinning."""
    await update.callback_query.answer(texts.BUTTON_UNKNOWN, show_alert=True)


def register_fallbacks(app: Application) -> None:
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(unknown_button))
