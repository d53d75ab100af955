"""Old → Code map: which 生态环境法典 article now carries each article / 项 of the ten repealed laws.

Run time is a look-up in knowledge/data/mapping.json, built by scripts/build_mapping.py from the matcher
below (`Matcher`, `build_map`) plus the reviewed corrections in knowledge/data/mapping_overrides.yaml.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from knowledge.corpus import Corpus, data_file, law_table, normalize_law_name
from knowledge.model import CODE_NAME, Article
from knowledge.penalties import PenaltyStructure, parse_article

REPEALED_LAWS: tuple[str, ...] = (
    "中华人民共和国环境保护法",
    "中华人民共和国大气污染防治法",
    "中华人民共和国水污染防治法",
    "中华人民共和国土壤污染防治法",
    "中华人民共和国固体废物污染环境防治法",
    "中华人民共和国噪声污染防治法",
    "中华人民共和国放射性污染防治法",
    "中华人民共和国环境影响评价法",
    "中华人民共和国海洋环境保护法",
    "中华人民共和国清洁生产促进法",
)
MAP_FILE = "mapping.json"
OVERRIDES_FILE = "mapping_overrides.yaml"

Successor = tuple[int, float]  # (Code article number, confidence 0..1)
# Below this the matcher's best guess is shown as a candidate, never as the answer: 126 of the 1,214 entries
# (articles and 项 of the ten laws) fall below it (a close runner-up or few shared words). 21 of them are in a
# 法律责任 chapter, whose 388 entries were all read against the Code: the review found their first successor
# right but they stay candidates until someone writes down why (mapping_overrides.yaml holds what it changed).
CONFIDENT = 0.4


def is_confident(found: list[Successor]) -> bool:
    return bool(found) and found[0][1] >= CONFIDENT
OldRef = tuple[str, int, int | None]  # (law name, article, item or None)


def entry_key(article: int, item: int | None = None) -> str:
    return f"{article}" if item is None else f"{article}.{item}"


def resolve_law_name(name: str) -> str | None:
    """Full corpus name of a repealed law from its full name, name without 中华人民共和国, or an alias."""
    bare = normalize_law_name(name)
    for full in REPEALED_LAWS:
        if bare == normalize_law_name(full):
            return full
    for entry in law_table()["laws"]:
        if entry["name"] in REPEALED_LAWS and bare in entry.get("aliases", []):
            return entry["name"]
    return None


def load_overrides(path: Path | None = None) -> list[dict]:
    """Reviewed corrections: each has old [law, article, item|null], new [article…] (maybe []), reason."""
    path = path or data_file(OVERRIDES_FILE)
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def apply_overrides(table: dict[str, dict[str, list[list[float]]]], overrides: list[dict]) -> None:
    """Replace the matcher's answer by the reviewed one (confidence 1.0, or as given)."""
    for ov in overrides:
        law, article, item = ov["old"]
        conf = float(ov.get("confidence", 1.0))
        table.setdefault(law, {})[entry_key(article, item)] = [[n, conf] for n in ov["new"]]


@cache
def _data() -> dict:
    return json.loads(data_file(MAP_FILE).read_text(encoding="utf-8"))


def _table() -> dict[str, dict[str, list[list[float]]]]:
    return _data()["map"]


def successors(law_name: str, article: int, item: int | None = None) -> list[Successor]:
    """Code articles that now carry the old rule, best first; [] when none does (or unknown article).

    An item without its own entry falls back to its article's entry.
    """
    law = resolve_law_name(law_name)
    if law is None:
        return []
    entries = _table().get(law, {})
    found = entries.get(entry_key(article, item))
    if found is None and item is not None and not any(k.startswith(f"{article}.") for k in entries):
        found = entries.get(entry_key(article))  # an article mapped as a whole carries all its items
    return [(int(n), float(c)) for n, c in found or []]


def dropped(law_name: str, article: int, item: int | None = None) -> str | None:
    """What of the old article (or 项) the Code no longer carries, as the review found it; None when nothing
    is known to be gone. An item without its own review falls back to its article's."""
    law = resolve_law_name(law_name)
    if law is None:
        return None
    entries = _data().get("dropped", {}).get(law, {})
    found = entries.get(entry_key(article, item))
    if found is None and item is not None:
        found = entries.get(entry_key(article))
    return found


@cache
def _reverse() -> dict[int, list[OldRef]]:
    rev: dict[int, list[OldRef]] = {}
    for law, entries in _table().items():
        with_items = {k.split(".")[0] for k in entries if "." in k}
        for key, succ in entries.items():
            art, _, it = key.partition(".")
            for n, _conf in succ:
                refs = rev.setdefault(int(n), [])
                # an article whose items are mapped one by one is listed through its items only
                if not it and art in with_items and any(
                    r[0] == law and r[1] == int(art) for r in refs
                ):
                    continue
                ref = (law, int(art), int(it) if it else None)
                if ref not in refs:
                    refs.append(ref)
    return rev


def predecessors(code_article: int) -> list[OldRef]:
    """Old articles / items whose rule the Code article now carries (law order, then article order)."""
    order = {name: i for i, name in enumerate(REPEALED_LAWS)}
    refs = _reverse().get(int(code_article), [])
    return sorted(refs, key=lambda r: (order.get(r[0], 99), r[1], r[2] or 0))




# --- the matcher ---------------------------------------------------------------------------------------
# Parts of the Code, from its chapter and section headings (第一编 总则 1–147, 污染防治编 148–673 with its
# 分编, 生态保护编 674–937, 绿色低碳发展编 938–1051, 法律责任编 1052–1238 by section, 附则 1239–1242).
CODE_PARTS: tuple[tuple[int, int, str], ...] = (
    (1, 147, "总则"),
    (148, 186, "污染防治通则"),
    (187, 265, "大气"),
    (266, 333, "水"),
    (334, 393, "海洋"),
    (394, 463, "土壤"),
    (464, 545, "固废"),
    (546, 599, "噪声"),
    (600, 643, "放射性"),
    (644, 673, "化学物质"),
    (674, 937, "生态保护"),
    (938, 1051, "绿色低碳"),
    (1052, 1084, "责任·通则"),
    (1085, 1093, "责任·监测"),
    (1094, 1100, "责任·环评"),
    (1101, 1112, "责任·排污许可"),
    (1113, 1134, "责任·大气"),
    (1135, 1145, "责任·水"),
    (1146, 1157, "责任·海洋"),
    (1158, 1167, "责任·土壤"),
    (1168, 1180, "责任·固废"),
    (1181, 1192, "责任·噪声"),
    (1193, 1203, "责任·放射性"),
    (1204, 1210, "责任·化学物质"),
    (1211, 1219, "责任·生态保护"),
    (1220, 1227, "责任·绿色低碳"),
    (1228, 1238, "责任·其他"),
    (1239, 1242, "附则"),
)
# Where each old law's rules went; the general parts serve every law (排污许可, 监测, 信息公开 …).
HOME_PARTS: dict[str, set[str]] = {
    "中华人民共和国环境保护法": {"总则", "污染防治通则", "生态保护", "责任·通则", "责任·排污许可", "责任·其他"},
    "中华人民共和国大气污染防治法": {"大气", "责任·大气"},
    "中华人民共和国水污染防治法": {"水", "责任·水"},
    "中华人民共和国土壤污染防治法": {"土壤", "责任·土壤"},
    "中华人民共和国固体废物污染环境防治法": {"固废", "责任·固废"},
    "中华人民共和国噪声污染防治法": {"噪声", "责任·噪声"},
    "中华人民共和国放射性污染防治法": {"放射性", "责任·放射性"},
    "中华人民共和国环境影响评价法": {"总则", "责任·环评"},
    "中华人民共和国海洋环境保护法": {"海洋", "生态保护", "责任·海洋", "责任·生态保护"},
    "中华人民共和国清洁生产促进法": {"绿色低碳", "责任·绿色低碳"},
}
GENERAL_PARTS = {"总则", "污染防治通则", "责任·通则", "责任·监测", "责任·排污许可", "责任·其他", "附则"}
HOME_BONUS, GENERAL_BONUS, SIGNATURE_BONUS = 0.08, 0.03, 0.06
SECOND_RATIO = 0.9  # a further successor is listed when it scores this close to the best
MIN_SCORE = 0.12  # below this nothing in the Code carries the rule

# Old wording → the Code's wording, so the n-grams line up.
_RENAMES = (
    ("环境保护主管部门", "生态环境主管部门"),
    ("环境影响评价", "生态环境影响评价"),
    ("生态生态", "生态"),
    ("重点大气污染物", "重点污染物"),
    ("重点水污染物", "重点污染物"),
    ("大气污染物", "污染物"),
    ("水污染物", "污染物"),
    ("防治污染设施", "污染防治设施"),
    ("环境噪声", "噪声"),
    ("排放口", "排污口"),
    ("应急方案", "应急预案"),
)
_BOILERPLATE = re.compile(
    r"违反本法规定，?|违反本法|本法|县级以上(?:地方)?人民政府|由|负有生态环境保护监督管理职责的部门|"
    r"按照职责分工|有下列(?:行为|情形)之一的|[，。；：、（）“”《》]"
)


# the actor at the head of an item ("土壤污染重点监管单位未制定…"): the conduct, not the actor, identifies the rule
_SUBJECT = re.compile(r"^[^，。；（]{2,24}?(?:单位|经营者|企业|管理人|所有人|责任人|使用权人)(?=未|不|擅自|违反|将|拒|以|篡改)")


_CONDUCT = re.compile(r"的，(?:由|处|对)")


def part_of(code_article: int) -> str:
    for lo, hi, name in CODE_PARTS:
        if lo <= code_article <= hi:
            return name
    return ""


def normalize(text: str) -> str:
    for old, new in _RENAMES:
        text = text.replace(old, new)
    return _BOILERPLATE.sub("", text)


def _grams(text: str) -> Counter[str]:
    t = normalize(text)
    return Counter(t[i : i + 2] for i in range(len(t) - 1)) + Counter(t[i : i + 3] for i in range(len(t) - 2))


def is_liability(article: Article) -> bool:
    return bool(article.chapter and ("法律责任" in article.chapter or "罚则" in article.chapter))


@dataclass
class _Unit:
    article: int
    paragraph: int
    item: int | None
    text: str


class Matcher:
    """TF-IDF over character 2/3-grams of Code articles, 款 and 项, with part and penalty-signature bonuses."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        code = corpus.law(CODE_NAME)
        if code is None:
            raise LookupError(CODE_NAME)
        self.code = code
        self.units: list[_Unit] = []
        for art in code.articles.values():
            self.units.append(_Unit(art.number, 0, None, art.text))
            for pi, para in enumerate(art.paragraphs, 1):
                if len(art.paragraphs) > 1 or para.items:
                    self.units.append(_Unit(art.number, pi, None, para.text + para.tail))
                # the conduct alone ("…逃避监管的方式排放污染物"), so a short old item is not drowned by the sanctions
                conduct = _CONDUCT.split(para.text, maxsplit=1)
                if not para.items and len(conduct) > 1:
                    self.units.append(_Unit(art.number, pi, None, conduct[0]))
                for it in para.items:
                    self.units.append(_Unit(art.number, pi, it.number, _SUBJECT.sub("", it.text)))
        docs = [_grams(u.text) for u in self.units]
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d.keys())
        n = len(docs)
        self.idf = {g: math.log((n + 1) / (c + 1)) + 1 for g, c in df.items()}
        postings: dict[str, list[tuple[int, float]]] = {}
        for ui, d in enumerate(docs):
            vec = self._weights(d)
            for g, w in vec.items():
                postings.setdefault(g, []).append((ui, w))
        self.postings = {
            g: (np.array([p[0] for p in ps]), np.array([p[1] for p in ps])) for g, ps in postings.items()
        }
        self.unit_article = np.array([u.article for u in self.units])
        self.liability_mask = np.array([1052 <= u.article <= 1238 for u in self.units])
        self._structures: dict[int, PenaltyStructure] = {}
        self._unit_grams = [set(d) for d in docs]

    def _weights(self, grams: Counter[str]) -> dict[str, float]:
        vec = {g: (1 + math.log(c)) * self.idf.get(g, 0.0) for g, c in grams.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {g: w / norm for g, w in vec.items() if w}

    def _unit_scores(self, text: str) -> np.ndarray:
        scores = np.zeros(len(self.units))
        for g, w in self._weights(_grams(text)).items():
            if g in self.postings:
                idx, ws = self.postings[g]
                scores[idx] += w * ws
        return scores

    def _coverage(self, query: dict[str, float], unit: int) -> float:
        """Share of the query's weight whose n-grams the unit contains (rewards a unit that says it all)."""
        grams = self._unit_grams[unit]
        return sum(w for g, w in query.items() if g in grams) / (sum(query.values()) or 1.0)

    def rank(self, law: str, article: Article, item: int | None = None) -> list[Successor]:
        """Code articles for the old article (or its item), best first, with scores."""
        liability = is_liability(article)
        if item is not None:
            it = article.item(item)
            if it is None:
                return []
            lead = next((p.text for p in article.paragraphs if any(i is it for i in p.items)), "")
            query_text = _SUBJECT.sub("", it.text)
            scores = 0.8 * self._unit_scores(query_text) + 0.2 * self._unit_scores(lead)
        else:
            query_text = article.text
            scores = self._unit_scores(query_text)
        mask = self.liability_mask if liability else ~self.liability_mask
        scores = np.where(mask, scores, 0.0)
        query = self._weights(_grams(query_text))
        best: dict[int, tuple[float, int | None]] = {}
        for ui in np.argsort(-scores)[:60]:
            u = self.units[ui]
            score = 0.6 * float(scores[ui]) + 0.4 * self._coverage(query, int(ui)) * float(scores[ui] > 0)
            if score > best.get(u.article, (0.0, None))[0]:
                best[u.article] = (score, u.item)
        old = parse_article(article) if liability else None
        old_sig = {(f.low, f.high) for f in old.fines(item) if f.kind == "amount"} if old else set()
        home = HOME_PARTS.get(law, set())
        ranked: list[Successor] = []
        for n, (score, unit_item) in best.items():
            part = part_of(n)
            score += HOME_BONUS if part in home else GENERAL_BONUS if part in GENERAL_PARTS else 0.0
            if old is not None:
                new = self._code_structure(n)
                if old_sig and old_sig & {(f.low, f.high) for f in new.fines(unit_item) if f.kind == "amount"}:
                    score += SIGNATURE_BONUS
                # an old sanction maps to a Code sanction, not to a civil-liability or duty clause
                if old.penalties and not new.penalties:
                    score -= SIGNATURE_BONUS
            ranked.append((n, score))
        # rounded, ties by article number: the same order whatever the float noise of the numpy build
        ranked.sort(key=lambda x: (-round(x[1], 6), x[0]))
        return ranked

    def _code_structure(self, article: int) -> PenaltyStructure:
        if article not in self._structures:
            self._structures[article] = parse_article(self.code.articles[article])
        return self._structures[article]

    def successors(self, law: str, article: Article, item: int | None = None) -> list[Successor]:
        ranked = self.rank(law, article, item)
        if not ranked or ranked[0][1] < MIN_SCORE:
            return []
        top = ranked[0][1]
        keep = [(n, s) for n, s in ranked[:3] if s >= SECOND_RATIO * top]
        return _monotone([(n, _confidence(s, ranked, i)) for i, (n, s) in enumerate(keep)])


def _confidence(score: float, ranked: list[Successor], index: int) -> float:
    """A 0..1 confidence: the score, discounted when the runner-up is close (an ambiguous match)."""
    runner_up = ranked[index + 1][1] if index + 1 < len(ranked) else 0.0
    margin = min(1.0, (score - runner_up) / max(score, 1e-9) * 4)
    return round(min(0.99, score) * (0.6 + 0.4 * margin), 2)


def _monotone(succ: list[Successor]) -> list[Successor]:
    """Confidence never rises down the list (the order is the ranking)."""
    out: list[Successor] = []
    for n, c in succ:
        out.append((n, min(c, out[-1][1]) if out else c))
    return out


def build_map(corpus: Corpus) -> dict[str, dict[str, list[list[float]]]]:
    """The matcher's answer for every article and every 项 of the ten repealed laws (before overrides).

    A 罚则 article with items is answered through its items (each item's best first, in item order);
    other articles through their whole text.
    """
    matcher = Matcher(corpus)
    table: dict[str, dict[str, list[list[float]]]] = {}
    for law_name in REPEALED_LAWS:
        law = corpus.law(law_name)
        if law is None:
            continue
        entries: dict[str, list[list[float]]] = {}
        for art in law.articles.values():
            items = [it.number for p in art.paragraphs for it in p.items]
            per_item = {i: matcher.successors(law_name, art, i) for i in items}
            for i, succ in per_item.items():
                entries[entry_key(art.number, i)] = [[n, c] for n, c in succ]
            whole = matcher.successors(law_name, art)
            if is_liability(art) and items:
                # the article's successors are its items' best matches, most items first
                votes: Counter[int] = Counter()
                conf: dict[int, float] = {}  # insertion order = item order, the tie-break
                for succ in per_item.values():
                    for n, c in succ[:1]:
                        votes[n] += 1
                        conf[n] = max(conf.get(n, 0.0), c)
                for n, c in whole[:1]:
                    conf.setdefault(n, c)
                    votes[n] += 0
                order = sorted(conf, key=lambda n: -votes[n])
                whole = _monotone([(n, conf[n]) for n in order])
            entries[entry_key(art.number)] = [[n, c] for n, c in whole]
        table[law_name] = entries
    return table


def build_data(corpus: Corpus, overrides: list[dict] | None = None) -> dict:
    overrides = load_overrides() if overrides is None else overrides
    table = build_map(corpus)
    apply_overrides(table, overrides)
    return {"code": CODE_NAME, "corpus": corpus.fingerprint, "map": table, "dropped": dropped_table(overrides)}


def dropped_table(overrides: list[dict]) -> dict[str, dict[str, str]]:
    """What of each reviewed old rule no Code article carries any more, by law and entry key."""
    out: dict[str, dict[str, str]] = {}
    for ov in overrides:
        if ov.get("dropped"):
            law, article, item = ov["old"]
            out.setdefault(law, {})[entry_key(article, item)] = str(ov["dropped"])
    return out
