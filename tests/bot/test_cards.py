"""The Telegram HTML cards of 免罚清单 items, the /exempt dialog and its verdict, and typical cases: every
record's card escapes its data and fits one message."""

from __future__ import annotations

from dataclasses import replace

from bot.cards import LIMIT, case_card, case_line, dialog_card, item_card, verdict_card
from knowledge.exemptions import ExemptDialog, load_exemptions, start_dialog
from knowledge.typical_cases import load_typical_cases

EX = load_exemptions()
CASES = load_typical_cases()


def _all_yes_path(dialog: ExemptDialog) -> ExemptDialog:
    while dialog.question is not None:
        dialog.answer(dialog.question.need)
    return dialog


def test_cards_escape_and_fit():
    for item in EX.items:
        card = item_card(item)
        assert len(card) <= LIMIT and "<b>" in card
        d = start_dialog(item)
        assert len(dialog_card(d)) <= LIMIT
        verdict = _all_yes_path(d).verdict()
        assert len(verdict_card(verdict)) <= LIMIT


def test_cards_escape_html_in_data():
    item = replace(EX.item("jm-15"), title="<script>危废&标识</script>", behaviour="a<b>" * 2000)
    card = item_card(item)
    assert "<script>" not in card and "&lt;script&gt;危废&amp;标识&lt;/script&gt;" in card
    assert len(card) <= LIMIT


def test_a_cancelled_dialog_says_so():
    assert dialog_card(start_dialog(EX.item("ly-04")).cancel()) == "已取消。"


def test_case_cards():
    for c in CASES.cases:
        card = case_card(c)
        assert len(card) <= LIMIT and card.startswith("<b>")
        assert c.source_url.replace("&", "&amp;") in card
        assert "现行法典" in card or not c.code
        assert case_line(c).startswith("•")


def test_case_card_escapes_and_shortens():
    c = replace(CASES.case("c001"), title="<i>罚&款</i>", facts="<b>" * 3000, lesson="x" * 5000)
    card = case_card(c)
    assert "<i>罚" not in card and "&lt;i&gt;罚&amp;款&lt;/i&gt;" in card
    assert len(card) <= LIMIT
