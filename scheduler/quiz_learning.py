"""What an officer is asked next: FSRS review schedules (the maintained `fsrs` package, FSRS-6) and the mix of
due reviews and new questions. Pure functions; the quiz service stores the cards.

- an answer is graded Good when right, Again when wrong or missed: a wrong answer comes back at the next
  session (FSRS's relearning step is minutes), a right one after days, then weeks;
- a session takes due reviews first (at most half of it, oldest due first), then new questions, drawn with a
  weight for the topics the officer keeps missing, and authored questions before generated ones;
- the draw is seeded by officer and session, so the same session always gets the same questions.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

from knowledge.quiz.bank import Question

# Fuzzing spreads due dates randomly; off, so an officer's schedule (and the tests) are reproducible.
SCHEDULER = Scheduler(enable_fuzzing=False)
DEFAULT_MISS_RATE = 0.3  # a topic the officer has not been asked yet
GENERATED_WEIGHT = 0.3  # generated questions are many and alike: about a third of the new ones


@dataclass(frozen=True)
class Review:
    card: dict  # Card.to_dict()
    due: datetime  # UTC
    lapsed: bool


def review(card: dict | None, right: bool, when: datetime) -> Review:
    """The card after one answer (a new card when the question was never asked)."""
    current = Card.from_dict(card) if card else Card()
    updated, _log = SCHEDULER.review_card(current, Rating.Good if right else Rating.Again, review_datetime=when)
    return Review(updated.to_dict(), updated.due.astimezone(UTC), not right)


def topic_weights(history: Iterable[tuple[str, bool]], topics: Iterable[str]) -> dict[str, float]:
    """1 + 2 × the officer's miss rate per topic (right/wrong answers: (topic, right))."""
    asked: dict[str, list[bool]] = {}
    for topic, right in history:
        asked.setdefault(topic, []).append(right)
    weights = {}
    for topic in topics:
        answers = asked.get(topic)
        miss = DEFAULT_MISS_RATE if not answers else answers.count(False) / len(answers)
        weights[topic] = 1 + 2 * miss
    return weights


def _rng(seed: str) -> random.Random:
    return random.Random(int(hashlib.sha1(seed.encode()).hexdigest()[:12], 16))


def select(
    pool: Mapping[str, Question],
    size: int,
    *,
    due_reviews: Sequence[str],
    seen: set[str],
    recent: set[str],
    weights: Mapping[str, float],
    seed: str,
) -> list[str]:
    """`size` question ids: due reviews (oldest due first, at most half unless nothing new is left), then
    new questions by weighted draw; `recent` (asked in the last days) are not asked again as new."""
    rng = _rng(seed)
    reviews = [q for q in due_reviews if q in pool][: max(1, size // 2)]
    chosen = list(reviews)
    fresh = [q for q in pool if q not in seen and q not in recent and q not in chosen]
    while fresh and len(chosen) < size:
        keys = [weights.get(pool[q].topic, 1.0) * (1.0 if pool[q].source == "bank" else GENERATED_WEIGHT)
                for q in fresh]
        pick = rng.choices(range(len(fresh)), weights=keys)[0]
        chosen.append(fresh.pop(pick))
    extra = [q for q in due_reviews if q in pool and q not in chosen]
    chosen += extra[: size - len(chosen)]
    if len(chosen) < size:  # everything asked: the ones longest ago come again
        rest = [q for q in pool if q not in chosen]
        rng.shuffle(rest)
        chosen += rest[: size - len(chosen)]
    return chosen[:size]
