"""Precompute the old → Code map (matcher + reviewed overrides) into knowledge/data/mapping.json.

Usage: .venv/bin/python scripts/build_mapping.py [--check]   (--check: exit 1 when the file is stale)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from knowledge.corpus import data_file, load_corpus
from knowledge.mapping import MAP_FILE, build_data


def render(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def main(argv: list[str]) -> int:
    corpus = load_corpus()  # the ten laws and the Code all come from the database
    text = render(build_data(corpus))
    target = Path(data_file(MAP_FILE))
    if "--check" in argv:
        fresh = target.exists() and target.read_text(encoding="utf-8") == text
        print("up to date" if fresh else f"stale: run scripts/build_mapping.py to rebuild {target}")
        return 0 if fresh else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
