"""Article citations: parse the ways officers cite an article, resolve law names, format them back.

    resolver = LawResolver.from_corpus(corpus)
    parse_query("大气法99条是什么", resolver)            # -> Citation(law_name="中华人民共和国大气污染防治法", article=99)
    find_citations("依据《…》第九十九条第二项、第一百零八条的规定", resolver)   # -> two citations
    format_citation("中华人民共和国大气污染防治法", 99, item=2)  # -> 《中华人民共和国大气污染防治法》第九十九条第二项
    check_exists(citation, corpus)                      # -> None, or a Chinese sentence for the officer

Law names resolve, in this order: text inside 《》; the longest known name or alias that ends right before
the article number (so 民法典 beats 法典, 行政诉讼法 beats 诉讼法); "本法"/"本条例"… to the context law; a
typo-tolerant match (rapidfuzz, Levenshtein distance 1, or 2 for long names) of the words before the number.
A typo keeps the kind of name (民法通则 is not 民法典) and names under four characters are never corrected:
环保法/环评法 differ by one character. A law-less reference in a list (、和及至) inherits the previous law.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from knowledge.cnnum import cn_to_int, int_to_cn
from knowledge.corpus import Corpus, law_table
from knowledge.texts import (
    MSG_AMBIGUOUS,
    MSG_ARTICLE_MISSING,
    MSG_NO_ARTICLE,
    MSG_NO_ITEM,
    MSG_NO_LAW,
    MSG_NO_PARAGRAPH,
    MSG_UNKNOWN_LAW,
)

PRC = "中华人民共和国"
MAX_ARTICLE = 9999
MAX_QUERY_CHARS = 120  # a query that is "a citation plus a few words" is never longer
MAX_QUERY_EXTRA = 16  # characters besides the citation that a citation query may carry (是什么, 罚多少 …)
MAX_QUERY_EXTRA_NO_LAW = 4  # "第三条是什么" is a citation, "3条措施怎么落实" is not


_NUM = r"(?:\d{1,4}|[零〇一二两三四五六七八九十百千]{1,10})"
# one article reference: 第九十九条 / 99条 / 第六十七、七十二条, with optional 款 and 项;
# or a bare 款/项 that continues the previous citation (…第一款、第二款)
_REF = re.compile(
    rf"(?P<di>第\s*)?(?P<art>{_NUM}(?:\s*、\s*(?:第\s*)?{_NUM})*)\s*条(?!例)"
    rf"(?:\s*(?:第\s*)?(?P<para>{_NUM})\s*款)?"
    rf"(?:\s*(?:第\s*)?[（(]?\s*(?P<item>{_NUM})\s*[）)]?\s*项)?"
    rf"|(?:第\s*)?(?P<spara>{_NUM})\s*款(?:\s*(?:第\s*)?[（(]?\s*(?P<sitem>{_NUM})\s*[）)]?\s*项)?"
    rf"|(?:第\s*)?[（(]?\s*(?P<sonly>{_NUM})\s*[）)]?\s*项"
)
_NUM_RE = re.compile(_NUM)
# 法典1107 / 固废法 112: digits right after a law name, not a year, date, amount or measure
_BARE = re.compile(r"(?<![\d.])\d{1,4}(?![\d.．年月日号时元万千百个%％\-~～吨米A-Za-z{])")
_TRAILING_LAW = re.compile(r"\s*[（(]\s*([^（）()\s]{1,40}?)\s*[）)]")
_LIST_GAP = re.compile(r"\s*(?:、|，|,|和|及|以及|或者|或|与|至|到|-|—|～|~)?\s*")
_FULLWIDTH = str.maketrans("０１２３４５６７８９　", "0123456789 ")  # one char for one char: spans stay valid
_LAW_KINDS = ("条例", "办法", "通则", "法典", "规定", "解释", "细则", "决定", "意见", "清单", "名录")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LAW_END = set("法例释定则典见录单要函")  # last character of every kind of law name in the corpus
_CONTEXT_REFS = ("本法", "本条例", "本办法", "本规定", "本细则", "本解释", "本决定", "本法典")
_QUERY_NOISE = re.compile(r"[\s\W_]+")


class Resolution(NamedTuple):
    law_name: str | None  # full name as in the corpus; None when the bot has to ask or nothing matched
    candidates: tuple[str, ...] = ()  # for an ambiguous alias: every law it may mean
    fuzzy: bool = False  # resolved by typo correction


@dataclass
class Citation:
    law_name: str | None  # resolved full name (中华人民共和国…), None when unresolved or ambiguous
    law_text: str | None  # the law as written (without 《》); inherited citations repeat it
    article: int
    paragraph: int | None = None  # 款
    item: int | None = None  # 项
    span: tuple[int, int] = (0, 0)  # [start, end) in the text, law name included when written there
    candidates: list[str] = field(default_factory=list)  # laws an ambiguous name may mean
    fuzzy: bool = False  # law name resolved by typo correction

    @property
    def ambiguous(self) -> bool:
        """The bot must ask which law is meant."""
        return self.law_name is None and bool(self.candidates)

    def format(self, short: bool = False) -> str:
        return format_citation(self.law_name, self.article, self.paragraph, self.item, short=short)


# --- formatting ----------------------------------------------------------------------------------------
def format_citation(
    law_name: str | None,
    article: int,
    paragraph: int | None = None,
    item: int | None = None,
    *,
    short: bool = False,
) -> str:
    """《中华人民共和国大气污染防治法》第九十九条第二项; short=True drops 中华人民共和国."""
    parts = [f"第{int_to_cn(article)}条"]
    if paragraph:
        parts.append(f"第{int_to_cn(paragraph)}款")
    if item:
        parts.append(f"第{int_to_cn(item)}项")
    if not law_name:
        return "".join(parts)
    name = law_name.strip("《》")
    if short:
        name = name.removeprefix(PRC)
    return f"《{name}》" + "".join(parts)


# --- law names -----------------------------------------------------------------------------------------
def _clean_name(text: str) -> str:
    return re.sub(r"\s+", "", text).strip("《》〈〉<>")


class LawResolver:
    """Law names and aliases → full names. Build once per corpus; look-ups are dict hits or cached."""

    def __init__(self, law_names: Iterable[str], table: dict | None = None):
        table = law_table() if table is None else table
        names = set(law_names)
        self.law_names = names
        index: dict[str, Resolution] = {}
        for entry in [*table.get("laws", []), *table.get("imported", [])]:
            if entry["name"] in names:
                for alias in entry.get("aliases", []):
                    index[alias] = Resolution(entry["name"])
        for name in sorted(names):  # a name in the corpus beats an alias that looks the same
            index[name] = Resolution(name)
            index.setdefault(name.removeprefix(PRC), Resolution(name))
        for alias, spec in (table.get("ambiguous") or {}).items():
            candidates = tuple(c for c in spec["candidates"] if c in names)
            prefer = spec.get("prefer")
            if len(candidates) > 1:
                index[alias] = Resolution(prefer if prefer in names else None, candidates)
            elif candidates:
                index[alias] = Resolution(candidates[0])
        self.index = index
        self._lengths = sorted({len(k) for k in index if len(k) <= 40}, reverse=True)
        self._by_length: dict[int, list[str]] = {}
        for key in index:
            if len(key) >= 4 and not key.startswith(PRC):  # short aliases are never typo-corrected
                self._by_length.setdefault(len(key), []).append(key)
        self.fuzzy = lru_cache(maxsize=4096)(self._fuzzy)

    @classmethod
    def from_corpus(cls, corpus: Corpus, table: dict | None = None) -> LawResolver:
        return cls(corpus.law_names(), table)

    def resolve(self, text: str) -> Resolution | None:
        """A whole name as written (《》 optional): exact name or alias, else a typo-tolerant match."""
        name = _clean_name(text)
        if not name:
            return None
        res = self.index.get(name) or self.index.get(name.removeprefix(PRC))
        if res is None and (hit := self.fuzzy(name, True)):
            res = hit[0]
        return res

    def name_before(self, text: str, end: int) -> tuple[int, Resolution] | None:
        """The longest known name or alias that ends at `end` → (start, resolution)."""
        for length in self._lengths:
            if length <= end and (res := self.index.get(text[end - length : end])):
                return end - length, res
        return None

    def _fuzzy(self, run: str, whole: bool = False) -> tuple[Resolution, int] | None:
        """Typo correction → (resolution, length of the tail of `run` it stands for).

        `run` is the CJK text before an article number (依据大汽污染防治法); some tail of it should be a law
        name. `whole`: the run is the name (text inside 《》).
        """
        if not run or run[-1] not in _LAW_END:
            return None
        best: tuple[int, int] | None = None  # (distance, -length): closest first, then longest
        laws: set[str | None] = set()
        for length in [len(run)] if whole else range(4, min(len(run), 40) + 1):
            tail = run[-length:]
            name = tail.removeprefix(PRC)  # the prefix is compared exactly, never counted as a match
            if len(name) < 4:
                continue
            limit = 1 if len(name) <= 8 else 2
            keys = [
                k for n in range(len(name) - limit, len(name) + limit + 1) for k in self._by_length.get(n, ())
            ]
            for key, dist, _ in process.extract(
                name, keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=None
            ):
                if not _same_kind(key, name):
                    continue
                rank = (int(dist), -length)
                if best is None or rank < best:
                    best, laws = rank, set()
                if rank == best:
                    laws.add(self.index[key].law_name)
        laws.discard(None)
        if best is None or not laws:
            return None
        if len(laws) > 1:
            return Resolution(None, tuple(sorted(laws)), fuzzy=True), -best[1]  # type: ignore[arg-type]
        return Resolution(laws.pop(), fuzzy=True), -best[1]


def _same_kind(key: str, name: str) -> bool:
    """A typo keeps the kind of the name: 民法通则 is not a typo of 民法典, nor 处罚条例 of 处罚法."""
    if key[-1] != name[-1]:
        return False
    kind = next((k for k in _LAW_KINDS if key.endswith(k)), key[-1])
    return name.endswith(kind) and (key[0] == name[0] or key[-3:] == name[-3:])


_resolvers: weakref.WeakKeyDictionary[Corpus, LawResolver] = weakref.WeakKeyDictionary()


def resolver_for(corpus: Corpus) -> LawResolver:
    """One cached resolver per corpus object."""
    if corpus not in _resolvers:
        _resolvers[corpus] = LawResolver.from_corpus(corpus)
    return _resolvers[corpus]


@lru_cache(maxsize=1)
def default_resolver() -> LawResolver:
    """Only the laws of laws.yaml (no corpus needed): enough for the common short names."""
    table = law_table()
    names = [e["name"] for e in table["laws"]] + [
        c for a in table["ambiguous"].values() for c in a["candidates"]
    ]
    return LawResolver(names, table)


# --- finding citations ---------------------------------------------------------------------------------
def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _number(text: str | None) -> int | None:
    if not text:
        return None
    n = cn_to_int(re.sub(r"\s+", "", text))
    return n if n is not None and 0 < n <= MAX_ARTICLE else None


class _Law(NamedTuple):
    start: int
    text: str | None
    res: Resolution | None


def _law_before(text: str, pos: int, resolver: LawResolver, context: str | None) -> _Law | None:
    """The law written right before position `pos` (spaces and one 的 allowed in between)."""
    end = pos
    while end and text[end - 1].isspace():
        end -= 1
    if end and text[end - 1] == "的":
        end -= 1
    if not end:
        return None
    if text[end - 1] == "》":
        start = text.rfind("《", max(0, end - 80), end - 1)
        if start < 0:
            return None
        inner = text[start + 1 : end - 1]
        return _Law(start, inner, resolver.resolve(inner) or Resolution(None))
    if found := resolver.name_before(text, end):  # before 本法: 基本法 is a name
        start, res = found
        return _Law(start, text[start:end], res)
    for ref in _CONTEXT_REFS:
        if text.endswith(ref, 0, end):
            res = resolver.resolve(context) if context else None
            return _Law(end - len(ref), ref, res or Resolution(None))
    run_start = end
    while run_start > max(0, end - 40) and _CJK.match(text[run_start - 1]):
        run_start -= 1
    if end - run_start >= 4 and (hit := resolver.fuzzy(text[run_start:end])):
        res, length = hit
        return _Law(end - length, text[end - length : end], res)
    return None


def _citation(
    law: _Law | None, article: int, paragraph: int | None, item: int | None, span: tuple[int, int]
) -> Citation:
    res = law.res if law and law.res else Resolution(None)
    return Citation(
        law_name=res.law_name,
        law_text=law.text if law else None,
        article=article,
        paragraph=paragraph,
        item=item,
        span=span,
        candidates=list(res.candidates),
        fuzzy=res.fuzzy,
    )


def find_citations(
    text: str, resolver: LawResolver | None = None, context: str | None = None, *, _query: bool = False
) -> list[Citation]:
    """Every article citation in `text`, in order. `context` is the law "本法" refers to.

    A citation without its own law name inherits the previous one's when it follows it in a list
    (…第九十九条第二项、第一百零八条). Outside a list a law-less reference needs 第 (第十条, not 一条河).
    """
    if not text:
        return []
    resolver = resolver or default_resolver()
    norm = text.translate(_FULLWIDTH)
    found: list[Citation] = []
    last_law: _Law | None = None  # law of the previous citation, for list continuation
    last_end = -1
    for m in _REF.finditer(norm):
        law = _law_before(norm, m.start(), resolver, context)
        in_list = last_end >= 0 and _LIST_GAP.fullmatch(norm, last_end, m.start()) is not None
        if m.group("art") is None:  # 第二款 / 第三项 continuing the previous citation
            if not (in_list and found) or law:
                continue
            prev = found[-1]
            para = _number(m.group("spara"))
            item = _number(m.group("sitem") or m.group("sonly"))
            if (m.group("spara") and not para) or (not m.group("spara") and not item):
                continue
            paragraph = para if m.group("spara") else prev.paragraph
            found.append(_citation(last_law, prev.article, paragraph, item, m.span()))
            last_end = m.end()
            continue
        end = m.end()
        if law is None and not in_list:
            trailing = _TRAILING_LAW.match(norm, end)  # 第一千一百零七条（法典）
            if trailing and (res := resolver.resolve(trailing.group(1))) and (res.law_name or res.candidates):
                law = _Law(m.start(), trailing.group(1), res)
                end = trailing.end()
        if law is None:
            if in_list:
                law = last_law
            elif not (m.group("di") or (_query and m.start() == _indent(norm) and m.group("art").isdigit())):
                continue  # 一条河, 3条措施: not a citation
        numbers = [(_number(n.group()), n.start(), n.end()) for n in _NUM_RE.finditer(norm, *m.span("art"))]
        if not numbers or any(n is None for n, _, _ in numbers):
            continue
        para, item = _number(m.group("para")), _number(m.group("item"))
        if (m.group("para") and not para) or (m.group("item") and not item):
            continue
        for i, (number, n_start, n_end) in enumerate(numbers):
            last = i == len(numbers) - 1
            start = (
                law.start if (law and i == 0 and law is not last_law) else (m.start() if i == 0 else n_start)
            )
            span = (start, end if last else n_end)
            found.append(_citation(law, number or 0, para if last else None, item if last else None, span))
        last_law, last_end = law, end
    found.extend(_bare_citations(norm, found, resolver, context))
    found.sort(key=lambda c: c.span)
    return found


def _bare_citations(
    norm: str, found: list[Citation], resolver: LawResolver, context: str | None
) -> list[Citation]:
    """法典1107, 固废法 112: digits right after a law name, outside the citations already found."""
    taken = [c.span for c in found]
    out = []
    for m in _BARE.finditer(norm):
        if any(s <= m.start() < e for s, e in taken):
            continue
        law = _law_before(norm, m.start(), resolver, context)
        if law and law.text not in _CONTEXT_REFS and (law.res and (law.res.law_name or law.res.candidates)):
            if number := _number(m.group()):
                out.append(_citation(law, number, None, None, (law.start, m.end())))
    return out


# --- whole queries -------------------------------------------------------------------------------------
def parse_query(
    text: str, resolver: LawResolver | None = None, context: str | None = None
) -> Citation | None:
    """The citation a search query is, or None when the query is a question that merely mentions one.

    "大气法99条是什么", "法典1107条罚多少" are citations; "原大气法第99条在法典里对应哪条" is not (it names a
    second law), nor is a long question that happens to contain an article number. Never raises.
    """
    try:
        if not text or len(text) > MAX_QUERY_CHARS:
            return None
        resolver = resolver or default_resolver()
        citations = find_citations(text, resolver, context, _query=True)
        if not citations:
            return None
        norm = text.translate(_FULLWIDTH)
        rest, pos = [], 0
        for c in citations:
            rest.append(norm[pos : c.span[0]])
            pos = max(pos, c.span[1])
        rest.append(norm[pos:])
        extra = _QUERY_NOISE.sub("", "".join(rest))
        if len({c.law_name or c.law_text for c in citations}) > 1:
            return None  # 大气法99条对应法典哪条: a question about two laws
        first = citations[0]
        limit = MAX_QUERY_EXTRA if first.law_text else MAX_QUERY_EXTRA_NO_LAW
        if len(extra) > limit or _mentions_law(extra, resolver):
            return None
        return first
    except Exception:  # a search box must never fail on odd input; no citation is the safe answer
        return None


def _mentions_law(text: str, resolver: LawResolver) -> bool:
    """Whether `text` names a law (a second law in a query makes it a question, not a citation)."""
    return any(resolver.name_before(text, end) for end in range(2, len(text) + 1))


# --- checking against the corpus -----------------------------------------------------------------------
def check_exists(citation: Citation, corpus: Corpus) -> str | None:
    """None when the cited article (and 款/项) exists; otherwise a Chinese sentence for the officer."""
    article_cn = int_to_cn(citation.article)
    if citation.law_name is None:
        if citation.candidates:
            names = "、".join(f"《{c.removeprefix(PRC)}》" for c in citation.candidates)
            return MSG_AMBIGUOUS.format(text=citation.law_text, candidates=names)
        if citation.law_text:
            return MSG_UNKNOWN_LAW.format(text=citation.law_text)
        return MSG_NO_LAW.format(article=article_cn)
    law = corpus.law(citation.law_name)
    if law is None:
        return MSG_UNKNOWN_LAW.format(text=citation.law_text or citation.law_name)
    article = law.articles.get(citation.article)
    if article is None:
        if citation.article > law.max_article:
            return MSG_NO_ARTICLE.format(
                law=law.short_name, total=int_to_cn(law.max_article), article=article_cn
            )
        return MSG_ARTICLE_MISSING.format(law=law.short_name, article=article_cn)
    if citation.paragraph and article.paragraph(citation.paragraph) is None:
        return MSG_NO_PARAGRAPH.format(
            law=law.short_name,
            article=article_cn,
            total=int_to_cn(len(article.paragraphs)),
            paragraph=int_to_cn(citation.paragraph),
        )
    if citation.item and article.item(citation.item, citation.paragraph) is None:
        where = f"第{int_to_cn(citation.paragraph)}款" if citation.paragraph else ""
        return MSG_NO_ITEM.format(
            law=law.short_name, article=article_cn, paragraph=where, item=int_to_cn(citation.item)
        )
    return None
