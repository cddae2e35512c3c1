"""Baseline scanner for timing: anyascii transliteration, then rapidfuzz ratio over n-grams.

The "afternoon" matcher the issue compares against (0.814 recall, 18 false hits on the dev set):
every name, alias and person surname is transliterated with anyascii and casefolded; every
1..3-word n-gram of the transliterated text is compared with rapidfuzz's ratio, >= 85 is a hit.

usage: python bench/baseline_anyascii.py WATCHLIST.yaml DOCS_DIR > hits.jsonl
"""

import json
import re
import sys
import time
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import fuzz, process

from watcher.config import load_watchlist

WORD = re.compile(r"\w+")


def names_of(entities):
    names, owners = [], []
    for ent in entities:
        for alias in ent.names:
            parts = [alias] + ([alias.split()[-1]] if ent.type == "person" and " " in alias else [])
            for p in parts:
                names.append(anyascii(p).casefold())
                owners.append(ent.id)
    return names, owners


def scan(text, names, owners):
    words = list(WORD.finditer(text))
    hits = []
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            start, end = words[i].start(), words[i + n - 1].end()
            gram = anyascii(text[start:end]).casefold()
            best = process.extractOne(gram, names, scorer=fuzz.ratio, score_cutoff=85)
            if best:
                hits.append((start, end, owners[best[2]], best[1]))
    return hits


def main():
    t0 = time.perf_counter()
    names, owners = names_of(load_watchlist(sys.argv[1]))
    for path in sorted(Path(sys.argv[2]).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for start, end, eid, score in scan(text, names, owners):
            print(json.dumps({"file": str(path), "entity_id": eid, "start": start, "end": end,
                              "text": text[start:end], "score": round(score, 1)},
                             ensure_ascii=False))
    print(f"time {time.perf_counter() - t0:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
