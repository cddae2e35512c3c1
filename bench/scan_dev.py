"""Scan a folder with the Matcher and print JSONL hits (stand-in for `watcher scan`).

usage: python bench/scan_dev.py WATCHLIST.yaml DOCS_DIR > hits.jsonl
"""

import json
import sys
import time
from pathlib import Path

from watcher.config import load_watchlist
from watcher.matcher import Matcher


def main():
    t0 = time.perf_counter()
    matcher = Matcher.compile(load_watchlist(sys.argv[1]))
    for path in sorted(Path(sys.argv[2]).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for hit in matcher.match(text):
            print(json.dumps({"file": str(path), **hit.as_dict()}, ensure_ascii=False))
    print(f"time {time.perf_counter() - t0:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
