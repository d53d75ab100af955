"""`lawbot quiz check`: prove every question the quiz may ask; exit 1 with the failures on stdout.

The wiring (bot/cli.py) gathers the questions — the bank, the generated ones and those made from the deadline
rules (scheduler/quiz_pool.py) — and calls `report`. `python -m knowledge.quiz.commands [FOLDER]` checks an
authored bank folder alone (for authors).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from knowledge.corpus import Corpus, load_corpus
from knowledge.quiz.bank import BankError, Question, load_bank
from knowledge.quiz.proof import check_all


def report(questions: list[Question], corpus: Corpus) -> int:
    failures = check_all(questions, corpus)
    for line in failures:
        print(line)
    sources = Counter(q.source for q in questions)
    print(f"{len(questions)} questions checked ({', '.join(f'{n} {s}' for s, n in sorted(sources.items()))}), "
          f"{len(failures)} failures", file=sys.stderr)
    return 1 if failures else 0


def check_folder(corpus_dirs: list[Path], folder: Path | None = None) -> int:
    corpus = load_corpus(extra_dirs=corpus_dirs)
    try:
        questions = load_bank(folder)
    except BankError as err:
        print(err)
        return 1
    return report(questions, corpus)


if __name__ == "__main__":  # python -m knowledge.quiz.commands [FOLDER]
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    sys.exit(check_folder([shared] if shared.is_dir() else [], Path(sys.argv[1]) if len(sys.argv) > 1 else None))
