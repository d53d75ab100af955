"""The exemption items and typical cases quote the operative words of the articles they rely on.

The YAML files are read directly (yaml.safe_load), independent of the loaders. Every item quotes each of its
`penalty` and `code` citations, every case each of its `applied` and `code` citations; a quote names one of
those citations and occurs, spaces and line breaks removed, in the cited 条 — in the cited 款/项 when given.
Further tests pin the corrections made after reading the data against the article texts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from knowledge.corpus import Corpus

DATA = Path(__file__).resolve().parents[2] / "knowledge" / "data"
CODE = "中华人民共和国生态环境法典"
NO_COUNTERPART = "法典未单独规定"


def _load(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


EXEMPTIONS = _load("exemptions.yaml")
CASES = _load("cases.yaml")
ITEMS = {it["id"]: it for lst in EXEMPTIONS["lists"] for it in lst["items"]}
CASE = {c["id"]: c for c in CASES["cases"]}
RECORDS = [("item", rid, rec, ("penalty", "code")) for rid, rec in ITEMS.items()] + [
    ("case", rid, rec, ("applied", "code")) for rid, rec in CASE.items()
]


def _cite(raw) -> tuple:
    law, article, *rest = list(raw) + [None] * (4 - len(raw))
    return law, article, rest[0] or None, rest[1] or None


def _cites(rec: dict, *fields: str) -> list[tuple]:
    return [_cite(c) for f in fields for c in rec.get(f) or []]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cited_text(corpus: Corpus, cite: tuple) -> str | None:
    law, number, paragraph, item = cite
    article = corpus.article(law, number)
    if article is None:
        return None
    if item:
        found = article.item(item, paragraph)
        return found.text if found else None
    if paragraph:
        para = article.paragraph(paragraph)
        return para.render() if para else None
    return article.text


# --- every record quotes every citation it relies on -------------------------------------------------------
def test_counts() -> None:
    assert len(ITEMS) == 88 and len(CASE) == 48
    empty = {rid for _, rid, rec, fields in RECORDS if not _cites(rec, *fields)}
    assert empty == {"jm-19", "jm-22", "jm-23"}  # they cite only a provincial regulation the corpus lacks


@pytest.mark.parametrize(("kind", "rid", "rec", "fields"), RECORDS, ids=[r[1] for r in RECORDS])
def test_quotes_cover_the_penalty_and_code_citations(kind, rid, rec, fields) -> None:
    quotes = rec.get("quotes")
    allowed = set(_cites(rec, *fields))
    assert isinstance(quotes, list), f"{kind} {rid} has no quotes field"
    assert quotes or not allowed, f"{kind} {rid} has no quotes"
    quoted = set()
    for q in quotes:
        assert set(q) == {"cite", "text"} and str(q["text"]).strip(), (rid, q)
        cite = _cite(q["cite"])
        assert cite in allowed, f"{rid}: quote cites {cite}, not one of its {'/'.join(fields)} citations"
        quoted.add(cite)
    assert allowed <= quoted, f"{rid}: no quote for {sorted(allowed - quoted, key=str)}"


@pytest.mark.parametrize(("kind", "rid", "rec", "fields"), RECORDS, ids=[r[1] for r in RECORDS])
def test_quotes_are_verbatim(corpus: Corpus, kind, rid, rec, fields) -> None:
    for q in rec.get("quotes") or []:
        cite = _cite(q["cite"])
        text = _cited_text(corpus, cite)
        assert text is not None, f"{rid}: {cite} not in the corpus"
        assert _squeeze(str(q["text"])) in _squeeze(text), f"{rid}: {cite} does not contain “{q['text']}”"


@pytest.mark.parametrize(("kind", "rid", "rec", "fields"), RECORDS, ids=[r[1] for r in RECORDS])
def test_no_code_counterpart_is_said_so(kind, rid, rec, fields) -> None:
    if not rec.get("code"):
        assert str(rec.get("code_note", "")).startswith(NO_COUNTERPART), rid


# --- 6. 未验先投: 法典第一千一百条 has no “未经验收” ----------------------------------------------------------
UNACCEPTED = ["jm-08", "hn-02", "hs-03", "bj-02", "bj-03", "c020", "c021", "c044"]


@pytest.mark.parametrize("rid", UNACCEPTED)
def test_unaccepted_facility_is_not_pointed_at_article_1100(rid: str) -> None:
    rec = ITEMS.get(rid) or CASE[rid]
    assert (CODE, 1100) not in {c[:2] for c in _cites(rec, "code")}, rid
    note = rec["code_note"]
    assert note.startswith(NO_COUNTERPART) and "第一千一百条" in note and "未经验收" in note, rid
    if rid != "c044":
        assert (CODE, 162, 2, None) in _cites(rec, "code"), rid  # the 验收 duty


def test_case_with_untreated_discharge_keeps_1100_with_its_condition() -> None:
    c022 = CASE["c022"]
    assert (CODE, 1100, None, None) in _cites(c022, "code")
    assert c022["code_note"].startswith(NO_COUNTERPART) and "同时投产使用" in c022["code_note"]


def test_1100_is_quoted_only_for_what_it_says(corpus: Corpus) -> None:
    text = _squeeze(corpus.article(CODE, 1100).text)
    assert "未建成、未达到规定要求即投入生产、使用" in text and "验收" not in text
    for _kind, rid, rec, _ in RECORDS:
        for q in rec.get("quotes") or []:
            if _cite(q["cite"])[:2] == (CODE, 1100):
                assert "验收" not in q["text"], rid


# --- 7. 已建立台账但未按证记录 ------------------------------------------------------------------------------
@pytest.mark.parametrize("rid", ["gd-20", "jm-40"])
def test_ledger_kept_but_not_as_the_permit_requires(corpus: Corpus, rid: str) -> None:
    item = ITEMS[rid]
    assert (CODE, 1086, 1, 1) not in _cites(item, "code")
    assert (CODE, 183, None, None) in _cites(item, "code")
    note = item["code_note"]
    assert note.startswith(NO_COUNTERPART) and "第一千一百零一条至第一千一百一十二条" in note
    assert ("排污许可管理条例", 37, None, 1) in _cites(item, "penalty")
    # the Code's item names 未建立, not 未按证记录; the regulation's item has both branches
    assert "未按照排污许可证规定记录" not in _squeeze(corpus.article(CODE, 1086).item(1, 1).text)
    assert "未按照排污许可证规定记录" in corpus.article("排污许可管理条例", 37).item(1, 1).text


# --- 8. 未密闭 is 大气法第一百一十七条第一项 → 法典第一千一百三十条第一款第二项 ----------------------------------
@pytest.mark.parametrize("rid", ["gd-11", "jm-14"])
def test_unsealed_dusty_material_only(rid: str) -> None:
    item = ITEMS[rid]
    assert _cites(item, "penalty") == [("中华人民共和国大气污染防治法", 117, None, 1)]
    code = _cites(item, "code")
    assert (CODE, 1130, 1, 2) in code and not any(c[:2] == (CODE, 1130) and c[3] == 3 for c in code)


def test_article_1130_is_cited_with_its_paragraph() -> None:
    for _kind, rid, rec, _ in RECORDS:
        for c in _cites(rec, "code") + [_cite(q["cite"]) for q in rec.get("quotes") or []]:
            if c[:2] == (CODE, 1130):
                assert c[2] == 1, rid


# --- 9. 行政处罚法第三十三条 is the exemption basis, not a 罚则 ------------------------------------------------
def test_article_33_is_never_a_penalty() -> None:
    for rid, item in ITEMS.items():
        assert ("中华人民共和国行政处罚法", 33) not in {c[:2] for c in _cites(item, "penalty")}, rid
    for rid in ("zb-01", "zb-02", "hlj-01"):
        assert "第三十三条" in ITEMS[rid]["notes"], rid
        assert _cites(ITEMS[rid], "penalty"), rid


# --- 10. c048 and c040 --------------------------------------------------------------------------------------
def test_monitoring_data_responsibility_is_carried_by_article_78() -> None:
    c048 = CASE["c048"]
    assert (CODE, 78, 2, None) in _cites(c048, "code")
    assert any(_cite(q["cite"]) == (CODE, 78, 2, None) and "真实性、准确性和完整性负责" in q["text"] for q in c048["quotes"])


def test_article_1198_is_not_said_to_lack_words(corpus: Corpus) -> None:
    assert "缺少" not in CASE["c040"]["code_note"] and "核对官方文本" not in CASE["c040"]["code_note"]
    code = _squeeze(corpus.article(CODE, 1198).paragraph(1).text)
    old = _squeeze(corpus.article("中华人民共和国放射性污染防治法", 53).paragraph(1).text)
    opening = "违反本法规定，生产、销售、使用、转让、"
    assert code.startswith(opening) and old.startswith(opening)


# --- 5. boundaries: “以下”“以内” are written as the list writes them ----------------------------------------
def _asks(item: dict) -> str:
    out = []
    for c in item["conditions"]:
        out += [a["ask"] for a in c.get("any_of", [])] or [c["ask"]]
    return " ".join(out) + " " + item["behaviour"]


@pytest.mark.parametrize(("rid", "words"), [
    ("jm-09", ["0.1倍以下（含0.1倍）", "5至10以内（含5和10）", "1倍以下（含1倍）"]),
    ("jm-11", ["0.1倍以下（含0.1倍）"]),
    ("ly-02", ["0.1倍以内（含0.1倍）", "大于等于5且小于等于10", "1分贝以内（含1分贝）"]),
    ("hs-04", ["10%以内（含10%）", "5至9.5范围内"]),
    ("hlj-02", ["10平方米以下（含10平方米）"]),
    # the Guangdong list's own rule (裁量权规定第二十三条): “以下”不包括本数
    ("gd-06", ["0.1倍以下（不含0.1倍）", "1倍以下（不含1倍）", "5至10以内（含5和10）"]),
    ("gd-08", ["0.1倍以下（不含0.1倍）"]),
])
def test_boundaries_follow_the_list(rid: str, words: list[str]) -> None:
    text = _asks(ITEMS[rid])
    for w in words:
        assert w in text, (rid, w)
    if not rid.startswith("gd-"):
        assert "不到" not in text, rid
