"""Import: turns a scraped news page (plain text or saved HTML) into `content/<slug>.md`.

A page has a title, a byline, a timestamp and perhaps highlights at the top, then paragraphs
one to a line, with its outlet's clutter mixed in: photo galleries, video blocks, links to
related stories, advertisements. What is clutter is the business of the outlet's rule set
(`outlets.py`), chosen by the page. The words of the story are never changed: clutter is
dropped whole, and what the page prints twice is kept once.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from .config import SLUG
from .diagnostics import Diagnostic, UserError
from .files import write_atomically
from .outlets import OutletRules, rules_for
from .timestamps import looks_like_timestamp, parse_timestamp

HIGHLIGHTS_HEADING = re.compile(r"^(story highlights|highlights|key points)$", re.I)
BULLET = re.compile(r"^[•·▪◦*\-–]\s+")
BYLINE = re.compile(r"^(?:by|from)\s+(?P<names>.+)$", re.I)
DATELINE_OUTLET = re.compile(r"^(?:[A-Z][A-Za-z .,'-]*\s)?\((?P<outlet>[A-Z][A-Za-z&. ]{0,30})\)\s*(?:--|—|–)")
COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)\s*(?P<text>.*)$", re.I)
URL_LINE = re.compile(r"^(?:(?:source|url|link|original)\s*:\s*)?(?P<url>https?://\S+)$", re.I)
DURATION = re.compile(r"\s+\d{1,2}:\d{2}$")  # a video's title ends with its length
SENTENCE_END = re.compile(r"[.!?:;…]$")
CLOSERS = "\"'”’»)]"
# "<Topic>: <text>", the shape of a linked headline ("Flu season: Should you get the shot?") and of a
# speaker's label in a Q&A ("Q: ...", "Reyes: ..."): a short label that starts with a capital.
LABELLED = re.compile(r"^(?P<label>[A-Z][\w&'’.-]*(?: [\w&'’.-]+){0,3}):\s+(?P<text>\S.*)$")
ABBREVIATION = re.compile(r"^(?:(?:[A-Z]\.)+|Mr\.|Mrs\.|Ms\.|Dr\.|St\.|Jr\.|Sr\.|Gen\.|Sen\.|Rep\.|Gov\.|vs\.)$")
INNER_SENTENCE_END = re.compile(r"(\S*[.!?;])\s")
DOUBLE_QUOTES = "\"“”«»„"
# Labels of question-and-answer pages, and the words that make a label the lead-in of a sentence
# ("Her answer: Why not?", "Senator Ruiz asked: Who approved it?") rather than a topic.
QA_LABELS = {"q", "a", "question", "answer"}
LEAD_IN_FIRST = {"i", "he", "she", "we", "they", "it", "you", "his", "her", "their", "our", "my", "its",
                 "your", "this", "that", "these", "those", "there", "and", "but", "or", "so", "yet", "nor",
                 "then", "because", "if", "when", "while", "as", "for"}
LEAD_IN_WORDS = {"said", "says", "say", "asked", "asks", "ask", "asking", "told", "tells", "wrote", "writes",
                 "added", "adds", "wondered", "wonders", "replied", "replies", "answered", "tweeted",
                 "explained", "noted", "question", "questions", "answer", "reply"}

HEADING_MAX_WORDS = 6
PARAGRAPH_MIN_WORDS = 17


@dataclass
class ImportedArticle:
    """An article read from a scraped page: ordered front matter, Markdown body, warnings."""

    meta: dict[str, Any]
    body: str
    missing: list[str] = field(default_factory=list)
    moved: list[tuple[int, str]] = field(default_factory=list)  # (line, text) sent to `related`


# --- entry point ---------------------------------------------------------------------------

def import_page(page: Path, content_dir: Path, slug: str | None = None, force: bool = False,
                shown_path: str | None = None) -> tuple[Path, list[Diagnostic]]:
    """Import `page` into `content_dir`; returns the written file and the warnings."""
    shown_path = shown_path or str(page)
    raw = _read_page(page, shown_path)
    article = parse_html(raw, shown_path) if _is_html(page, raw) else parse_scraped_text(
        _decode_text(raw, shown_path), shown_path)
    slug = slug if slug is not None else slugify(article.meta["title"])
    if not SLUG.match(slug):
        raise UserError([Diagnostic(shown_path, 1, 1, f"bad slug {slug!r}",
                                    "a slug is lower-case letters, digits and hyphens, such as `nsa-france`")])
    target = content_dir / f"{slug}.md"
    if target.exists() and not force:
        raise UserError([Diagnostic(shown_path, 1, 1, f"{target} already exists",
                                    "pass --force to replace it, or --slug to give the article another name")])
    write_atomically(target, [render_article_file(article).encode("utf-8")])
    warnings = [Diagnostic(shown_path, 1, 1, f"no {name} found on the page",
                           f"the article was written without it: add `{key}:` to {target} by hand", "warning")
                for name, key in article.missing]
    warnings += [Diagnostic(shown_path, line, 1, f"read as a link to another story, not as text: {text}",
                            f"it is listed under `related:`; if it belongs to the story, move it into {target}",
                            "warning")
                 for line, text in article.moved]
    return target, warnings


def _read_page(page: Path, shown_path: str) -> bytes:
    try:
        raw = page.read_bytes()
    except FileNotFoundError:
        raise UserError([Diagnostic(shown_path, 1, 1, "file not found", "check the path of the page to import")])
    except OSError as exc:
        raise UserError([Diagnostic(shown_path, 1, 1, f"cannot read file: {exc.strerror}")])
    if not raw.strip():
        raise UserError([Diagnostic(shown_path, 1, 1, "file is empty", "save the whole page, as text or HTML")])
    if b"\x00" in raw[:8192]:
        raise UserError([Diagnostic(shown_path, 1, 1, "file is binary, not a page",
                                    "import a page saved as plain text or HTML")])
    return raw


def _is_html(page: Path, raw: bytes) -> bool:
    head = raw[:2048].lstrip().lower()
    return page.suffix.lower() in (".html", ".htm") or head.startswith((b"<!doctype html", b"<html"))


def _decode_text(raw: bytes, shown_path: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UserError([Diagnostic(shown_path, line, 1, "page is not valid UTF-8 text",
                                    "save the page as UTF-8, or import the saved HTML instead")])
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


# --- plain text ----------------------------------------------------------------------------

def parse_scraped_text(text: str, shown_path: str = "<page>") -> ImportedArticle:
    """Read a scraped page: header fields first, then the story, then the trailing lists."""
    page_lines = [line.strip() for line in text.split("\n")]
    rules = _rules_of_page(page_lines)
    lines, topics = _cut_coverage_list(page_lines, rules)
    header = _read_header(lines, rules, shown_path)
    story = StoryReader(rules).read(lines[header.body_start:])
    outlet = header.outlet or _dateline_outlet(header.stray_sentences + story.paragraphs)
    meta: dict[str, Any] = {"title": header.title}
    _put(meta, "authors", header.authors)
    _put(meta, "byline", header.byline)
    _put(meta, "outlet", outlet)
    if header.timestamp:
        meta[header.timestamp.kind] = header.timestamp.iso
    _put(meta, "highlights", header.highlights)
    _put(meta, "source", header.source or story.source)
    _put(meta, "rights", story.rights or _rights(outlet, header.timestamp.iso if header.timestamp else "", rules))
    _put(meta, "related", _unique(story.related))
    _put(meta, "topics", topics)
    missing = [(name, key) for name, key, value in (
        ("byline", "authors", header.authors), ("date", "updated", header.timestamp),
        ("outlet", "outlet", outlet)) if not value]
    moved = [(page_lines.index(line) + 1, line) for line in story.questions]
    blocks = [escape_markdown(line) for line in header.stray_sentences] + story.blocks
    return ImportedArticle(meta, "\n\n".join(blocks) + "\n", missing, moved)


def _rules_of_page(lines: list[str]) -> OutletRules:
    """The rules for this page's outlet, judged by the addresses, bylines and datelines it prints."""
    sources = [match["url"] for line in lines if (match := URL_LINE.match(line))]
    bylines = [_split_byline(line)[1] for line in lines[:80] if BYLINE.match(line) and len(line.split()) <= 16]
    datelines = [match["outlet"].strip() for line in lines if (match := DATELINE_OUTLET.match(line))]
    return rules_for(sources, bylines + datelines, lines)


def _put(meta: dict[str, Any], key: str, value: Any) -> None:
    if value:
        meta[key] = value


def _cut_coverage_list(lines: list[str], rules: OutletRules) -> tuple[list[str], list[str]]:
    """Drop the trailing list of the story's coverage ('Part of complete coverage on'); keep its topic."""
    if rules.coverage_start is None:
        return lines, []
    for index, line in enumerate(lines):
        if match := rules.coverage_start.match(line):
            rest = line[match.end():].strip()
            topic = rest or next((l for l in lines[index + 1:] if l), "")
            end = index
            while end > 0 and (not lines[end - 1] or lines[end - 1].lower() == "advertisement"):
                end -= 1
            return lines[:end], [topic] if topic and not looks_like_timestamp(topic) else []
    return lines, []


@dataclass
class _Header:
    title: str
    byline: str
    authors: list[str]
    outlet: str
    timestamp: Any
    highlights: list[str]
    source: str
    body_start: int
    stray_sentences: list[str]  # sentences among the header's lines, when the rules keep every sentence


def _read_header(lines: list[str], rules: OutletRules, shown_path: str) -> _Header:
    top = range(min(len(lines), 80))
    byline_at = next((i for i in top if BYLINE.match(lines[i]) and len(lines[i].split()) <= 16), None)
    time_at = next((i for i in top if looks_like_timestamp(lines[i])), None)
    highlights_at = next((i for i in top if HIGHLIGHTS_HEADING.match(lines[i])), None)
    markers = [i for i in (byline_at, time_at, highlights_at) if i is not None]
    if not markers:
        raise UserError([Diagnostic(shown_path, 1, 1, "no recognisable title, byline or date",
                                    "a page starts with its title, then 'By ...', then an 'updated ...' "
                                    "timestamp; check that this is a saved article page")])
    title_at = next((i for i in range(min(markers) - 1, -1, -1)
                     if lines[i] and not rules.is_furniture(lines[i]) and not URL_LINE.match(lines[i])), None)
    if title_at is None:
        raise UserError([Diagnostic(shown_path, min(markers) + 1, 1, "no recognisable title",
                                    "the headline must stand on its own line above the byline")])
    highlights, highlights_end = _read_highlights(lines, highlights_at)
    byline = lines[byline_at] if byline_at is not None else ""
    names, outlet = _split_byline(byline)
    last = max([title_at, highlights_end] + markers)
    source = next((URL_LINE.match(l)["url"] for l in lines[:last] if URL_LINE.match(l)), "")
    stray = []
    if rules.keeps_every_sentence:
        used = {title_at, *markers, *range(highlights_at or 0, highlights_end + 1)}
        stray = [line for index, line in enumerate(lines[:last + 1])
                 if index not in used and _is_sentence(line) and not _is_metadata(line)]
    return _Header(
        title=lines[title_at], byline=byline, authors=names, outlet=outlet,
        timestamp=parse_timestamp(lines[time_at]) if time_at is not None else None,
        highlights=highlights, source=source, body_start=last + 1, stray_sentences=stray,
    )


def _is_metadata(line: str) -> bool:
    """A line that says where the page comes from rather than what happened."""
    return bool(URL_LINE.match(line) or COPYRIGHT.match(line) or looks_like_timestamp(line))


def _read_highlights(lines: list[str], start: int | None) -> tuple[list[str], int]:
    if start is None:
        return [], -1
    items, end = [], start
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if not line:
            if items:
                break
            continue
        if not BULLET.match(line):
            break
        items.append(BULLET.sub("", line))
        end = index
    return items, end


def _split_byline(byline: str) -> tuple[list[str], str]:
    """'By A, B and C, CNN' -> (['A', 'B', 'C'], 'CNN')."""
    match = BYLINE.match(byline)
    if not match:
        return [], ""
    parts = [p.strip() for p in match["names"].split(",") if p.strip()]
    outlet = ""
    if len(parts) > 1 and _looks_like_outlet(parts[-1]):
        outlet = parts.pop()
    names: list[str] = []
    for part in parts:
        names.extend(n.strip() for n in re.split(r"\s+(?:and|&)\s+|^and\s+", part) if n.strip())
    return names, outlet


# How outlets' names end ("Example Times"), and people's names rarely do.
OUTLET_ENDINGS = ("staff", "wire", "news", "press", "times", "post", "journal", "herald", "tribune", "gazette",
                  "telegraph", "guardian", "observer", "chronicle", "magazine", "agency")


def _looks_like_outlet(text: str) -> bool:
    words = text.split()
    return len(words) <= 4 and (any(w.isupper() and len(w) > 1 for w in words)
                                or text.lower().endswith(OUTLET_ENDINGS))


def _dateline_outlet(paragraphs: list[str]) -> str:
    for paragraph in paragraphs[:3]:
        match = DATELINE_OUTLET.match(paragraph)
        if match:
            return match["outlet"].strip()
    return ""


def _rights(outlet: str, iso: str, rules: OutletRules) -> str:
    if not outlet:
        return ""
    year = iso[:4]
    holder = rules.rights_holder if rules.rights_holder and outlet in rules.names else outlet
    return f"© {year} {holder}" if year else f"© {holder}"


@dataclass
class _Story:
    blocks: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)  # question-shaped lines read as links
    rights: str = ""
    source: str = ""


class StoryReader:
    """Sorts each line of the story into paragraph, heading, caption, related link or clutter,
    by one outlet's rules. It reads a block at a time and remembers where it is: in a list of
    links after a gallery's "Photos:" link, or in a video block spread over several blocks."""

    def __init__(self, rules: OutletRules):
        self.rules = rules
        self.story = _Story()
        self.in_link_list = False
        self.video_blocks_left = 0

    def read(self, lines: list[str]) -> _Story:
        if self.rules.teasers:
            lines = _drop_teasers(lines)
        lines = self._drop_gallery_titles(lines)
        question_links = self._question_links(lines) if self.rules.question_links else set()
        for start, block in _blocks(lines):
            if self._read_video(block):
                continue
            if self._is_gallery(block):
                self._read_gallery(block)
                continue
            for offset, line in enumerate(block):
                if start + offset in question_links and not self.in_link_list:
                    self.story.related.append(line)
                    self.story.questions.append(line)
                else:
                    self._read_line(line)
        return self.story

    def _read_video(self, block: list[str]) -> bool:
        """Send a block of a video block's titles to related stories; False if it is none.
        A video block opens with a marker ("JUST WATCHED") and may spread over a few blocks,
        until the title that carries the video's length ("Title 02:18")."""
        lowered = {line.lower() for line in block}
        opens = bool(lowered & self.rules.video_markers)
        if not opens and not (self.video_blocks_left and not _is_paragraph(block)):
            self.video_blocks_left = 0
            return False
        self.story.related.extend(DURATION.sub("", line) for line in block
                                  if line.lower() not in self.rules.furniture and not line.isdigit())
        ends = any(DURATION.search(line) for line in block)
        self.video_blocks_left = 0 if ends else (self.rules.video_span if opens else self.video_blocks_left - 1)
        return True

    def _drop_gallery_titles(self, lines: list[str]) -> list[str]:
        """A gallery repeats its title in its 'Photos: <title>' link; the bare title line goes."""
        titles = set()
        for line in lines:
            if self.rules.is_gallery_link(line):
                link = _undoubled(line) or line
                titles.add(link.split(":", 1)[1].strip())
        return [line for line in lines if line not in titles]

    def _is_gallery(self, block: list[str]) -> bool:
        return any(self.rules.marks_gallery(line) or _undoubled(line) for line in block)

    def _read_gallery(self, block: list[str]) -> None:
        """Keep a gallery's caption once; drop its controls; its trailing links are related stories."""
        self.in_link_list = False
        for index, line in enumerate(block):
            next_line = block[index + 1].lower() if index + 1 < len(block) else ""
            caption = _undoubled(line)
            if self.rules.is_gallery_link(line):
                self.in_link_list = True
            elif caption:
                self.story.blocks.append(figure(caption))
            elif self.rules.is_furniture(line):
                continue
            elif self.in_link_list:
                self.story.related.append(line)
            elif next_line in self.rules.caption_controls and not _ends_sentence(line):
                continue  # the gallery's own title, when it has no "Photos:" link to repeat it
            elif _ends_sentence(line):
                self.story.blocks.append(figure(line))

    def _read_line(self, line: str) -> None:
        """Place one line of the story."""
        story, words = self.story, len(line.split())
        if self.rules.is_furniture(line) or looks_like_timestamp(line):
            return
        if COPYRIGHT.match(line) and words <= 20:
            story.rights = line
            return
        if URL_LINE.match(line):
            story.source = story.source or URL_LINE.match(line)["url"]
            return
        sentence = _ends_sentence(line)
        if self.in_link_list and words < PARAGRAPH_MIN_WORDS and (not sentence or line.endswith("?")):
            story.related.append(line)
            return
        self.in_link_list = False
        if sentence or words >= PARAGRAPH_MIN_WORDS:
            story.blocks.append(escape_markdown(line))
            story.paragraphs.append(line)
        elif self.rules.related_prefix.match(line) or words > HEADING_MAX_WORDS:
            story.related.append(line)
        else:
            story.blocks.append("## " + escape_markdown(line, at_line_start=False))

    def _question_links(self, lines: list[str]) -> set[int]:
        """Where a link to another story, written as a question, stands between the paragraphs.

        "Flu season: Should you get the shot?" ends like a sentence, but it is a linked headline: a
        short topic with a capital, a colon, then one question that starts with a capital, with no
        quotation marks and no other sentence inside. A question of the story stays: a quoted one, one
        that goes on from the paragraph before (which ends with a colon or a comma, or leaves a
        quotation open), a lead-in ("Her answer: Why not?", "Ruiz asked: Who approved it?") and the
        questions of an interview or a Q&A: "Q: ...?", a label that starts other lines of the story too
        (a speaker's name; the outlet's link words such as "Opinion:" are no speakers), or a question
        answered on the next line by another label ("Marsh: Always.").
        """
        labels = Counter(match["label"].lower() for line in lines if (match := LABELLED.match(line)))
        found = set()
        for index, line in enumerate(lines):
            if not _looks_like_question_link(line):
                continue
            if labels[LABELLED.match(line)["label"].lower()] > 1 and not self.rules.related_prefix.match(line):
                continue
            before = next((l for l in reversed(lines[:index]) if l), "")
            after = next((l for l in lines[index + 1:] if l), "")
            if before.rstrip(CLOSERS).endswith((":", ",", ";", "--", "—", "–")) or _leaves_quotation_open(before):
                continue
            if self._is_labelled_answer(after):
                continue
            found.add(index)
        return found

    def _is_labelled_answer(self, line: str) -> bool:
        """A line of a Q&A: a speaker's label, then words that end like a sentence but ask nothing."""
        match = LABELLED.match(line)
        return bool(match) and not self.rules.related_prefix.match(line) and not self.rules.is_gallery_link(line) \
            and _ends_sentence(line) and not line.rstrip(CLOSERS).endswith("?")


def _looks_like_question_link(line: str) -> bool:
    match = LABELLED.match(line)
    if not match or not line.endswith("?") or any(q in line for q in DOUBLE_QUOTES):
        return False
    words = match["label"].lower().split()
    text = match["text"]
    if " ".join(words) in QA_LABELS or words[0] in LEAD_IN_FIRST or LEAD_IN_WORDS & set(words):
        return False
    if not (text[0].isupper() or text[0].isdigit()) or len(line.split()) >= PARAGRAPH_MIN_WORDS:
        return False
    # One question: a full stop inside may only end an abbreviation ("Can U.S. repair ties?").
    return all(ABBREVIATION.match(token) for token in INNER_SENTENCE_END.findall(text))


def _leaves_quotation_open(line: str) -> bool:
    """A paragraph that opens a quotation and lets it run on into the next paragraph."""
    return line.count('"') % 2 == 1 or line.count("“") > line.count("”")


def _drop_teasers(lines: list[str]) -> list[str]:
    """Inside the story, an 'updated ...' line and the line after it tease another story."""
    kept, teaser_due = [], False
    for line in lines:
        if looks_like_timestamp(line):
            teaser_due = True
        elif teaser_due and line:
            teaser_due = False
        else:
            kept.append(line)
    return kept


def _is_paragraph(block: list[str]) -> bool:
    return any(_is_sentence(line) for line in block)


def _is_sentence(line: str) -> bool:
    """A line that reads as a sentence of the story: it ends like one, or it is long."""
    return _ends_sentence(line) or len(line.split()) >= PARAGRAPH_MIN_WORDS


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """The runs of non-blank lines, each with the index of its first line."""
    blocks, current, start = [], [], 0
    for index, line in enumerate(lines + [""]):
        if line:
            if not current:
                start = index
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    return blocks


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(CLOSERS)
    return bool(SENTENCE_END.search(stripped)) or (stripped != line and len(line.split()) > HEADING_MAX_WORDS)


def _undoubled(line: str) -> str:
    """The text of a line that repeats itself ('A. A.' -> 'A.'), or ''."""
    middle = len(line) // 2
    for cut in (middle, middle - 1, middle + 1):
        first, second = line[:cut].strip(), line[cut:].strip()
        if len(first) > 20 and first == second:
            return first
    return ""


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


# --- HTML ----------------------------------------------------------------------------------

def parse_html(raw: bytes, shown_path: str = "<page>") -> ImportedArticle:
    """Read a saved HTML page with trafilatura, then apply the plain-text rules to its text."""
    import trafilatura  # imported here: it is slow to load and only this path needs it

    document = trafilatura.bare_extraction(raw, with_metadata=True, include_formatting=False,
                                           include_comments=False, include_tables=False)
    if document is None or not getattr(document, "text", None):
        raise UserError([Diagnostic(shown_path, 1, 1, "no article text found in the HTML page",
                                    "save the article's own page, not an index or a login page")])
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    title = (data.get("title") or "").strip()
    if not title:
        raise UserError([Diagnostic(shown_path, 1, 1, "no recognisable title in the HTML page",
                                    "the page needs a <title> or an <h1> headline")])
    lines = [l.strip() for l in data["text"].split("\n")]
    sitename = (data.get("sitename") or "").strip()
    datelines = [match["outlet"].strip() for line in lines if (match := DATELINE_OUTLET.match(line))]
    rules = rules_for([data.get("url") or ""], [sitename, *datelines], lines)
    story = StoryReader(rules).read([l for l in lines if l != title and not _is_byline(l, rules)])
    kind, moment = _html_timestamp(raw)
    authors = [a.strip() for a in re.split(r";|,|\s+and\s+", data.get("author") or "") if a.strip()]
    outlet = sitename or _dateline_outlet(story.paragraphs)
    meta: dict[str, Any] = {"title": title}
    _put(meta, "authors", authors)
    _put(meta, "outlet", outlet)
    if moment or data.get("date"):
        meta[kind if moment else "updated"] = moment or data["date"]
    _put(meta, "source", data.get("url") or story.source)
    _put(meta, "rights", story.rights or _rights(outlet, moment or data.get("date") or "", rules))
    _put(meta, "related", _unique(story.related))
    missing = [(name, key) for name, key in (("byline", "authors"), ("outlet", "outlet")) if key not in meta]
    if "updated" not in meta and "published" not in meta:
        missing.append(("date", "updated"))
    # Lines of the extracted text, not of the HTML file: the warnings point at the page's top.
    return ImportedArticle(meta, "\n\n".join(story.blocks) + "\n", missing, [(1, line) for line in story.questions])


def _is_byline(line: str, rules: OutletRules) -> bool:
    """'By ...' or 'From ...' above the text; one that reads as a sentence stays, by the general rules."""
    return bool(BYLINE.match(line)) and not (rules.keeps_every_sentence and _is_sentence(line))


# Standard metadata (Open Graph, schema.org) that carries a full time with its offset.
_MODIFIED = ("//meta[@property='article:modified_time']/@content", "//meta[@property='og:updated_time']/@content",
             "//meta[@itemprop='dateModified']/@content")
_PUBLISHED = ("//meta[@property='article:published_time']/@content", "//meta[@itemprop='datePublished']/@content",
              "//meta[@name='date']/@content")


def _html_timestamp(raw: bytes) -> tuple[str, str]:
    """('updated' or 'published', ISO time with offset) from the page's metadata, or ('', '')."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(raw)
    except (ValueError, SyntaxError):
        return "", ""
    for kind, queries in (("updated", _MODIFIED), ("published", _PUBLISHED)):
        for query in queries:
            for value in tree.xpath(query):
                moment = _aware_iso(str(value).strip())
                if moment:
                    return kind, moment
    return "", ""


def _aware_iso(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return moment.isoformat() if moment.tzinfo else ""


# --- writing -------------------------------------------------------------------------------

def figure(caption: str) -> str:
    """A figure holding only its caption, in Markdown that Python-Markdown's md_in_html reads."""
    text = escape_markdown(caption, at_line_start=False)
    return f'<figure markdown="1">\n<figcaption markdown="span">{text}</figcaption>\n</figure>'


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]])")
_LINE_START_SPECIAL = re.compile(r"^(#|>|[-+*](?=\s)|\d+(?=[.)]\s)|=+$)")
_HTML_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def escape_markdown(text: str, at_line_start: bool = True) -> str:
    """Escape text so that Markdown shows it exactly as written."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _HTML_LIKE.sub("&lt;", _ENTITY_LIKE.sub("&amp;", text))
    if at_line_start:
        match = _LINE_START_SPECIAL.match(text)
        if match:
            token = match.group(1)
            text = (token + "\\" + text[len(token):]) if token[0].isdigit() else "\\" + text
    return text


def render_article_file(article: ImportedArticle) -> str:
    """The article file: YAML front matter between '---' lines, then the Markdown body."""
    front = yaml.safe_dump(article.meta, sort_keys=False, allow_unicode=True, width=1_000_000,
                           default_flow_style=False)
    return f"---\n{front}---\n\n{article.body}"


def slugify(title: str, max_length: int = 60, fallback: str = "article") -> str:
    """A URL-safe name from a title: 'Report: U.S. intercepts ...' -> 'report-us-intercepts-...'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_title.lower().replace(".", "").replace("'", "")).split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or fallback
