"""Print articles as the bot reads them, 款 numbered and 项 on their own lines (for authors of data files).

    python scripts/show_article.py 法典 1169 1170        # law by any name the bot understands
    python scripts/show_article.py 行政处罚法 64
    python scripts/show_article.py --find 法典 危险废物识别标志   # articles of a law containing a phrase
"""

from __future__ import annotations

import sys
from pathlib import Path

from knowledge.citations import resolver_for
from knowledge.cnnum import int_to_cn
from knowledge.corpus import load_corpus

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def main(argv: list[str]) -> int:
    find = argv[:1] == ["--find"]
    args = argv[1:] if find else argv
    if len(args) < 2:
        print(__doc__)
        return 2
    corpus = load_corpus(extra_dirs=[SHARED] if SHARED.is_dir() else [])
    resolution = resolver_for(corpus).resolve(args[0])
    law = corpus.law(resolution.law_name or args[0])
    if law is None:
        print(f"no law {args[0]!r}: {resolution}")
        return 1
    if find:
        numbers = [n for n, a in sorted(law.articles.items()) if args[1] in "".join(a.text.split())]
    else:
        numbers = [int(n) for n in args[1:]]
    for n in numbers:
        article = law.articles.get(n)
        if article is None:
            print(f"{law.name} has no article {n}\n")
            continue
        print(f"《{law.name}》第{int_to_cn(n)}条 ({n}) [{law.status}] {article.chapter or ''} {article.section or ''}")
        for pi, p in enumerate(article.paragraphs, 1):
            print(f"  第{pi}款: {p.text}")
            for it in p.items:
                print(f"    第{it.number}项: {it.text}")
            if p.tail:
                print(f"    (款尾) {p.tail}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
