"""Knowledge subcommands of `lawbot`: search, ask, index, import, eval."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from knowledge.engine import KnowledgeBase


def _settings():
    from bot.settings import get_settings

    return get_settings()


def open_kb(rebuild: bool = False) -> KnowledgeBase:
    settings = _settings()
    return KnowledgeBase.open(settings.data_dir, settings.corpus_dir_list, rebuild=rebuild)


def _read_jsonl(path: str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{number}: 不是合法的 JSON（{exc.msg}）") from exc
    return rows


def hit_record(hit) -> dict:
    return {
        "law": hit.law.name,
        "article": hit.article.number,
        "title": f"{hit.law.short_name}{hit.article.number_cn}",
        "status": hit.law.status,
        "score": hit.score,
        "snippet": hit.snippet,
    }


def search_command(args: argparse.Namespace) -> int:
    """`lawbot search --batch FILE`: JSONL in (id, q), JSONL out in input order; nothing else on stdout."""
    if not args.batch and not args.query:
        print("用法：lawbot search --batch FILE 或 lawbot search \"问题\"", file=sys.stderr)
        return 2
    kb = open_kb()
    questions = _read_jsonl(args.batch) if args.batch else [{"id": "q", "q": args.query}]
    for q in questions:
        result = kb.search(str(q.get("q", "")), limit=args.limit)
        line = {"id": q.get("id"), "hits": [hit_record(h) for h in result.hits], "ms": round(result.ms, 3)}
        if result.notice:
            line["notice"] = result.notice
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


def ask_command(args: argparse.Namespace) -> int:
    kb = open_kb()
    result = kb.search(args.question, limit=args.limit)
    if result.notice:
        print(result.notice)
    for rank, hit in enumerate(result.hits, 1):
        print(f"{rank}. 《{hit.law.short_name}》{hit.article.number_cn}〔{hit.law.status}〕")
        print(f"   {hit.snippet}")
    return 0


def index_command(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    kb = open_kb(rebuild=True)
    n = sum(1 for _ in kb.corpus.search_articles())
    print(f"索引已重建：{n} 条条文，用时 {time.perf_counter() - started:.1f} 秒")
    return 0


def import_command(args: argparse.Namespace) -> int:
    from knowledge.corpus import import_folder

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"找不到文件夹：{folder}", file=sys.stderr)
        return 2
    laws, problems = import_folder(folder, _settings().data_dir)
    articles = sum(len(law.articles) for law in laws)
    print(f"已导入 {len(laws)} 部法规规章，共 {articles} 条。")
    if problems:
        print("以下内容未能解析：")
        for problem in problems:
            print(f"  · {problem}")
    open_kb()  # rebuild the index now rather than on the first question
    return 0


def score(gold_rows: list[dict], hits_by_id: dict[str, list[dict]], ms: list[float]) -> dict:
    """Hit@1, Hit@5, MRR@10 overall and per type; p50/p95 latency (same definitions as shared/eval/score.py)."""

    def norm(law: str) -> str:
        return law.replace("中华人民共和国", "").strip("《》 ")

    ranks: dict[str, list[int | None]] = defaultdict(list)
    for g in gold_rows:
        want = {(norm(law), int(a)) for law, a in g["gold"]}
        got = hits_by_id.get(g["id"], [])[:10]
        rank = next((i + 1 for i, h in enumerate(got) if (norm(h["law"]), h["article"]) in want), None)
        for key in ("all", g.get("type", "?")):
            ranks[key].append(rank)
    out: dict = {}
    for key, rs in ranks.items():
        n = len(rs)
        out[key] = {
            "n": n,
            "hit1": round(sum(1 for r in rs if r == 1) / n, 3),
            "hit5": round(sum(1 for r in rs if r and r <= 5) / n, 3),
            "mrr": round(sum(1 / r for r in rs if r) / n, 3),
        }
    if ms:
        ordered = sorted(ms)
        out["latency_ms"] = {"p50": round(statistics.median(ordered), 2), "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 2)}
    return out


def eval_command(args: argparse.Namespace) -> int:
    kb = open_kb()
    rows = _read_jsonl(args.file)
    hits: dict[str, list[dict]] = {}
    ms: list[float] = []
    for q in rows:
        result = kb.search(q["q"], limit=10)
        hits[q["id"]] = [hit_record(h) for h in result.hits]
        ms.append(result.ms)
    res = score(rows, hits, ms)
    if args.json:
        print(json.dumps(res, ensure_ascii=False))
    else:
        for key, value in sorted(res.items(), key=lambda kv: (kv[0] != "all", kv[0])):
            print(key, value)
    return 0
