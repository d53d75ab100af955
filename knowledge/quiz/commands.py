"""`lawbot quiz check`: prove the bank and the generated questions; exit 1 with the failures on stdout."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from knowledge.corpus import Corpus, load_corpus
from knowledge.quiz.bank import BankError, load_bank
from knowledge.quiz.proof import check_all


def check(corpus: Corpus, folder: Path | None = None) -> tuple[int, list[str]]:
    """(number of questions checked, failure lines)."""
    try:
        questions = load_bank(folder)
    except BankError as err:
        return 0, [str(err)]
    return len(questions), check_all(questions, corpus)


def check_main(corpus_dirs: Iterable[Path], folder: Path | None = None) -> int:
    corpus = load_corpus(extra_dirs=list(corpus_dirs))
    n, failures = check(corpus, folder)
    for line in failures:
        print(line)
    print(f"{n} questions checked, {len(failures)} failures", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":  # python -m knowledge.quiz.commands [FOLDER]
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    sys.exit(check_main([shared] if shared.is_dir() else [], Path(sys.argv[1]) if len(sys.argv) > 1 else None))
