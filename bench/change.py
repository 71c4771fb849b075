"""`python -m bench.change`: the competence change over the data set's paired people.

Measures, in process, median and p95 of BENCH_RUNS (20) warm runs of
- `change.compute` of every region's baseline against every region's follow-up campaign
  (bench.dataset: 20,000 pairs x 24 competences), the SQL and the Python after it, afresh
  (cache cleared before each run; the aim is <= 300 ms) and from the cache;
- `change.people_whose_level_rose()` over all time and regions, the measure the indicators
  page (/impact/) reads on every load, afresh and from the cache (the aim is < 200 ms).
Not a test: nothing here asserts a time.

    python -m bench.change            # build the data set if missing, then measure
    python -m bench.change --explain  # EXPLAIN ANALYZE the competence query too
"""

import argparse
import os
import sys

import bench
from bench import dataset
from bench.analysis import timings
from bench.run import production_env

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
COMPUTE_TARGET_MS = 300
ROSE_TARGET_MS = 200


def pairing():
    """Every region's baseline campaign against every region's follow-up campaign."""
    from surveys.analysis import change

    regions = dataset.campaigns().values()
    return change.CampaignPairs(
        tuple(sorted(campaigns["baseline"].pk for campaigns in regions)),
        tuple(sorted(campaigns["followup"].pk for campaigns in regions)),
    )


def explain(pairs) -> list[str]:
    """The plan of the competence query, as EXPLAIN (ANALYZE, BUFFERS) prints it."""
    from django.db import connection

    from surveys.analysis import change

    sql, params = change._query(pairs, change.counted_campaign_ids(pairs.campaigns()))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def run(env: dict) -> dict:
    """The timings of the competence change and of the indicators' measure; Django is set
    up and the data set built (bench.dataset.prepare)."""
    from surveys.analysis import change

    pairs = pairing()
    result = change.compute(pairs)
    rises = change.people_whose_level_rose()
    measured = {
        "compute, afresh": (timings(lambda: change.compute(pairs), RUNS), COMPUTE_TARGET_MS),
        "compute, cached": (
            timings(lambda: change.compute(pairs), RUNS, cached=True),
            COMPUTE_TARGET_MS,
        ),
        "people_whose_level_rose, afresh": (
            timings(change.people_whose_level_rose, RUNS),
            ROSE_TARGET_MS,
        ),
        "people_whose_level_rose, cached": (
            timings(change.people_whose_level_rose, RUNS, cached=True),
            ROSE_TARGET_MS,
        ),
    }
    figures = []
    for label, ((median, p95), target) in measured.items():
        for statistic, value in (("median", median), ("p95", p95)):
            figures.append(
                bench.figure(
                    f"competence change: {label}, {statistic}",
                    value,
                    "ms",
                    target=f"<= {target} ms",
                    met=value <= target,
                )
            )
    return {
        "figures": figures,
        "details": {
            "runs": RUNS,
            "pairs": result.people if result.people_shown else 0,
            "competences": len(result.competences),
            "areas": len(result.areas),
            "people_whose_level_rose": len(rises),
            "baseline_campaigns": list(pairs.baseline),
            "followup_campaigns": list(pairs.followup),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the query.")
    args = parser.parse_args()

    env = production_env()
    dataset.prepare(env)
    if args.explain:
        print("\n".join(explain(pairing())))
    result = run(env)
    details = result["details"]
    print(
        f"competence change: {details['pairs']} pairs x {details['competences']} competences, "
        f"{details['areas']} areas; {details['people_whose_level_rose']} people whose level "
        f"rose; {details['runs']} warm runs"
    )
    print(f"{'measure':<64}{'value':>10}  target")
    for figure in result["figures"]:
        met = {True: "met", False: "not met", None: ""}[figure["met"]]
        print(
            f"{figure['measure']:<64}{figure['value']:>7.1f} {figure['unit']:<3}"
            f"{figure['target']} {met}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
