"""`python -m bench.exports`: the anonymised answers export, in time and peak memory.

Over the benchmark data set (bench.dataset): the answers CSV of its largest campaign (by
submitted responses: one of Śląskie's self-assessments) beside a PostgreSQL
`COPY (SELECT …) TO STDOUT` of the same answers pivoted per response (one row per response,
the same columns in the same order, the same values), and the CSV of its smallest campaign
(the smallest region's employer demand campaign), whose peak memory the largest one's must
equal: streaming means the peak does not grow with the number of responses. The XLSX of the
small campaign is measured too.

Each export runs in a child process of its own, which writes the file, then reports its time,
its rows and its own peak resident memory (VmHWM, counted from its start). A child that only
loads Django and the campaign gives the baseline. The size of the parent does not count:
the resource usage wait4 reports for a child holds the parent's memory at the moment of the
spawn. The CSV and the COPY file are read back and compared, row for row (the rows come in a
random order, so as multisets), so the two measure the same work. Not a test: nothing here
asserts a time.

    python -m bench.exports    # build the data set if missing, then measure
"""

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import bench
from bench import dataset
from bench.run import ROOT, production_env

# The CSV may take this many times the PostgreSQL COPY of the same answers.
COPY_FACTOR = 3
# "Constant memory": the largest campaign's peak may exceed the smallest one's by this much.
CONSTANT_MB = 5


def _peak_mb() -> float:
    """This process's peak resident set (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def copy_statement(campaign):
    """The campaign's submitted answers pivoted per response, as the answers CSV holds them
    (row number, per competence in framework order its scales and "n/a", the type of
    organisation as a code), in a random order: the COPY the CSV is held against."""
    from psycopg import sql

    from surveys.models import Competence, Response, Survey

    competences = list(
        Competence.objects.filter(area__framework_id=campaign.survey.framework_id)
        .order_by("area__position", "area__code", "position", "code")
        .values_list("pk", "code")
    )
    if campaign.survey.kind == Survey.Kind.DEMAND:
        scales = [("required_level", "required")]
    else:
        scales = [("current_level", "current"), ("importance", "importance")]
    columns = []
    for pk, code in competences:
        chosen = sql.SQL("a.competence_id = {}").format(sql.Literal(pk))
        for field, suffix in scales:
            columns.append(
                sql.SQL("max(a.{}) FILTER (WHERE {}) AS {}").format(
                    sql.Identifier(field), chosen, sql.Identifier(f"{code} {suffix}")
                )
            )
        columns.append(
            sql.SQL("bool_or(a.not_applicable) FILTER (WHERE {})::int AS {}").format(
                chosen, sql.Identifier(f"{code} n/a")
            )
        )
    types = [value for value, _label in Response._meta.get_field("organisation_type").choices]
    return sql.SQL(
        """
        COPY (
            SELECT row_number() OVER (ORDER BY random()) AS "row", {names},
                coalesce(array_position({types}::text[], organisation_type)::text,
                    nullif(organisation_type, '')) AS organisation_type
            FROM (
                SELECT r.organisation_type, {columns}
                FROM surveys_response r
                LEFT JOIN surveys_answer a ON a.response_id = r.id
                WHERE r.campaign_id = {campaign} AND r.status = {submitted}
                GROUP BY r.id
            ) AS pivoted
            ORDER BY 1
        ) TO STDOUT WITH (FORMAT csv, HEADER)
        """
    ).format(
        names=sql.SQL(", ").join(
            sql.Identifier(f"{code} {suffix}")
            for _pk, code in competences
            for suffix in [suffix for _field, suffix in scales] + ["n/a"]
        ),
        types=sql.Literal(types),
        columns=sql.SQL(", ").join(columns),
        campaign=sql.Literal(campaign.pk),
        submitted=sql.Literal(Response.Status.SUBMITTED),
    )


def child(kind: str, campaign_id: int, path: str) -> None:
    """In the child process: one export to `path`; prints its time, rows and peak as JSON."""
    dataset._setup_django(production_env())
    from django.db import connection

    from surveys.models import Campaign
    from surveys.reports import exports

    campaign = Campaign.objects.select_related("survey__framework").get(pk=campaign_id)
    statement = copy_statement(campaign) if kind == "copy" else None
    started = time.perf_counter()
    rows = 0
    if kind == "copy":
        with open(path, "wb") as out, connection.cursor() as cursor:
            with cursor.cursor.copy(statement) as copy:
                for data in copy:
                    out.write(data)
            rows = cursor.cursor.rowcount
    elif kind != "baseline":
        writer = exports.write_answers_csv if kind == "csv" else exports.write_answers_xlsx
        with open(path, "wb") as out:
            rows = writer(campaign, out).rows
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": _peak_mb()}))


def measure(kind: str, campaign_id: int, path: Path, env: dict) -> dict:
    """One export in a child process of its own: its time, rows, peak memory, file size."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.exports", "--child", kind, str(campaign_id), str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        check=True,
    )
    result = json.loads(done.stdout)
    result["file_mb"] = path.stat().st_size / 1_000_000 if path.exists() else 0.0
    return result


def same_answers(csv_path: Path, copy_path: Path) -> bool:
    """Whether the two files hold the same header and the same rows, the row numbers aside."""

    def read(path: Path, encoding: str) -> tuple[list[str], Counter]:
        with open(path, encoding=encoding, newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader)
            return header, Counter(tuple(row[1:]) for row in reader)

    return read(csv_path, "utf-8-sig") == read(copy_path, "utf-8")


def _chosen_campaigns():
    """The largest campaign of the data set by submitted responses and the smallest
    region's employer demand campaign, with their counts."""
    from django.db.models import Count, Q

    from surveys.models import Campaign, Response

    regions = dataset.campaigns().values()
    every = [campaign for region in regions for campaign in region.values()]
    counts = dict(
        Campaign.objects.filter(pk__in=[c.pk for c in every])
        .annotate(n=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED)))
        .values_list("pk", "n")
    )
    largest = max(every, key=lambda c: (counts[c.pk], -c.pk))
    demand = [region["demand"] for region in regions]
    smallest = min(demand, key=lambda c: (counts[c.pk], c.pk))
    return (largest, counts[largest.pk]), (smallest, counts[smallest.pk])


def run(env: dict) -> dict:
    """Django is set up and the data set built (bench.dataset.prepare): time the exports."""
    from surveys.reports.exports import CHUNK_ROWS

    (largest, large_n), (smallest, small_n) = _chosen_campaigns()
    runs = [
        ("baseline", smallest, small_n),
        ("csv", smallest, small_n),
        ("csv", largest, large_n),
        ("copy", largest, large_n),
        ("xlsx", smallest, small_n),
    ]
    measured = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind, campaign, count in runs:
            path = Path(folder) / f"{kind}-{campaign.pk}.{'xlsx' if kind == 'xlsx' else 'csv'}"
            result = measure(kind, campaign.pk, path, env)
            measured[(kind, campaign.pk)] = {
                "format": kind,
                "campaign": campaign.title,
                "responses": count,
                **{key: round(value, 3) for key, value in result.items()},
            }
        same = same_answers(
            Path(folder) / f"csv-{largest.pk}.csv", Path(folder) / f"copy-{largest.pk}.csv"
        )
    baseline = measured[("baseline", smallest.pk)]
    small_csv = measured[("csv", smallest.pk)]
    large_csv = measured[("csv", largest.pk)]
    copy = measured[("copy", largest.pk)]
    ratio = large_csv["seconds"] / copy["seconds"]
    growth = large_csv["peak_mb"] - small_csv["peak_mb"]
    name = f"Answers CSV of the largest campaign ({large_n:,} responses)"
    figures = [
        bench.figure(f"{name}, time", large_csv["seconds"], "s"),
        bench.figure(
            f"{name} / PostgreSQL COPY of the same answers ({copy['seconds']:.2f} s)",
            ratio,
            "x",
            f"<= {COPY_FACTOR}",
            ratio <= COPY_FACTOR and same,
        ),
        bench.figure(
            f"{name}, peak memory minus the smallest campaign's ({small_n:,} responses)",
            growth,
            "MB",
            f"constant (<= {CONSTANT_MB} MB)",
            abs(growth) <= CONSTANT_MB,
        ),
        bench.figure(
            f"{name}, peak memory above a process with Django only",
            large_csv["peak_mb"] - baseline["peak_mb"],
            "MB",
        ),
    ]
    details = {
        "exports": list(measured.values()),
        "copy_holds_the_same_answers": same,
        "note": (
            "peak_mb: the child's own VmHWM; seconds: the export alone, Django loaded; rows "
            f"are fetched {CHUNK_ROWS} at a time, so the peak stays from that many on"
        ),
    }
    return {"figures": figures, "details": details}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("KIND", "CAMPAIGN", "PATH"))
    args = parser.parse_args()
    if args.child:
        kind, campaign_id, path = args.child
        child(kind, int(campaign_id), path)
        return 0
    env = production_env()
    dataset.prepare(env)
    result = run(env)
    print("anonymised answers export, one child process each; peak RSS of that child")
    print(f"{'format':<10}{'responses':>10}{'rows':>8}{'seconds':>9}{'rows/s':>9}", end="")
    print(f"{'peak MB':>9}{'file MB':>9}")
    for line in result["details"]["exports"]:
        rate = line["rows"] / line["seconds"] if line["rows"] else 0
        shown = "-" if line["format"] == "baseline" else line["responses"]
        print(f"{line['format']:<10}{shown:>10}{line['rows']:>8}{line['seconds']:>9.2f}", end="")
        print(f"{rate:>9.0f}{line['peak_mb']:>9.1f}{line['file_mb']:>9.1f}")
    print(f"the COPY holds the same answers: {result['details']['copy_holds_the_same_answers']}")
    for line in result["figures"]:
        verdict = {True: "met", False: "NOT met", None: ""}[line["met"]]
        print(f"{line['measure']:<100}{line['value']:>9.2f} {line['unit']}  ", end="")
        print(f"{line['target']} {verdict}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
