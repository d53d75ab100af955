"""Questions made from the articles themselves: a sentence of the statute with one blank.

Three kinds of blank, each answered by a phrase of the sentence and offered with distractors of the same
kind taken from other articles:
- fine: a range (十万元以上一百万元以下) in a 罚则 sentence of the Code's 法律责任分则 — the sentence is shown
  whole, so the range is asked together with the condition it belongs to (情节严重的, 拒不改正的, 前款规定的
  固体废物为危险废物…的, 个人…); a sentence that names items by number (有前款第一项…情形之一的) is asked once
  per item, with the item's own words in its place;
- authority: who acts (由生态环境主管部门、城镇排水主管部门…责令…), where it is not simply 生态环境主管部门;
- period: a period (五日内, 六十日, 三个月) in a sentence of the procedure laws.

Every question carries the sentence (and the item) as its proof, so `knowledge.quiz.proof` checks it like an
authored one. Ids name the place (gen-fine-1169-2-1-0), so an officer's review schedule survives a restart.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from knowledge.cnnum import cn_to_int, int_to_cn
from knowledge.corpus import Corpus
from knowledge.model import CODE_NAME, Article, Law
from knowledge.quiz.bank import Question
from knowledge.quiz.proof import MAX_EXPLANATION, MAX_OPTION, MAX_QUESTION, canonical
from knowledge.records import Cite

LIABILITY = range(1085, 1239)  # the Code's 法律责任分则
PROCEDURE_LAWS = ("中华人民共和国行政处罚法", "中华人民共和国行政强制法", "中华人民共和国行政复议法",
                  "中华人民共和国行政诉讼法", "中华人民共和国行政许可法")
BLANK = "（　　）"
N_OPTIONS = 4
_CN = "零〇一二两三四五六七八九十百千万"
_RANGE = re.compile(rf"([{_CN}\d.]+万?元)以上([{_CN}\d.]+万?元)以下")
_PERIOD = re.compile(rf"(?<![{_CN}\d第])([{_CN}\d]+(?:个)?(?:工作日|日|个月|月|年))(?=内|以内|之内|前|后|以上|届满|的|，|。|；)")
_AUTHORITY = re.compile(r"由((?:[^，；。由]{2,60}?)(?:主管部门|管理部门|部门|机关|人民政府|海关|机构))(?:按照职责分工|依照职责|依据职责)?"
                        r"(?=责令|处|给予|没收|予以|吊销|依法)")
_ITEM_REF = re.compile(rf"^有前款((?:第[{_CN}]+项[、，和或]?)+)(?:规定的)?(?:情形|行为|违法行为)(?:之一)?的")
_ONE_ITEM = re.compile(rf"第([{_CN}]+)项")
_PLAIN_AUTHORITY = "生态环境主管部门"


@dataclass(frozen=True)
class Blank:
    id: str  # stable: names the place
    kind: str  # fine | authority | period
    cite: Cite
    place: str  # 法典第一千一百零七条第一款, as the question and the explanation name it
    answer: str  # the phrase blanked out
    stem: str  # the sentence shown, with BLANK where the answer was
    proof: tuple[str, ...]  # verbatim excerpts of the article
    item: int = 0  # the item whose words replaced 有前款第…项情形之一的 (0: none)


def _blank(kind: str, law: Law, article: Article, paragraph: int, segment: int, answer: str, stem: str,
           proof: tuple[str, ...], item: int = 0) -> Blank:
    where = "code" if law.name == CODE_NAME else law.law_id
    one = len(article.paragraphs) == 1
    return Blank(f"gen-{kind}-{where}-{article.number}-{paragraph}-{segment}-{item}", kind,
                 Cite(law.name, article.number, None if one else paragraph), _place(law, article, paragraph),
                 answer, stem, proof, item)


def period_blank(qid: str, cite: Cite, place: str, sentence: str) -> Blank | None:
    """A period question from a sentence stating one period (the deadline rules' quotes use it)."""
    found = list(_PERIOD.finditer(sentence))
    if len(found) != 1:
        return None
    m = found[0]
    return Blank(qid, "period", cite, place, m.group(1), sentence[: m.start()] + BLANK + sentence[m.end():], (sentence,))


def _segments(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[；。]", text) if s.strip()]


def _short_law(law: Law) -> str:
    return "法典" if law.name == CODE_NAME else law.short_name


def _place(law: Law, article: Article, paragraph: int) -> str:
    part = f"第{int_to_cn(paragraph)}款" if len(article.paragraphs) > 1 else ""
    return f"{_short_law(law)}{article.number_cn}{part}"


def _items_named(ref: re.Match[str]) -> list[int]:
    return [n for n in (cn_to_int(m) for m in _ONE_ITEM.findall(ref.group(1))) if n]


# --- finding the blanks ------------------------------------------------------------------------------
def _act(first_segment: str) -> str:
    """The act a 罚则 sentence opens with (违反本法规定，…的), for the sentences after it."""
    cut = first_segment.find("的，")
    return first_segment[: cut + 1] if 0 < cut <= 120 else ""


def _variants(para, pi: int, si: int, segment: str, first: str, previous) -> list[tuple[str, tuple[str, ...], int]]:
    """(sentence shown, proof excerpts, item number) for one sentence of a 款: the item's own words where the
    sentence names items by number or stands for a list of items, the act of the 款 before a later sentence."""
    ref = _ITEM_REF.match(segment)
    if ref and previous is not None and previous.items:
        out = []
        for n in _items_named(ref):
            item = next((it for it in previous.items if it.number == n), None)
            if item is not None:
                out.append((f"{item.text.rstrip('；;。，')}的" + segment[ref.end():], (segment, item.text), n))
        return out
    if para.items and si < len(_segments(para.text)) and "有下列" in first:
        out = []
        for item in para.items:
            words = item.text.rstrip("；;。，")
            if si == 0:
                stem = re.sub(r"有下列(?:情形|行为|违法行为)之一的?", f"{words}的", segment, count=1)
                out.append((stem, (segment, item.text), item.number))
            else:
                out.append((f"{words}，{segment}", (segment, item.text), item.number))
        return out
    if si > 0 and not segment.startswith("违反") and (act := _act(first)):
        return [(f"{act}……{segment}", (first, segment), 0)]
    return [(segment, (segment,), 0)]


def _liability_blanks(law: Law, article: Article) -> Iterator[Blank]:
    for pi, para in enumerate(article.paragraphs, start=1):
        texts = [t for t in (para.text, para.tail) if t]
        segments = [s.rstrip("：:") for text in texts for s in _segments(text)]
        previous = article.paragraphs[pi - 2] if pi > 1 else None
        for si, segment in enumerate(segments):
            for stem, proof, item_no in _variants(para, pi, si, segment, segments[0], previous):
                for m in _RANGE.finditer(stem):
                    yield _blank("fine", law, article, pi, si, m.group(0), stem[: m.start()] + BLANK + stem[m.end():],
                                 proof, item_no)
                a = _AUTHORITY.search(stem)
                if a and (a.group(1) != _PLAIN_AUTHORITY) and ("部门" in a.group(1) or "机关" in a.group(1)):
                    yield _blank("authority", law, article, pi, si, a.group(1),
                                 stem[: a.start(1)] + BLANK + stem[a.end(1):], proof, item_no)


def _procedure_blanks(law: Law, article: Article) -> Iterator[Blank]:
    for pi, para in enumerate(article.paragraphs, start=1):
        texts = [t for t in (para.text, para.tail) if t] + [it.text for it in para.items]
        for si, segment in enumerate(s for text in texts for s in _segments(text)):
            found = list(_PERIOD.finditer(segment))
            if len(found) != 1 or len(segment) > 160:  # one period per sentence: the blank is unambiguous
                continue
            m = found[0]
            yield _blank("period", law, article, pi, si, m.group(1), segment[: m.start()] + BLANK + segment[m.end():],
                         (segment,))


def blanks(corpus: Corpus) -> list[Blank]:
    out: list[Blank] = []
    code = corpus.law(CODE_NAME)
    if code is not None:
        for n in LIABILITY:
            if (article := code.articles.get(n)) is not None:
                out += _liability_blanks(code, article)
    for name in PROCEDURE_LAWS:
        law = corpus.law(name)
        if law is not None:
            for article in law.articles.values():
                out += _procedure_blanks(law, article)
    return out


# --- distractors -------------------------------------------------------------------------------------
def _magnitude(phrase: str) -> float:
    m = _RANGE.fullmatch(phrase)
    if not m:
        return 0.0
    low = m.group(1)
    value = cn_to_int(low.removesuffix("元").removesuffix("万")) or 0
    return value * (10000 if "万" in low else 1)


def _stable_order(seed: str, pool: Iterable[str]) -> list[str]:
    return sorted(pool, key=lambda p: hashlib.sha1(f"{seed}|{p}".encode()).hexdigest())


def _parts(phrase: str) -> frozenset[str]:
    return frozenset(p for p in re.split(r"[、，]|或者|和", phrase) if p)


def _overlaps(one: str, other: str) -> bool:
    """Authorities that are one another's part (生态环境主管部门 within 生态环境主管部门、海关) would be partly right."""
    a, b = _parts(one), _parts(other)
    return a <= b or b <= a


def _distractors(b: Blank, pool: list[str], seed: str) -> list[str] | None:
    """Three phrases of the same kind, none meaning the same as the answer or each other (nor, for
    authorities, a part of another option)."""
    taken = {canonical(b.answer)}
    chosen: list[str] = []
    candidates = _stable_order(seed, set(pool))
    if b.kind == "fine":  # plausible first: ranges of a similar size
        size = _magnitude(b.answer) or 1
        candidates.sort(key=lambda p: abs((_magnitude(p) or 1) / size - 1) > 9)
    for phrase in candidates:
        c = canonical(phrase)
        if c in taken or len(phrase) > MAX_OPTION:
            continue
        if b.kind == "authority" and any(_overlaps(phrase, other) for other in [b.answer, *chosen]):
            continue
        taken.add(c)
        chosen.append(phrase)
        if len(chosen) == N_OPTIONS - 1:
            return chosen
    return None


# --- questions ---------------------------------------------------------------------------------------
_ASK = {"fine": "罚款幅度是多少？", "authority": "由谁处理？", "period": "期限是多少？"}
_TOPIC = {"fine": "罚则", "authority": "罚则", "period": "执法程序"}


def _explanation(b: Blank) -> str:
    place = b.place
    sentence = b.stem.replace(BLANK, b.answer)
    room = MAX_EXPLANATION - len(place) - 2
    if len(sentence) > room:
        at = sentence.find(b.answer)
        start = max(0, min(at - (room - len(b.answer)) // 2, len(sentence) - room + 1))
        sentence = ("…" + sentence[start + 1: start + room - 1] + "…") if start else sentence[: room - 1] + "…"
    return f"{place}：{sentence}"


def _question(b: Blank, options_pool: list[str]) -> Question | None:
    qid = b.id
    stem = f"依照{b.place}：“{b.stem}”，空白处应为？"
    if len(stem) > MAX_QUESTION:
        return None
    distractors = _distractors(b, options_pool, qid)
    if distractors is None:
        return None
    options = _stable_order(qid + "#order", [b.answer, *distractors])
    return Question(
        id=qid, topic=_TOPIC[b.kind], difficulty=3 if b.item or "的，" in b.stem[: b.stem.find(BLANK)] else 2,
        kind="single", question=stem, options=tuple(options), answer=(options.index(b.answer),),
        cite=(b.cite,),
        proof=b.proof, explanation=_explanation(b), source="generated", origin=f"generator:{b.kind}",
    )


def generate(corpus: Corpus, extra: Iterable[Blank] = ()) -> list[Question]:
    """Every question the articles give (and `extra` blanks, e.g. from the deadline rules), in a stable
    order; distractors come from all of them."""
    found = blanks(corpus) + list(extra)
    pools: dict[str, list[str]] = {}
    for b in found:
        if not re.search(r"[\d０-９]", b.answer):  # 3日 / ３日 beside 五日 would look odd as a distractor
            pools.setdefault(b.kind, []).append(b.answer)
    out = []
    seen: set[str] = set()
    for b in found:
        q = _question(b, pools[b.kind])
        if q is not None and q.id not in seen:
            seen.add(q.id)
            out.append(q)
    return out
