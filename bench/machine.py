#!/usr/bin/env python3
"""How much two processes of pure Python work get out of this machine's cores.

    .venv/bin/python bench/machine.py [--rounds 5]

The ceiling for any "N processes / 1 process" ratio a benchmark prints: on a shared virtual
machine two busy cores seldom give twice the work of one (neighbours, frequency scaling,
shared caches). Each round times one process alone, then two at once, the same work each;
the figure is 2 * t(one) / t(two), and the median of the rounds is printed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time

WORK = 3_000_000  # loop steps: about a quarter of a second


def _busy(_: object = None) -> float:
    """Dict and integer work, like a matcher's; its own wall time."""
    t0 = time.perf_counter()
    d: dict[int, int] = {}
    s = 0
    for i in range(WORK):
        s += i * i % 7
        d[i % 5000] = s
    return time.perf_counter() - t0


def two_core_scaling(rounds: int = 5) -> tuple[float, list[float]]:
    """(median, each round) of 2 * t(one process) / t(two processes at once)."""
    ratios = []
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        pool.map(_busy, [None, None])  # warm both children
        for _ in range(rounds):
            one = pool.apply(_busy)
            t0 = time.perf_counter()
            pool.map(_busy, [None, None], chunksize=1)
            ratios.append(2 * one / (time.perf_counter() - t0))
    return statistics.median(ratios), ratios


def line(rounds: int = 5) -> str:
    med, each = two_core_scaling(rounds)
    return (f"this machine: 2 processes of pure Python work do {med:.2f}x the work of 1 "
            f"(median of {len(each)}: {', '.join(f'{r:.2f}' for r in each)}); the ceiling "
            "for a 2-core ratio")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    print(line(ap.parse_args().rounds))
