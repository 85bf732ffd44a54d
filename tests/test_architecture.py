"""The layout shows the architecture: packages stack one way, no hidden import loops, short functions."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("geo", "webmap")


def _functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_packages_import_one_way_only() -> None:
    """import-linter's contracts (pyproject.toml): webmap → analysis → layers | reports → routing → network →
    validation → errors → i18n, and geo never imports webmap or Flask."""
    tool = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    proc = subprocess.run([tool, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "2 kept, 0 broken" in proc.stdout


def test_no_project_import_hides_inside_a_function() -> None:
    """A function-level import of our own code is how an import loop gets hidden; there is none."""
    hidden = []
    for path in [p for pkg in PROJECT for p in (ROOT / pkg).rglob("*.py")]:
        for fn in _functions(path):
            for node in ast.walk(fn):
                module = node.module if isinstance(node, ast.ImportFrom) else None
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [module or ""]
                if isinstance(node, ast.Import | ast.ImportFrom) and any(
                        n.split(".")[0] in PROJECT for n in names):
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not hidden, hidden


def test_route_description_functions_are_short() -> None:
    """The route description package has no function over 60 lines."""
    long_ones = [f"{p.relative_to(ROOT)}:{fn.name} ({fn.end_lineno - fn.lineno + 1} lines)"
                 for p in (ROOT / "geo" / "routing" / "itinerary").glob("*.py") for fn in _functions(p)
                 if fn.end_lineno - fn.lineno + 1 > 60]
    assert not long_ones, long_ones


def test_readme_layout_matches_the_tree() -> None:
    """Every package the README's layout section names exists, and every package of the tree is named."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    block = section.split("```text", 1)[1].split("```", 1)[0]
    named = {f"geo/{m}/" for m in re.findall(r"^  ([a-z0-9_]+)/", block, flags=re.M)}
    packages = {f"{p.parent.relative_to(ROOT)}/" for p in (ROOT / "geo").glob("*/__init__.py")}
    assert packages <= named, f"not in the README layout: {sorted(packages - named)}"
    assert all((ROOT / n).is_dir() for n in named), [n for n in named if not (ROOT / n).is_dir()]


def test_nothing_cites_files_outside_the_repository() -> None:
    pattern = re.compile(r"\.\./shared/docs|docs/PRODUCT\.md|docs/PROGRAMME\.md")
    cited = [str(p.relative_to(ROOT)) for p in [*ROOT.glob("geo/**/*.py"), *ROOT.glob("webmap/**/*.*"),
                                                  *ROOT.glob("docs/**/*.md"), *ROOT.glob("data/**/*.md"),
                                                  ROOT / "README.md", ROOT / "app.py"]
             if p.is_file() and pattern.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert not cited, cited
