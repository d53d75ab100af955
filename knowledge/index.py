"""The whoosh index of searchable articles, stored under the data dir and rebuilt only when the corpus changes."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema

from knowledge.analysis import analyzer, words
from knowledge.corpus import Corpus, data_file
from knowledge.liability import is_liability
from knowledge.model import Article

INDEX_FORMAT = 3  # bump when the schema or the analysis changes (3: 项 documents)
_STAMP = "lawbot-index.json"


def schema() -> Schema:
    ana = analyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        headings=TEXT(analyzer=ana, field_boost=1.5),
        text=TEXT(analyzer=ana),
        lawname=TEXT(analyzer=ana, field_boost=0.5),
        meta=STORED,
        clause=STORED,  # the words of the conduct the article or 项 is about (see `opening_clause`)
    )


def article_key(law_id: str, number: int) -> str:
    return f"{law_id}:{number}"


def item_key(law_id: str, number: int, paragraph: int, item: int) -> str:
    return f"{law_id}:{number}:{paragraph}:{item}"


def parse_item_key(key: str) -> tuple[str, int, int, int] | None:
    """(law_id, article, paragraph, item) of an item document's key; None for an article's."""
    parts = key.split(":")
    if len(parts) < 4:
        return None
    law_id = ":".join(parts[:-3])
    return law_id, int(parts[-3]), int(parts[-2]), int(parts[-1])


def opening_clause(text: str) -> str:
    """The conduct a rule is about: its text up to the first 的， (违反本法规定，超过污染物排放标准…排放污染物的),
    or its first sentence."""
    for end in ("的，", "的,", "。"):
        if end in text:
            return text[: text.index(end)]
    return text


def clause_words(text: str) -> str:
    return " ".join(sorted(set(words(opening_clause(text)))))


def item_documents(article: Article) -> Iterator[tuple[int, int, str, str]]:
    """(paragraph, item, text, conduct) for each 项 of a 罚则 article's multi-item 款: the 项 with its 款's lead and
    tail, which carry the penalty, scored as a document of its own (a long article is then found by the
    item that matches, not beaten by short neighbours that match a little of everything)."""
    if not is_liability(article):
        return
    for p_no, paragraph in enumerate(article.paragraphs, start=1):
        if len(paragraph.items) < 2:
            continue
        for item in paragraph.items:
            yield p_no, item.number, f"{paragraph.text}{item.text}{paragraph.tail}", paragraph.text + item.text


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
            clause=clause_words(article.paragraphs[0].text if article.paragraphs else article.text),
        )
        for p_no, i_no, text, conduct in item_documents(article):
            writer.add_document(key=item_key(law.law_id, article.number, p_no, i_no), headings=headings,
                                text=text, lawname=law.short_name, clause=clause_words(conduct))
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
