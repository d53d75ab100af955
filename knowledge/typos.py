"""Typo tolerance against the statute vocabulary: officers type on a phone with a pinyin keyboard, so the
usual slip is a homophone (复意 for 复议, 申辨 for 申辩, 危险费物); the rarer one a wrong character of a long
term. Neither can be listed word by word; both are found by comparing the question with the words the
indexed statutes actually use.

    corrector = Corrector({"复议": 812, "申辩": 40, ...})     # statute word → how many articles use it
    corrector.corrections("对复意决定不服")  -> ["复议"]

A stretch of the question is corrected only when it is not itself a statute word, the correction differs
from it in exactly one character, and (for the edit-distance pass) the term is long enough that one
character cannot turn it into another real term by chance.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping

from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import Hamming

MIN_DF = 3  # a correction must be a word several articles use, not a rarity of one text
EDIT_MIN_LEN = 4  # one wrong character in a 4+ character term still leaves it recognisable
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _content_chars(words: list[str], stop_words: frozenset[str]) -> str:
    """The run with its stop words blanked, character for character."""
    return "".join(" " * len(w) if w in stop_words else w for w in words)


def _sound(word: str) -> str:
    return " ".join(lazy_pinyin(word, style=Style.NORMAL))


class Corrector:
    """`segment` cuts a question into words (jieba): a correction must cover whole words of the question, so
    two neighbouring words (换水|直接 → 水直) are never read as one mistyped term; `stop_words` never count as
    a mistyped term on their own (没个 is not 每个)."""

    def __init__(self, vocabulary: Mapping[str, int], segment: Callable[[str], list[str]] = list,
                 stop_words: frozenset[str] = frozenset()):
        self.segment = segment
        self.stop_words = stop_words
        self.vocabulary = {w: df for w, df in vocabulary.items() if len(w) >= 2 and _CJK_RUN.fullmatch(w)}
        self._by_sound: dict[str, list[str]] = defaultdict(list)
        self._by_half: dict[tuple[int, str], list[str]] = defaultdict(list)
        for word, df in self.vocabulary.items():
            if df < MIN_DF or len(word) > 6:
                continue
            self._by_sound[_sound(word)].append(word)
            if len(word) >= EDIT_MIN_LEN:
                half = len(word) // 2  # a one-character slip leaves one half intact
                self._by_half[(len(word), "<" + word[:half])].append(word)
                self._by_half[(len(word), ">" + word[half:])].append(word)

    def known(self, text: str) -> bool:
        return text in self.vocabulary

    def corrections(self, query: str) -> list[str]:
        found: list[str] = []
        for run in _CJK_RUN.findall(query):
            sounds = lazy_pinyin(run, style=Style.NORMAL)  # once per run: a window's sound is a slice of it
            if len(sounds) != len(run):
                continue
            words = self.segment(run)
            cuts = {0}
            for word in words:
                cuts.add(max(cuts) + len(word))
            content = _content_chars(words, self.stop_words)
            corrected: set[int] = set()  # positions of this run already covered by a correction
            for size in range(min(6, len(run)), 1, -1):
                for start in range(len(run) - size + 1):
                    end = start + size
                    piece = run[start:end]
                    if start not in cuts or end not in cuts or not content[start:end].strip() \
                            or all(ch in self.stop_words for ch in piece):
                        continue
                    if self.known(piece) or corrected.intersection(range(start, end)):
                        continue
                    word = self._homophone(piece, " ".join(sounds[start:end])) or self._near(piece)
                    if word and word not in found and word not in query and word not in self.stop_words:
                        found.append(word)
                        corrected.update(range(start, end))
        return found

    def _homophone(self, piece: str, sound: str) -> str | None:
        candidates = [w for w in self._by_sound.get(sound, ()) if Hamming.distance(w, piece) == 1]
        return max(candidates, key=lambda w: self.vocabulary[w], default=None)

    def _near(self, piece: str) -> str | None:
        if len(piece) < EDIT_MIN_LEN:
            return None
        half = len(piece) // 2
        pool = self._by_half.get((len(piece), "<" + piece[:half]), []) + self._by_half.get(
            (len(piece), ">" + piece[half:]), [])
        candidates = {w for w in pool if Hamming.distance(w, piece) == 1}
        if len(candidates) != 1:  # two terms one slip away: the question does not say which
            return None
        return candidates.pop()
