"""Rendering: the answer card and full text as an officer reads them, within Telegram's limits."""

from __future__ import annotations

import html
import re

import pytest

from bot import render
from bot.callbacks import parse
from bot.ratelimit import RateLimiter
from knowledge.model import Article, Item, Law, Paragraph


def make(text: str = "排放<有毒>物质&废水的，处罚款。", paragraphs: int = 1, items: int = 0, status: str = "现行有效",
         name: str = "中华人民共和国测试法", note: str | None = None) -> tuple[Law, Article]:
    law = Law("t1", name, "法律", status=status, effective_date="2020-01-01")
    paras = [Paragraph(text, [Item(i, f"第{i}种情形") for i in range(1, items + 1)]) for _ in range(paragraphs)]
    article = Article("t1", name, 7, paras, chapter="第五章 法律责任", note=note)
    law.articles[7] = article
    return law, article


def test_card_escapes_corpus_text():
    law, article = make()
    card = render.answer_card(law, article)
    assert "排放&lt;有毒&gt;物质&amp;废水" in card.text
    assert render.strip_html(card.text).count("排放<有毒>物质&废水") == 1


def test_card_header_and_status():
    law, article = make()
    text = render.answer_card(law, article).text
    assert text.startswith("<b>《测试法》第七条</b>\n法律 · 现行有效 · 2020-01-01 起施行\n<i>第五章 法律责任</i>")


def test_repealed_law_names_the_code():
    law, _ = make(status="已废止", name="中华人民共和国大气污染防治法")
    assert render.status_line(law) == "法律 · 已废止（2026-08-15 起由《生态环境法典》替代）"
    other, _ = make(status="已废止", name="中华人民共和国乡镇企业法")
    assert render.status_line(other) == "法律 · 已废止"


def test_items_on_their_own_lines_and_cited_item_bold():
    law, article = make("有下列行为之一的：", items=3)
    text = render.answer_card(law, article, item=2).text
    assert "有下列行为之一的：\n（一）第1种情形\n<b>（二）第2种情形</b>\n（三）第3种情形" in text


def test_paragraphs_separated_and_note_shown():
    law, article = make("第一款内容。", paragraphs=2, note="原文此处缺字")
    text = render.answer_card(law, article).text
    assert "第一款内容。\n\n第一款内容。" in text
    assert "⚠️ 说明：原文此处缺字" in text


@pytest.mark.parametrize("unit", ["a", "<", "税目；", "额。\n"])
def test_long_article_shortened_with_full_button(unit):
    law, article = make(unit * 9000)
    card = render.answer_card(law, article, page=(0, 3, "tok"))
    assert len(card.text) <= render.MAX_MESSAGE
    assert "全文" in card.text
    labels = [label for row in card.buttons for label, _ in row]
    assert labels == ["更多结果", "全文", "相关条文"]
    assert not re.search(r"&(?!amp;|lt;|gt;)", card.text)  # never cut inside an entity


def test_full_text_split_keeps_everything():
    law, article = make("第一句话很长。" * 700 + "<尾>", paragraphs=3, items=5)
    parts = render.full_text(law, article)
    assert len(parts) > 1 and all(len(p) <= render.MAX_MESSAGE for p in parts)
    bodies = [html.unescape(p.split("\n", 1)[1]) for p in parts]
    assert "".join(bodies).replace("\n", "") == article.text.replace("\n", "")
    assert parts[0].startswith(f"<b>《测试法》第七条</b>（1/{len(parts)}）")


def test_short_article_is_one_message_without_full_button():
    law, article = make()
    assert len(render.full_text(law, article)) == 1
    labels = [label for row in render.answer_card(law, article).buttons for label, _ in row]
    assert labels == ["相关条文"]


def test_broken_extra_line_provider_does_not_cost_the_article(monkeypatch):
    def broken(*_a):
        raise ValueError("bug")

    monkeypatch.setattr(render, "EXTRA_PROVIDERS", [broken, lambda *_a: ["额外<行>"]])
    law, article = make()
    text = render.answer_card(law, article).text
    assert "排放&lt;有毒&gt;" in text and "额外&lt;行&gt;" in text


def test_callback_data_fits_telegram_limit():
    law, article = make()
    for row in render.answer_card(law, article, page=(5, 10, "abcdefgh")).buttons:
        for _, data in row:
            assert len(data.encode()) <= 64
            assert parse(data).kind in {"p", "f", "r", "a"}


def test_rate_limiter_window():
    limiter = RateLimiter(per_minute=2)
    assert [limiter.hit(1, t).allowed for t in (0, 1, 2)] == [True, True, False]
    assert limiter.hit(1, 3).warn is False  # warned once per window
    assert limiter.hit(2, 3).allowed  # per user
    assert limiter.hit(1, 61).allowed
