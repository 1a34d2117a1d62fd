"""Shared helpers: real editions in temporary folders, and the real command line."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path) -> Result:
    """Run `build.py` in a separate process, as a user would."""
    done = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    return Result(done.returncode, done.stdout, done.stderr)


def run_main(*args: str, root: Path, capsys) -> Result:
    """Run `build.py`'s main function in this process, as `run_cli` runs the script: the same
    parsing, output and exit status without starting an interpreter, for tests that run it
    many times (`capsys` is pytest's fixture that captures what it prints)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_py", REPO / "build.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    capsys.readouterr()
    try:
        code = script.main(["--root", str(root), *args])
    except SystemExit as exit:
        code = exit.code
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def copy_edition(source: Path, target: Path) -> Path:
    """Copy an edition and give it the repository's themes."""
    shutil.copytree(source, target)
    if not (target / "themes").exists():
        shutil.copytree(REPO / "themes", target / "themes")
    return target


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """A small valid edition in a temporary folder."""
    return copy_edition(FIXTURES / "valid", tmp_path / "edition")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The repository's own demo edition, copied to a temporary folder."""
    target = tmp_path / "demo"
    target.mkdir()
    for name in ("site.yaml", "content", "annotations", "themes"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    return target


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes, to compare whole sites."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- a real HTTP server and a real browser -------------------------------------------------

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


class _SubpathHandler(_QuietHandler):
    """Serves the site under a path such as /repo/, as GitHub Pages serves a project site."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path[len(self.prefix):])


def serve_built(root: Path, *build_args: str, prefix: str = "/"):
    """Build the edition at `root` and serve its output on a free port of 127.0.0.1, under
    `prefix`; yields nothing outside it, as a project site on GitHub Pages."""
    result = run_cli("build", *build_args, cwd=root)
    assert result.code == 0, result.stderr
    return serve_folder(root / "_site", prefix)


def serve_folder(site: Path, prefix: str = "/"):
    """Serve a built site on a free port of 127.0.0.1 under `prefix`; returns (server, address)."""
    handler_class = type("Handler", (_SubpathHandler,), {"prefix": prefix})
    handler = functools.partial(handler_class, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _copy_demo(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in ("site.yaml", "content", "annotations", "themes"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    return target


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo edition, built and served; yields its address."""
    server, address = serve_built(_copy_demo(tmp_path_factory.mktemp("demo-site")))
    yield address
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def demo_under_subpath(tmp_path_factory):
    """The demo edition built for /glossator-demo/ and served there; yields the site's address."""
    root = _copy_demo(tmp_path_factory.mktemp("demo-subpath"))
    server, address = serve_built(root, "--base-url", "/glossator-demo/", prefix="/glossator-demo/")
    yield address + "/glossator-demo/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """The small test edition (an article the demo has never seen), built and served."""
    root = copy_edition(FIXTURES / "valid", tmp_path_factory.mktemp("fixture-site") / "edition")
    server, address = serve_built(root)
    yield address
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (its own browser download cannot work here)."""
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Debian's chromium is required: `make test` installs it"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


# --- small editions, changed in place ------------------------------------------------------

def plan_of(root: Path, live_reload: str = ""):
    """The edition's configuration and plan, as a build would make them."""
    from glossator.cache import ResultCache
    from glossator.config import load_config
    from glossator.plan import plan_articles

    config = load_config(root)
    return config, plan_articles(config, ResultCache(root), live_reload=live_reload)


def add_article(root: Path, slug: str) -> None:
    (root / "content" / f"{slug}.md").write_text(f"---\ntitle: {slug}\n---\nA short story about {slug}.\n",
                                                 encoding="utf-8")
