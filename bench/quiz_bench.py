"""Quiz push benchmark: the real bot process pushes the day's first poll to N registered officers through the
local Bot API test server, with the send limiter on (LAWBOT_SEND_RATE, default 30/s as Telegram allows).

    .venv/bin/python bench/quiz_bench.py                 # 1,000 officers, limiter 30/s
    .venv/bin/python bench/quiz_bench.py --officers 200 --kill 60 --runs 3   # kill -9 after 60 polls, restart

Prints the push time (first to last sendPoll the server received), the rate, the ideal N / rate, and for kill
runs the officers missed (must be 0) and the polls sent twice (only those in flight at a kill).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "e2e")]

from test_quiz_push_crash import run_push_crash  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--kill", type=int, action="append", default=[], help="kill -9 after this many polls")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--delay", type=float, default=0.0, help="server delay per sendPoll, each side (s)")
    parser.add_argument("--lanes", type=int, default=1, help="LAWBOT_SEND_LANES")
    args = parser.parse_args()
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            out = run_push_crash(Path(tmp), officers=args.officers, kill_after=tuple(args.kill), send_rate=args.rate,
                                 delays=args.delay, timings=True, lanes=args.lanes)
        ideal = args.officers / args.rate
        print(f"run {run + 1}: {args.officers} officers, {args.lanes} lane(s), push {out.seconds:.1f} s "
              f"({out.polls / out.seconds:.1f} polls/s; ideal {ideal:.1f} s at {args.rate:g}/s, "
              f"{(out.seconds / ideal - 1) * 100:+.1f} %); missed {len(out.missing)}, twice {len(out.twice)}, "
              f"in flight at kills {sum(len(k) for k in out.in_flight_at_kills)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
