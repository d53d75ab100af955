"""Monthly statistics in chat: /stats [YYYY-MM] [单位] (the form, field by field with buttons, or one pasted block of
`名称 数值` lines, then 确认提交), /stats_status [YYYY-MM], /report YYYY-MM[..YYYY-MM] (the 简报 paragraph, the
Excel workbook as a document, the chart as a photo). scheduler/stats.py holds the rules.

The form lives in the database (nothing typed is lost on a restart); buttons carry the month they belong to
(`st:<op>:<YYYY-MM>`), so a press on an old form is refused instead of changing the new one.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from telegram import InputFile, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.render import Reply, esc
from bot.services.errors import ServiceError
from handlers.common import Context, command_argument, edit_in_place, error_text, member_or_prompt, send, svc
from handlers.texts import stats as t
from scheduler.services import KEY
from scheduler.stats import Form, StatsService, parse_month, parse_period, previous_month
from scheduler.stats_files import chart_png, filename, workbook
from scheduler.stats_report import Report, build_report, period_label
from scheduler.texts import format_day

PREFIX = "st"


def stats_service(context: Context) -> StatsService:
    return svc(context).stats


def _month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def _period(month: date) -> str:
    return f"{month.year}-{month.month:02d}"


# --- rendering the form ---------------------------------------------------------------------------------
def form_reply(form: Form, service: StatsService, notice: str = "") -> Reply:
    fields = service.fields
    lines = [f"{t.PROBLEM.format(problem=esc(p))}" for p in form.problems]
    if notice:
        lines.append(notice)
    tag = _period(form.month)
    current = form.current(fields)
    if current is not None:
        value = form.values.get(current.id)
        now = t.CURRENT.format(value=esc(current.format(value))) if current.id in form.values and value is not None \
            else t.EMPTY_NOW
        lines.append(t.FIELD.format(unit=esc(form.unit_name), month=_month_label(form.month), n=form.step + 1,
                                    total=len(fields.fields), name=esc(current.name), unit_name=esc(current.unit),
                                    current=now))
        buttons = [[(t.BUTTON_ZERO, f"{PREFIX}:z:{tag}"), (t.BUTTON_SKIP, f"{PREFIX}:s:{tag}")],
                   [(t.BUTTON_BACK, f"{PREFIX}:b:{tag}"), (t.BUTTON_CANCEL, f"{PREFIX}:x:{tag}")]]
        if form.step == 0:
            buttons[1] = [(t.BUTTON_CANCEL, f"{PREFIX}:x:{tag}")]
        return Reply("\n".join(lines), buttons)
    lines.append(t.CONFIRM_TITLE.format(unit=esc(form.unit_name), month=_month_label(form.month)))
    lines += [t.CONFIRM_LINE.format(name=esc(f.name), value=esc(f.format(form.values.get(f.id)))) for f in fields.fields]
    if form.warnings:
        lines += ["", t.CONFIRM_WARNINGS] + [f"• {esc(w)}" for w in form.warnings]
    late = datetime.now(service.tz).date() > form.deadline
    lines += ["", t.CONFIRM_DEADLINE.format(date=format_day(form.deadline), late=t.CONFIRM_LATE if late else "")]
    if form.submitted is not None:
        lines.append(t.CONFIRM_CHANGE.format(revision=form.submitted.revision + 1))
    submit = t.BUTTON_SUBMIT_ANYWAY if form.warnings else t.BUTTON_SUBMIT
    return Reply("\n".join(lines), [[(submit, f"{PREFIX}:ok:{tag}")],
                                    [(t.BUTTON_BACK, f"{PREFIX}:b:{tag}"), (t.BUTTON_CANCEL, f"{PREFIX}:x:{tag}")]])


# --- /stats and what is typed into the form --------------------------------------------------------------
async def stats(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    words = command_argument(update).split()
    service = stats_service(context)
    today = datetime.now(service.tz).date()
    month = parse_month(words[0], today) if words else previous_month(today)
    if month is None:
        await send(update, t.USAGE)
        return
    unit = " ".join(words[1:]) or None  # a unit admin correcting a unit below theirs
    try:
        form = await service.begin(member, month, datetime.now(UTC), unit)
    except ServiceError as err:
        await send(update, error_text(err))
        return
    await send(update, form_reply(form, service))


async def typed(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    service = stats_service(context)
    text = update.effective_message.text or ""
    now = datetime.now(UTC)
    try:
        if service.fields.looks_like_block(text):  # 名称 数值 lines (one or many): fill what they name
            form = await service.paste(member, text, now)
            filled = len(service.fields.parse_block(text)[0])
            await send(update, form_reply(form, service, t.PASTED.format(n=filled)))
            return
        form = await service.form(member)
        if form.stage == "confirm":
            await send(update, form_reply(form, service, t.AT_CONFIRM))
            return
        await send(update, form_reply(await service.enter(member, text, now), service))
    except ServiceError as err:
        await send(update, error_text(err))


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    member = await member_or_prompt(update, context)
    if member is None:
        return
    service = stats_service(context)
    parts = (query.data or "").split(":")
    now = datetime.now(UTC)
    try:
        form = await service.form(member)
    except ServiceError:
        await query.answer(t.EXPIRED, show_alert=True)
        return
    if len(parts) != 3 or parts[2] != _period(form.month):
        await query.answer(t.EXPIRED, show_alert=True)
        return
    op = parts[1]
    try:
        if op == "x":
            await service.cancel(member)
            await query.answer()
            await edit_in_place(update, Reply(t.CANCELLED))
            return
        if op == "ok":
            done = await service.submit(member, now)
            await query.answer()
            template = t.SUBMITTED_LATE if done.late else t.SUBMITTED
            await edit_in_place(update, Reply(template.format(unit=esc(done.unit_name), month=_month_label(done.month),
                                                              revision=done.revision, period=_period(done.month))))
            return
        form = {"z": lambda: service.enter(member, "0", now), "s": lambda: service.skip(member, now),
                "b": lambda: service.back(member, now)}[op]()
        form = await form
    except KeyError:
        await query.answer(t.EXPIRED, show_alert=True)
        return
    except ServiceError as err:
        await query.answer(error_text(err)[:200], show_alert=True)
        return
    await query.answer()
    await edit_in_place(update, form_reply(form, service))


def _waiting_filter(app: Application) -> filters.MessageFilter:
    class Waiting(filters.MessageFilter):
        """A private text while the sender has a statistics form open (kept in the database)."""

        def filter(self, message: Message) -> bool:
            services = app.bot_data.get(KEY)
            return bool(services and message.from_user and message.from_user.id in services.stats.active)

    return Waiting(name="stats_waiting")


# --- /stats_status ----------------------------------------------------------------------------------------
async def stats_status(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    service = stats_service(context)
    today = datetime.now(service.tz).date()
    arg = command_argument(update)
    month = parse_month(arg, today) if arg else previous_month(today)
    if month is None:
        await send(update, t.USAGE)
        return
    try:
        rows = await service.status(member, month)
    except ServiceError as err:
        await send(update, error_text(err))
        return
    deadlines = {row.deadline for row in rows}
    single = format_day(next(iter(deadlines))) if len(deadlines) == 1 else t.STATUS_DEADLINES_DIFFER
    lines = [t.STATUS_TITLE.format(month=_month_label(month), date=single)]
    for row in rows:
        own = "" if len(deadlines) == 1 else t.STATUS_OWN_DEADLINE.format(date=format_day(row.deadline))
        if row.report is None:
            lines.append(t.STATUS_MISSING.format(unit=esc(row.unit.name), deadline=own))
        else:
            when = (row.report.updated_at or row.report.submitted_at).astimezone(service.tz).date()
            lines.append(t.STATUS_DONE.format(unit=esc(row.unit.name), when=format_day(when),
                                              late=t.STATUS_LATE if row.late else ""))
    lines.append(t.STATUS_COUNT.format(k=sum(1 for row in rows if row.report is not None), n=len(rows)))
    await send(update, "\n".join(lines))


# --- /report ----------------------------------------------------------------------------------------------
def report_text(report: Report, fields) -> str:
    lines = [esc(report.paragraph), "", t.REPORT_INDICATORS]
    for ind in report.indicators:
        zero = "、".join(fields.get(k).name for k, met in ind.kinds_met.items() if not met) or t.NONE_ZERO
        lines.append(esc(t.REPORT_INDICATOR.format(
            unit=ind.unit, decisions=int(ind.decisions), last=int(ind.decisions_last_year),
            met=t.MET if ind.decisions_met else t.NOT_MET, four=int(ind.four), four_last=int(ind.four_last_year),
            four_met=t.MET if ind.four_met else t.NOT_MET, zero=zero)))
    if report.quiz:
        quiz = "；".join(t.REPORT_QUIZ_LINE.format(unit=q.name, active=q.active, members=q.members,
                                                    accuracy=f"{round(q.accuracy * 100)}%") for q in report.quiz)
        lines.append(t.REPORT_QUIZ.format(lines=esc(quiz)))
    return "\n".join(lines)[:4000]


async def report(update: Update, context: Context) -> None:
    member = await member_or_prompt(update, context)
    if member is None:
        return
    service = stats_service(context)
    words = command_argument(update).split()
    today = datetime.now(service.tz).date()
    last = previous_month(today)
    period = parse_period(words[0], today) if words else (last, last)  # /report alone: last month
    if period is None:
        await send(update, t.USAGE)
        return
    try:
        built = await build_report(service, svc(context).quiz, member, *period, unit_name=" ".join(words[1:]) or None)
    except ServiceError as err:
        await send(update, error_text(err))
        return
    xlsx = await asyncio.to_thread(workbook, built, service.fields)
    png = await asyncio.to_thread(chart_png, built, service.fields)
    text = report_text(built, service.fields)
    if not built.units:
        text += "\n" + t.NO_UNITS
    elif png is None:
        text += "\n" + t.NO_FONT
    await send(update, text)
    caption = t.REPORT_CAPTION.format(scope=built.scope, period=period_label(built.start, built.end))
    await update.effective_message.reply_document(InputFile(xlsx, filename=filename(built)), caption=esc(caption))
    if png:
        await update.effective_message.reply_photo(InputFile(png, filename=filename(built, "png")), caption=esc(caption))


def register(app: Application) -> None:
    """Register before the free-text question handler: what the form asks for is not a question."""
    app.add_handler(CommandHandler("stats", stats))
    app.add_handler(CommandHandler("stats_status", stats_status))
    app.add_handler(CommandHandler("report", report))
    app.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    app.add_handler(MessageHandler(
        filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE & _waiting_filter(app), typed))

