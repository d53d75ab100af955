"""Check a decision document (处罚决定书 excerpt): citations, repealed laws, fine within range, measures provided.

    findings = check_document(text, corpus)   # [] for a clean document
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.analysis import words
from knowledge.citations import (  # the one citation finder
    Citation,
    check_exists,
    find_citations,
    resolver_for,
)
from knowledge.cnnum import cn_to_int, int_to_cn
from knowledge.corpus import Corpus
from knowledge.governing import CODE_DATE, code_item
from knowledge.mapping import resolve_law_name, successors
from knowledge.model import CODE_NAME
from knowledge.penalties import parse_amount, parse_article, yuan_cn
from knowledge.texts import (
    MSG_EXEMPTION_HINT,
    MSG_FINE_ESCALATED,
    MSG_FINE_HIGH,
    MSG_FINE_LOW,
    MSG_FINE_REDUCED,
    MSG_MEASURE,
    MSG_PERIOD,
    MSG_REPEALED,
    MSG_REPEALED_NO_TARGET,
    MSG_RIGHTS_MISSING,
)

ERROR, WARNING = "错误", "提示"



@dataclass
class Finding:
    severity: str  # 错误 | 提示
    message: str
    citation: str | None = None  # the article concerned, formatted
    article_text: str | None = None  # the text at hand, for the officer to compare
    sentence: str | None = None  # the document's sentence the finding comes from


# --- facts in the document -----------------------------------------------------------------------------
_DATE = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*[年\-./]\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[月\-./]\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日?")
_VIOLATION_CUES = ("违法", "发现", "检查", "排放", "期间", "实施", "存在", "行为")
_AMOUNT = r"[0-9０-９.,，]+\s*万?|[一二三四五六七八九十百千万零两〇壹贰叁肆伍陆柒捌玖拾佰仟]+"
_FINE = re.compile(
    rf"罚款(?:人民币)?\s*(?:[（(]大写[）)])?[:：]?\s*({_AMOUNT})\s*元(?!以上|以下)"
    rf"|处(?:以)?(?:人民币)?\s*({_AMOUNT})\s*元(?:整)?(?:的)?罚款"
)


def _year(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return int("".join(str(cn_to_int(ch) or 0) for ch in text))


def _dates(sentence: str) -> list[tuple[re.Match[str], date]]:
    out = []
    for m in _DATE.finditer(sentence):
        y, mo, d = _year(m.group(1)), cn_to_int(m.group(2)), cn_to_int(m.group(3))
        try:
            out.append((m, date(y or 0, mo or 0, d or 0)))
        except ValueError:
            continue
    return out


_CONTINUING = re.compile(r"持续|连续|一直|至今|期间")
_PROCEDURE_DATE = re.compile(r"决定|送达|作出|印发|告知")  # dates of the case's own steps, not of the conduct


def _clause_of(sentence: str, m: re.Match[str]) -> str:
    start = max(sentence.rfind("，", 0, m.start()), sentence.rfind(",", 0, m.start())) + 1
    ends = [i for i in (sentence.find("，", m.end()), sentence.find(",", m.end())) if i >= 0]
    return sentence[start:min(ends) if ends else len(sentence)]


def violation_date(text: str) -> date | None:
    """The date of the violation: the first date in a sentence about the conduct — for conduct that went on from
    one date to another (自…至…持续), the day it ended (行政处罚法第三十六条第二款) — else the first date of a
    sentence that is not about the case's own steps (决定、送达 …)."""
    first: date | None = None
    for sentence in re.split(r"[。；\n]", text):
        found = _dates(sentence)
        if not found:
            continue
        if first is None:
            first = next((day for m, day in found if not _PROCEDURE_DATE.search(_clause_of(sentence, m))), None)
        if len(found) > 1 and _CONTINUING.search(sentence) and re.search(r"至|到", sentence[found[0][0].end():
                                                                                          found[-1][0].start()]):
            return found[-1][1]
        for m, day in found:
            if any(cue in sentence for cue in _VIOLATION_CUES) and "决定" not in sentence[: m.start()]:
                return day
    return first


def fine_amount(text: str) -> int | None:
    """The fine decided: 罚款人民币伍万元整 / 罚款50000元 / 罚款5万元 / 处5万元罚款 → yuan."""
    for m in _FINE.finditer(text):
        raw = (m.group(1) or m.group(2) or "").replace("整", "")
        value = parse_amount(raw.replace(" ", ""))
        if value:
            return value
    return None


_DOC_MEASURES: list[tuple[str, str]] = [
    ("责令停业、关闭", r"责令(?:其)?(?:停业、关闭|停业|关闭)(?!整治)"),
    ("限制生产、停产整治", r"限制生产|停产整治"),
    ("吊销许可证", r"吊销[^，；。]{0,10}(?:许可证|证书)"),
    ("拘留", r"拘留"),
    ("没收", r"没收"),
    ("警告", r"警告"),
]


def decided_measures(text: str) -> list[str]:
    """Measures the decision imposes (in its 决定 part when marked, else the whole text)."""
    part = text[text.find("决定") :] if "决定" in text else text
    return [kind for kind, rx in _DOC_MEASURES if re.search(rx, part)]


# --- checks --------------------------------------------------------------------------------------------
def _cite_text(c: Citation) -> str:
    return c.format(short=True)


def _target_text(corpus: Corpus, c: Citation, law: str) -> tuple[str, list[int]]:
    succ = [n for n, _ in successors(law, c.article, c.item)]
    if not succ:
        return "", []
    old_item = corpus.article(law, c.article)
    text = old_item.item(c.item).text if old_item and c.item and old_item.item(c.item) else None
    parts = []
    for n in succ[:2]:
        it = code_item(corpus, n, text) if text else None
        parts.append(f"第{_cn(n)}条" + (f"第{_cn(it)}项" if it else ""))
    return "、".join(parts), succ


def _cn(n: int) -> str:
    return int_to_cn(n)


def check_document(text: str, corpus: Corpus, when: date | None = None, exemptions=None) -> list[Finding]:
    """Findings for a decision excerpt; `when` overrides the violation date detected in the text; with the
    `exemptions` catalogue, 免罚清单 items for the cited articles are pointed out (as 提示: whether the
    conditions are met is the officer's call)."""
    findings: list[Finding] = []
    when = when or violation_date(text)
    fine = fine_amount(text)
    measures = decided_measures(text)
    penalty_cites: list[tuple[Citation, str]] = []  # (citation, law name) of articles that set penalties
    for c in find_citations(text, resolver_for(corpus)):
        problem = check_exists(c, corpus)
        if problem:
            findings.append(Finding(ERROR, problem, _cite_text(c), sentence=sentence_at(text, c.span[0])))
            continue
        law = c.law_name or ""
        art = corpus.article(law, c.article)
        if art is None:
            continue
        old = resolve_law_name(law)
        if old and when and when >= CODE_DATE:
            target, succ = _target_text(corpus, c, old)
            when_cn = f"{when.year}年{when.month}月{when.day}日"
            msg = (MSG_REPEALED.format(law=art.law_name.removeprefix("中华人民共和国"), when=when_cn, target=target)
                   if succ else MSG_REPEALED_NO_TARGET.format(law=art.law_name.removeprefix("中华人民共和国"),
                                                             when=when_cn))
            findings.append(Finding(ERROR, msg, _cite_text(c), art.text, sentence_at(text, c.span[0])))
            for n in succ[:1]:  # check the fine against the article that should have been cited
                penalty_cites.append((Citation(CODE_NAME, None, n), CODE_NAME))
            continue
        if parse_article(art).penalties:
            penalty_cites.append((c, law))
    fine_sentence = sentence_at(text, m.start()) if (m := _FINE.search(text)) else None
    for f in _check_penalties(corpus, penalty_cites, fine, measures, text):
        f.sentence = f.sentence or fine_sentence
        findings.append(f)
    findings += check_periods(text) + check_rights(text)
    if exemptions is not None:
        findings += _exemption_hints(exemptions, penalty_cites, when, text)
    return findings


def _exemption_hints(exemptions, cites: list[tuple[Citation, str]], when: date | None,
                     text: str) -> list[Finding]:
    """Items of a 免罚清单 in force that cite the articles the document relies on. Where several items cite one
    article (废气轻微超标排放, 废水轻微超标排放 both cite 1107), those whose distinctive title words the document
    uses are kept."""
    found: dict[str, tuple] = {}
    for c, law in cites:
        for item, _how in exemptions.citing(law, c.article):
            lst = item.exemption_list
            if lst is not None and not (when and lst.status(when) != "现行"):
                found.setdefault(item.id, (item, lst, c))
    titles = {item_id: set(words(item.title)) for item_id, (item, _l, _c) in found.items()}
    common = set.intersection(*titles.values()) if titles else set()
    matching = [i for i, ws in titles.items() if any(w in text for w in ws - common)]
    keep = matching or list(found)
    return [Finding(WARNING, MSG_EXEMPTION_HINT.format(list=f"《{lst.title}》", number=item.no, title=item.title),
                    _cite_text(c)) for item, lst, c in (found[i] for i in keep[:3])]


def sentence_at(text: str, pos: int, longest: int = 80) -> str:
    """The sentence of `text` around position `pos` (between 。；！？ or line breaks); a sentence longer than
    `longest` is narrowed to its clause (between commas)."""
    def around(stops: str) -> str:
        start = max(text.rfind(ch, 0, pos) for ch in stops) + 1
        ends = [i for ch in stops if (i := text.find(ch, pos)) >= 0]
        return text[start:(min(ends) + 1 if ends else len(text))].strip()

    found = around("。；！？\n")
    return found if len(found) <= longest else around("。；！？\n，")


# --- periods and rights the document states (行政处罚法, 行政复议法, 行政诉讼法) -------------------------------
@dataclass(frozen=True)
class LegalPeriod:
    what: str  # 申请听证 / 申请行政复议 / 提起行政诉讼
    cue: re.Pattern[str]  # the sentence that states it
    days: int  # the period in its unit
    units: tuple[str, ...]  # the units the law's period may be written in (五日 of 行政处罚法 are 工作日, art. 85)
    legal: str  # how the article says it
    cite: str


_NUMBER = r"([0-9]+|[一二三四五六七八九十百零两〇]+)"
PERIODS = (
    LegalPeriod("申请听证", re.compile(r"听证"), 5, ("日", "工作日"), "告知后五日内提出（五日为工作日，行政处罚法第八十五条）",
                "《行政处罚法》第六十四条第（一）项"),
    LegalPeriod("申请行政复议", re.compile(r"行政复议|复议"), 60, ("日",), "自知道或者应当知道该行政行为之日起六十日内",
                "《行政复议法》第二十条"),
    LegalPeriod("提起行政诉讼", re.compile(r"行政诉讼|提起诉讼|向人民法院"), 6, ("个月",),
                "自知道或者应当知道作出行政行为之日起六个月内", "《行政诉讼法》第四十六条"),
)
_STATED = re.compile(rf"{_NUMBER}\s*(个工作日|个月|日|天)(?:内|之内|以内)")


def check_periods(text: str) -> list[Finding]:
    """A 听证, 复议 or 诉讼 period stated otherwise than the law sets it. Each period is paired with the cue of its
    own clause (六十日内向…申请行政复议，或者六个月内…提起行政诉讼), else with the cue of the clause before it
    (如要求听证，应当在…五日内提出). Only the general periods are checked, not the longer ones other laws allow.
    复议 and 诉讼 periods count calendar days and months: 六十个工作日 is wrong. A suit against a 复议决定 has its
    own fifteen days (行政诉讼法第四十五条); such a sentence is left alone."""
    out: list[Finding] = []
    for sentence in re.split(r"[。；\n]", text):
        if "复议决定" in sentence:
            continue
        current: LegalPeriod | None = None
        for clause in re.split(r"[，,]|或者|也可以", sentence):
            kinds = [p for p in PERIODS if p.cue.search(clause)]
            if kinds:
                current = kinds[0]
            m = _STATED.search(clause)
            if m is None or current is None:
                continue
            number = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
            unit = {"个月": "个月", "个工作日": "工作日"}.get(m.group(2), "日")
            if number is not None and (number != current.days or unit not in current.units):
                out.append(Finding(ERROR, MSG_PERIOD.format(what=current.what, stated=m.group(0), cite=current.cite,
                                                            legal=current.legal), current.cite,
                                   sentence=sentence.strip()))
            current = None  # one period per cue
    return out


_NOTICE = re.compile(r"告知书|事先告知")
RIGHTS = (  # each word of the right must be there: 陈述 alone does not tell of 申辩
    ("陈述、申辩", (re.compile(r"陈述"), re.compile(r"申辩")), "《行政处罚法》第四十四条"),
)
HEARING_MEASURES = re.compile(r"责令停产停业|责令停产、停业|责令关闭|停业、关闭|吊销|限制从业|降低资质等级")


def check_rights(text: str) -> list[Finding]:
    """A 行政处罚事先告知书 must tell the party of 陈述、申辩 (行政处罚法第四十四条); where it proposes a measure
    that 第六十三条 lists (责令停产停业、责令关闭、吊销许可证件 …) it must tell of the right to a hearing. Whether a
    fine or a confiscation is 较大数额 (第六十三条第一款第（一）、（二）项) depends on a threshold the document
    check does not know, so a missing 听证 notice beside a fine or a 没收 is not judged."""
    if not _NOTICE.search(text[:200]):
        return []
    out = [Finding(ERROR, MSG_RIGHTS_MISSING.format(right=right, cite=cite), cite)
           for right, cues, cite in RIGHTS if not all(cue.search(text) for cue in cues)]
    if HEARING_MEASURES.search(text) and "听证" not in text:
        out.append(Finding(ERROR, MSG_RIGHTS_MISSING.format(right="要求听证", cite="《行政处罚法》第六十三条"),
                           "《行政处罚法》第六十三条", sentence=sentence_at(text, HEARING_MEASURES.search(text).start())))
    return out


def _stated(condition: str, text: str) -> bool:
    """The document states the circumstance: its key words (工业噪声, 个人) appear."""
    core = re.sub(r"^(?:其中，?)?(?:对|污染物为)?|的$", "", condition)
    return bool(core) and core in text


def _escalation_hints(structures, fine: int, text: str) -> list[Finding]:
    """A lawful fine that only an escalation allows (above the ordinary range: 情节严重的, 拒不改正的 …) while the
    document does not state that circumstance."""
    out: list[Finding] = []
    for c, art, s, para in structures:
        conditions = s.escalated_only(fine, c.item, para)
        if not conditions:
            continue
        stated = any(cond.removesuffix("的")[-6:] in text or cond.removesuffix("的") in text for cond in conditions)
        if not stated:
            cite = c.format(short=True)
            out.append(Finding(WARNING, MSG_FINE_ESCALATED.format(fine=yuan_cn(fine), cite=cite,
                                                                  condition="」或「".join(conditions)), cite, art.text))
        break  # the first cited penalty article decides, as for the range
    return out


def _check_penalties(
    corpus: Corpus, cites: list[tuple[Citation, str]], fine: int | None, measures: list[str], text: str = ""
) -> list[Finding]:
    if not cites:
        return []
    structures = []
    for c, law in cites:
        art = corpus.article(law, c.article)
        if art is None:
            continue
        s = parse_article(art)
        para = c.paragraph
        if c.item and para is None:
            para = next((i for i, p in enumerate(art.paragraphs, 1) if any(it.number == c.item for it in p.items)), None)
        structures.append((c, art, s, para))
    out: list[Finding] = []
    ranges = [(c, art, r) for c, art, s, para in structures if (r := s.base_range(c.item, para))]
    if fine is not None and ranges:
        # the fine is lawful when some cited penalty article allows it
        if not any(lo <= fine <= hi for _c, _a, (lo, hi) in ranges):
            c, art, (lo, hi) = ranges[0]
            cite = c.format(short=True)
            special = [cond for sc, _a, s, para in structures for cond in s.special_only(fine, sc.item, para)]
            if any(_stated(cond, text) for cond in special):
                pass  # lawful under the article's own special range the document names (工业噪声的 …; 对个人 …)
            elif fine < lo and "减轻" in text:  # 减轻处罚 goes below the minimum, in the cases of 第三十二条
                out.append(Finding(WARNING, MSG_FINE_REDUCED.format(fine=yuan_cn(fine), cite=cite, low=yuan_cn(lo)),
                                   cite, art.text))
            elif fine < lo:
                out.append(Finding(ERROR, MSG_FINE_LOW.format(fine=yuan_cn(fine), cite=cite, low=yuan_cn(lo)),
                                   cite, art.text))
            else:
                out.append(Finding(ERROR, MSG_FINE_HIGH.format(fine=yuan_cn(fine), cite=cite, high=yuan_cn(hi)),
                                   cite, art.text))
        else:
            out += _escalation_hints(structures, fine, text)
    provided = {m.kind for _c, _a, s, para in structures for m in s.measures(None, None)}
    for kind in measures:
        if kind not in provided and structures:
            c, art, _s, _p = structures[0]
            out.append(Finding(WARNING, MSG_MEASURE.format(measure=kind, cite=c.format(short=True)),
                               c.format(short=True), art.text))
    return out
