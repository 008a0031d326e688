"""Timing helpers shared by the `bench_*.py` modules: warm-up, percentiles, result lines."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.db import connection

WARMUP = 5
REQUESTS = 50


def timed(fn: Callable[[], object], *, n: int = REQUESTS, warmup: int = WARMUP) -> dict:
    """Run `fn` `warmup` times untimed, then `n` times timed; milliseconds p50/p95."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "n": n,
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(statistics.quantiles(samples, n=20, method="inclusive")[18], 2),
    }


def raw_sql(sql: str, params: list) -> Callable[[], list]:
    """A baseline: the same question asked in plain SQL through `connection.cursor()`."""

    def run() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def result(
    name: str,
    *,
    scale: str,
    timing: dict,
    target_p95_ms: float | None = None,
    baseline: dict | None = None,
    **extra,
) -> dict:
    """One measurement line: what, where, how fast, against which target and baseline."""
    line = {"name": name, "scale": scale, "db": connection.vendor, **timing}
    if target_p95_ms is not None:
        line["target_p95_ms"] = target_p95_ms
        line["pass"] = timing["p95_ms"] < target_p95_ms
    if baseline is not None:
        line["baseline"] = baseline
        if baseline.get("p50_ms"):
            line["ratio_p50"] = round(timing["p50_ms"] / baseline["p50_ms"], 2)
    line.update(extra)
    return line


def skipped(name: str, *, scale: str, reason: str) -> dict:
    return {"name": name, "scale": scale, "db": connection.vendor, "skipped": reason}
