"""Old → Code map: matcher + reviewed overrides against ../shared/eval/mapping_dev.jsonl, data file, API."""

from __future__ import annotations

import json

import pytest
from support.paths import SHARED_EVAL

from bot import render
from knowledge.commands import map_one
from knowledge.corpus import data_file
from knowledge.mapping import (
    CONFIDENT,
    MAP_FILE,
    REPEALED_LAWS,
    Matcher,
    apply_overrides,
    build_data,
    dropped,
    entry_key,
    load_overrides,
    predecessors,
    successors,
)
from knowledge.model import CODE_NAME

DEV = SHARED_EVAL / "mapping_dev.jsonl"


@pytest.fixture(scope="module")
def matcher(corpus):
    return Matcher(corpus)


@pytest.mark.skipif(not DEV.exists(), reason="no dev set")
def test_dev_top1_accuracy(corpus, matcher):
    """Matcher + overrides (computed here, not read from the data file) on the dev lines."""
    overrides = {entry_key(o["old"][1], o["old"][2]): o for o in load_overrides()}
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    hits = 0
    for row in rows:
        law, article, item = row["old"]
        ov = overrides.get(entry_key(article, item))
        if ov and ov["old"][0] == law:
            top = ov["new"][:1]
        else:
            top = [n for n, _ in matcher.successors(law, corpus.article(law, article), item)][:1]
        hits += bool(top) and top[0] in row["new"]
    accuracy = hits / len(rows)
    print(f"mapping_dev top-1 accuracy: {accuracy:.3f} ({hits}/{len(rows)})")
    assert accuracy >= 0.95


def test_overrides_are_reviewed_and_resolve(corpus):
    overrides = load_overrides()
    assert overrides
    for ov in overrides:
        law, article, item = ov["old"]
        assert law in REPEALED_LAWS
        art = corpus.article(law, article)
        assert art is not None, ov
        assert item is None or art.item(item) is not None, ov
        assert all(corpus.article(CODE_NAME, n) for n in ov["new"]), ov
        assert len(ov.get("reason", "")) >= 15, ov  # a reason from the article texts
        assert [n for n, _ in successors(law, article, item)] == ov["new"]


def test_data_file_is_up_to_date(corpus):
    """knowledge/data/mapping.json == matcher + overrides now (rebuild with scripts/build_mapping.py)."""
    stored = json.loads(data_file(MAP_FILE).read_text(encoding="utf-8"))
    assert stored["map"] == json.loads(json.dumps(build_data(corpus)["map"]))


def test_every_article_and_item_has_an_entry(corpus):
    table = json.loads(data_file(MAP_FILE).read_text(encoding="utf-8"))["map"]
    for name in REPEALED_LAWS:
        law = corpus.law(name)
        for art in law.articles.values():
            assert entry_key(art.number) in table[name]
            for p in art.paragraphs:
                for it in p.items:
                    assert entry_key(art.number, it.number) in table[name]


def test_apply_overrides_replaces_entry():
    table = {"L": {"5": [[1, 0.5]]}}
    apply_overrides(table, [{"old": ["L", 5, None], "new": [7, 8], "reason": "x"}])
    assert table["L"]["5"] == [[7, 1.0], [8, 1.0]]


def test_successors_api():
    assert successors("大气法", 99, 1)[0][0] == 1102
    assert successors("中华人民共和国大气污染防治法", 99, 2)[0][0] == 1107
    succ = successors("大气污染防治法", 99)
    assert {n for n, _ in succ} >= {1102, 1107, 1108}
    assert all(0 < c <= 1 for _, c in succ)
    assert [c for _, c in succ] == sorted((c for _, c in succ), reverse=True)
    assert successors("大气法", 99, 9) == []  # no such item
    assert successors("刑法", 338) == []  # not a repealed law
    assert successors("大气法", 999) == []


def test_predecessors_api():
    preds = predecessors(1102)
    assert ("中华人民共和国大气污染防治法", 99, 1) in preds
    assert ("中华人民共和国水污染防治法", 83, 1) in preds
    assert ("中华人民共和国固体废物污染环境防治法", 112, 1) in predecessors(1175)
    assert predecessors(99999) == []


def _low_and_high_confidence_articles() -> tuple[int, int]:
    """An article of the 环境保护法 whose best match is a guess, and one whose match is sure (from the map)."""
    low = high = None
    for number in range(1, 71):
        found = successors(EPL, number, None)
        if found and found[0][1] < CONFIDENT and low is None:
            low = number
        if found and found[0][1] >= 0.9 and high is None:
            high = number
    assert low and high
    return low, high


EPL = "中华人民共和国环境保护法"


def test_a_guess_is_shown_as_candidates_not_as_the_answer(corpus):
    low, high = _low_and_high_confidence_articles()
    assert "未找到确定的对应条文" in map_one(f"环境保护法第{low}条")
    assert "未找到确定的对应条文" not in map_one(f"环境保护法第{high}条")
    law = corpus.law(EPL)
    unsure = render.answer_card(law, law.articles[low]).text
    sure = render.answer_card(law, law.articles[high]).text
    assert "法典对应：未找到确定的对应条文；候选：《生态环境法典》第" in unsure
    assert "法典对应：《生态环境法典》第" in sure and "候选" not in sure


def test_a_guessed_successor_hit_says_it_is_a_candidate(kb):
    low, high = _low_and_high_confidence_articles()
    guessed = [h for h in kb.search(f"环境保护法第{low}条对应法典哪条").hits if h.kind == "successor"]
    sure = [h for h in kb.search(f"环境保护法第{high}条对应法典哪条").hits if h.kind == "successor"]
    assert guessed and all("未找到确定的对应条文" in h.snippet and h.confidence < CONFIDENT for h in guessed)
    assert sure and "继受条文" in sure[0].snippet


def test_what_the_code_dropped_is_the_old_rule_and_is_said(corpus):
    """Each `dropped` phrase of the review describes the old article (most of its character pairs are in the
    article's text), and `lawbot map` says it under the successors, or instead of them."""
    reviewed = [ov for ov in load_overrides() if ov.get("dropped")]
    assert len(reviewed) >= 10
    for ov in reviewed:
        law, article, item = ov["old"]
        text = "".join(corpus.article(law, article).text.split())
        phrase = ov["dropped"]
        pairs = [phrase[i:i + 2] for i in range(len(phrase) - 1)]
        assert sum(p in text for p in pairs) >= 0.6 * len(pairs), ov
        assert dropped(law, article, item) == phrase
        answer = map_one(f"{law}第{article}条" + (f"第{item}项" if item else ""))
        assert f"法典未保留：{phrase}" in answer, answer
        if not ov["new"]:
            assert "法典中未找到对应条文" in answer and "置信度" not in answer


def test_a_rule_kept_whole_says_nothing_was_dropped():
    assert dropped("大气污染防治法", 99, 1) is None
    assert "法典未保留" not in map_one("大气法99条第一项")
    assert dropped("大气污染防治法", 108, 2) and dropped("大气污染防治法", 108, 1) is None


def test_the_card_of_a_dropped_rule_says_so(corpus):
    law = corpus.law("中华人民共和国水污染防治法")
    lines = render.extra_lines(law, law.articles[100])
    assert any(line.startswith("✂️ 法典未保留：当事人委托监测机构") for line in lines), lines
    assert not any(line.startswith("➡️") for line in lines)  # no successor shown for it
    air = corpus.law("中华人民共和国大气污染防治法")
    lines = render.extra_lines(air, air.articles[108], item=2)
    assert lines[0].startswith("➡️ 法典对应：《生态环境法典》第一千一百二十条") and lines[1].startswith("✂️")
