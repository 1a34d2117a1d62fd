"""Publishing: builds at / and under a GitHub Pages subpath with no broken internal link, valid
HTML, parseable feeds, sitemap and metadata, a W3C Web Annotation export whose selectors
select the quoted passages, and workflows that pass actionlint."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import REPO, run_cli

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
               "identifying", "linking", "moderating", "questioning", "replying", "tagging"}


@pytest.fixture(scope="module", params=["/", "/glossator-demo/"], ids=["root", "subpath"])
def built(request, tmp_path_factory) -> tuple[Path, str]:
    """The demo edition built with a base path; yields (output folder, base path)."""
    root = tmp_path_factory.mktemp("publish")
    for name in ("site.yaml", "content", "annotations", "themes"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    result = run_cli("build", "--base-url", request.param, cwd=root)
    assert result.code == 0, result.stderr
    return root / "_site", request.param


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        self.ids.update(v for k, v in attrs if k == "id" and v)
        self.links.extend(values[k] for k in ("href", "src") if values.get(k))


def parse_page(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(site: Path, base: str, page: Path, link: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link leads to; None for an external link."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, parts.fragment
    assert parts.path.startswith(base), f"{link} in {page.name} is outside the base path {base}"
    target = site / unquote(parts.path[len(base):])
    if parts.path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def test_every_internal_link_resolves_to_a_file_of_the_build(built):
    site, base = built
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 6
    for page in (p for p in pages if "pagefind" not in p.parts):
        for link in parse_page(page).links:
            target = resolve(site, base, page, link)
            if target is None:
                continue
            path, fragment = target
            assert path.is_file(), f"{link} in {page.relative_to(site)} leads nowhere"
            if fragment and path.suffix == ".html":
                assert fragment in parse_page(path).ids, f"{link} in {page.relative_to(site)}: no #{fragment}"
    assert "<base" not in "".join(p.read_text(encoding="utf-8") for p in pages)


def test_every_page_passes_the_nu_html_checker(built):
    site, _ = built
    pages = [str(p) for p in sorted(site.rglob("*.html")) if "pagefind" not in p.parts]
    vnu = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    done = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--format", "gnu", *pages],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr or done.stdout


def test_github_pages_files(built):
    site, base = built
    assert (site / ".nojekyll").is_file()
    assert (site / "404.html").is_file() and f'href="{base}notes/"' in (site / "404.html").read_text()
    assert (site / "robots.txt").read_text().startswith("User-agent: *")


def test_feeds_parse_and_list_articles_and_notes(built):
    site, base = built
    articles = ET.parse(site / "feed.xml").getroot()
    assert articles.tag == f"{ATOM}feed"
    assert [e.find(f"{ATOM}title").text for e in articles.iter(f"{ATOM}entry")] == [
        "Report: U.S. intercepts French phone calls on a 'massive scale'"]
    notes = ET.parse(site / "notes.xml").getroot()
    note_count = len(list((REPO / "annotations").glob("*/*.md")))
    entries = list(notes.iter(f"{ATOM}entry"))
    assert len(entries) == note_count
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith(f"{base}nsa-france-phone-calls/#note-")
        assert entry.find(f"{ATOM}updated").text.endswith("Z")


def test_sitemap_lists_every_page(built):
    site, base = built
    listed = {loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")}
    pages = {base + str(p.parent.relative_to(site)).replace(".", "").strip("/") + "/"
             for p in site.rglob("index.html") if "pagefind" not in p.parts}
    assert {page.replace("//", "/") for page in pages} == listed


def test_article_page_metadata(built):
    site, base = built
    page = (site / "nsa-france-phone-calls" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}nsa-france-phone-calls/">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<link rel="alternate" type="application/ld+json" title="Notes as W3C Web Annotations" href="{base}nsa-france-phone-calls/annotations.jsonld">' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "NewsArticle" and data["isBasedOn"]["@type"] == "NewsArticle"
    assert data["isBasedOn"]["publisher"]["name"] == "CNN"
    assert [a["name"] for a in data["isBasedOn"]["author"]] == ["Ed Payne", "Khushbu Shah"]


def test_absolute_base_url_makes_absolute_feed_and_canonical_urls(demo):
    result = run_cli("build", "--base-url", "https://example.github.io/glossator-demo/", cwd=demo)
    assert result.code == 0, result.stderr
    page = (demo / "_site" / "nsa-france-phone-calls" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.github.io/glossator-demo/nsa-france-phone-calls/">' in page
    assert 'href="/glossator-demo/static/style.css"' in page
    feed = ET.parse(demo / "_site" / "feed.xml").getroot()
    assert feed.find(f"{ATOM}id").text == "https://example.github.io/glossator-demo/feed.xml"
    assert "Sitemap: https://example.github.io/glossator-demo/sitemap.xml" in (demo / "_site" / "robots.txt").read_text()


def test_web_annotation_export_selects_each_quoted_passage(built):
    site, base = built
    folder = site / "nsa-france-phone-calls"
    text = (folder / "article.txt").read_text(encoding="utf-8")[:-1]
    collection = json.loads((folder / "annotations.jsonld").read_text(encoding="utf-8"))
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    page = collection["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0 and page["partOf"] == collection["id"]
    items = page["items"]
    assert collection["total"] == len(items) == len(list((REPO / "annotations").glob("*/*.md")))
    ids = set()
    for annotation in items:
        assert annotation["type"] == "Annotation" and annotation["motivation"] in MOTIVATIONS
        assert annotation["id"].startswith(f"{base}nsa-france-phone-calls/#note-")
        ids.add(annotation["id"])
        assert annotation["creator"]["name"] and re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", annotation["created"])
        body, *more = annotation["body"] if isinstance(annotation["body"], list) else [annotation["body"]]
        assert body["type"] == "TextualBody" and body["format"] == "text/html" and body["value"].startswith("<")
        for extra in more:  # a correction's reading, then the note's sources
            assert extra.get("purpose") == "editing" or (extra["type"] == "Text" and extra["id"].startswith("http"))
        target = annotation["target"]
        assert target["source"] == f"{base}nsa-france-phone-calls/"
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[max(0, start - 32):start] == quote["prefix"] and text[end:end + 32] == quote["suffix"]
    assert len(ids) == len(items)
    motivations = {a["id"].rsplit("-", 1)[0]: a["motivation"] for a in items}
    assert "editing" in motivations.values() and "questioning" in motivations.values()


def test_workflows_pass_actionlint_and_deploy_with_the_official_actions():
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["check.yml", "pages.yml"]
    actionlint = Path(sys.executable).parent / "actionlint"
    done = subprocess.run([str(actionlint), *map(str, workflows)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    pages = yaml.safe_load(workflows[1].read_text())
    steps = [step.get("uses", "") for job in pages["jobs"].values() for step in job["steps"]]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert any(uses.startswith(action + "@") for uses in steps), action
    assert "steps.pages.outputs.base_url" in workflows[1].read_text()
    build_steps = pages["jobs"]["build"]["steps"]
    cache = next(i for i, step in enumerate(build_steps) if step.get("uses", "").startswith("actions/cache@"))
    build = next(i for i, step in enumerate(build_steps) if "build.py build" in step.get("run", ""))
    cached = build_steps[cache]["with"]["path"].split()
    assert cache < build and cached[0] == ".glossator-cache" and "!.glossator-cache/builds" in cached
    check = yaml.safe_load(workflows[0].read_text())
    triggers = check.get("on", check.get(True))  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    commands = " ".join(step.get("run", "") for job in check["jobs"].values() for step in job["steps"])
    assert "build.py check" in commands and "make test" in commands


def test_the_pull_request_check_refuses_what_the_deploy_refuses():
    """The deploy builds with --strict, so a warning fails it; the check of a pull request must fail
    on the same warning, or a contributor learns of it only after the merge."""
    def runs(workflow: str) -> list[str]:
        jobs = yaml.safe_load((REPO / ".github" / "workflows" / workflow).read_text())["jobs"]
        return [step.get("run", "") for job in jobs.values() for step in job["steps"]]

    assert any("build.py build" in run and "--strict" in run for run in runs("pages.yml"))
    assert any("build.py check" in run and "--strict" in run for run in runs("check.yml"))


def test_feeds_carry_only_the_newest_entries():
    from glossator.config import SiteConfig
    from glossator.syndication import FEED_ENTRIES, atom_feed

    config = SiteConfig(Path("."), "T", "", "en", "/", "default", "", ())
    entries = [(f"2020-01-{day:02d}T00:00:00Z", f"<entry>{day}</entry>") for day in range(1, 29)] * 3
    feed = atom_feed(config, "T", "feed.xml", entries)
    assert feed.count("<entry>") == FEED_ENTRIES < len(entries)
    assert "<entry>28</entry>" in feed and "<entry>1</entry>" not in feed


def test_long_lists_are_split_into_linked_pages(tmp_path, monkeypatch):
    """Index, notes, errata and contributors are paginated as Hugo and Jekyll do: each note is
    on exactly one notes page, pages link to each other, and every link resolves."""
    from bench.generate import generate
    from glossator import edition as edition_pages
    from glossator.pipeline import build as build_site

    root = generate(12, tmp_path / "edition")
    monkeypatch.setattr(edition_pages, "ARTICLES_PER_PAGE", 5)
    monkeypatch.setattr(edition_pages, "NOTES_PER_PAGE", 40)
    build_site(root, root / "_site", base_url="/repo/")
    site = root / "_site"
    assert sorted(p.relative_to(site).as_posix() for p in site.glob("page/*/index.html")) == \
        ["page/2/index.html", "page/3/index.html"]
    notes_pages = [site / "notes/index.html"] + sorted((site / "notes/page").glob("*/index.html"))
    assert len(notes_pages) == 5  # 180 notes, 40 a page
    entries = [re.findall(r'<li class="note-entry[^"]*" id="([^"]+)"', p.read_text()) for p in notes_pages]
    every = [entry for page in entries for entry in page]
    assert len(every) == len(set(every)) == 12 * 15
    second = (site / "notes/page/2/index.html").read_text()
    assert '<link rel="canonical" href="/repo/notes/page/2/">' in second
    assert 'rel="prev" href="/repo/notes/"' in second and 'rel="next" href="/repo/notes/page/3/"' in second
    for page in (p for p in site.rglob("*.html") if "pagefind" not in p.parts):
        for link in parse_page(page).links:
            target = resolve(site, "/repo/", page, link)
            if target is not None:
                assert target[0].is_file(), f"{link} in {page.relative_to(site)} leads nowhere"


def test_the_output_folder_is_checked_and_a_killed_builds_leftovers_are_removed(tmp_path):
    """publishing on its own: a site folder replaced whole, never the project or a folder of other files."""
    from glossator.config import SiteConfig
    from glossator.diagnostics import UserError
    from glossator.publishing import SiteManifest, check_output_folder, is_folder, remove_leftovers

    config = SiteConfig(tmp_path, "T", "", "en", "/", "default", "", ())
    for refused in (tmp_path, tmp_path / "content", tmp_path.parent):
        with pytest.raises(UserError):
            check_output_folder(config, refused)
    (tmp_path / "notes-of-mine").mkdir()
    (tmp_path / "notes-of-mine" / "todo.txt").write_text("x")
    with pytest.raises(UserError):
        check_output_folder(config, tmp_path / "notes-of-mine")
    check_output_folder(config, tmp_path / "_site")  # not there yet: fine
    site = tmp_path / "_site"
    site.mkdir()
    identity = SiteManifest.identity(site)
    assert is_folder(site, identity) and not is_folder(tmp_path / "other", identity)
    for leftover in ("_site.tmp-123", "_site.old-456"):
        (tmp_path / leftover).mkdir()
    remove_leftovers(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "notes-of-mine"]
