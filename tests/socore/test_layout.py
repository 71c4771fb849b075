"""The folder tree keeps the design: apps depend one way, and the demo is loaded, never used.

partners ← surveys ← practices (DESIGN.md section 2); demo/ may import everything, and
nothing imports demo/ but the seed_demo command.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What each top-level package may not import.
FORBIDDEN = {
    "partners": {"surveys", "practices", "demo"},
    "surveys": {"practices", "demo"},
    "practices": {"demo"},
    "socore": {"demo"},
}
DEMO_ENTRY = ROOT / "socore" / "management" / "commands" / "seed_demo.py"


def imported_packages(source: str, package: str) -> set[str]:
    """Top-level packages a module of `package` imports (a relative import is its own)."""
    tree = ast.parse(source)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(package if node.level else (node.module or "").split(".")[0])
    return found


def modules_of(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if path != DEMO_ENTRY:
            yield path


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_apps_depend_one_way(package):
    crossings = {
        str(path.relative_to(ROOT)): sorted(
            imported_packages(path.read_text(encoding="utf-8"), package) & FORBIDDEN[package]
        )
        for path in modules_of(package)
    }
    assert {module: names for module, names in crossings.items() if names} == {}


def test_the_demo_is_imported_by_seed_demo_alone():
    assert "demo" in imported_packages(DEMO_ENTRY.read_text(encoding="utf-8"), "socore")
    assert not (ROOT / "demo" / "apps.py").exists()


def test_the_check_sees_a_forbidden_import_inside_a_function():
    source = "def practices_of(code):\n    from practices.models import GoodPractice\n"
    assert imported_packages(source, "surveys") & FORBIDDEN["surveys"] == {"practices"}
