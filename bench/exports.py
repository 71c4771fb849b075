"""`python -m bench.exports`: anonymised answer exports, in time and peak memory.

Seeds (afresh on each run) one closed self-assessment campaign per size on the current
framework (BENCH_EXPORT_SIZES, default 5000 and 50000 submitted responses, every competence
answered, about 5 % "not applicable"), written by SQL in a few statements. Then each export
runs in a child process of its own, and the child's peak resident memory (ru_maxrss from
wait4) and time are printed: CSV at every size, XLSX at BENCH_EXPORT_XLSX_SIZES (5000).
A child that only loads Django and the campaign gives the baseline. Streaming means the peak
does not grow with the number of responses. The measuring process itself never loads Django
(seeding runs in a child too): Linux counts the parent's memory at the moment of a spawn in
a child's peak. Not a test: nothing here asserts a time.

    python -m bench.exports            # set up, measure; the data stays
    python -m bench.exports --clean    # remove the bench campaigns and their responses
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import ROOT, manage, production_env

SIZES = [int(n) for n in os.environ.get("BENCH_EXPORT_SIZES", "5000,50000").split(",")]
XLSX_SIZES = [int(n) for n in os.environ.get("BENCH_EXPORT_XLSX_SIZES", "5000").split(",") if n]
TITLE = "bench-exports"
ORGANISATION_TYPES = [
    "university",
    "research_institute",
    "technology_transfer",
    "science_park",
    "company",
    "public_body",
    "other",
]


def _setup_django(env: dict) -> None:
    import django

    os.environ.update({key: env[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socore.settings")
    django.setup()


def clean() -> dict[str, int]:
    from django.db import transaction

    from surveys.models import Campaign, Response, Survey

    surveys = Survey.objects.filter(title=TITLE)
    campaigns = Campaign.objects.filter(survey__in=surveys)
    removed = {}
    with transaction.atomic():
        removed["responses"] = Response.objects.filter(campaign__in=campaigns).delete()[0]
        removed["campaigns"] = campaigns.delete()[0]
        removed["surveys"] = surveys.delete()[0]
    return removed


def seed(size: int) -> int:
    """A closed campaign with `size` submitted responses; returns its primary key."""
    from django.db import connection, transaction
    from django.utils import timezone

    from surveys.models import Campaign, Competence, Framework, Survey

    framework = Framework.objects.current()
    if framework is None:
        raise SystemExit("No published framework: run the migrations (they load one).")
    now = timezone.now()
    with transaction.atomic():
        survey, _created = Survey.objects.get_or_create(
            framework=framework, kind=Survey.Kind.SELF_ASSESSMENT, title=TITLE
        )
        campaign = Campaign.objects.create(
            survey=survey,
            title=f"{TITLE} {size}",
            opens_at=now - datetime.timedelta(days=60),
            closes_at=now - datetime.timedelta(days=1),
            privacy_notice="Benchmark campaign (python -m bench.exports --clean removes it).",
            privacy_notice_version="bench",
        )
        competence_ids = list(
            Competence.objects.filter(area__framework=framework).values_list("pk", flat=True)
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.2026)")
            cursor.execute(
                """
                INSERT INTO surveys_response (
                    campaign_id, status, consent_version, consented_at, current_page,
                    organisation_type, role, experience, age_band,
                    started_at, updated_at, submitted_at, released)
                SELECT %(campaign)s, 'submitted', 'bench', %(now)s, 0,
                    (%(types)s::text[])[1 + n %% 7], 'researcher', '6-10', '',
                    %(now)s, %(now)s, %(now)s, true
                FROM generate_series(1, %(size)s) AS n
                """,
                {"campaign": campaign.pk, "now": now, "types": ORGANISATION_TYPES, "size": size},
            )
            cursor.execute(
                """
                INSERT INTO surveys_answer (
                    response_id, competence_id, current_level, importance, required_level,
                    not_applicable)
                SELECT response_id, competence_id,
                    CASE WHEN na THEN NULL ELSE 1 + floor(random() * 5)::int END,
                    CASE WHEN na THEN NULL ELSE 1 + floor(random() * 5)::int END,
                    NULL, na
                FROM (
                    SELECT r.id AS response_id, c AS competence_id, random() < 0.05 AS na
                    FROM surveys_response r CROSS JOIN unnest(%(competences)s::bigint[]) AS c
                    WHERE r.campaign_id = %(campaign)s
                ) AS pairs
                """,
                {"campaign": campaign.pk, "competences": competence_ids},
            )
        connection.cursor().execute("ANALYZE surveys_response, surveys_answer")
    return campaign.pk


def child(kind: str, campaign_id: int, path: str) -> None:
    """In the child process: one export to `path`; prints its time and row count as JSON."""
    _setup_django(production_env())
    from surveys.models import Campaign
    from surveys.reports import exports

    campaign = Campaign.objects.select_related("survey__framework").get(pk=campaign_id)
    started = time.perf_counter()
    rows = 0
    if kind != "baseline":
        writer = exports.write_answers_csv if kind == "csv" else exports.write_answers_xlsx
        with open(path, "wb") as out:
            rows = writer(campaign, out).rows
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))


def measure(kind: str, campaign_id: int) -> dict:
    """Run one export in a child process: its own peak RSS (wait4), time, rows, file size."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{kind}"
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.exports", "--child", kind, str(campaign_id), str(path)],
            cwd=ROOT,
            env=production_env(),
            stdout=subprocess.PIPE,
        )
        output = process.stdout.read()
        process.stdout.close()
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"The {kind} export of campaign {campaign_id} failed.")
        result = json.loads(output)
        result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
        result["file_mb"] = path.stat().st_size / 1_000_000 if path.exists() else 0.0
        return result


def prepare(sizes: list[int]) -> None:
    """In a child process: the bench campaigns afresh; prints {size: campaign pk} as JSON."""
    _setup_django(production_env())
    clean()
    campaigns = {}
    for size in sizes:
        started = time.perf_counter()
        campaigns[size] = seed(size)
        print(f"seeded {size} responses in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print(json.dumps(campaigns))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="Remove the bench data.")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "CAMPAIGN", "PATH"))
    parser.add_argument("--prepare", nargs="+", type=int, metavar="SIZE")
    args = parser.parse_args()
    if args.child:
        kind, campaign_id, path = args.child
        child(kind, int(campaign_id), path)
        return 0
    if args.prepare:
        prepare(args.prepare)
        return 0

    env = production_env()
    manage(env, "migrate", "--noinput", "-v0")
    if args.clean:
        _setup_django(env)
        removed = clean()
        print("Removed rows: " + ", ".join(f"{what} {count}" for what, count in removed.items()))
        return 0
    sizes = sorted(set(SIZES) | set(XLSX_SIZES))
    prepared = subprocess.run(
        [sys.executable, "-m", "bench.exports", "--prepare", *map(str, sizes)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        check=True,
    )
    campaigns = {int(size): pk for size, pk in json.loads(prepared.stdout).items()}

    runs = [("baseline", min(campaigns))]
    runs += [("csv", size) for size in SIZES]
    runs += [("xlsx", size) for size in XLSX_SIZES]
    print("anonymised answers export, one child process each; peak RSS of that child")
    print(f"{'format':<10}{'responses':>10}{'rows':>8}{'seconds':>9}{'rows/s':>9}", end="")
    print(f"{'peak MB':>9}{'file MB':>9}")
    for kind, size in runs:
        result = measure(kind, campaigns[size])
        rate = result["rows"] / result["seconds"] if result["rows"] else 0
        shown = "-" if kind == "baseline" else size
        print(f"{kind:<10}{shown:>10}{result['rows']:>8}{result['seconds']:>9.2f}", end="")
        print(f"{rate:>9.0f}{result['peak_mb']:>9.1f}{result['file_mb']:>9.1f}")
    print("The bench data stays for inspection: python -m bench.exports --clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
