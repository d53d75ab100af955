"""案卷核验 in chat: a .docx / .pdf / .txt / .md file or photos of the pages → the findings.

Photos sent as an album arrive as separate messages with one media_group_id; they are gathered for
ALBUM_WAIT seconds and read as one document, in the order they were sent.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks
from bot.render import Reply, esc
from bot.services.documents import CheckReport, DocumentCheckService
from handlers.common import Context, member_or_prompt, send, svc
from handlers.texts import check as t
from knowledge.check import ERROR
from knowledge.documents import DocumentError, check_size, kind_of
from knowledge.texts import MSG_DOC_TYPE

log = logging.getLogger(__name__)
ALBUM_WAIT = 1.5  # seconds: Telegram delivers an album's photos within a second or so
_ALBUMS = "check_albums"
MESSAGE_LIMIT = 3900  # Telegram's 4096, with room for the header


def _service(context: Context) -> DocumentCheckService | None:
    s = svc(context)
    if s.documents is None and s.answers is not None:
        s.documents = DocumentCheckService(s.answers.kb)
    return s.documents


async def check_command(update: Update, context: Context) -> None:
    if await member_or_prompt(update, context) is None:
        return
    await send(update, t.PROMPT)


async def on_document(update: Update, context: Context) -> None:
    if await member_or_prompt(update, context) is None:
        return
    doc = update.effective_message.document
    name = doc.file_name or "文件"
    if kind_of(name) is None:
        await send(update, esc(MSG_DOC_TYPE))
        return
    try:
        check_size(doc.file_size)  # refused before anything is downloaded
    except DocumentError as err:
        await send(update, esc(str(err)))
        return
    progress = await update.effective_message.reply_text(t.READING.format(name=esc(name)))
    await _run(context, progress, name, [doc.file_id], photos=kind_of(name) == "image")


async def on_photo(update: Update, context: Context) -> None:
    if await member_or_prompt(update, context) is None:
        return
    message = update.effective_message
    photo = message.photo[-1]  # the largest size Telegram made
    try:
        check_size(photo.file_size)
    except DocumentError as err:
        await send(update, esc(str(err)))
        return
    group = message.media_group_id
    if not group:
        progress = await message.reply_text(t.READING_PHOTOS.format(pages=1))
        await _run(context, progress, None, [photo.file_id], photos=True)
        return
    albums = context.bot_data.setdefault(_ALBUMS, {})
    album = albums.get(group)
    if album is None:
        albums[group] = {"message": message, "photos": [(message.message_id, photo.file_id)]}
        context.job_queue.run_once(_album_ready, ALBUM_WAIT, data=group, name=f"album:{group}")
    else:
        album["photos"].append((message.message_id, photo.file_id))


async def _album_ready(context: Context) -> None:
    album = context.bot_data.get(_ALBUMS, {}).pop(context.job.data, None)
    if album is None:
        return
    first: Message = album["message"]
    file_ids = [file_id for _id, file_id in sorted(album["photos"])]
    progress = await first.reply_text(t.READING_PHOTOS.format(pages=len(file_ids)))
    await _run(context, progress, None, file_ids, photos=True)


async def _run(context: Context, progress: Message, name: str | None, file_ids: list[str], photos: bool) -> None:
    """Download, check in a worker thread, and replace the progress message with the findings."""
    service = _service(context)
    if service is None:
        await progress.edit_text(t.FAILED)
        return
    try:
        blobs = [bytes(await (await context.bot.get_file(fid)).download_as_bytearray()) for fid in file_ids]
        if photos:
            report = await service.check_photos(blobs)
        else:
            report = await service.check_file(name or "", blobs[0])
        del blobs  # the file is gone once checked: nothing of it is kept but the recognised text
    except DocumentError as err:
        await progress.edit_text(esc(str(err)))
        return
    except Exception:
        log.exception("document check failed")  # the traceback only: never the document's content
        await progress.edit_text(t.FAILED)
        return
    reply = render_report(report, name)
    await progress.edit_text(reply.text, reply_markup=reply.markup)


def render_report(report: CheckReport, name: str | None) -> Reply:
    source = (t.SOURCE_PHOTOS.format(pages=report.pages, seconds=report.seconds) if report.ocr
              else f"《{esc(name or '文件')}》")
    lines = [t.HEADER.format(source=source)]
    errors = len(report.errors)
    if report.clean:
        lines.append(t.CLEAN)
    if report.findings:
        if errors:
            lines.append(t.COUNT.format(errors=errors, hints=len(report.findings) - errors))
        for n, f in enumerate(report.findings, start=1):
            icon = "❌" if f.severity == ERROR else "💡"
            lines.append(t.FINDING.format(n=n, icon=icon, severity=f.severity, message=esc(f.message)))
            if f.sentence:
                lines.append(t.SENTENCE.format(sentence=esc(_cut(f.sentence, 120))))
            if f.citation:
                lines.append(t.ARTICLE.format(cite=esc(f.citation)))
        lines.append(t.NOTE)
    text = _cut("\n".join(lines), MESSAGE_LIMIT)
    buttons = [[(t.TEXT_BUTTON, callbacks.check_text(report.token))]] if report.ocr else []
    return Reply(text, buttons)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def on_text_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if await member_or_prompt(update, context) is None:
        return
    cb = callbacks.parse(query.data)
    service = _service(context)
    text = service.recognised_text(cb.args[0]) if service and cb and cb.args else None
    if text is None:
        await query.answer(t.TEXT_EXPIRED, show_alert=True)
        return
    await query.answer()
    parts = [text[i:i + MESSAGE_LIMIT] for i in range(0, len(text), MESSAGE_LIMIT)] or [""]
    for i, part in enumerate(parts, start=1):
        await context.bot.send_message(update.effective_chat.id,
                                       t.TEXT_HEADER.format(part=i, parts=len(parts)) + esc(part))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("check", check_command))
    app.add_handler(MessageHandler(filters.Document.ALL & private, on_document))
    app.add_handler(MessageHandler(filters.PHOTO & private, on_photo))
    app.add_handler(CallbackQueryHandler(on_text_button, pattern=rf"^{callbacks.CHECK_TEXT}:"))
