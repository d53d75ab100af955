"""OCR benchmark: time per photographed page on this machine (RapidOCR, PP-OCRv4, onnxruntime on CPU).

    .venv/bin/python bench/ocr_bench.py              # 5 runs over a full A4-like decision page, straight and skewed
    .venv/bin/python bench/ocr_bench.py --runs 10

Prints the engine load time, then per page kind the median and worst time of reading one page, and the time of
the whole chat check (OCR + normalisation + the check) for one page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from support.documents import DEFECTIVE, photo_bytes  # noqa: E402

from knowledge.ocr import PageReader  # noqa: E402

# a full page: the decision's lines three times over, as a dense A4 page is (about 30 lines)
PAGE = DEFECTIVE * 3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    reader = PageReader()
    started = time.perf_counter()
    reader.read(photo_bytes(DEFECTIVE[:2]))
    print(f"engine load + first small page: {time.perf_counter() - started:.2f} s")
    for label, image in (("straight page", photo_bytes(PAGE, width=1400)),
                         ("skewed page (4°)", photo_bytes(PAGE, skew=4.0, width=1400))):
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            reader.read(image)
            times.append(time.perf_counter() - t)
        print(f"{label} ({len(PAGE)} lines, {len(image) // 1024} KB): median {statistics.median(times):.2f} s, "
              f"worst {max(times):.2f} s over {args.runs} runs")
    from knowledge.check import check_document
    from knowledge.corpus import load_corpus
    from knowledge.documents import normalise

    corpus = load_corpus()
    t = time.perf_counter()
    check_document(normalise(reader.read(photo_bytes(DEFECTIVE))), corpus)
    print(f"one-page chat check (OCR + check): {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
