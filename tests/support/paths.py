"""Where things are: the checkout, and ../shared beside it (corpus source files, evaluation sets)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"
SHARED_EVAL = SHARED / "eval"
