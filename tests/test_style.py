"""The code base stays ruff-clean and free of third-party front-end files and CDN links."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    proc = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_cdn_links_in_served_code() -> None:
    hosts = ("cdn.jsdelivr", "unpkg.com", "cdnjs", "code.jquery.com", "bootstrapcdn", "fonts.googleapis")
    for path in [*ROOT.glob("webmap/**/*.*"), *ROOT.glob("geo/**/*.py"), ROOT / "app.py"]:
        if path.is_file() and path.suffix in {".py", ".html", ".js", ".css"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not any(h in text for h in hosts), f"CDN link in {path}"


def test_no_third_party_js_or_css_committed() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False).stdout
    assert not any(name.endswith((".min.js", ".min.css")) or "leaflet.js" in name for name in tracked.split())
