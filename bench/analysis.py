"""`python -m bench.analysis`: the gap analysis and the dashboards' figures over the data set.

Measures, in process, median and p95 of BENCH_RUNS (20) runs, each computed afresh (the
cache cleared before each, the database connection warm), over the benchmark data set
(bench.dataset): `analyse` of Śląskie's self-assessment campaigns (baseline and follow-up)
and its employer campaign, the same for one background group, its breakdowns by every
background field, all the figures of Śląskie's dashboard as the page shows it by default
(`regional_results` of the newest campaign of each kind, the consortium beside it),
`compare_regions` over every region's campaigns and the consortium coordinator's comparison
page (`analyse` over every campaign and `compare_regions`); then the two dashboards' figures
from the cache. The figures add up statistics stored once per campaign and release of
responses (surveys.analysis.statistics); storing them for Śląskie is timed first.
Not a test: nothing here asserts a time.

    python -m bench.analysis            # build the data set if missing, then measure
    python -m bench.analysis --explain  # EXPLAIN ANALYZE the consortium's slowest query too
"""

import argparse
import os
import statistics
import sys
import time

import bench
from bench import dataset
from bench.run import production_env

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
REGION_TARGET_MS = 300
CONSORTIUM_TARGET_MS = 1000


def timings(work, runs: int = RUNS, cached: bool = False) -> tuple[float, float]:
    """Median and p95 in ms of `runs` runs after three warm-ups; computed afresh (the cache
    cleared before each) unless `cached`."""
    from django.core.cache import cache

    for _ in range(3):
        work()
    spent = []
    for _ in range(runs):
        if not cached:
            cache.clear()
        started = time.perf_counter()
        work()
        spent.append((time.perf_counter() - started) * 1000)
    spent.sort()
    return statistics.median(spent), spent[max(0, int(len(spent) * 0.95) - 1)]


def explain(work) -> str:
    """EXPLAIN ANALYZE of the slowest query of `work`, computed afresh."""
    from django.core.cache import cache
    from django.db import connection

    captured = []

    def capture(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((time.perf_counter() - started, sql, params))

    cache.clear()
    with connection.execute_wrapper(capture):
        work()
    _spent, sql, params = max(captured, key=lambda query: query[0])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def storing(campaigns) -> float:
    """Ms to store the statistics of `campaigns` afresh, as after a release of responses."""
    from django.core.cache import cache

    from surveys import analysis
    from surveys.models import AnswerStatistics

    AnswerStatistics.objects.filter(campaign__in=campaigns).delete()
    cache.clear()
    started = time.perf_counter()
    analysis.analyse(analysis.Group.of(campaigns))
    return (time.perf_counter() - started) * 1000


def _work() -> tuple[list[tuple[str, object, int | None]], dict]:
    """(what, the work, its target in ms or None) in the order they are measured, and the
    two pages' figures to time again from the cache."""
    from surveys import analysis
    from surveys.dashboard.tables import regional_results
    from surveys.dashboard.views import newest_of_each_kind

    regions = dataset.campaigns()
    largest = regions[dataset.LARGEST]
    name = largest["baseline"].region.name
    region = analysis.Group.of(largest.values())
    researchers = analysis.Group.of(largest.values(), {"role": "researcher"})
    shown = newest_of_each_kind(list(largest.values()))
    everywhere = sorted(
        (c for per_region in regions.values() for c in per_region.values()), key=lambda c: c.pk
    )
    consortium = analysis.Group.of(everywhere)

    def comparison_page():
        analysis.analyse(consortium)
        analysis.compare_regions(everywhere)

    count = len(everywhere)
    return [
        (f"analyse: {name}, its 3 campaigns", lambda: analysis.analyse(region), REGION_TARGET_MS),
        (
            f"analyse: {name}, role = researcher",
            lambda: analysis.analyse(researchers),
            REGION_TARGET_MS,
        ),
        (
            f"breakdowns: {name} by every background field",
            lambda: analysis.breakdowns(region),
            REGION_TARGET_MS,
        ),
        (
            f"dashboard figures: {name} (regional_results, consortium beside)",
            lambda: regional_results(name, shown, {}),
            None,
        ),
        (
            f"compare_regions: {len(regions)} regions, {count} campaigns",
            lambda: analysis.compare_regions(everywhere),
            CONSORTIUM_TARGET_MS,
        ),
        (
            f"consortium analysis: analyse + compare_regions, {count} campaigns",
            comparison_page,
            CONSORTIUM_TARGET_MS,
        ),
    ], {
        f"dashboard figures: {name}": lambda: regional_results(name, shown, {}),
        "consortium analysis": comparison_page,
    }


def run(env: dict) -> dict:
    """Django is set up and the data set built (bench.dataset.prepare): time the analysis."""
    largest = list(dataset.campaigns(dataset.LARGEST).values())
    stored = storing(largest)
    figures = [
        bench.figure(
            f"storing the statistics of {largest[0].region.name}'s {len(largest)} campaigns "
            "(once per release of responses)",
            stored,
            "ms",
        )
    ]
    work, pages = _work()
    details = {"runs": RUNS, "storing_ms": round(stored, 1), "cold": {}, "cached": {}}
    for label, job, target in work:
        median, p95 = timings(job)
        details["cold"][label] = {"median_ms": round(median, 1), "p95_ms": round(p95, 1)}
        met = None if target is None else p95 <= target
        goal = f"<= {target} ms cold" if target else ""
        figures.append(bench.figure(f"{label}, cold, median", median, "ms"))
        figures.append(bench.figure(f"{label}, cold, p95", p95, "ms", goal, met))
    for label, job in pages.items():
        median, p95 = timings(job, cached=True)
        details["cached"][label] = {"median_ms": round(median, 1), "p95_ms": round(p95, 1)}
        figures.append(bench.figure(f"{label}, from the cache, median", median, "ms"))
    return {"figures": figures, "details": details}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query")
    args = parser.parse_args()
    env = production_env()
    sizes = dataset.prepare(env)
    if args.explain:
        work, pages = _work()
        print(explain(pages["consortium analysis"]))
    result = run(env)
    print(
        f"{sizes['self_responses']} self-assessment and {sizes['demand_responses']} employer "
        f"responses; {RUNS} runs each, the cache cleared before each unless 'from the cache'"
    )
    print(f"{'measure':<88}{'value':>9}  target")
    for line in result["figures"]:
        verdict = {True: "met", False: "NOT met", None: ""}[line["met"]]
        print(f"{line['measure']:<88}{line['value']:>9.1f}  {line['target']} {verdict}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
