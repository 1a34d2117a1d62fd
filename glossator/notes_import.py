"""Importing notes: annotations made elsewhere become note files of an article, each anchored
with the build's own anchoring before anything is written.

Read: a W3C Web Annotation document (one Annotation, an AnnotationPage, or an
AnnotationCollection with its pages embedded: Glossator's own `annotations.jsonld` among them)
or a Hypothesis API search response (`{"total": ..., "rows": [...]}`, or a list of its rows).
Every annotation gets one outcome: written, already there (importing a file again changes
nothing), or skipped with the reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from .anchoring import Anchor, Anchorer
from .articles import Article, load_article
from .config import SLUG, SiteConfig, load_config
from .diagnostics import Diagnostic, Report, UserError
from .files import write_atomically
from .importer import escape_markdown, slugify
from .notes import Note, Source, front_matter_lines, public_source
from .rendering import article_text
from .syndication import article_plain_text

MAX_BYTES = 20_000_000  # a larger file is refused: a class's annotations of one article are far smaller
NOTE_ID_PREFIX = re.compile(r"#note-(?P<id>[a-z0-9-]+)$")  # Glossator's own export: .../<slug>/#note-<id>
LINK = re.compile(r"\[(?P<title>[^\]]+)\]\((?P<url>https?://[^\s)]+)\)")


@dataclass(frozen=True)
class Incoming:
    """One annotation as read, whatever its format."""

    source_id: str
    line: int  # where it starts in the file, for messages
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    position: tuple[int, int] | None = None  # over the annotated page's text
    page: str = ""  # the annotated page's address
    body: str = ""  # Markdown
    labels: tuple[str, ...] = ()  # tags, then motivations, in the order given
    author: str = ""
    created: str = ""
    corrected: str = ""
    sources: tuple[tuple[str, str], ...] = ()  # (title, url)
    reply_to: str = ""
    hidden: bool = False
    replies: tuple[tuple[str, str], ...] = ()  # (author, Markdown), folded in on request


@dataclass(frozen=True)
class Outcome:
    """What became of one annotation: 'written', 'already there' or 'skipped', and why."""

    incoming: Incoming
    status: str
    detail: str
    path: str = ""
    text: str = ""  # the note file to write, for 'written'

    def format(self, shown_path: str) -> str:
        where = f"{shown_path}:{self.incoming.line}:1: "
        if self.status == "skipped":
            return where + f"skipped: {self.detail}"
        return where + f"{self.status}: {self.path}" + (f" ({self.detail})" if self.detail else "")


# --- reading -------------------------------------------------------------------------------

def read_annotations(path: Path, shown_path: str) -> list[Incoming]:
    """The annotations in a file, in the order given; a user error for what is not one."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError([Diagnostic(shown_path, 1, 1, f"cannot read file: {exc.strerror}")])
    if len(raw) > MAX_BYTES:
        raise UserError([Diagnostic(shown_path, 1, 1, f"file is too large ({len(raw):,} bytes)",
                                    f"import at most {MAX_BYTES:,} bytes at a time: split the export")])
    try:
        text = raw.decode("utf-8-sig")
        document = json.loads(text)
    except UnicodeDecodeError:
        raise UserError([Diagnostic(shown_path, 1, 1, "file is not UTF-8 text", "export the annotations as JSON")])
    except json.JSONDecodeError as exc:
        raise UserError([Diagnostic(shown_path, exc.lineno, exc.colno, f"malformed JSON: {exc.msg}",
                                    "export the annotations again, or fix the file at this place")])
    except RecursionError:
        raise UserError([Diagnostic(shown_path, 1, 1, "JSON nested too deeply to be an annotation export",
                                    "export the annotations again")])
    lines = _Lines(text)
    items = _hypothesis_rows(document)
    if items is not None:
        return [_from_hypothesis(row, lines.of(row)) for row in items if isinstance(row, dict)]
    items = _w3c_annotations(document)
    if items is None:
        raise UserError([Diagnostic(shown_path, 1, 1, "no annotations found in this JSON",
                                    "import a W3C Web Annotation document (an Annotation, AnnotationPage or "
                                    "AnnotationCollection) or a Hypothesis API search response")])
    return [_from_w3c(annotation, lines.of(annotation)) for annotation in items]


def _dict(value) -> dict:
    """A field that should hold an object: anything else counts as an empty one."""
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    """A field that may hold one value or a list of them, as a list (None: empty)."""
    return value if isinstance(value, list) else [] if value is None else [value]


def _text(value) -> str:
    """A field that should hold text: a number is written out, anything else is empty."""
    return value if isinstance(value, str) else str(value) if isinstance(value, (int, float)) else ""


class _Lines:
    """The line of each annotation in the file, found in one pass: annotations are looked up in
    the order they are written, each from where the previous one was found."""

    def __init__(self, text: str):
        self.text, self.position, self.line = text, 0, 1

    def of(self, item: dict) -> int:
        source_id = _text(item.get("id"))
        found = self.text.find(json.dumps(source_id, ensure_ascii=False), self.position) if source_id else -1
        if found < 0:
            return self.line
        self.line += self.text.count("\n", self.position, found)
        self.position = found
        return self.line


def _hypothesis_rows(document) -> list | None:
    if isinstance(document, dict) and isinstance(document.get("rows"), list):
        return document["rows"]
    if isinstance(document, list) and document and all(isinstance(r, dict) and "user" in r for r in document):
        return document
    return None


def _w3c_annotations(document) -> list[dict] | None:
    """The annotations of a W3C document, following embedded pages (`first`, `next`)."""
    if isinstance(document, list):
        found = [item for item in document if isinstance(item, dict) and _is_type(item, "Annotation")]
        return found or None
    if not isinstance(document, dict):
        return None
    if _is_type(document, "Annotation"):
        return [document]
    if _is_type(document, "AnnotationPage"):
        return [item for item in _list(document.get("items")) if isinstance(item, dict)]
    if _is_type(document, "AnnotationCollection"):
        found, page, seen = [], document.get("first"), 0
        while isinstance(page, dict) and seen < 10_000:
            found += [item for item in _list(page.get("items")) if isinstance(item, dict)]
            page, seen = page.get("next"), seen + 1
        return found
    return None


def _is_type(item, name: str) -> bool:
    return isinstance(item, dict) and name in _list(item.get("type"))


def _from_hypothesis(row: dict, line: int) -> Incoming:
    target = next((t for t in _list(row.get("target")) if isinstance(t, dict)), {})
    quote, position = _selectors(target.get("selector"))
    references = [_text(reference) for reference in _list(row.get("references"))]
    author = _text(_dict(row.get("user_info")).get("display_name")).strip() or _hypothesis_user(_text(row.get("user")))
    body = _text(row.get("text"))
    return Incoming(
        source_id=_text(row.get("id")), line=line, **quote, position=position,
        page=_text(target.get("source")) or _text(row.get("uri")), body=body,
        labels=tuple(_text(tag) for tag in _list(row.get("tags"))), author=author,
        created=_text(row.get("created")), sources=_links(body),
        reply_to=references[0] if references else "",  # the thread's first annotation
        hidden=bool(row.get("hidden") or row.get("flagged") or _dict(row.get("moderation")).get("is_hidden")),
    )


def _hypothesis_user(user: str) -> str:
    """'acct:ana@hypothes.is' -> '@ana'."""
    match = re.match(r"^acct:([^@]+)@", user)
    return f"@{match.group(1)}" if match else user


def _selectors(selectors) -> tuple[dict, tuple[int, int] | None]:
    quote, position = {}, None
    for selector in _list(selectors):
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextQuoteSelector" and not quote:
            quote = {"quote": _text(selector.get("exact")), "prefix": _text(selector.get("prefix")),
                     "suffix": _text(selector.get("suffix"))}
        elif selector.get("type") == "TextPositionSelector" and position is None:
            if isinstance(selector.get("start"), int) and isinstance(selector.get("end"), int):
                position = (selector["start"], selector["end"])
    return quote, position


def _from_w3c(annotation: dict, line: int) -> Incoming:
    target = next((t for t in _list(annotation.get("target")) if isinstance(t, (dict, str))), {})
    target = {"source": target} if isinstance(target, str) else target
    quote, position = _selectors(target.get("selector"))
    bodies = _list(annotation.get("body"))
    text, corrected, sources = "", "", []
    for body in bodies:
        if _is_type(body, "TextualBody") and body.get("purpose") == "editing":
            corrected = _text(body.get("value"))
        elif _is_type(body, "TextualBody") and body.get("purpose") != "tagging":
            text = _markdown(_text(body.get("value")), _text(body.get("format")) or "text/plain")
        elif isinstance(body, (dict, str)):  # a linked resource: the note's evidence
            address = body if isinstance(body, str) else _text(body.get("id"))
            title = address if isinstance(body, str) else _text(body.get("dc:title")) or address
            sources.append((title, address))
    tags = [_text(body.get("value")) for body in bodies if isinstance(body, dict) and body.get("purpose") == "tagging"]
    motivations = [_text(m) for m in _list(annotation.get("motivation"))]
    creator = next(iter(_list(annotation.get("creator"))), "")
    author = _text(creator.get("name")) or _text(creator.get("nickname")) if isinstance(creator, dict) else _text(creator)
    return Incoming(
        source_id=_text(annotation.get("id")), line=line, **quote, position=position,
        page=_text(target.get("source")), body=text, labels=tuple(tags) + tuple(motivations),
        author=author.strip(), created=_text(annotation.get("created")), corrected=corrected,
        sources=tuple(sources) or _links(text),
        reply_to=_text(target.get("source")) if "replying" in motivations else "",  # a reply targets the annotation
    )


def _markdown(value: str, media_type: str) -> str:
    """A body as Markdown: HTML converted (links kept), plain text escaped."""
    if media_type == "text/html":
        from markdownify import markdownify  # only an HTML body needs it

        return markdownify(value, heading_style="ATX", bullets="-").strip()
    if media_type == "text/markdown":
        return value.strip()
    return "\n\n".join(escape_markdown(part.strip()) for part in value.split("\n\n") if part.strip())


def _links(markdown_text: str) -> tuple[tuple[str, str], ...]:
    """The links of a body, as the note's sources: in an annotation, links are its evidence."""
    return tuple(dict.fromkeys((m["title"], m["url"]) for m in LINK.finditer(markdown_text)))


# --- deciding ------------------------------------------------------------------------------

def import_notes(root: Path, file: Path, slug: str, dry_run: bool = False, with_replies: bool = False,
                 shown_path: str | None = None) -> list[Outcome]:
    """Anchor every annotation of `file` against the article `slug`, then write the notes
    that anchor (unless `dry_run`); returns one outcome per annotation, in the file's order."""
    shown_path = shown_path or str(file)
    config = load_config(root)
    article = _article(config, slug)
    incoming = read_annotations(file, shown_path)
    incoming, folded = _fold_replies(incoming) if with_replies else (incoming, set())
    anchorer = Anchorer(article_text(article), article.shown_path)
    pages = _Pages.of(config, article)
    outcomes: list[Outcome] = []
    written: set[str] = set()
    for item in incoming:
        outcome = _decide(config, article, anchorer, pages, item, item.source_id in folded)
        if outcome.status == "written" and outcome.path in written:
            outcome = replace(outcome, status="already there", text="")
        if outcome.status == "written":
            written.add(outcome.path)
            if not dry_run:
                write_atomically(config.root / outcome.path, [outcome.text.encode("utf-8")])
        outcomes.append(outcome)
    return outcomes


def _article(config: SiteConfig, slug: str) -> Article:
    path = config.content_dir / f"{slug}.md"
    if not SLUG.match(slug) or not path.is_file():
        known = sorted(p.stem for p in config.content_dir.glob("*.md"))
        raise UserError([Diagnostic(f"content/{slug}.md", 1, 1, f"no article '{slug}'",
                                    "articles: " + (", ".join(known) or "none"))])
    report = Report()
    article = load_article(path, f"content/{slug}.md", report)
    if article is None:
        raise UserError(report.sorted())
    return article


@dataclass(frozen=True)
class _Pages:
    """The pages an annotation of the article may target, as `_page_key`s."""

    own: str  # the article's page in the edition, as the export names it
    original: str  # where it was first published: its `source`, or ''
    edition: str  # the edition's root ('/' when the base URL is only a path)

    @staticmethod
    def of(config: SiteConfig, article: Article) -> _Pages:
        return _Pages(_page_key(config.absolute_url(f"{article.slug}/")),
                      _page_key(article.source) if article.source else "", _page_key(config.absolute_url("")) or "/")

    def foreign(self, address: str) -> bool:
        """Whether an annotation of `address` is of another page: any page but these two when
        the article has a source; without one, only the edition's other pages."""
        key = _page_key(address)
        if key in (self.own, self.original):
            return False
        return bool(self.original) or key.startswith(self.edition)


def _page_key(address: str) -> str:
    """An address compared without scheme, 'www.', query, fragment or final slash."""
    try:
        parts = urlsplit(address.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:  # not an address at all ('http://[oops')
        return address
    return f"{host}{parts.path.rstrip('/')}"


def _fold_replies(incoming: list[Incoming]) -> tuple[list[Incoming], set[str]]:
    """Each reply appended, in the file's order, to the body of the annotation its thread
    starts with (a reply to a reply goes up the thread); hidden replies never. Returns the
    annotations and the ids of the replies folded in."""
    parent = {item.source_id: item.reply_to for item in incoming if item.reply_to}
    roots = {item.source_id: item for item in incoming if not item.reply_to}
    folded = set()
    for item in incoming:
        root_id, steps = item.reply_to, 0
        while root_id in parent and steps < len(parent):
            root_id, steps = parent[root_id], steps + 1
        root = roots.get(root_id)
        if item.reply_to and root is not None and not item.hidden and item.body.strip():
            roots[root_id] = replace(root, replies=root.replies + ((item.author, item.body.strip()),))
            folded.add(item.source_id)
    return [roots.get(item.source_id, item) for item in incoming], folded


def _decide(config: SiteConfig, article: Article, anchorer: Anchorer, pages: _Pages, item: Incoming,
            folded: bool) -> Outcome:
    why = _refusal(item, pages, folded)
    if why:
        return Outcome(item, "skipped", why)
    note_id = _note_id(item.source_id, item.quote)
    path = f"annotations/{article.slug}/{note_id}.md"
    sources = tuple(Source(title, url) for title, url in item.sources if public_source(url))  # as the check wants
    note = Note(note_id, article.slug, path, _note_type(config, item.labels), item.quote, item.prefix, item.suffix,
                None, item.author, sources, item.corrected,
                item.created[:10], item.body, (("quote", 1, 1),))
    # Positions break ties only when they count over this edition's text: its own export.
    own_page = _page_key(item.page) == pages.own
    anchored = _anchor(anchorer, note, item.position if own_page else None)
    if isinstance(anchored, Diagnostic):
        return Outcome(item, "skipped", _why_not(anchored, article))
    if (config.root / path).exists():
        return Outcome(item, "already there", "", path)
    return Outcome(item, "written", "", path, note_file(anchored, item))


def _why_not(problem: Diagnostic, article: Article) -> str:
    """Anchoring's message on one line: the closest passage when there is no match, the lines
    of the matches when there are several."""
    hint = problem.hint.splitlines()
    lines = [line.split(":")[1] for line in hint if line.startswith(article.shown_path + ":")]
    if lines:
        return f"{problem.message}, at lines {', '.join(lines)} of {article.shown_path}"
    return problem.message + (f"; {hint[0]}" if hint else "")


def _refusal(item: Incoming, pages: _Pages, folded: bool) -> str:
    """Why an annotation cannot become a note before it is even anchored, or ''."""
    if item.reply_to:
        return "a reply" + (", folded into the note it answers" if folded else
                            " (with --with-replies, replies are appended to the note their thread starts with)")
    if item.hidden:
        return "hidden or flagged by a moderator"
    if not item.quote.strip():
        return "a page note: it quotes no passage (no TextQuoteSelector)"
    if item.page and pages.foreign(item.page):
        return f"an annotation of another page ({item.page}), not of this article"
    if not item.author:
        return "no author (creator or user) to credit"
    return ""


def _anchor(anchorer: Anchorer, note: Note, position: tuple[int, int] | None) -> Note | Diagnostic:
    """The note with the selectors that pick its passage: the annotation's own prefix and
    suffix when they fit (another site's page has other text around the passage, so they are
    dropped when they fit nothing), the position when it counts over this article's text (an
    export of this edition), and the shortest prefix, suffix or occurrence, as `build.py note`."""
    attempts = [note, replace(note, suffix=""), replace(note, prefix=""), replace(note, prefix="", suffix="")]
    result: Anchor | Diagnostic | None = None
    for attempt in attempts:
        result = anchorer.resolve(attempt)
        if isinstance(result, Anchor) or "fits none" not in result.message:
            break
    if isinstance(result, Diagnostic) and result.message.startswith("ambiguous") and position:
        result = _by_position(anchorer, attempt, position)
    if not isinstance(result, Anchor):
        return result
    return anchorer.simplest_selectors(note, result)


def _by_position(anchorer: Anchorer, note: Note, position: tuple[int, int]) -> Anchor | Diagnostic:
    """The match that starts where the export's TextPositionSelector says, counted over the
    article's plain text as the export counts it."""
    _, offsets = article_plain_text(anchorer.text)
    for number, match in enumerate(anchorer.matches(note.quote), start=1):
        start, _ = anchorer.norms[match.block].original(match.start, match.end)
        if offsets[id(anchorer.blocks[match.block])] + start == position[0]:
            return anchorer.resolve(replace(note, prefix="", suffix="", occurrence=number))
    return anchorer.resolve(note)


def _note_type(config: SiteConfig, labels: tuple[str, ...]) -> str:
    """The first label (a tag, then a motivation) that names a type, else context."""
    for label in labels:
        wanted = label.strip().lower()
        for note_type in config.note_types:
            if wanted in {note_type.id, note_type.label.lower(), note_type.plural.lower(), note_type.motivation,
                          *note_type.tags}:
                return note_type.id
    return "context" if config.note_type("context") else config.note_types[0].id


def _note_id(source_id: str, quote: str) -> str:
    """Stable and unique: a note of Glossator's own export keeps its id; any other annotation
    gets one from its id, with a short hash of the whole id so that two never share one."""
    own = NOTE_ID_PREFIX.search(source_id)
    if own and SLUG.match(own["id"]):
        return own["id"]
    tail = source_id.rstrip("/").rsplit("/", 1)[-1]
    base = slugify(tail, max_length=40, fallback="") or slugify(quote, max_length=30, fallback="note")
    return f"{base}-{hashlib.sha256(source_id.encode()).hexdigest()[:6]}"


def note_file(note: Note, item: Incoming) -> str:
    """The note file: front matter, then the body (with replies, when folded in)."""
    lines = ["---", *front_matter_lines(note), "---", item.body.strip()]
    for author, reply in item.replies:
        lines += ["", f"Reply by {escape_markdown(author, at_line_start=False)}: {reply}"]
    return "\n".join(lines).rstrip("\n") + "\n"
