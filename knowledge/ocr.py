"""Reading a photographed page: RapidOCR (PP-OCRv4 detection and recognition, ONNX models inside the PyPI
package, nothing fetched at run time), lines put back in reading order.

    reader = PageReader()            # the models load on first use (about a second)
    text = reader.read(jpeg_bytes)   # DocumentError when nothing legible is on the photo
"""

from __future__ import annotations

import threading
from functools import cached_property

from knowledge.documents import DocumentError, check_size
from knowledge.texts import MSG_OCR_NOTHING, MSG_OCR_UNAVAILABLE

MIN_CONFIDENCE = 0.5  # below this a line is more guess than reading; it is left out, not parsed


def engine_problem() -> str | None:
    """Why photos cannot be read on this machine, or None."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError as err:
        return f"rapidocr-onnxruntime 未安装（{err}）"
    return None


class PageReader:
    """One OCR engine for the process; onnxruntime sessions are used by one thread at a time."""

    def __init__(self):
        self._lock = threading.Lock()

    @cached_property
    def _engine(self):
        from rapidocr_onnxruntime import RapidOCR

        return RapidOCR()

    def read(self, image: bytes) -> str:
        check_size(len(image))
        if engine_problem():
            raise DocumentError(MSG_OCR_UNAVAILABLE)
        with self._lock:
            result, _elapsed = self._engine(image)
        lines = [(box, text) for box, text, score in (result or []) if float(score) >= MIN_CONFIDENCE]
        if not lines:
            raise DocumentError(MSG_OCR_NOTHING)
        return "\n".join(text for _box, text in _reading_order(lines))


def _reading_order(lines: list) -> list:
    """Top to bottom, and left to right within a row (boxes whose vertical centres are within half a line)."""
    def centre(box) -> tuple[float, float, float]:
        ys = [p[1] for p in box]
        xs = [p[0] for p in box]
        return (min(ys) + max(ys)) / 2, min(xs), max(ys) - min(ys)

    placed = sorted(lines, key=lambda bt: centre(bt[0])[0])
    rows: list[list] = []
    for box, text in placed:
        y, x, h = centre(box)
        if rows and abs(rows[-1][0][0] - y) < h / 2:
            rows[-1][1].append((x, text, box))
        else:
            rows.append(((y, h), [(x, text, box)]))
    ordered = []
    for _key, cells in rows:
        ordered += [(box, text) for _x, text, box in sorted(cells, key=lambda c: c[0])]
    return ordered
