"""Screenshots of the demo's reading page for the README: a laptop (1280 px) and a phone (390 px)
with one note open. Builds the demo edition, serves it on 127.0.0.1 and drives Debian's Chromium.

    .venv/bin/python docs/screenshots.py            # writes docs/reading-page-1280.png and -390.png
    .venv/bin/python docs/screenshots.py --out DIR
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from conftest import CHROMIUM_FLAGS, serve_folder  # noqa: E402  (the tests' server and browser flags)

ARTICLE = "nsa-france-phone-calls"
SHOTS = {
    "reading-page-1280.png": {"width": 1280, "height": 900},
    "reading-page-390.png": {"width": 390, "height": 844},
}


def build_demo(folder: Path) -> Path:
    for name in ("site.yaml", "content", "annotations", "themes"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, folder / name)
    subprocess.run([sys.executable, str(REPO / "build.py"), "build"], cwd=folder, check=True, capture_output=True)
    return folder / "_site"


def take(address: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        for name, viewport in SHOTS.items():
            page = browser.new_page(viewport=viewport)
            page.goto(address)
            if viewport["width"] >= 1024:
                # The story's first paragraphs, where the notes crowd most.
                page.evaluate("window.scrollTo(0, document.querySelector('.article-body').offsetTop - 24)")
            else:
                toggle = page.locator(".article-body button.note-toggle").first
                toggle.scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -120)")
                toggle.click()
            page.screenshot(path=str(out / name))
            written.append(out / name)
            page.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        server, address = serve_folder(build_demo(Path(work)))
        try:
            for path in take(f"{address}/{ARTICLE}/", out):
                print(path)
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
