"""The report as files: an Excel workbook (xlsxwriter: 汇总, 各单位, 指标, 明细, numbers as numbers with formats
and a native column chart) and a PNG chart (matplotlib, with the Noto Sans CJK font the install brings).

    data = workbook(report, fields)                 # bytes of 2026年10月执法统计.xlsx
    png = chart_png(report, fields)                  # bytes, or None when no CJK font is found
    filename(report)                                 # 2026年10月执法统计.xlsx
"""

from __future__ import annotations

import io
import logging
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

import xlsxwriter

from scheduler.stats_fields import FieldSet
from scheduler.stats_report import Report, period_label

log = logging.getLogger(__name__)

COUNT_FORMAT = "0"
MONEY_FORMAT = "0.0000"
SHEETS = ("汇总", "各单位", "指标", "明细")


def filename(report: Report, suffix: str = "xlsx") -> str:
    return f"{period_label(report.start, report.end)}执法统计.{suffix}"


def _number(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral() else float(value)


def workbook(report: Report, fields: FieldSet) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    formats = {"count": book.add_format({"num_format": COUNT_FORMAT}), "money": book.add_format({"num_format": MONEY_FORMAT})}
    title = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    yes, no = book.add_format({"font_color": "#006100"}), book.add_format({"font_color": "#9C0006"})

    # 汇总: each field for the period, the year to date and the same period last year
    summary = book.add_worksheet(SHEETS[0])
    summary.write(0, 0, f"{report.scope} · {period_label(report.start, report.end)}执法统计", title)
    summary.merge_range(1, 0, 1, 4, report.paragraph, wrap)
    summary.set_row(1, 90)
    for col, text in enumerate(("项目", "单位", "本期", "本年累计", "去年同期")):
        summary.write(3, col, text, head)
    for row, f in enumerate(fields.fields, start=4):
        summary.write(row, 0, f.name)
        summary.write(row, 1, f.unit)
        for col, source in ((2, report.totals), (3, report.year_to_date), (4, report.last_year)):
            summary.write_number(row, col, _number(source[f.id]), formats[f.kind])
    summary.set_column(0, 0, 22)
    summary.set_column(1, 4, 12)

    # 各单位: one row per unit, one column per field, and a native chart of the penalty decisions and fines
    per_unit = book.add_worksheet(SHEETS[1])
    per_unit.write(0, 0, "单位", head)
    per_unit.write(0, 1, "报送情况", head)
    for col, f in enumerate(fields.fields, start=2):
        per_unit.write(0, col, f"{f.name}（{f.unit}）", head)
    months = set(report.months)
    for row, u in enumerate(report.units, start=1):
        per_unit.write(row, 0, u.name)
        done = report.reported.get(u.id, set())
        per_unit.write(row, 1, "已报送" if months <= done else f"已报{len(done & months)}/{len(months)}个月")
        for col, f in enumerate(fields.fields, start=2):
            per_unit.write_number(row, col, _number(report.per_unit[u.id][f.id]), formats[f.kind])
    per_unit.set_column(0, 1, 18)
    per_unit.set_column(2, 1 + len(fields.fields), 11)
    per_unit.freeze_panes(1, 1)
    if report.units:
        chart = book.add_chart({"type": "column"})
        ids = [f.id for f in fields.fields]
        last = len(report.units)
        for fid in ("decisions", "cases_opened"):
            if fid in ids:
                col = 2 + ids.index(fid)
                chart.add_series({"name": [SHEETS[1], 0, col], "categories": [SHEETS[1], 1, 0, last, 0],
                                  "values": [SHEETS[1], 1, col, last, col]})
        chart.set_title({"name": "各单位立案与处罚决定（件）"})
        chart.set_y_axis({"name": "件"})
        per_unit.insert_chart(last + 3, 0, chart, {"x_scale": 1.6, "y_scale": 1.2})

    # 指标: the bureaus' targets per unit (year to date against last year's whole year)
    targets = book.add_worksheet(SHEETS[2])
    header = ["单位", "处罚案件（本年累计）", "处罚案件（去年全年）", "不少于去年",
              "四个配套办法案件（本年累计）", "去年全年", "不少于去年"]
    header += [f"{fields.get(k).name}破零" for k in fields.four_kinds]
    for col, text in enumerate(header):
        targets.write(0, col, text, head)
    for row, ind in enumerate(report.indicators, start=1):
        targets.write(row, 0, ind.unit)
        targets.write_number(row, 1, _number(ind.decisions), formats["count"])
        targets.write_number(row, 2, _number(ind.decisions_last_year), formats["count"])
        targets.write(row, 3, "达标" if ind.decisions_met else "未达标", yes if ind.decisions_met else no)
        targets.write_number(row, 4, _number(ind.four), formats["count"])
        targets.write_number(row, 5, _number(ind.four_last_year), formats["count"])
        targets.write(row, 6, "达标" if ind.four_met else "未达标", yes if ind.four_met else no)
        for col, k in enumerate(fields.four_kinds, start=7):
            met = ind.kinds_met[k]
            targets.write(row, col, "已破零" if met else "未破零", yes if met else no)
    if report.quiz:
        base = len(report.indicators) + 3
        for col, text in enumerate(("单位", "成员", "参与人数", "答题数", "答对数", "参与率", "正确率")):
            targets.write(base, col, text, head)
        pct = book.add_format({"num_format": "0%"})
        for row, q in enumerate(report.quiz, start=base + 1):
            targets.write(row, 0, q.name)
            for col, value in enumerate((q.members, q.active, q.answered, q.right), start=1):
                targets.write_number(row, col, value, formats["count"])
            targets.write_number(row, 5, q.participation, pct)
            targets.write_number(row, 6, q.accuracy, pct)
    targets.set_column(0, len(header), 14)

    # 明细: every submitted figure, one row per unit, month and field
    detail = book.add_worksheet(SHEETS[3])
    for col, text in enumerate(("单位", "月份", "项目", "数值", "单位（计量）")):
        detail.write(0, col, text, head)
    names = {u.id: u.name for u in report.units}
    row = 1
    for r in report.rows:
        for f in fields.fields:
            text = r.values.get(f.id, "")
            if text in ("", None):
                continue
            detail.write(row, 0, names.get(r.unit_id, str(r.unit_id)))
            detail.write(row, 1, f"{r.month.year}-{r.month.month:02d}")
            detail.write(row, 2, f.name)
            detail.write_number(row, 3, _number(Decimal(text)), formats[f.kind])
            detail.write(row, 4, f.unit)
            row += 1
    detail.set_column(0, 2, 18)
    book.close()
    return out.getvalue()


@lru_cache(maxsize=1)
def cjk_font() -> Path | None:
    """Noto Sans CJK (OFL-1.1) from the noto-cjk-sans-otc package, else a system Noto / WenQuanYi font."""
    try:
        path = Path(str(resources.files("noto_cjk_sans_otc") / "NotoSansCJK-Regular.ttc"))
        if path.exists():
            return path
    except ModuleNotFoundError:
        pass
    for candidate in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                      "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"):
        if Path(candidate).exists():
            return Path(candidate)
    return None


def chart_png(report: Report, fields: FieldSet) -> bytes | None:
    """Penalty decisions and fines per unit as a PNG; None when no CJK font is found (the reply says so)."""
    font = cjk_font()
    if font is None or not report.units:
        return None
    import matplotlib  # heavy (about a second): loaded only when a chart is drawn

    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot

    font_manager.fontManager.addfont(str(font))
    family = [f.name for f in font_manager.fontManager.ttflist if f.fname == str(font)]
    sc = next((n for n in family if "SC" in n), family[0] if family else None)
    names = [u.name for u in report.units]
    decisions = [float(report.per_unit[u.id]["decisions"]) for u in report.units]
    fines = [float(report.per_unit[u.id]["fines"]) for u in report.units]
    with pyplot.rc_context({"font.family": sc or "sans-serif", "axes.unicode_minus": False}):
        fig, left = pyplot.subplots(figsize=(max(6, len(names) * 0.9), 4.5), dpi=120)
        xs = range(len(names))
        left.bar([x - 0.2 for x in xs], decisions, width=0.4, label="作出行政处罚决定（件）", color="#4472C4")
        left.set_ylabel("件")
        right = left.twinx()
        right.bar([x + 0.2 for x in xs], fines, width=0.4, label="罚款金额（万元）", color="#ED7D31")
        right.set_ylabel("万元")
        left.set_xticks(list(xs), names, rotation=30, ha="right")
        left.set_title(f"{report.scope} · {period_label(report.start, report.end)}执法统计")
        handles = left.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
        left.legend(handles, ["作出行政处罚决定（件）", "罚款金额（万元）"], loc="upper left")
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        pyplot.close(fig)
    return out.getvalue()
