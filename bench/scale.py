"""Scale benchmark: compile time, match throughput and memory for 1k..100k entities.

Entities are Faker people (en, ru, uk, de, pl, fr) and Faker cities; the text is the dev set's
documents repeated to ~1 MB plus Faker sentences. The reference is a bare pyahocorasick scan of
the casefolded text for the casefolded names (the issue's 25% throughput target).

usage: python bench/scale.py [N ...]   (default 1000 100000); run each N in a fresh process
for the peak RSS: python bench/scale.py 100000
"""

import random
import resource
import sys
import time
from pathlib import Path

import ahocorasick
from faker import Faker

from watcher.matcher import Matcher
from watcher.models import Entity

LOCALES = ["en_US", "ru_RU", "uk_UA", "de_DE", "pl_PL", "fr_FR"]
DEV = Path("/work/shared/eval/dev/docs")


def make_entities(n: int) -> list[Entity]:
    fakers = [Faker(loc) for loc in LOCALES]
    for i, f in enumerate(fakers):
        f.seed_instance(i)
    rnd = random.Random(0)
    out = []
    for i in range(n):
        f = rnd.choice(fakers)
        if i % 4 == 3:
            out.append(Entity(f"e{i}", f.city(), "place"))
        else:
            alias = (f.last_name(),) if i % 3 == 0 else ()
            out.append(Entity(f"e{i}", f"{f.first_name()} {f.last_name()}", "person", alias))
    return out


def make_text(size: int) -> str:
    docs = [p.read_text("utf-8") for p in sorted(DEV.glob("*.txt"))] if DEV.exists() else []
    fakers = [Faker(loc) for loc in LOCALES]
    parts, total, k = [], 0, 0
    while total < size:
        chunk = docs[k % len(docs)] if docs and k % 2 == 0 else fakers[k % 6].paragraph(8)
        parts.append(chunk)
        total += len(chunk.encode())
        k += 1
    return "\n".join(parts)


def bench(n: int, text: str) -> None:
    ents = make_entities(n)
    t0 = time.perf_counter()
    m = Matcher.compile(ents)
    compile_s = time.perf_counter() - t0
    mb = len(text.encode()) / 1e6
    m.match(text[:20000])  # warm-up of lazy tables
    t0 = time.perf_counter()
    hits = m.match(text)
    match_s = time.perf_counter() - t0
    auto = ahocorasick.Automaton()
    for e in ents:
        for a in e.names:
            auto.add_word(a.casefold(), e.id)
    auto.make_automaton()
    t0 = time.perf_counter()
    low = text.casefold()
    n_aho = sum(1 for _ in auto.iter(low))
    aho_s = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"N={n:>6}  compile {compile_s:6.2f} s  match {mb / match_s:5.2f} MB/s "
          f"({match_s / mb:.3f} s/MB, {len(hits)} hits)  aho {mb / aho_s:5.2f} MB/s "
          f"({n_aho})  ratio {aho_s / match_s:.0%}  peak RSS {rss:.0f} MB", flush=True)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 100000]
    text = make_text(1_000_000)
    for n in sizes:
        bench(n, text)


if __name__ == "__main__":
    main()
