"""Chinese text analysis: jieba with the domain dictionary, stop words, and officer-word synonyms."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba
import yaml
from whoosh.analysis import Token, Tokenizer

from knowledge.corpus import data_file

jieba.setLogLevel(logging.WARNING)

# Words that carry no retrieval signal in officers' questions or in statute text.
STOP_WORDS = frozenset(
    """的 了 是 在 和 与 或者 或 及 以及 等 对 由 其 为 被 把 将 从 向 有 没有 没 不 也 都 就 还 又 吗 呢 吧 啊 呀
    嘛 么 这 那 这个 那个 哪 哪条 哪一条 哪些 哪个 什么 啥 咋 怎么 怎样 如何 怎么办 能 能不能 可以 可不可以 要 需要
    应当 应该 一下 一个 一些 一直 现在 以前 已经 给 让 该 按 按照 依照 根据 规定 本法 条 第 之 者 所 其他 有关 下列
    情形 之一 一 二 三 我们 我 你 他 她 它 企业 单位 公司 厂 厂里 厂子 家 人 说 算 用 到底 到 里 上 下 中 后 前 时
    对应 对应条款 条款 法典 法 里 规定 呢 个 处理 依据 定 出 发 怎么罚 罚多少 谁 谁罚 多少 咋办 问 请问 查 查到
    才 但是 但 如果 只 只需 必须 最 最多 最少 分别 分别是 一来 平时 天天 一路 到处 根本 好 几 几个 是否 要不要 会 不会
    按哪条 怎么处理 咋处理 咋处罚 内 自 跟 东西 起 之 啥样 样 这种 那种 情况 下 能否 有没有""".split()
)


@lru_cache(maxsize=1)
def cues() -> dict[str, tuple[str, ...]]:
    """The intent cue lists of cues.yaml: violation, duty, procedure, mapping."""
    data = yaml.safe_load(data_file("cues.yaml").read_text(encoding="utf-8")) or {}
    return {kind: tuple(str(w) for w in data.get(kind) or ())
            for kind in ("violation", "duty", "procedure", "mapping")}


# Signal tokens: statute text that states a period, sets a fine or defines a term gets a marker token at
# indexing time, and a question asking "how long / how much / what is" gets the same marker.
PERIOD_PATTERN = re.compile(r"[零一二三四五六七八九十百两\d]+(?:个)?(?:日|天|工作日|个月|年)(?:内|以内|之内|之日|后|以上)")
_SIGNALS = (
    ("sigperiod", PERIOD_PATTERN,
     ("几天", "几日", "多少天", "多少日", "多长时间", "多久", "期限", "几个月", "时限", "时效", "几年", "最长", "多长")),
    ("sigfine", re.compile(r"处[^。；]{0,30}?罚款|罚款[^。；]{0,6}元"),
     ("罚多少", "罚款多少", "罚款标准", "罚款数额", "多少钱", "能罚", "罚款幅度", "怎么罚", "罚款", "出罚", "罚则")),
    ("sigdefine", re.compile(r"是指|所称"),
     ("什么是", "是什么", "什么叫", "啥叫", "算不算", "什么算", "东西算", "定义", "什么意思", "指什么", "是指", "啥是")),
)
_TOKEN_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


@lru_cache(maxsize=1)
def _synonym_file() -> dict:
    return yaml.safe_load(data_file("synonyms.yaml").read_text(encoding="utf-8")) or {}


def _table(section: str) -> dict[str, list[str]]:
    return {str(k): [str(v) for v in vs] for k, vs in (_synonym_file().get(section) or {}).items()}


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    """Officers' words → statute words, for the article search."""
    return _table("articles")


@lru_cache(maxsize=1)
def record_synonyms() -> dict[str, list[str]]:
    """Extra officers' words for the authored records (免罚清单 items, typical cases)."""
    return _table("records")


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """A private jieba tokenizer (not the global one) with the domain dictionary and synonym keys."""
    tk = jieba.Tokenizer()
    tk.load_userdict(str(data_file("domain_words.txt")))
    for word in synonyms():
        if len(word) > 1:
            tk.add_word(word, 2000)
    return tk


def _keep(word: str) -> bool:
    if word in STOP_WORDS or not _TOKEN_KEEP.search(word):
        return False
    return len(word) > 1 or "\u3400" <= word <= "\u9fff"  # lone Latin letters/digits carry no meaning


def words(text: str) -> list[str]:
    """jieba search-mode words (words and their sub-words) without stop words."""
    return [w for w in tokenizer().cut_for_search(text) if _keep(w.strip())]


def index_tokens(text: str) -> list[str]:
    return words(text) + [name for name, pattern, _ in _SIGNALS if pattern.search(text)]


def states_period(text: str) -> bool:
    """The statute text sets a period (X日内, 六个月内 …)."""
    return bool(PERIOD_PATTERN.search(text))


def query_tokens(text: str) -> list[str]:
    return words(text) + [name for name, _, cues in _SIGNALS if any(cue in text for cue in cues)]


def expand(tokens: list[str]) -> list[tuple[str, float]]:
    """Query terms with weights: the officer's own words at 1.0, synonyms' statute words at 0.8."""
    weights: dict[str, float] = {}
    syn = synonyms()
    for token in tokens:
        weights[token] = max(weights.get(token, 0), 1.0)
        for target in syn.get(token, ()):
            for word in words(target) or [target]:
                weights[word] = max(weights.get(word, 0), 0.8)
    return list(weights.items())


def record_terms(question: str) -> list[tuple[str, float]]:
    """Query terms for the record indexes: `expand`, plus the record synonyms at 0.8 — also for a key that
    jieba split differently inside the question (multi-character slang)."""
    tokens = words(question)
    weights = dict(expand(tokens))
    extra = record_synonyms()

    def add(targets: list[str]) -> None:
        for target in targets:
            for word in words(target) or [target]:
                weights[word] = max(weights.get(word, 0.0), 0.8)

    for token in tokens:
        add(extra.get(token, []))
    for key, targets in extra.items():
        if len(key) > 1 and key in question and key not in weights:
            add(targets)
    return list(weights.items())


def is_penalty_question(text: str) -> bool:
    """A situation question wants the article that sets the penalty (法律责任), not the duty."""
    if any(cue in text for cue in cues()["procedure"]):
        return False
    if "罚" not in text and any(cue in text for cue in cues()["duty"]):
        return False  # 能不能/要不要 …: the duty, unless the penalty is asked for too
    return any(cue in text for cue in cues()["violation"])


class JiebaTokenizer(Tokenizer):
    """whoosh tokenizer over `index_tokens` (positions only; we never run phrase queries)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, word in enumerate(index_tokens(value)):
            token.text = token.original = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            yield token


def analyzer() -> JiebaTokenizer:
    return JiebaTokenizer()
