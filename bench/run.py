"""`make bench [SCALE=small|medium|large]`: seed a database at a scale, then time the pages.

Uses `DATABASE_URL` when set (PostgreSQL for the production figures), else a SQLite file per
scale under `bench/out/`. Migrates, loads the regions, seeds the demo data at the scale unless
the database already holds exactly that many people, then prints ONE JSON line per measurement
on stdout (progress goes to stderr): name, scale, db vendor, n, p50/p95 milliseconds or rows per
second, the target with pass/fail, and a baseline measured in the same run.

    .venv/bin/python bench/run.py --scale small [--requests 50] [--only registry,dashboard]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODULES = ("registry", "dashboard", "import", "assessment", "mart", "journey")


def _setup(scale: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # Debug mode logs every query and keeps it in memory: it would skew every figure.
    os.environ["DEBUG"] = "false"
    if not os.environ.get("DATABASE_URL"):
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{out / f'bench-{scale}.sqlite3'}"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test Client's host
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # demo notices


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _emit(line: dict) -> None:
    print(json.dumps(line, ensure_ascii=False), flush=True)


def _prepare(scale: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    from opop.demo.seed import SCALES, demo_people_count, demo_reset, demo_seed

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_regions", stdout=sys.stderr)
    wanted = SCALES[scale].people
    have = demo_people_count()
    if have == wanted:
        _log(f"Reusing the seeded database ({have:,} people).")
        return
    if have:
        _log(f"The database holds {have:,} people, not {wanted:,}: deleting the demo data.")
        from bench import assessment

        assessment.forget(log=_log)  # its products and entries hold on to demo enterprises
        demo_reset(log=_log)
    started = time.perf_counter()
    counts = demo_seed(scale=scale, log=_log)
    seconds = time.perf_counter() - started
    rows = sum(counts.values())
    _emit(
        {
            "name": "seed_demo",
            "scale": scale,
            "db": connection.vendor,
            "rows": rows,
            "people": counts["people"],
            "seconds": round(seconds, 1),
            "rows_per_s": round(rows / seconds),
        }
    )
    # The dashboard reads summary tables; recount them now rather than on the first request.
    call_command("refresh_dashboard", stdout=sys.stderr)


def _run(name: str, scale: str, programme: str, timing: dict) -> list[dict]:
    from bench.timing import skipped

    if name == "import":
        try:
            from bench import bench_import
        except ImportError as exc:
            return [skipped("import", scale=scale, reason=f"bench.bench_import: {exc}")]
        lines = bench_import.run(scale, programme)
        from django.db import connection

        return [{"scale": scale, "db": connection.vendor, **line} for line in lines]
    if name == "assessment":
        from bench import assessment

        return assessment.run(scale, programme, **timing)
    if name == "mart":
        from bench import mart

        return mart.run(scale, programme, **timing)
    if name == "journey":
        from bench import journey

        return journey.run(scale, programme, **timing)
    if name == "registry":
        from bench import bench_registry

        return bench_registry.run(scale, programme, **timing)
    from bench import bench_dashboard

    return bench_dashboard.run(scale, programme, **timing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("small", "medium", "large"), default="small")
    parser.add_argument("--requests", type=int, default=50, help="timed requests (>= 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first")
    parser.add_argument("--programme", default="jatim")
    parser.add_argument("--only", default=",".join(MODULES), help="e.g. registry,dashboard")
    args = parser.parse_args(argv)
    _setup(args.scale)
    _prepare(args.scale)
    timing = {"n": args.requests, "warmup": args.warmup}
    for name in args.only.split(","):
        if name not in MODULES:
            parser.error(f"unknown benchmark {name!r}; choose from {', '.join(MODULES)}")
        for line in _run(name, args.scale, args.programme, timing):
            _emit(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
