"""Knowledge subcommands of `lawbot` (wired in bot/cli.py): search, ask, index, import, eval, map, check.

The wiring passes where the knowledge lives (`args.data_dir`, `args.corpus_dirs`, from the settings); this
module reads no settings of its own.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from knowledge import texts
from knowledge.check import ERROR, check_document
from knowledge.citations import default_resolver, find_citations
from knowledge.cnnum import int_to_cn
from knowledge.corpus import import_folder, load_corpus
from knowledge.documents import DocumentError, joins_lines, kind_of, normalise, read_document
from knowledge.engine import KnowledgeBase
from knowledge.exemptions import load_exemptions
from knowledge.mapping import dropped, is_confident, predecessors, resolve_law_name, successors
from knowledge.model import CODE_NAME
from knowledge.ocr import PageReader
from knowledge.texts import MSG_DOC_TYPE


def open_kb(args: argparse.Namespace, rebuild: bool = False) -> KnowledgeBase:
    """The knowledge base with its semantic vectors ready: a command answers as the bot will, so on a first
    run the vectors are built here (minutes, once; progress on stderr) and cached in the data dir."""
    kb = KnowledgeBase.open(args.data_dir, args.corpus_dirs, rebuild=rebuild, semantic=getattr(args, "semantic", True))
    vectors = kb.vectors
    if vectors is not None and not vectors.ready:
        if not vectors.available:
            print(f"语义检索不可用（{vectors.problem}），只用关键词检索。", file=sys.stderr)
        else:
            print(f"首次运行：正在为 {len(vectors.units)} 段条文计算语义向量，完成后缓存在数据目录……", file=sys.stderr)
            seconds = vectors.build(progress=_progress)
            print(f"\n语义向量已就绪，用时 {seconds:.0f} 秒。", file=sys.stderr)
    return kb


def _progress(done: int, total: int) -> None:
    if done == total or done % 800 < 16:
        print(f"\r  {done}/{total}", end="", file=sys.stderr, flush=True)


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
        **({"paragraph": hit.paragraph} if hit.paragraph else {}),
        **({"item": hit.item} if hit.item else {}),
    }


def search_command(args: argparse.Namespace) -> int:
    """`lawbot search --batch FILE`: JSONL in (id, q), JSONL out in input order; nothing else on stdout."""
    if not args.batch and not args.query:
        print("用法：lawbot search --batch FILE 或 lawbot search \"问题\"", file=sys.stderr)
        return 2
    kb = open_kb(args)
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
    kb = open_kb(args)
    result = kb.search(args.question, limit=args.limit)
    if result.notice:
        print(result.notice)
    for rank, hit in enumerate(result.hits, 1):
        print(f"{rank}. 《{hit.law.short_name}》{hit.article.number_cn}〔{hit.law.status}〕")
        print(f"   {hit.snippet}")
    return 0


def index_command(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    kb = open_kb(args, rebuild=True)
    n = sum(1 for _ in kb.corpus.search_articles())
    print(f"索引已重建：{n} 条条文，用时 {time.perf_counter() - started:.1f} 秒")
    return 0


def import_command(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"找不到文件夹：{folder}", file=sys.stderr)
        return 2
    laws, problems = import_folder(folder, args.data_dir)
    articles = sum(len(law.articles) for law in laws)
    print(f"已导入 {len(laws)} 部法规规章，共 {articles} 条。")
    if problems:
        print("以下内容未能解析：")
        for problem in problems:
            print(f"  · {problem}")
    open_kb(args)  # rebuild the index now rather than on the first question
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
    kb = open_kb(args)
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


# --- lawbot map / lawbot check ---------------------------------------------------------------------
def _cite(law: str, article: int, item: int | None) -> str:
    return f"《{law.removeprefix('中华人民共和国')}》第{int_to_cn(article)}条" + (f"第{int_to_cn(item)}项" if item else "")


def map_one(text: str) -> str:
    """The answer to `lawbot map TEXT` (old → Code, or Code → old for a Code citation)."""
    cites = find_citations(text, default_resolver())
    if not cites or not cites[0].law_name:
        return texts.MSG_NO_CITATION
    c = cites[0]
    if c.law_name == CODE_NAME:
        olds = predecessors(c.article)
        lines = [f"{_cite(CODE_NAME, c.article, None)} 对应原条文："]
        lines += [f"  {_cite(law, a, i)}" for law, a, i in olds] or ["  （未找到原法律对应条文）"]
        return "\n".join(lines)
    law = resolve_law_name(c.law_name)
    if law is None:
        return texts.MSG_NOT_REPEALED.format(law=c.law_name.removeprefix("中华人民共和国"))
    succ = successors(law, c.article, c.item)
    gone = dropped(law, c.article, c.item)
    tail = [texts.MSG_DROPPED.format(what=gone)] if gone else []
    if not succ:
        return "\n".join([texts.MSG_NO_SUCCESSOR.format(cite=_cite(law, c.article, c.item)), *tail])
    head = f"{_cite(law, c.article, c.item)} → 法典："
    lines = [head if is_confident(succ) else texts.MSG_UNSURE_SUCCESSOR.format(cite=_cite(law, c.article, c.item))]
    lines += [f"  {_cite(CODE_NAME, n, None)}（置信度 {conf:.2f}）" for n, conf in succ]
    return "\n".join(lines + tail)


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
    """`lawbot check FILE [FILE…]`: findings of a decision document (.docx, .pdf, .txt, .md, or photos of its
    pages, read in the order given), one per line; exit 1 when there are errors, 2 when it cannot be read."""
    parser = argparse.ArgumentParser(prog="lawbot check", description="处罚决定书核验（Word、PDF、文本或页面照片）")
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    try:
        text = _document_text(args.files)
    except (DocumentError, OSError) as err:
        print(err, file=sys.stderr)
        return 2
    findings = check_document(text, load_corpus(), exemptions=load_exemptions())
    if not any(f.severity == ERROR for f in findings):
        print("未发现问题")
    for f in findings:
        print(f"[{f.severity}] {f.message}" + (f"  ←「{f.sentence}」" if f.sentence else ""))
    return 1 if any(f.severity == ERROR for f in findings) else 0


def _document_text(files: list[Path]) -> str:
    if all(kind_of(f.name) == "image" for f in files):
        reader = PageReader()
        return normalise("\n".join(reader.read(f.read_bytes()) for f in files))
    if len(files) > 1 or kind_of(files[0].name) is None:
        raise DocumentError(MSG_DOC_TYPE)
    return normalise(read_document(files[0].name, files[0].read_bytes()), joins_lines(files[0].name))
