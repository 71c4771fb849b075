"""The static checks CI runs besides the tests: ruff's security rules stay on, and no finding
is silenced without a reason; the dependency audit (.ci/audit) fails on a known
vulnerability that has a fix, and says loudly when it could not ask any service."""

import io
import json
import os
import re
import subprocess
import sys
import tokenize
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Ruff's security rules (flake8-bandit) turned off for the whole code base, and why. A new
# one belongs here and in pyproject.toml, each with its reason.
ACCEPTED_EVERYWHERE = {
    "S101": "assert is how pytest checks; the portal's code does not rely on it",
    "S311": "random for jitter and demo data, never for secrets (those use secrets)",
    "S603": "subprocess with argument lists the code builds, never a shell",
    "S607": "the tools the processes start are looked up on PATH on purpose",
}
ACCEPTED_IN_TESTS = {
    "S105": "test passwords",
    "S106": "test passwords",
    "S108": "temporary paths of the tests' own",
    "S310": "urllib to the tests' own local servers",
}


def is_security(code: str) -> bool:
    """S608 is flake8-bandit's; SIM115 is not."""
    return re.fullmatch(r"S[0-9]*", code) is not None


def lint_settings() -> tuple[dict, str]:
    text = (ROOT / "pyproject.toml").read_text()
    return tomllib.loads(text)["tool"]["ruff"]["lint"], text


def test_ruffs_security_rules_stay_on_with_every_exception_explained():
    lint, text = lint_settings()
    assert "S" in lint["select"]
    assert "S" not in lint.get("ignore", []) and "S" not in lint.get("extend-ignore", [])

    ignored = {code for code in lint.get("ignore", []) if is_security(code)}
    assert ignored == set(ACCEPTED_EVERYWHERE), "a security rule turned off needs a reason here"
    per_file = lint.get("per-file-ignores", {})
    for pattern, codes in per_file.items():
        security = {code for code in codes if is_security(code)}
        assert "S" not in codes, f"all security rules off for {pattern}"
        if pattern == "tests/*":
            assert security <= set(ACCEPTED_IN_TESTS), pattern
        else:
            assert not security, f"security rules {security} off for {pattern}: say why here"
    # In pyproject.toml too, each of them sits on a line with a comment saying why.
    for code in ignored | {c for codes in per_file.values() for c in codes if is_security(c)}:
        lines = [line for line in text.splitlines() if f'"{code}"' in line]
        assert lines and all("#" in line for line in lines), f"{code}: no reason beside it"


def python_files() -> list[Path]:
    """The files ruff checks: the repository's Python files but migrations (excluded there)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed if "/migrations/" not in name]


NOQA = re.compile(
    r"#\s*(?:ruff\s*:\s*)?noqa(?P<codes>\s*:\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)?", re.I
)


def unexplained_security_silences(source: str) -> list[str]:
    """`# noqa` comments that silence a security rule (S…, or every rule) with no reason
    after them."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        match = NOQA.search(token.string)
        if not match:
            continue
        codes = re.findall(r"[A-Z]+[0-9]+", match.group("codes") or "")
        silences_security = not codes or any(is_security(code) for code in codes)
        reason = token.string[match.end() :].strip(" -—:;,")
        if silences_security and not re.search(r"\w", reason):
            found.append(f"{token.start[0]}: {token.string}")
    return found


def test_no_security_finding_is_silenced_without_a_reason():
    offenders = []
    for path in python_files():
        if not path.exists():  # listed by git, deleted in the work tree
            continue
        for line in unexplained_security_silences(path.read_text()):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == [], "say why after the code: # noqa: S608 - the names are checked"


@pytest.mark.parametrize(
    ("comment", "unexplained"),
    [
        ("x = 1  # noqa: S608", True),
        ("x = 1  # noqa: S608, E501", True),
        ("x = 1  # noqa", True),
        ("x = 1  # noqa:S308 -", True),
        ("x = 1  # noqa: S608 - a constant", False),
        ("x = 1  # noqa: S308 — every piece escaped", False),
        ("x = 1  # noqa: SIM115", False),
        ("x = 1  # noqa: E501", False),
        ("x = '# noqa: S608'", False),
    ],
)
def test_the_reason_check_reads_noqa_comments_as_ruff_does(comment, unexplained):
    assert bool(unexplained_security_silences(comment + "\n")) == unexplained


# The dependency audit --------------------------------------------------------------------

FAKE_PIP_AUDIT = """
import json, os, sys
args = sys.argv[1:]
service = args[args.index("--vulnerability-service") + 1]
reply = json.loads(os.environ["FAKE_AUDIT"]).get(service)
if isinstance(reply, str):
    sys.stderr.write(reply)
    sys.exit(1)
with open(args[args.index("--output") + 1], "w") as output:
    json.dump(reply, output)
sys.exit(1 if any(d.get("vulns") for d in reply["dependencies"]) else 0)
"""
UNREACHABLE = (
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): "
    "Max retries exceeded with url: /v1/query"
)


def audited(*dependencies) -> dict:
    return {"dependencies": list(dependencies), "fixes": []}


def package(name="django", version="5.2.0", *vulns) -> dict:
    return {"name": name, "version": version, "vulns": list(vulns)}


def advisory(identifier="PYSEC-2026-1", fixed=("5.2.9",)) -> dict:
    return {"id": identifier, "fix_versions": list(fixed), "aliases": ["CVE-2026-0001"]}


def not_found(name="django") -> dict:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI: {name} (5.2.0)"}


def run_audit(tmp_path, replies: dict) -> tuple[int, str]:
    fake = tmp_path / "pip_audit_stand_in.py"
    fake.write_text(FAKE_PIP_AUDIT)
    env = {**os.environ, "PIP_AUDIT": f"{sys.executable} {fake}", "FAKE_AUDIT": json.dumps(replies)}
    finished = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "audit")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return finished.returncode, finished.stdout + finished.stderr


def test_a_known_vulnerability_with_a_fix_fails_ci_and_says_how_to_update(tmp_path):
    code, said = run_audit(
        tmp_path, {"pypi": audited(package("django", "5.2.0", advisory()), package("nh3", "0.3"))}
    )
    assert code == 1
    assert "django 5.2.0: PYSEC-2026-1 (CVE-2026-0001), fixed in 5.2.9" in said
    assert "make lock UPGRADE=" in said


def test_a_vulnerability_without_a_fix_is_shown_and_does_not_fail(tmp_path):
    code, said = run_audit(tmp_path, {"pypi": audited(package("nh3", "0.3", advisory(fixed=())))})
    assert code == 0
    assert "nh3 0.3: PYSEC-2026-1 (CVE-2026-0001), no fixed release yet" in said


def test_no_reachable_service_skips_the_audit_loudly_without_failing(tmp_path):
    code, said = run_audit(tmp_path, {"pypi": audited(not_found()), "osv": UNREACHABLE})
    assert code == 0
    assert "DEPENDENCY AUDIT SKIPPED" in said
    assert "pypi: answered for none of the 1 locked packages" in said
    assert "Max retries exceeded" in said
    assert "NOT checked" in said


def test_when_one_service_is_unreachable_the_other_is_asked(tmp_path):
    code, said = run_audit(
        tmp_path, {"pypi": UNREACHABLE, "osv": audited(package("django", "5.2.0", advisory()))}
    )
    assert code == 1
    assert "dependency audit (osv): 1 of 1 locked packages checked" in said


def test_an_audit_that_breaks_for_another_reason_fails(tmp_path):
    code, said = run_audit(tmp_path, {"pypi": "pip_audit: error: invalid requirement 'django=='"})
    assert code == 1
    assert "invalid requirement" in said
