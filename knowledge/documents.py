"""Text out of the files officers send: Word (.docx), PDF with a text layer, plain text and markdown.

    text = read_document("决定书.docx", data)      # DocumentError with a Chinese sentence when it cannot
    text = normalise(text)                          # OCR and typing noise out before citations are parsed

The formats are read by maintained libraries (python-docx, pypdf); nothing here parses a format by hand.
"""

from __future__ import annotations

import io
import re
from pathlib import PurePath

from knowledge.texts import (
    MSG_DOC_EMPTY,
    MSG_DOC_ENCRYPTED,
    MSG_DOC_NO_TEXT_LAYER,
    MSG_DOC_TOO_LARGE,
    MSG_DOC_TYPE,
    MSG_DOC_UNREADABLE,
)

MAX_BYTES = 10 * 1024 * 1024  # a decision with its attachments; larger files are refused before download
TEXT_TYPES = (".txt", ".md")
DOCUMENT_TYPES = (".docx", ".pdf", *TEXT_TYPES)
IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".bmp")


class DocumentError(Exception):
    """A file the check cannot read; the message is for the officer."""


def kind_of(filename: str) -> str | None:
    """"document", "image" or None (not supported), by the file's extension."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in DOCUMENT_TYPES:
        return "document"
    if suffix in IMAGE_TYPES:
        return "image"
    return None


def check_size(size: int | None) -> None:
    if size is not None and size > MAX_BYTES:
        raise DocumentError(MSG_DOC_TOO_LARGE.format(limit=MAX_BYTES // (1024 * 1024)))


def joins_lines(filename: str) -> bool:
    """Whether the file's line breaks are the page's (PDF) rather than the author's (Word, text)."""
    return PurePath(filename or "").suffix.lower() == ".pdf"


def read_document(filename: str, data: bytes) -> str:
    check_size(len(data))
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise DocumentError(MSG_DOC_TYPE)
    try:
        if suffix == ".docx":
            text = _docx_text(data)
        elif suffix == ".pdf":
            text = _pdf_text(data)
        else:
            text = _plain_text(data)
    except DocumentError:
        raise
    except Exception as err:  # a damaged or mislabelled file: say so, never crash the handler
        raise DocumentError(MSG_DOC_UNREADABLE) from err
    if not text.strip():
        raise DocumentError(MSG_DOC_NO_TEXT_LAYER if suffix == ".pdf" else MSG_DOC_EMPTY)
    return text


def _docx_text(data: bytes) -> str:
    import docx  # python-docx; imported here so the bot starts without touching it

    doc = docx.Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:  # decisions often put 当事人 and 违法事实 in a table
        for row in table.rows:
            lines.append("，".join(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip())))
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception as err:
            raise DocumentError(MSG_DOC_ENCRYPTED) from err
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _plain_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Windows Notepad files from bureaus are often GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(MSG_DOC_UNREADABLE)


# --- normalisation -------------------------------------------------------------------------------------
# full-width digits, Latin letters and the brackets and signs citations use → ASCII; Chinese punctuation
# (，。；：《》) stays, the citation and sentence parsers rely on it
_WIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
     **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
     "\u3000": " ", "．": ".", "－": "-", "／": "/", "％": "%", "(": "（", ")": "）"}
)
# an O, o, 〇 or Ｏ read inside an Arabic number is a zero (2O26 → 2026, 5〇000 → 50000)
_ZERO_IN_NUMBER = re.compile(r"(?<=\d)[Oo〇](?=[\dOo〇])|(?<=\d)[Oo〇](?=\s*[年元万月日])|(?<=[\d])[Oo〇]$")
_LETTER_L_IN_NUMBER = re.compile(r"(?<=\d)[lI|](?=\d)|(?<=\d)[lI|](?=\s*[年元万月日])")
_SENTENCE_END = "。；：！？!?;:"


def normalise(text: str, join_lines: bool = True) -> str:
    """Make OCR'd or typed text safe to parse: widths, zeros read as letters, spaces the OCR put between
    Chinese characters removed, and (`join_lines`, for photos and PDFs, whose lines are the page's, not the
    author's) lines the page broke mid-sentence joined again. Financial numerals (壹, 贰 …) stay: the amount
    reader understands them."""
    text = text.translate(_WIDTH)
    text = _ZERO_IN_NUMBER.sub("0", text)
    text = _LETTER_L_IN_NUMBER.sub("1", text)
    text = re.sub(r"第(?:\s*第)+", "第", text)  # a character read twice where two boxes overlap; 第第 is never meant
    text = re.sub(r"(?<=[\u4e00-\u9fff《》，。、；：（）])[ \t]+(?=[\u4e00-\u9fff《》，。、；：（）\d])", "", text)
    text = re.sub(r"(?<=\d)[ \t]+(?=[年月日元万条款项])", "", text)
    lines = [line.strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        if join_lines and out and out[-1] and out[-1][-1] not in _SENTENCE_END and not _is_heading(out[-1]):
            out[-1] += line  # the page broke the sentence, not the author
        else:
            out.append(line)
    return "\n".join(out).strip()


def _is_heading(line: str) -> bool:
    """A title line (某某市生态环境局 / 行政处罚决定书 / 文号) is kept on its own line."""
    return len(line) <= 20 and not re.search(r"[，、]", line)
