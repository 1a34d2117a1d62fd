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
from .notes import Note, Source
from .rendering import article_text
from .yamldoc import yaml_scalar

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
    items = _hypothesis_rows(document)
    if items is not None:
        return [_from_hypothesis(row, _line_of(text, row)) for row in items if isinstance(row, dict)]
    items = _w3c_annotations(document)
    if items is None:
        raise UserError([Diagnostic(shown_path, 1, 1, "no annotations found in this JSON",
                                    "import a W3C Web Annotation document (an Annotation, AnnotationPage or "
                                    "AnnotationCollection) or a Hypothesis API search response")])
    return [_from_w3c(annotation, _line_of(text, annotation)) for annotation in items]


def _line_of(text: str, item: dict) -> int:
    """The line where an annotation starts in the file: where its id is first written."""
    key = json.dumps(item.get("id", ""), ensure_ascii=False)
    found = text.find(key) if item.get("id") else -1
    return text.count("\n", 0, found) + 1 if found >= 0 else 1


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
        return [item for item in document.get("items", []) if isinstance(item, dict)]
    if _is_type(document, "AnnotationCollection"):
        found, page = [], document.get("first")
        while isinstance(page, dict):
            found += [item for item in page.get("items", []) if isinstance(item, dict)]
            page = page.get("next")
        return found
    return None


def _is_type(item: dict, name: str) -> bool:
    kinds = item.get("type", [])
    return name in (kinds if isinstance(kinds, list) else [kinds])


def _from_hypothesis(row: dict, line: int) -> Incoming:
    target = next((t for t in row.get("target", []) if isinstance(t, dict)), {})
    quote, position = _selectors(target.get("selector", []))
    references = row.get("references") or []
    author = ((row.get("user_info") or {}).get("display_name") or "").strip() or _hypothesis_user(row.get("user", ""))
    body = str(row.get("text") or "")
    return Incoming(
        source_id=str(row.get("id", "")), line=line, **quote, position=position,
        page=str(target.get("source") or row.get("uri") or ""), body=body,
        labels=tuple(str(tag) for tag in row.get("tags") or []), author=author,
        created=str(row.get("created", "")), sources=_links(body),
        reply_to=str(references[0]) if references else "",
        hidden=bool(row.get("hidden") or row.get("flagged") or (row.get("moderation") or {}).get("is_hidden")),
    )


def _hypothesis_user(user: str) -> str:
    """'acct:ana@hypothes.is' -> '@ana'."""
    match = re.match(r"^acct:([^@]+)@", user)
    return f"@{match.group(1)}" if match else user


def _selectors(selectors) -> tuple[dict, tuple[int, int] | None]:
    quote, position = {}, None
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextQuoteSelector" and not quote:
            quote = {"quote": str(selector.get("exact", "")), "prefix": str(selector.get("prefix", "")),
                     "suffix": str(selector.get("suffix", ""))}
        elif selector.get("type") == "TextPositionSelector" and position is None:
            if isinstance(selector.get("start"), int) and isinstance(selector.get("end"), int):
                position = (selector["start"], selector["end"])
    return quote, position


def _from_w3c(annotation: dict, line: int) -> Incoming:
    targets = annotation.get("target", [])
    target = next((t for t in (targets if isinstance(targets, list) else [targets])), {})
    if isinstance(target, str):
        target = {"source": target}
    quote, position = _selectors(target.get("selector", []))
    bodies = annotation.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    text, corrected, sources = "", "", []
    for body in bodies:
        if isinstance(body, str):
            sources.append((body, body))
        elif _is_type(body, "TextualBody") and body.get("purpose") == "editing":
            corrected = str(body.get("value", ""))
        elif _is_type(body, "TextualBody") and body.get("purpose") != "tagging":
            text = _markdown(str(body.get("value", "")), str(body.get("format", "text/plain")))
        elif isinstance(body, dict) and str(body.get("id", "")).startswith(("http://", "https://")):
            sources.append((str(body.get("dc:title") or body["id"]), str(body["id"])))  # a linked resource
    tags = [str(b.get("value", "")) for b in bodies if isinstance(b, dict) and b.get("purpose") == "tagging"]
    motivations = annotation.get("motivation", [])
    motivations = [str(m) for m in (motivations if isinstance(motivations, list) else [motivations])]
    creator = annotation.get("creator", "")
    creator = creator[0] if isinstance(creator, list) and creator else creator
    author = str(creator.get("name") or creator.get("nickname") or "") if isinstance(creator, dict) else str(creator)
    reply_to = target.get("source", "") if "replying" in motivations else ""  # a reply targets the annotation
    return Incoming(
        source_id=str(annotation.get("id", "")), line=line, **quote, position=position,
        page=str(target.get("source", "")), body=text, labels=tuple(tags) + tuple(motivations),
        author=author.strip(), created=str(annotation.get("created", "")), corrected=corrected,
        sources=tuple(sources) or _links(text), reply_to=str(reply_to),
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
    if with_replies:
        incoming = _fold_replies(incoming)
    anchorer = Anchorer(article_text(article), article.shown_path)
    pages = _pages_of(config, article)
    outcomes: list[Outcome] = []
    for item in incoming:
        outcome = _decide(config, article, anchorer, pages, item, with_replies)
        if outcome.status == "written" and any(o.path == outcome.path for o in outcomes):
            outcome = replace(outcome, status="already there", text="")
        if outcome.status == "written" and not dry_run:
            write_atomically(root / outcome.path, [outcome.text.encode("utf-8")])
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


def _pages_of(config: SiteConfig, article: Article) -> set[str]:
    """The addresses an annotation of this article may target, when the article has a
    `source`: the original's and its page in the edition (as the export names it)."""
    if not article.source:
        return set()  # any page: nothing says which one the article was first published on
    return {_page_key(config.absolute_url(f"{article.slug}/")), _page_key(article.source)}


def _page_key(address: str) -> str:
    """An address compared without scheme, 'www.', query, fragment or final slash."""
    parts = urlsplit(address.strip())
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def _fold_replies(incoming: list[Incoming]) -> list[Incoming]:
    """Each reply appended to the body of the annotation it answers (thread order)."""
    by_id = {item.source_id: item for item in incoming if not item.reply_to}
    for item in incoming:
        root = by_id.get(item.reply_to)
        if root is not None and item.body.strip():
            by_id[item.reply_to] = replace(root, replies=root.replies + ((item.author, item.body.strip()),))
    return [by_id.get(item.source_id, item) if not item.reply_to else item for item in incoming]


def _decide(config: SiteConfig, article: Article, anchorer: Anchorer, pages: set[str], item: Incoming,
            with_replies: bool) -> Outcome:
    why = _refusal(item, pages, with_replies)
    if why:
        return Outcome(item, "skipped", why)
    note_id = _note_id(item.source_id, item.quote)
    path = f"annotations/{article.slug}/{note_id}.md"
    note = Note(note_id, article.slug, path, _note_type(config, item.labels), item.quote, item.prefix, item.suffix,
                None, item.author, tuple(Source(title, url) for title, url in item.sources), item.corrected,
                item.created[:10], item.body, (("quote", 1, 1),))
    # Positions break ties only when they count over this edition's text: its own export.
    own_page = _page_key(item.page) == _page_key(config.absolute_url(f"{article.slug}/"))
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


def _refusal(item: Incoming, pages: set[str], with_replies: bool) -> str:
    """Why an annotation cannot become a note before it is even anchored, or ''."""
    if item.reply_to:
        return "a reply" + (", folded into the note it answers" if with_replies else
                            " (pass --with-replies to fold replies into the note they answer)")
    if item.hidden:
        return "hidden or flagged by a moderator"
    if not item.quote.strip():
        return "a page note: it quotes no passage (no TextQuoteSelector)"
    if item.page and pages and _page_key(item.page) not in pages:
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
    return _simplest_selectors(anchorer, replace(note, prefix="", suffix=""), result)


def _by_position(anchorer: Anchorer, note: Note, position: tuple[int, int]) -> Anchor | Diagnostic:
    """The match that starts where the export's TextPositionSelector says, counted over the
    article's plain text as the export counts it (blocks joined by blank lines)."""
    offset = 0
    for index, block in enumerate(anchorer.blocks):
        if offset <= position[0] < offset + len(block.text) + 2:
            for number, match in enumerate(anchorer.matches(note.quote), start=1):
                start, _ = anchorer.norms[match.block].original(match.start, match.end)
                if match.block == index and offset + start == position[0]:
                    return anchorer.resolve(replace(note, prefix="", suffix="", occurrence=number))
        offset += len(block.text) + 2
    return anchorer.resolve(note)


def _simplest_selectors(anchorer: Anchorer, bare: Note, anchor: Anchor) -> Note:
    matches = anchorer.matches(bare.quote)
    if len(matches) < 2:
        return bare
    match = next(m for m in matches if anchorer.blocks[m.block] is anchor.block
                 and anchorer.norms[m.block].original(m.start, m.end) == (anchor.start, anchor.end))
    prefix = anchorer.unique_prefix(match, matches)
    if prefix:
        return replace(bare, prefix=prefix)
    suffix = anchorer.unique_suffix(match, matches)
    return replace(bare, suffix=suffix) if suffix else replace(bare, occurrence=matches.index(match) + 1)


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
    lines = ["---", f"type: {note.type}", f"quote: {yaml_scalar(note.quote)}"]
    lines += [f"{key}: {yaml_scalar(value)}" for key, value in (("prefix", note.prefix), ("suffix", note.suffix)) if value]
    if note.occurrence is not None:
        lines.append(f"occurrence: {note.occurrence}")
    if note.corrected:
        lines.append(f"corrected: {yaml_scalar(note.corrected)}")
    lines.append(f"author: {yaml_scalar(note.author)}")
    if re.match(r"^\d{4}-\d{2}-\d{2}$", note.date):
        lines.append(f"date: {note.date}")
    if note.sources:
        lines.append("sources:")
        for source in note.sources:
            lines += [f"  - title: {yaml_scalar(source.title)}", f"    url: {yaml_scalar(source.url)}"]
    lines += ["---", item.body.strip()]
    for author, reply in item.replies:
        lines += ["", f"Reply by {escape_markdown(author, at_line_start=False)}: {reply}"]
    return "\n".join(lines).rstrip("\n") + "\n"
