"""Inline mode: `@bot 大气法99` in any chat → articles; the chosen one is sent as the full card."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.ext import Application, InlineQueryHandler

from bot import render
from handlers import texts
from handlers.common import Context, svc

MAX_RESULTS = 10


async def inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    s = svc(context)
    member = await s.users.identify(query.from_user.id, query.from_user.full_name)
    if member is None:  # nothing for people who are not registered, only the way to register
        await query.answer([], cache_time=0, is_personal=True,
                           button=InlineQueryResultsButton(texts.INLINE_REGISTER, start_parameter="register"))
        return
    text = query.query.strip()
    if not text or s.answers is None:
        await query.answer([], cache_time=0, is_personal=True)
        return
    rs = await s.answers.search(text, limit=MAX_RESULTS)
    results = []
    for hit in rs.hits:
        card = render.answer_card(hit.law, hit.article, paragraph=hit.paragraph, item=hit.item)
        results.append(InlineQueryResultArticle(
            id=f"{hit.law.law_id}:{hit.article.number}",
            title=render.citation_title(hit.law, hit.article),
            description=render.first_line(hit.article),
            input_message_content=InputTextMessageContent(card.text),
        ))
    await query.answer(results, cache_time=30, is_personal=True)


def register(app: Application) -> None:
    app.add_handler(InlineQueryHandler(inline_query))
