"""Fit the hybrid ranking's weights (knowledge/data/rerank.json) on our own question set, bench/questions.

    LAWBOT_DATA_DIR=/tmp/semdata python scripts/train_rerank.py [--folds 5] [--dry-run]

Needs the semantic vectors (built first when missing, minutes). Prints a cross-validation over held-out
articles — the questions are split by their gold article, so each fold is scored on articles its weights
never saw — next to the unweighted reciprocal-rank fusion, then fits on all questions and writes the file.
../shared/eval is never read here: it stays the untouched check (`lawbot eval`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

import numpy as np

from knowledge import rerank
from knowledge.corpus import data_file
from knowledge.engine import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "bench" / "questions"
SHARED = ROOT.parent / "shared" / "corpus"


def _norm(law: str) -> str:
    return law.replace("中华人民共和国", "").strip("《》 ")


def collect(kb: KnowledgeBase) -> list[dict]:
    """Each question's candidate feature matrix and the rows of its gold articles."""
    rows = []
    for path in sorted(QUESTIONS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            q = json.loads(line)
            terms = kb.searcher.terms(q["q"])
            lexical = kb.searcher.scored(q["q"], rerank.LEXICAL_DEPTH, terms)
            semantic = kb.vectors.ranking(kb.searcher.for_vectors(q["q"]), rerank.SEMANTIC_DEPTH)
            found = rerank.candidates(lexical, semantic, kb.searcher)
            matrix = rerank.features(rerank.Question.of(q["q"], terms), found, semantic, kb.searcher,
                                     kb.searcher.weigher(q["q"], terms), terms)
            want = {(_norm(law), int(a)) for law, a in q["gold"]}
            names = [(_norm(kb.corpus.laws[c.key[0]].name), c.key[1]) for c in found]
            rows.append({"id": q["id"], "type": q.get("type", "?"), "style": q.get("style", "?"), "file": path.stem,
                         "kind": rerank.kind_of(rerank.Question.of(q["q"], terms)),
                         "group": tuple(q["gold"][0]),
                         "matrix": matrix, "gold": [i for i, n in enumerate(names) if n in want]})
    return rows


def metrics(rows: list[dict], score) -> dict:
    ranks = []
    for r in rows:
        order = list(np.argsort(-score(r["matrix"]), kind="stable")[:10])
        ranks.append(next((i + 1 for i, j in enumerate(order) if j in r["gold"]), None))
    n = len(ranks) or 1
    return {"hit1": round(sum(k == 1 for k in ranks) / n, 3), "hit5": round(sum(1 for k in ranks if k and k <= 5) / n, 3),
            "mrr": round(sum(1 / k for k in ranks if k) / n, 3), "n": len(ranks)}


def fit(rows: list[dict]) -> dict[str, np.ndarray]:
    """Weights per kind of question, each fitted on its own kind's questions. The questions on the Code's
    general parts (code_general_*) ask what a duty is; when one reads as a situation (没, 不 …) its gold is
    the duty, while the bot's convention for a situation — dev's too — is the 罚则 article: they fit the
    other kind only."""
    out = {}
    for kind in rerank.KINDS:
        usable = [r for r in rows if r["gold"] and r["kind"] == kind
                  and not (kind == "situation" and r["file"].startswith("code_general"))]
        out[kind] = rerank.fit([r["matrix"] for r in usable], [r["gold"] for r in usable])
    return out


def cross_validate(rows: list[dict], folds: int) -> list[dict]:
    """Out-of-fold scores: questions grouped by gold article, groups dealt to folds at random (seed fixed)."""
    groups = sorted({r["group"] for r in rows})
    random.Random(7).shuffle(groups)
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    scored = []
    for f in range(folds):
        w = fit([r for r in rows if fold_of[r["group"]] != f])
        scored += [dict(r, w=w) for r in rows if fold_of[r["group"]] == f]
    return scored


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--dry-run", action="store_true", help="cross-validate only, write nothing")
    args = parser.parse_args(argv)
    data_dir = Path(os.environ.get("LAWBOT_DATA_DIR", ROOT / "data"))
    kb = KnowledgeBase.open(data_dir, [SHARED] if SHARED.is_dir() else [])
    kb.vectors.build(progress=lambda done, total: print(f"\r向量 {done}/{total}", end="", file=sys.stderr))
    rows = collect(kb)
    rrf = np.zeros(len(rerank.FEATURES))
    rrf[rerank.FEATURES.index("lexical_rank")] = 1.0
    rrf[rerank.FEATURES.index("semantic_rank")] = 1.0
    held_out = cross_validate(rows, args.folds)
    report = {"reciprocal_rank_fusion": {}, "cross_validated": {}}
    for kind in ("all", "violation", "procedure", "concept", "plain", "colloquial", "typo", "rambling", *rerank.KINDS,
                 "code_general"):
        chosen = [r for r in held_out if kind in ("all", r["type"], r["style"], r["kind"], r["file"][:12])]
        report["reciprocal_rank_fusion"][kind] = metrics(chosen, lambda m: m @ rrf)
        report["cross_validated"][kind] = {"n": len(chosen), **_pooled(chosen)}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.dry_run:
        return 0
    w = fit(rows)
    out = {"features": list(rerank.FEATURES),
           "weights": {kind: [round(float(x), 6) for x in w[kind]] for kind in rerank.KINDS},
           "fitted_on": "bench/questions", "questions": len(rows), "cross_validation": report}
    data_file(rerank.WEIGHTS_FILE).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("written", data_file(rerank.WEIGHTS_FILE))
    return 0


def _pooled(rows: list[dict]) -> dict:
    """Metrics of out-of-fold rows, each scored by its own fold's weights."""
    per = [metrics([r], lambda m, w=r["w"][r["kind"]]: m @ w) for r in rows]
    n = len(per) or 1
    return {k: round(sum(p[k] for p in per) / n, 3) for k in ("hit1", "hit5", "mrr")}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
