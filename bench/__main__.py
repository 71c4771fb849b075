"""`make bench` (`python -m bench`): every measurement, over one data set, in one run.

Builds the data set once (bench/dataset.py, in the benchmark database: see bench/__init__.py),
then runs, one after the other so they do not share the machine: the pages under gunicorn
(bench/run.py), the analysis (bench/analysis.py), the competence change (bench/change.py),
the answers export (bench/exports.py) and the first regional report (bench/reports.py).
Writes everything to bench/results.json and the figures, with the machine they were
measured on, to the table in the README's "Performance" section. Not a test: nothing here
asserts a time; a target that is not met is marked so.

    python -m bench                    # everything
    python -m bench analysis change    # only these (the README table keeps the others)
"""

import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench import ROOT, dataset
from bench.run import gunicorn_settings, production_env

MODULES = ["run", "analysis", "change", "exports", "reports"]
RESULTS = ROOT / "bench" / "results.json"
README = ROOT / "README.md"
BEGIN = "<!-- bench:begin (written by make bench) -->"
END = "<!-- bench:end -->"


def machine() -> dict:
    """What the figures were measured on."""
    memory = Path("/proc/meminfo").read_text().split()[1] if Path("/proc/meminfo").exists() else 0
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": postgres,
        "gunicorn": gunicorn_settings(),
        "load_average_at_start": os.getloadavg()[0],
    }


def commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return found.stdout.strip() if found.returncode == 0 else ""


def _value(figure: dict) -> str:
    value, unit = figure["value"], figure["unit"]
    shown = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{shown} {unit}".strip()


def table(results: dict) -> str:
    """The README's table: one line per figure, and the machine and data set under it."""
    lines = ["| Measure | Figure | Target | Met |", "|---|---:|---|:-:|"]
    for name in MODULES:
        for figure in results.get("modules", {}).get(name, {}).get("figures", []):
            met = {True: "yes", False: "**no**", None: ""}[figure["met"]]
            lines.append(f"| {figure['measure']} | {_value(figure)} | {figure['target']} | {met} |")
    about = results["machine"]
    sizes = results["dataset"]
    lines += [
        "",
        f"Measured {results['measured_at']} at commit `{results['commit']}` on "
        f"{about['cores']} cores ({about['cpu']}), {about['memory_gb']} GB, PostgreSQL "
        f"{about['postgresql']}, Python {about['python']}; {about['gunicorn']}; load "
        f"generator on the same machine. Data set: {sizes['self_responses']:,} "
        f"self-assessment and {sizes['demand_responses']:,} employer responses "
        f"({sizes['answers']:,} answers), {sizes['paired_people']:,} paired people, "
        f"{sizes['practices']:,} practices, {sizes['staff']:,} staff, "
        f"{sizes['activities']:,} activities with {sizes['participants']:,} participants.",
    ]
    return "\n".join(lines)


def write_readme(results: dict) -> None:
    text = README.read_text()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"README.md has no {BEGIN} … {END} block for the figures.")
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{table(results)}\n{END}{tail}")


def main(names: list[str]) -> int:
    unknown = set(names) - set(MODULES)
    if unknown:
        raise SystemExit(f"Unknown benchmark: {', '.join(sorted(unknown))} (of {MODULES}).")
    env = production_env()
    os.environ.update({key: env[key] for key in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    sizes = dataset.prepare(env)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results = {
        "measured_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "machine": machine(),
        "dataset": sizes,
        "modules": previous.get("modules", {}) if names else {},
    }
    for name in names or MODULES:
        module = __import__(f"bench.{name}", fromlist=["run"])
        print(f"\n== bench.{name}", flush=True)
        started = time.perf_counter()
        outcome = module.run(env)
        outcome["seconds"] = round(time.perf_counter() - started, 1)
        results["modules"][name] = outcome
        for figure in outcome["figures"]:
            met = {True: "met", False: "NOT MET", None: ""}[figure["met"]]
            print(f"  {figure['measure']}: {_value(figure)}  {figure['target']} {met}", flush=True)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_readme(results)
    print(f"\nwritten: {RESULTS.relative_to(ROOT)} and the README's Performance table")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
