"""Rendering: Markdown to sanitized HTML, the text a reader sees as blocks, and highlights.

An article is shown as sections (its title, its highlights, its body). Each section's HTML is
split into tokens; every paragraph, heading, list item or caption is a `Block` whose text is
what the reader sees. Anchoring works on blocks; `mark_section` then wraps anchored ranges in
`<mark>` elements, one per text run, so a highlight may cross emphasis and links.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3

ARTICLE_TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "a", "ul", "ol", "li",
    "blockquote", "q", "cite", "code", "pre", "figure", "figcaption", "img", "table", "thead",
    "tbody", "tr", "th", "td", "caption", "sup", "sub", "abbr", "del", "ins", "s", "hr", "dl",
    "dt", "dd", "small", "span",
})
NOTE_TAGS = frozenset({
    "p", "br", "em", "strong", "b", "i", "a", "ul", "ol", "li", "blockquote", "q", "cite",
    "code", "pre", "sup", "sub", "abbr", "del", "ins", "s", "small",
})
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "img": {"src", "alt", "title"},
              "th": {"scope"}, "td": set(), "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow ugc"

TEXT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "td", "th", "dt",
               "dd", "pre", "caption", "blockquote"}
VOID = {"br", "img", "hr", "wbr"}


@functools.lru_cache(maxsize=None)
def _converter(*extensions: str) -> markdown.Markdown:
    """One Markdown instance per set of extensions and process, reset before each use (its
    `reset` clears what extensions keep between documents: references, footnotes, abbreviations);
    building an instance costs more than converting a note."""
    return markdown.Markdown(extensions=[made for name in extensions for made in _extension(name)],
                             output_format="html")


def _extension(name: str) -> list[markdown.extensions.Extension]:
    """An extension as objects. Given a name, Python-Markdown looks it up among the entry
    points of every installed package, which imports importlib.metadata (README, Speed)."""
    from markdown.extensions import abbr, attr_list, def_list, fenced_code, footnotes, md_in_html, sane_lists, tables

    return {
        "sane_lists": [sane_lists.SaneListExtension()],
        "extra": [  # what Python-Markdown's "extra" registers, in its order
            fenced_code.FencedCodeExtension(), footnotes.FootnoteExtension(), attr_list.AttrListExtension(),
            def_list.DefListExtension(), tables.TableExtension(), abbr.AbbrExtension(),
            md_in_html.MarkdownInHtmlExtension(),
        ],
    }[name]


def convert(text: str, *extensions: str) -> str:
    return _converter(*extensions).reset().convert(text)


def render_article_markdown(text: str) -> str:
    """An article body as sanitized HTML."""
    return sanitize(convert(text, "extra", "sane_lists"), ARTICLE_TAGS)


def render_note_markdown(text: str) -> str:
    """A note body (untrusted) as HTML that keeps only harmless tags and http(s) links."""
    return sanitize(convert(text, "sane_lists"), NOTE_TAGS)


def sanitize(fragment: str, tags: frozenset[str]) -> str:
    """Allow-list sanitizing: unknown tags, event handlers and script URLs are removed."""
    return _cleaner(tags).clean(fragment)


@functools.lru_cache(maxsize=None)
def _cleaner(tags: frozenset[str]) -> nh3.Cleaner:
    """nh3's cleaner for these tags, built once: building its allow-lists took three times as
    long as cleaning a note."""
    return nh3.Cleaner(tags=set(tags), attributes={t: a for t, a in ATTRIBUTES.items() if t in tags},
                       url_schemes=URL_SCHEMES, link_rel=LINK_REL, strip_comments=True)


def inline_text(text: str) -> str:
    """The visible text of a short Markdown snippet (a quote typed with `*` or links)."""
    if not re.search(r"[\\`*_\[\]<&]", text):
        return text
    parser = _Tokenizer()
    parser.feed(sanitize(convert(text), NOTE_TAGS))
    return "".join(t.text for t in parser.tokens if t.kind == "text").strip()


@dataclass
class Token:
    """A piece of HTML: a start or end tag (`raw` as written) or text (`text` unescaped)."""

    kind: str  # "start", "end", "void" or "text"
    raw: str = ""
    tag: str = ""
    text: str = ""


@dataclass
class Block:
    """A run of text the reader sees as one unit: a paragraph, heading, item or caption."""

    section: int
    tag: str
    start: int  # index of the element's start tag among the section's tokens
    end: int = -1  # index of its end tag
    text: str = ""
    line: int = 0
    runs: list[tuple[int, int]] = field(default_factory=list)  # (token index, start in text)


@dataclass
class Section:
    """One part of the page (title, highlights or body) as tokens, with its blocks."""

    tokens: list[Token]
    blocks: list[Block]


class _Tokenizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        kind = "void" if tag in VOID else "start"
        self.tokens.append(Token(kind, self.get_starttag_text() or f"<{tag}>", tag))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.tokens.append(Token("void", self.get_starttag_text() or f"<{tag}>", tag))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            self.tokens.append(Token("end", f"</{tag}>", tag))

    def handle_data(self, data: str) -> None:
        self.tokens.append(Token("text", text=data))


def split_section(fragment: str, section: int) -> Section:
    """Tokenize sanitized HTML and find its text blocks."""
    parser = _Tokenizer()
    parser.feed(fragment)
    parser.close()
    tokens = parser.tokens
    blocks: list[Block] = []
    stack: list[tuple[str, Block | None]] = []
    for index, token in enumerate(tokens):
        if token.kind == "start":
            block = Block(section, token.tag, index) if token.tag in TEXT_BLOCKS else None
            if block is not None:
                blocks.append(block)
            stack.append((token.tag, block))
        elif token.kind == "end":
            while stack and stack[-1][0] != token.tag:
                stack.pop()
            if stack:
                _, block = stack.pop()
                if block is not None:
                    block.end = index
        elif token.kind == "text":
            owner = next((b for _, b in reversed(stack) if b is not None), None)
            if owner is not None:
                owner.runs.append((index, len(owner.text)))
                owner.text += token.text
    return Section(tokens, [b for b in blocks if b.text.strip()])


@dataclass(frozen=True)
class Highlight:
    """A range of a block's text to mark for one note, with the note's marker and aside."""

    block: Block
    start: int
    end: int
    note_id: str
    css_class: str
    marker: str  # HTML of the note reference placed after the range
    aside: str  # HTML of the note itself


INLINE = {"a", "em", "strong", "b", "i", "code", "abbr", "cite", "q", "small", "s", "del", "ins",
          "sup", "sub", "span"}


def mark_section(section: Section, highlights: list[Highlight]) -> str:
    """Serialize a section with its highlights, markers and notes.

    A note's marker follows the end of its passage, once the inline elements around it
    (`</em>`, `</a>`) are closed: a marker is never italic or nested in a link. The notes
    themselves follow the top-level element that holds their passage (a paragraph, heading,
    list, figure or table), so that they are read after the text they explain:

        <div class="annotated"><p>... passage<marker> ...</p>
        <div class="block-notes"><aside>...</aside></div></div>

    The theme lays the wrapper out as two columns (text and margin) on wide screens without a
    script, stacks the notes under the text in print, opens them as popovers under their
    paragraph on narrow screens, and its script places them in the margins."""
    spans_by_token = _spans_by_token(section, highlights)
    notes_after = _notes_by_top_level_element(section, highlights)
    out: list[str] = []
    waiting: list[str] = []
    open_inline = 0
    for index, token in enumerate(section.tokens):
        if waiting and open_inline == 0:
            out.extend(waiting)
            waiting.clear()
        if token.kind == "text":
            text, deferred = _marked_text(token.text, spans_by_token.get(index, []), defer=open_inline > 0)
            out.append(text)
            waiting.extend(deferred)
            continue
        if index in notes_after.starts:
            out.append('<div class="annotated">')
        out.append(token.raw)
        if token.tag in INLINE and token.kind in ("start", "end"):
            open_inline = max(0, open_inline + (1 if token.kind == "start" else -1))
        if index in notes_after.asides:
            out.append('\n<div class="block-notes">\n' + "\n".join(notes_after.asides[index]) + "\n</div></div>")
    return "".join(out + waiting)


@dataclass(frozen=True)
class _NotePlacement:
    starts: set[int]  # token indexes of top-level elements that get a wrapper
    asides: dict[int, list[str]]  # token index of a wrapped element's end tag -> its notes


def _notes_by_top_level_element(section: Section, highlights: list[Highlight]) -> _NotePlacement:
    """Group the notes by the top-level element of the section that holds their passage."""
    ranges = _top_level_ranges(section.tokens)
    starts = [start for start, _ in ranges]
    placement = _NotePlacement(set(), {})
    for item in highlights:
        start, end = ranges[bisect.bisect_right(starts, item.block.start) - 1]
        placement.starts.add(start)
        placement.asides.setdefault(end, []).append(item.aside)
    return placement


def _top_level_ranges(tokens: list[Token]) -> list[tuple[int, int]]:
    """(start, end) token indexes of each element at the top of a section, in order."""
    ranges, depth, start = [], 0, 0
    for index, token in enumerate(tokens):
        if token.kind == "start":
            if depth == 0:
                start = index
            depth += 1
        elif token.kind == "end" and depth > 0:
            depth -= 1
            if depth == 0:
                ranges.append((start, index))
        elif token.kind == "void" and depth == 0:
            ranges.append((index, index))
    return ranges


def _spans_by_token(section: Section, highlights: list[Highlight]) -> dict[int, list[_Span]]:
    """Cut each highlight into the text runs (tokens) it covers."""
    spans: dict[int, list[_Span]] = {}
    for item in highlights:
        for token_index, run_start in item.block.runs:
            run_end = run_start + len(section.tokens[token_index].text)
            start, end = max(item.start, run_start), min(item.end, run_end)
            if start < end:
                span = _Span(start - run_start, end - run_start, item, ends_here=item.end <= run_end)
                spans.setdefault(token_index, []).append(span)
    return spans


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    item: Highlight
    ends_here: bool


def _marked_text(text: str, spans: list[_Span], defer: bool) -> tuple[str, list[str]]:
    """One text run with nested `<mark>`s, and the markers (with their notes) that must wait
    until the inline elements around this run are closed."""
    if not spans:
        return html.escape(text, quote=False), []
    cuts = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    out, waiting = [], []
    for left, right in zip(cuts, cuts[1:]):
        piece = html.escape(text[left:right], quote=False)
        covering = [s for s in spans if s.start <= left and right <= s.end]
        # The passage that starts first (the longest, on a tie) is the outermost mark.
        covering.sort(key=lambda s: (s.item.start, -s.item.end, s.item.note_id))
        for span in reversed(covering):
            piece = f'<mark class="{span.item.css_class}" data-note="{span.item.note_id}">{piece}</mark>'
        out.append(piece)
        for span in spans:
            if span.ends_here and span.end == right:
                (waiting if defer else out).append(span.item.marker)
    return "".join(out), waiting


_NOT_TEXT = re.compile(r"\]\([^)]*\)|<[^>\n]*>|&#?\w+;|^ {0,3}\[[^\]]+\]:.*$", re.M)


@dataclass
class SourceLines:
    """The letters and digits of a Markdown source with their line numbers, so that a position
    in the rendered text can be traced back to its line in the file."""

    alnum: str
    lines: list[int]
    block_starts: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, source: str, first_line: int) -> SourceLines:
        masked = _NOT_TEXT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
        chars, lines, line = [], [], first_line
        for ch in masked:
            if ch == "\n":
                line += 1
            elif ch.isalnum():
                chars.append(ch)
                lines.append(line)
        return cls("".join(chars), lines)

    def locate(self, blocks: list[Block]) -> None:
        """Give each block the line where its text starts, scanning the source in order."""
        cursor = 0
        for block in blocks:
            letters = "".join(ch for ch in block.text if ch.isalnum())
            found = self.alnum.find(letters[:24], cursor) if letters else -1
            if found >= 0:
                self.block_starts[id(block)] = found
                block.line = self.lines[found]
                cursor = found + min(len(letters), 24)
            else:
                block.line = self.lines[min(cursor, len(self.lines) - 1)] if self.lines else 1

    def line_of(self, block: Block, position: int) -> int:
        start = self.block_starts.get(id(block))
        if start is None:
            return block.line
        index = start + sum(1 for ch in block.text[:position] if ch.isalnum())
        return self.lines[min(index, len(self.lines) - 1)]


TITLE, HIGHLIGHTS, BODY = 0, 1, 2


@dataclass
class ArticleText:
    """What a reader sees of an article, in reading order: title, highlights, body."""

    sections: list[Section]
    source: str  # the Markdown body, to trace positions back to lines
    first_line: int
    _source_lines: SourceLines | None = None

    @property
    def blocks(self) -> list[Block]:
        return [block for section in self.sections for block in section.blocks]

    def line_of(self, block: Block, position: int) -> int:
        """The line of the article file where `position` of `block` comes from. Worked out on
        first use: only diagnostics need lines, and a clean build never asks."""
        if block.section != BODY:
            return block.line
        if self._source_lines is None:
            self._source_lines = SourceLines.of(self.source, self.first_line)
            self._source_lines.locate(self.sections[BODY].blocks)
        return self._source_lines.line_of(block, position)


def article_text(article) -> ArticleText:
    """Render an article's title, highlights and Markdown body into blocks of visible text."""
    title = split_section(f'<h1 class="article-title" id="article-title">{html.escape(article.title, quote=False)}</h1>',
                          TITLE)
    for block in title.blocks:
        block.line = article.title_line
    items = "".join(f"<li>{html.escape(h, quote=False)}</li>" for h in article.highlights)
    highlights = split_section(f'<ul class="highlights">{items}</ul>' if items else "", HIGHLIGHTS)
    for block, line in zip(highlights.blocks, article.highlight_lines):
        block.line = line
    body = split_section(render_article_markdown(article.body), BODY)
    return ArticleText([title, highlights, body], article.body, article.body_line)
