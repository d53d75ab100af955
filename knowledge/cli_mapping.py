"""CLI hooks: `lawbot map 大气法99条`, `lawbot map --batch FILE`, `lawbot check FILE` (wired in bot/cli.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from knowledge.citations import default_resolver, find_citations
from knowledge.cnnum import int_to_cn
from knowledge.mapping import predecessors, resolve_law_name, successors
from knowledge.model import CODE_NAME

MSG_NO_CITATION = "没有识别出条文，请写成“大气法99条”或“《大气污染防治法》第九十九条第一项”"
MSG_NOT_REPEALED = "《{law}》不是法典废止的法律"
MSG_NO_SUCCESSOR = "{cite}：法典中未找到对应条文"


def _cite(law: str, article: int, item: int | None) -> str:
    return f"《{law.removeprefix('中华人民共和国')}》第{int_to_cn(article)}条" + (f"第{int_to_cn(item)}项" if item else "")


def map_one(text: str) -> str:
    """The answer to `lawbot map TEXT` (old → Code, or Code → old for a Code citation)."""
    cites = find_citations(text, default_resolver())
    if not cites or not cites[0].law_name:
        return MSG_NO_CITATION
    c = cites[0]
    if c.law_name == CODE_NAME:
        olds = predecessors(c.article)
        lines = [f"{_cite(CODE_NAME, c.article, None)} 对应原条文："]
        lines += [f"  {_cite(law, a, i)}" for law, a, i in olds] or ["  （未找到原法律对应条文）"]
        return "\n".join(lines)
    law = resolve_law_name(c.law_name)
    if law is None:
        return MSG_NOT_REPEALED.format(law=c.law_name.removeprefix("中华人民共和国"))
    succ = successors(law, c.article, c.item)
    if not succ:
        return MSG_NO_SUCCESSOR.format(cite=_cite(law, c.article, c.item))
    lines = [f"{_cite(law, c.article, c.item)} → 法典："]
    lines += [f"  {_cite(CODE_NAME, n, None)}（置信度 {conf:.2f}）" for n, conf in succ]
    return "\n".join(lines)


def map_batch(lines: list[str]) -> list[dict]:
    """JSONL in: {"id", "old": [law, article, item|null]} → out: {"id", "new": [code articles, best first]}."""
    out = []
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        law, article, item = (row.get("old") or [None, None, None]) + [None] * (3 - len(row.get("old") or []))
        new = [n for n, _ in successors(str(law), int(article), item)] if law and article else []
        out.append({"id": row.get("id"), "new": new})
    return out


def map_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="lawbot map", description="原法律条文 → 生态环境法典条文")
    parser.add_argument("--batch", type=Path, help="JSONL: {id, old: [law, article, item|null]}")
    parser.add_argument("citation", nargs="*")
    args = parser.parse_args(argv)
    if args.batch:
        for row in map_batch(args.batch.read_text(encoding="utf-8").splitlines()):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    if not args.citation:
        parser.error("需要条文或 --batch FILE")
    print(map_one(" ".join(args.citation)))
    return 0


def check_main(argv: list[str]) -> int:
    """`lawbot check FILE`: findings of a decision document, one per line; exit 1 when there are errors."""
    from knowledge.check import ERROR, check_document
    from knowledge.corpus import load_corpus

    parser = argparse.ArgumentParser(prog="lawbot check", description="处罚决定书核验")
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    findings = check_document(args.file.read_text(encoding="utf-8"), load_corpus())
    if not findings:
        print("未发现问题")
    for f in findings:
        print(f"[{f.severity}] {f.message}")
    return 1 if any(f.severity == ERROR for f in findings) else 0
