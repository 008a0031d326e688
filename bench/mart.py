"""OPOP Mart (issue 4 point 13): the storefront's pages, its throughput, and checkout under load.

Prepared by `bench/mart_seed.py` (stock levels for every product, tariffs, ANALYZE). Then:
- `mart.search`: `/mart/search/?q=<word>`, words drawn from the commonest words of the sellable
  products' names; `mart.category`: `/mart/c/<slug>/?page=<n>`, random categories and pages;
  both anonymous through Django's test Client, target p95 < 100 ms; baseline: the page's two
  queries (the capped head of keys, which gives the count and the page, then one page of cards)
  in raw SQL, built from the same listing.
- `mart.product`: `/mart/p/<id>/` for random sellable products, p95 < 50 ms; baseline: the
  product's query in raw SQL.
- `mart.throughput`: gunicorn (2 workers, DEBUG off) on a free port against the same database,
  driven by 8 threads with `http.client` connections on a mix of the search and category URLs
  for ~15 s (after 3 s of warm-up): requests/s (target >= 200) and p50/p95 of a request.
- `mart.checkout` (`bench/mart_seed.py`): 50 buyer threads, each its own user, cart and
  database connection, placing checkouts through `checkout_place` (simulator gateway) on 4
  products of limited stock; the checkouts/s, p50/p95 of an attempt, refusals for lack of
  stock, and `oversold` (must be 0).
  The bench buyers' checkouts are deleted and the products' stock put back afterwards.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from itertools import cycle
from pathlib import Path

from django.db import connection
from django.test import Client, override_settings

from bench.mart_seed import analyze, checkout_under_load, prepare
from bench.timing import result, skipped, timed
from opop.catalog.models import Category
from opop.mart.search import PAGE_SIZE, StoreSearchForm
from opop.mart.selectors_store import card_rows, sellable_products, sellable_rows
from opop.mart.views.store import COUNT_CAP

SEED = 2019
TARGET_LIST_P95_MS = 100
TARGET_PRODUCT_P95_MS = 50
WORDS = 40  # the commonest name words to search for


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(scale: str, programme_code: str = "jatim", **timing) -> list[dict]:
    # The page timings measure rendering, not the anonymous page cache (mart.throughput has it).
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", MART_STORE_CACHE_SECONDS=0
    ):
        return _run(scale, programme_code, timing)


def _run(scale: str, programme_code: str, timing: dict) -> list[dict]:
    prepared = prepare(log=_log)
    lines = [{"name": "mart.prepare", "scale": scale, "db": connection.vendor, **prepared}]
    sellable = sellable_products().count()
    if not sellable:
        return lines + [skipped("mart", scale=scale, reason="no sellable product")]
    rng = random.Random(SEED)
    picks = timing["n"] + timing["warmup"]
    searches = [_search_case(rng, w) for w in _words(rng, picks)]
    categories = _category_cases(rng, picks)
    lines.append(_page("mart.search", scale, searches, timing, TARGET_LIST_P95_MS))
    lines.append(_page("mart.category", scale, categories, timing, TARGET_LIST_P95_MS))
    lines.append(_product(scale, rng, timing))
    for line in lines[1:]:
        line["sellable_products"] = sellable
    urls = [url for url, _queries in searches + categories]
    lines.append(_throughput(scale, urls))
    lines.append(checkout_under_load(scale, programme_code, log=_log))
    analyze()
    return lines


# --- What to ask for --------------------------------------------------------------------------


def _words(rng: random.Random, count: int) -> list[str]:
    names = list(sellable_products().order_by().values_list("name", flat=True)[:20_000])
    counter = Counter(
        word for name in names for word in {w.lower() for w in name.split()} if len(word) >= 4
    )
    common = [word for word, _n in counter.most_common(WORDS) if word.isalpha()]
    return [rng.choice(common) for _ in range(count)]


def _queries(form: StoreSearchForm, page_number: int) -> list[tuple[str, list]]:
    """The listing's two queries as the paginator runs them: the first COUNT_CAP + 1 keys in
    order (the capped count and the page), then one page of cards by key."""
    listing = form.listing(sellable_rows())
    head_sql, head_params = listing.keys_sql(COUNT_CAP + 1)
    offset = (page_number - 1) * PAGE_SIZE
    keys = listing.keys(COUNT_CAP + 1)[offset : offset + PAGE_SIZE]
    cards_sql, cards_params = card_rows(keys).query.sql_with_params()
    return [(head_sql, head_params), (cards_sql, list(cards_params))]


def _search_case(rng: random.Random, word: str) -> tuple[str, list]:
    return f"/mart/search/?q={word}", _queries(StoreSearchForm({"q": word}), 1)


def _category_cases(rng: random.Random, count: int) -> list[tuple[str, list]]:
    pages = {}
    for category in Category.objects.order_by("pk"):
        form = StoreSearchForm({}, fixed_category=category)
        found = form.apply(sellable_products()).count()
        if found:
            pages[category] = max(1, -(-found // PAGE_SIZE))
    cases = []
    for _ in range(count):
        category = rng.choice(sorted(pages, key=lambda c: c.pk))
        page = rng.randint(1, min(pages[category], 20))
        form = StoreSearchForm({"page": page}, fixed_category=category)
        cases.append((f"/mart/c/{category.slug}/?page={page}", _queries(form, page)))
    return cases


# --- Timings ----------------------------------------------------------------------------------


def _run_sql(queries: list[tuple[str, list]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            cursor.fetchall()


def _page(name: str, scale: str, cases: list, timing: dict, target: int) -> dict:
    client = Client()
    status = client.get(cases[0][0]).status_code
    if status != 200:
        return skipped(name, scale=scale, reason=f"GET {cases[0][0]} answered {status}")
    pages = cycle(cases)
    sqls = cycle(cases)
    return result(
        name,
        scale=scale,
        timing=timed(lambda: client.get(next(pages)[0]), **timing),
        target_p95_ms=target,
        baseline={
            "what": "raw SQL: the page's count and one page of cards",
            **timed(lambda: _run_sql(next(sqls)[1]), **timing),
        },
        url=cases[0][0].split("?")[0] + "?<random>",
    )


def _product(scale: str, rng: random.Random, timing: dict) -> dict:
    name = "mart.product"
    ids = list(sellable_products().order_by().values_list("pk", flat=True)[:50_000])
    picks = [rng.choice(ids) for _ in range(timing["n"] + timing["warmup"])]
    client = Client()
    status = client.get(f"/mart/p/{picks[0]}/").status_code
    if status != 200:
        return skipped(name, scale=scale, reason=f"GET /mart/p/{picks[0]}/ answered {status}")
    urls = cycle(f"/mart/p/{pk}/" for pk in picks)
    queries = cycle(
        [
            sellable_products().filter(pk=pk).query.sql_with_params()
            for pk in picks  # the product's own query, without photos and reviews
        ]
    )

    def baseline():
        sql, params = next(queries)
        _run_sql([(sql, list(params))])

    return result(
        name,
        scale=scale,
        timing=timed(lambda: client.get(next(urls)), **timing),
        target_p95_ms=TARGET_PRODUCT_P95_MS,
        baseline={
            "what": "raw SQL: the product's row with its card annotations",
            **timed(baseline, **timing),
        },
        url="/mart/p/<random sellable id>/",
    )


# --- Throughput through gunicorn --------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
CONNECTIONS = 8
WARMUP_S = 3
DURATION_S = 15
TARGET_RPS = 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/mart/")
            conn.getresponse().read()
            return True
        except OSError:
            time.sleep(0.3)
    return False


def _drive(port: int, urls: list[str], until: float, samples: list, statuses: Counter, seed):
    """One connection's loop: keep-alive when the server allows it, else http.client reopens."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while (started := time.perf_counter()) < until:
        try:
            conn.request("GET", rng.choice(urls))
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            status = "error"
        samples.append((started, (time.perf_counter() - started) * 1000))
        statuses[status] += 1
    conn.close()


def _throughput(scale: str, urls: list[str]) -> dict:
    name = "mart.throughput"
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    log_path = ROOT / "bench" / "out" / "mart-gunicorn.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "config.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"]
    with log_path.open("w") as log_file:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file)
    try:
        if not _wait_until_up(port, server):
            return skipped(name, scale=scale, reason=f"gunicorn did not start: see {log_path}")
        _log(f"gunicorn ({WORKERS} workers) on port {port}: {DURATION_S} s of load.")
        samples: list = []
        statuses: Counter = Counter()
        start = time.perf_counter()
        until = start + WARMUP_S + DURATION_S
        threads = [
            threading.Thread(target=_drive, args=(port, urls, until, samples, statuses, i))
            for i in range(CONNECTIONS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    timed_ms = sorted(ms for at, ms in samples if at >= start + WARMUP_S)
    rps = len(timed_ms) / DURATION_S
    return {
        "name": name,
        "scale": scale,
        "db": connection.vendor,
        "n": len(timed_ms),
        "rps": round(rps, 1),
        "p50_ms": round(statistics.median(timed_ms), 2),
        "p95_ms": round(statistics.quantiles(timed_ms, n=20, method="inclusive")[18], 2),
        "target_rps": TARGET_RPS,
        "pass": rps >= TARGET_RPS and set(statuses) == {200},
        "statuses": {str(k): v for k, v in statuses.items()},
        "server": f"gunicorn config.wsgi -w {WORKERS} (sync), DEBUG off",
        "connections": CONNECTIONS,
        "seconds": DURATION_S,
        "urls": "search and category URLs of mart.search / mart.category",
        "distinct_urls": len(set(urls)),
    }
