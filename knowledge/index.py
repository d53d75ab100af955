"""The whoosh index of searchable articles, stored under the data dir and rebuilt only when the corpus changes."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema

from knowledge.analysis import analyzer
from knowledge.corpus import Corpus, data_file

INDEX_FORMAT = 2  # bump when the schema or the analysis changes
_STAMP = "lawbot-index.json"


def schema() -> Schema:
    ana = analyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        headings=TEXT(analyzer=ana, field_boost=1.5),
        text=TEXT(analyzer=ana),
        lawname=TEXT(analyzer=ana, field_boost=0.5),
        meta=STORED,
    )


def article_key(law_id: str, number: int) -> str:
    return f"{law_id}:{number}"


def _analysis_fingerprint() -> str:
    parts = [data_file(n).read_text(encoding="utf-8") for n in ("domain_words.txt", "synonyms.yaml")]
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:12]


def expected_stamp(corpus: Corpus) -> dict:
    return {"format": INDEX_FORMAT, "corpus": corpus.fingerprint, "analysis": _analysis_fingerprint()}


def is_fresh(index_dir: Path, corpus: Corpus) -> bool:
    stamp = Path(index_dir) / _STAMP
    try:
        return json.loads(stamp.read_text()) == expected_stamp(corpus) and whoosh_index.exists_in(index_dir)
    except (OSError, ValueError):
        return False


def build(index_dir: Path, corpus: Corpus) -> float:
    """Build into a fresh folder and swap it in, so a crash mid-build never leaves a broken index."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    tmp = index_dir.with_name(index_dir.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    ix = whoosh_index.create_in(tmp, schema())
    writer = ix.writer(limitmb=256)
    for law, article in corpus.search_articles():
        headings = " ".join(filter(None, (article.chapter, article.section, article.label)))
        writer.add_document(
            key=article_key(law.law_id, article.number),
            headings=headings,
            text=article.text,
            lawname=law.short_name,
        )
    writer.commit()
    (tmp / _STAMP).write_text(json.dumps(expected_stamp(corpus)))
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        index_dir.rename(old)
    tmp.rename(index_dir)
    shutil.rmtree(old, ignore_errors=True)
    return time.perf_counter() - started


def open_index(index_dir: Path, corpus: Corpus, rebuild: bool = False):
    """Open the index, (re)building it first when it is missing or stale."""
    if rebuild or not is_fresh(index_dir, corpus):
        build(index_dir, corpus)
    return whoosh_index.open_dir(index_dir)
