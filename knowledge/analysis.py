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
    对应 对应条款 条款 法典 法 里 规定 呢 个 处理 依据 定 出 发 罚 处罚 怎么罚 罚多少 谁 谁罚 多少 咋办 问 请问 查 查到
    才 但是 但 如果 只 只需 必须 最 最多 最少 分别 分别是 一来 平时 天天 一路 到处 根本 好 几 几个 是否 要不要 会 不会
    违法 行为 违反 规定 按哪条 罚款 怎么处理 咋处理 咋处罚""".split()
)
# Words that signal a penalty question: the 法律责任 articles should rank first.
PENALTY_CUES = ("罚", "处罚", "怎么处理", "咋处理", "按哪条", "依据", "罚则", "法律责任", "违法", "怎么定", "能罚", "谁罚", "处理")
_TOKEN_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    data = yaml.safe_load(data_file("synonyms.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): [str(v) for v in vs] for k, vs in data.items()}


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


def index_tokens(text: str) -> list[str]:
    """Tokens for indexing: jieba search mode (words and their sub-words) without stop words."""
    return [w for w in tokenizer().cut_for_search(text) if _keep(w)]


def query_tokens(text: str) -> list[str]:
    return [w for w in tokenizer().cut_for_search(text) if _keep(w.strip())]


def expand(tokens: list[str]) -> list[tuple[str, float]]:
    """Query terms with weights: the officer's own words at 1.0, synonyms' statute words at 0.8."""
    weights: dict[str, float] = {}
    syn = synonyms()
    for token in tokens:
        weights[token] = max(weights.get(token, 0), 1.0)
        for target in syn.get(token, ()):
            for word in index_tokens(target) or [target]:
                weights[word] = max(weights.get(word, 0), 0.8)
    return list(weights.items())


def is_penalty_question(text: str) -> bool:
    return any(cue in text for cue in PENALTY_CUES)


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
