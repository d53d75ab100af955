"""案卷核验 of files sent in chat: read (docx / pdf / text, or photos through OCR), normalise, check.

The work is blocking (python-docx, pypdf, onnxruntime) and runs in a worker thread; the file's bytes live only
in memory for the call and are dropped afterwards, never written to disk or logged. The recognised text of a
check is kept in memory for a while (the "识别文字" button), keyed by a random token, never by the file.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

from knowledge.check import ERROR, Finding, check_document
from knowledge.documents import DocumentError, joins_lines, kind_of, normalise, read_document
from knowledge.exemptions import load_exemptions
from knowledge.ocr import PageReader

MAX_PAGES = 10  # an album of more photos is a whole file, not a decision: ask for the document instead


@dataclass
class CheckReport:
    token: str
    findings: list[Finding]
    text: str  # what was read (after normalisation), for the officer to see
    pages: int = 1
    ocr: bool = False
    seconds: float = 0.0
    names: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def clean(self) -> bool:
        """No errors (提示, such as a 免罚清单 item that may apply, are not defects)."""
        return not self.errors


class DocumentCheckService:
    def __init__(self, kb, reader: PageReader | None = None, keep: int = 200):
        self.kb = kb
        self.reader = reader or PageReader()
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._keep = keep

    # blocking work, run through `check_file` / `check_photos` in a worker thread
    def _check_text(self, text: str, pages: int, ocr: bool, started: float, when: date | None,
                    join_lines: bool = True) -> CheckReport:
        text = normalise(text, join_lines)
        findings = check_document(text, self.kb.corpus, when=when, exemptions=load_exemptions())
        report = CheckReport(secrets.token_urlsafe(6), findings, text, pages, ocr, time.perf_counter() - started)
        self._remember(report)
        return report

    def check_file_now(self, filename: str, data: bytes, when: date | None = None) -> CheckReport:
        started = time.perf_counter()
        if kind_of(filename) == "image":
            return self.check_photos_now([data], when, started)
        return self._check_text(read_document(filename, data), 1, False, started, when, joins_lines(filename))

    def check_photos_now(self, images: list[bytes], when: date | None = None,
                         started: float | None = None) -> CheckReport:
        started = started or time.perf_counter()
        if len(images) > MAX_PAGES:
            raise DocumentError(f"一次最多识别 {MAX_PAGES} 页照片，请分批发送或发送 Word/PDF 文件")
        pages = [self.reader.read(image) for image in images]
        return self._check_text("\n".join(pages), len(images), True, started, when)

    async def check_file(self, filename: str, data: bytes, when: date | None = None) -> CheckReport:
        return await asyncio.to_thread(self.check_file_now, filename, data, when)

    async def check_photos(self, images: list[bytes], when: date | None = None) -> CheckReport:
        return await asyncio.to_thread(self.check_photos_now, images, when)

    def _remember(self, report: CheckReport) -> None:
        self._texts[report.token] = report.text
        while len(self._texts) > self._keep:
            self._texts.popitem(last=False)

    def recognised_text(self, token: str) -> str | None:
        """The text a recent check read (None after a restart or when evicted)."""
        return self._texts.get(token)
