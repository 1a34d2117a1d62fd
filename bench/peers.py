"""The peers of the benchmark: Hugo, Jekyll, Pelican and MkDocs, each given the edition's
articles (without notes) in its own project layout, with one plain page template, as a user of
that tool would set it up. Hugo and Jekyll come from Debian, Pelican and MkDocs from PyPI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from glossator.yamldoc import read_source, split_front_matter

PEERS_VENV = Path(os.environ.get("GLOSSATOR_PEERS_VENV", Path.home() / ".cache" / "glossator-bench-peers"))
DEBIAN_PACKAGES = {"hugo": "hugo", "jekyll": "jekyll"}
PYPI_PACKAGES = {"pelican": "pelican[markdown]==4.12.*", "mkdocs": "mkdocs==1.6.*"}


@dataclass(frozen=True)
class Peer:
    name: str
    prepare: Callable[[Path, Path], None]  # (edition, project folder)
    command: Callable[[Path], list[str]]  # the clean build, run in the project folder


def articles(edition: Path):
    """(slug, front matter, Markdown body) of each article, in file-name order, read as
    Glossator reads them (a byte-order mark or CRLF line ends are fine)."""
    for path in sorted((edition / "content").glob("*.md")):
        front, body, _ = split_front_matter(read_source(path, path.name), path.name)
        yield path.stem, yaml.safe_load(front), body


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _front(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=True) + "---\n"


PAGE = "<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head><body>{body}</body></html>\n"


def _write_articles(edition: Path, folder: Path) -> None:
    """Each article as Markdown with only its title in the front matter."""
    for slug, front, body in articles(edition):
        _write(folder / f"{slug}.md", _front({"title": front["title"]}) + body)


def prepare_hugo(edition: Path, project: Path) -> None:
    _write(project / "hugo.toml", 'baseURL = "/"\ntitle = "Benchmark"\n[markup.goldmark.renderer]\nunsafe = true\n')
    _write(project / "layouts/_default/single.html", PAGE.format(
        title="{{ .Title }}", body="<h1>{{ .Title }}</h1>{{ .Content }}"))
    _write(project / "layouts/_default/list.html", PAGE.format(
        title="{{ .Title }}", body='<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
                                   "{{ end }}</ul>"))
    _write_articles(edition, project / "content/articles")


def prepare_jekyll(edition: Path, project: Path) -> None:
    _write(project / "_config.yml", "title: Benchmark\ncollections:\n  articles:\n    output: true\n"
                                    "defaults:\n  - scope: {type: articles}\n    values: {layout: page}\n")
    _write(project / "_layouts/page.html", PAGE.format(title="{{ page.title }}",
                                                       body="<h1>{{ page.title }}</h1>{{ content }}"))
    _write(project / "index.html", "---\nlayout: null\n---\n" + PAGE.format(
        title="Benchmark", body='<ul>{% for a in site.articles %}<li><a href="{{ a.url }}">{{ a.title }}</a></li>'
                                "{% endfor %}</ul>"))
    _write_articles(edition, project / "_articles")


def prepare_pelican(edition: Path, project: Path) -> None:
    _write(project / "pelicanconf.py", 'SITENAME = "Benchmark"\nSITEURL = ""\nTIMEZONE = "UTC"\n'
                                       'DEFAULT_LANG = "en"\nMARKDOWN = {"extension_configs": {}}\n')
    for slug, front, body in articles(edition):
        date = str(front.get("updated") or front.get("published") or "2013-10-21")[:10]
        _write(project / "content" / f"{slug}.md", f"Title: {front['title']}\nDate: {date}\nSlug: {slug}\n\n{body}")


def prepare_mkdocs(edition: Path, project: Path) -> None:
    _write(project / "mkdocs.yml", "site_name: Benchmark\ntheme: mkdocs\n")
    _write(project / "docs/index.md", "# Benchmark\n")
    _write_articles(edition, project / "docs")


def _venv_tool(name: str) -> str:
    return str(PEERS_VENV / "bin" / name)


PEERS = (
    Peer("Hugo", prepare_hugo, lambda project: ["hugo", "--quiet", "--destination", "public"]),
    Peer("Jekyll", prepare_jekyll, lambda project: ["jekyll", "build", "--quiet"]),
    Peer("Pelican", prepare_pelican,
         lambda project: [_venv_tool("pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "-q"]),
    Peer("MkDocs", prepare_mkdocs, lambda project: [_venv_tool("mkdocs"), "build", "--quiet"]),
)


def install_peers() -> None:
    """Install what is missing: Debian packages with apt, Python tools in their own venv."""
    missing = [package for command, package in DEBIAN_PACKAGES.items() if shutil.which(command) is None]
    if missing:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run([*sudo, "apt-get", "update", "-q"], check=True, env=env)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-q", *missing], check=True, env=env)
    if not all(Path(_venv_tool(tool)).exists() for tool in PYPI_PACKAGES):
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run([_venv_tool("python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        *PYPI_PACKAGES.values()], check=True)


def peer_versions() -> dict[str, str]:
    """Each peer's version line, for the table's header."""
    commands = {"Hugo": ["hugo", "version"], "Jekyll": ["jekyll", "--version"],
                "Pelican": [_venv_tool("pelican"), "--version"], "MkDocs": [_venv_tool("mkdocs"), "--version"]}
    versions = {}
    for name, command in commands.items():
        done = subprocess.run(command, capture_output=True, text=True)
        versions[name] = (done.stdout or done.stderr).strip().splitlines()[0][:60]
    return versions
