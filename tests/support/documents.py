"""Fixture documents written by the tests: a 处罚决定书 with known defects and a clean one, as .docx, .pdf
(text layer), .txt and photos rendered from the text with a CJK font (straight and skewed)."""

from __future__ import annotations

import io

# cites the repealed 大气法 for an October 2026 violation, fines 五万 (the Code's 1107 starts at 十万)
DEFECTIVE = [
    "某某市生态环境局",
    "行政处罚决定书",
    "某环罚〔2026〕12号",
    "当事人：某某化工有限公司",
    "经查，你单位于2026年10月12日超过大气污染物排放标准排放废气。",
    "以上行为违反了《中华人民共和国大气污染防治法》第十八条的规定，",
    "依据《中华人民共和国大气污染防治法》第九十九条第二项的规定，",
    "本局决定对你单位处罚款人民币伍万元整。",
    "如不服本决定，可以在收到本决定书之日起六十日内向某某市人民政府申请行政复议，",
    "也可以在六个月内依法向某某区人民法院提起行政诉讼。",
]
# the same act under the Code, a lawful fine and the right periods
CLEAN = [
    "某某市生态环境局",
    "行政处罚决定书",
    "某环罚〔2026〕13号",
    "当事人：某某化工有限公司",
    "经查，你单位于2026年10月12日超过大气污染物排放标准排放废气。",
    "依据《中华人民共和国生态环境法典》第一千一百零七条的规定，",
    "本局决定对你单位处罚款人民币拾伍万元整。",
    "如不服本决定，可以在收到本决定书之日起六十日内向某某市人民政府申请行政复议，",
    "也可以在六个月内依法向某某区人民法院提起行政诉讼。",
]


def docx_bytes(lines: list[str], table: list[tuple[str, str]] | None = None) -> bytes:
    import docx

    doc = docx.Document()
    for line in lines:
        doc.add_paragraph(line)
    if table:
        t = doc.add_table(rows=0, cols=2)
        for left, right in table:
            row = t.add_row().cells
            row[0].text, row[1].text = left, right
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    """A PDF with a text layer (reportlab's built-in Adobe-GB1 font: no font file needed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("STSong-Light", 11)
    y = 800
    for line in lines:
        c.drawString(40, y, line)
        y -= 22
    c.save()
    return buf.getvalue()


def blank_pdf_bytes() -> bytes:
    """A PDF with no text layer, as a scan is."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(50, 50, 200, 200)
    c.save()
    return buf.getvalue()


def photo_bytes(lines: list[str], skew: float = 0.0, size: int = 30, width: int = 1200) -> bytes:
    """A phone-like JPEG of the lines, rendered with the Noto Sans CJK font the install brings."""
    from PIL import Image, ImageDraw, ImageFont

    from scheduler.stats_files import cjk_font

    path = cjk_font()
    assert path is not None, "the Noto Sans CJK font (noto-cjk-sans-otc) is needed to render test photos"
    font = ImageFont.truetype(str(path), size)
    step = int(size * 1.7)
    img = Image.new("RGB", (width, 80 + step * len(lines)), (250, 250, 246))
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((50, 40 + step * i), line, font=font, fill=(20, 20, 20))
    if skew:
        img = img.rotate(skew, expand=True, fillcolor=(250, 250, 246), resample=Image.BICUBIC)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()
