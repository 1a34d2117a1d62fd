"""Anchoring: finds the one passage each note quotes, or says precisely why it cannot.

Quotes and article text are compared after the same normalization on both sides (white space,
curly and straight quotes, dashes). A note is anchored only by an exact match; the closest
passage found by edit distance is offered to the contributor, never used.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from .diagnostics import Diagnostic
from .notes import Note
from .rendering import ArticleText, Block, inline_text
from .yamldoc import yaml_scalar

EQUIVALENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "\u2014", "\u2015": "\u2014", "\u2010": "-", "\u2011": "-", "\u2026": "...",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
}
CONTEXT_WORDS = 6
# The characters `\s` matches, which normalization turns into spaces: written into each article
# page too, so that its "Propose a note" control normalizes a selection as the build does.
WHITESPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())


@dataclass(frozen=True)
class Normalized:
    """Normalized text, and where each replaced run of the original text went: characters
    between runs are copied, so their place in the original follows from the run before
    them. (A table of two places for every character cost 5% of an article's time.)"""

    text: str
    runs: tuple[tuple[int, int, int, int], ...]  # (start, end) in `text`, (start, end) in the original
    run_starts: tuple[int, ...]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original range behind the normalized range [start, end)."""
        return self._place(start)[0], self._place(end - 1)[1]

    def _place(self, index: int) -> tuple[int, int]:
        """The range of the original text that character `index` stands for."""
        run = bisect_right(self.run_starts, index) - 1
        if run < 0:
            return index, index + 1
        start, end, original_start, original_end = self.runs[run]
        if index < end:
            return original_start, original_end
        place = original_end + index - end
        return place, place + 1


# What normalization changes: runs of white space other than one plain space, runs of hyphens,
# and the characters in EQUIVALENTS. Everything between is copied as it is.
_SPECIAL = re.compile(r"\s{2,}|[^\S ]|-{2,}|[" + re.escape("".join(EQUIVALENTS)) + "]")


def normalize(raw: str) -> Normalized:
    """White space runs become one space; quotes straight; '--', en and em dashes one dash."""
    chars: list[str] = []
    runs: list[tuple[int, int, int, int]] = []
    copied = length = 0
    for match in _SPECIAL.finditer(raw):
        start, end = match.span()
        chars.append(raw[copied:start])
        length += start - copied
        text = match.group()
        replacement = " " if text[0].isspace() else "\u2014" if text[0] == "-" else EQUIVALENTS[text]
        chars.append(replacement)
        runs.append((length, length + len(replacement), start, end))
        length += len(replacement)
        copied = end
    chars.append(raw[copied:])
    return Normalized("".join(chars), tuple(runs), tuple(run[0] for run in runs))


def normalize_quote(text: str) -> str:
    """A quote, prefix or suffix as compared: Markdown syntax removed, then normalized."""
    return normalize(inline_text(text)).text.strip()


@dataclass(frozen=True)
class Anchor:
    """Where a note is anchored: a range of one block's text."""

    note: Note
    block: Block
    start: int
    end: int
    text: ArticleText

    @property
    def line(self) -> int:
        """The line of the article file where the passage starts."""
        return self.text.line_of(self.block, self.start)


@dataclass(frozen=True)
class _Match:
    block: int
    start: int  # in the block's normalized text
    end: int


class Anchorer:
    """Resolves notes against one article's text."""

    def __init__(self, text: ArticleText, article_shown_path: str):
        self.text = text
        self.shown_path = article_shown_path
        self.blocks = text.blocks
        self.norms = [normalize(block.text) for block in self.blocks]

    def resolve(self, note: Note) -> Anchor | Diagnostic:
        """Anchor a note, or return the error that tells its author how to fix it."""
        quote = normalize_quote(note.quote)
        if not quote:
            return note.error("quote", "empty quote", "copy the passage the note explains into `quote:`")
        matches = self._find(quote)
        if not matches:
            return self._not_found(note, quote)
        selected = [m for m in matches if self._fits_context(m, note)]
        if not selected:
            field = "prefix" if note.prefix else "suffix"
            return note.error(field, f"prefix/suffix fits none of the {len(matches)} matches of the quote",
                              self._pick_hint(matches, intro="the quote occurs here:"))
        if note.occurrence is not None:
            if note.occurrence > len(selected):
                return note.error("occurrence", f"occurrence {note.occurrence} is out of range: "
                                  f"the quote has {len(selected)} match{'es' if len(selected) > 1 else ''}",
                                  self._pick_hint(selected, intro="the quote occurs here:"))
            selected = [selected[note.occurrence - 1]]
        if len(selected) > 1:
            return note.error("quote", f"ambiguous: {len(selected)} matches for quote {_short(quote)}",
                              self._pick_hint(selected, intro="add one of these lines to the note to pick a match:"))
        return self._anchor(note, selected[0])

    def _find(self, quote: str) -> list[_Match]:
        """Every occurrence of the quote within one block; whole-word matches win when there are any."""
        found = []
        for index, norm in enumerate(self.norms):
            position = norm.text.find(quote)
            while position >= 0:
                found.append(_Match(index, position, position + len(quote)))
                position = norm.text.find(quote, position + 1)
        whole = [m for m in found if self._whole_words(m)]
        return whole or found

    def _whole_words(self, match: _Match) -> bool:
        text = self.norms[match.block].text
        return _cuts_no_word(text, match.start) and _cuts_no_word(text, match.end)

    def _before(self, match: _Match) -> str:
        earlier = " ".join(n.text for n in self.norms[:match.block])
        return (earlier + " " + self.norms[match.block].text[:match.start]).rstrip()

    def _after(self, match: _Match) -> str:
        later = " ".join(n.text for n in self.norms[match.block + 1:])
        return (self.norms[match.block].text[match.end:] + " " + later).lstrip()

    def _fits_context(self, match: _Match, note: Note) -> bool:
        prefix, suffix = normalize_quote(note.prefix), normalize_quote(note.suffix)
        return (not prefix or self._before(match).endswith(prefix)) and (
            not suffix or self._after(match).startswith(suffix))

    def _anchor(self, note: Note, match: _Match) -> Anchor:
        block = self.blocks[match.block]
        start, end = self.norms[match.block].original(match.start, match.end)
        return Anchor(note, block, start, end, self.text)

    def _line(self, match: _Match) -> int:
        block = self.blocks[match.block]
        return self.text.line_of(block, self.norms[match.block].original(match.start, match.end)[0])

    def _pick_hint(self, matches: list[_Match], intro: str) -> str:
        """One line per match: where it is, its context, and the selector that picks it."""
        lines = [intro]
        for number, match in enumerate(matches, start=1):
            text = self.norms[match.block].text
            gap_before = " " if match.start == 0 or text[match.start - 1].isspace() else ""
            gap_after = " " if match.end == len(text) or text[match.end].isspace() else ""
            before = " ".join(self._before(match).split()[-CONTEXT_WORDS:])
            after = " ".join(self._after(match).split()[:CONTEXT_WORDS])
            context = f'"...{before}{gap_before}[{text[match.start:match.end]}]{gap_after}{after}..."'
            lines.append(f"{self.shown_path}:{self._line(match)}: {context}")
            lines.append(f"  {self._selector_for(match, matches, number)}")
        return "\n".join(lines)

    def _selector_for(self, match: _Match, matches: list[_Match], number: int) -> str:
        """The shortest `prefix:` that singles this match out, or its `occurrence:`."""
        prefix = self.unique_prefix(match, matches)
        if prefix:
            return f"prefix: {yaml_scalar(prefix)}   # or occurrence: {number}"
        return f"occurrence: {number}"

    def simplest_selectors(self, note: Note, anchor: Anchor) -> Note:
        """The note with the selectors a contributor would write for the anchored passage:
        none when the quote occurs once, else the shortest prefix that picks it, else the
        shortest suffix, else its occurrence (`build.py note` and `import-notes` both)."""
        bare = replace(note, prefix="", suffix="", occurrence=None)
        matches = self.matches(note.quote)
        if len(matches) < 2:
            return bare
        match = next(m for m in matches if self.blocks[m.block] is anchor.block
                     and self.norms[m.block].original(m.start, m.end) == (anchor.start, anchor.end))
        prefix = self.unique_prefix(match, matches)
        if prefix:
            return replace(bare, prefix=prefix)
        suffix = self.unique_suffix(match, matches)
        return replace(bare, suffix=suffix) if suffix else replace(bare, occurrence=matches.index(match) + 1)

    def unique_prefix(self, match: _Match, matches: list[_Match]) -> str:
        """The fewest words before `match` (two at least) found before no other match, or ''.
        Unique even ignoring case, so that a prefix never hangs on one capital letter."""
        words = self._before(match).split()
        others = [self._before(m).lower() for m in matches if m != match]
        for count in range(min(2, len(words)), min(len(words), CONTEXT_WORDS) + 1):
            prefix = " ".join(words[-count:])
            if count and not any(other.endswith(prefix.lower()) for other in others):
                return prefix
        return ""

    def unique_suffix(self, match: _Match, matches: list[_Match]) -> str:
        """The fewest words after `match` (two at least) found after no other match, or ''."""
        words = self._after(match).split()
        others = [self._after(m).lower() for m in matches if m != match]
        for count in range(min(2, len(words)), min(len(words), CONTEXT_WORDS) + 1):
            suffix = " ".join(words[:count])
            if count and not any(other.startswith(suffix.lower()) for other in others):
                return suffix
        return ""

    def matches(self, quote: str) -> list[_Match]:
        """Every match of a quote as typed (Markdown and typography normalized)."""
        return self._find(normalize_quote(quote))

    def _not_found(self, note: Note, quote: str) -> Diagnostic:
        whole_text = " ".join(n.text for n in self.norms)
        if quote in whole_text:
            return note.error("quote", f"quote {_short(quote)} runs across two paragraphs",
                              "a note quotes one paragraph, heading, highlight or caption: shorten the quote")
        best = self._closest(quote)
        if best is None:
            return note.error("quote", f"not found: quote {_short(quote)} does not occur in the article",
                              f"no passage of {self.shown_path} comes close: copy the passage from the article page")
        block_index, start, end, distance = best
        block = self.blocks[block_index]
        raw_start, raw_end = self.norms[block_index].original(start, end)
        passage = block.text[raw_start:raw_end]
        why = ", in another case" if passage.lower() == inline_text(note.quote).strip().lower() else ""
        where = f"{self.shown_path}:{self.text.line_of(block, raw_start)}"
        return note.error(
            "quote", f"not found: quote {_short(quote)} does not occur in the article",
            f"did you mean the passage at {where} ({distance} edit{'s' if distance != 1 else ''} away{why})? "
            f"Replace the quote line with: quote: {yaml_scalar(' '.join(passage.split()))}",
        )

    def _closest(self, quote: str) -> tuple[int, int, int, int] | None:
        """The passage with the fewest edits from the quote, if it is close enough."""
        candidates = self.closest_passages(quote)
        if not candidates or candidates[0].edits > max(2, len(quote) * 0.4):
            return None
        best = candidates[0]
        return best.block, best.start, best.end, best.edits

    def closest_passages(self, quote: str) -> list[Candidate]:
        """The closest passage to the quote and the runner-up, by edit distance (Sellers'
        algorithm). rapidfuzz ranks the blocks; the exact alignment runs on the best few.
        The runner-up is the best passage that does not overlap the closest one."""
        from rapidfuzz import fuzz  # imported when a quote does not match exactly: rarely

        scored = sorted(((fuzz.partial_ratio(quote, n.text), i) for i, n in enumerate(self.norms)), reverse=True)
        found: list[Candidate] = []
        for _, index in scored[:3]:
            text = self.norms[index].text
            row, origin = _alignment_row(quote, text)
            best = min(range(len(text) + 1), key=lambda col: (row[col], col))
            found.append(Candidate(index, *_whole_ends(quote, text, origin[best], best, row[best])))
            apart = [col for col in range(len(text) + 1) if col <= origin[best] or origin[col] >= best]
            if apart:
                second = min(apart, key=lambda col: (row[col], col))
                found.append(Candidate(index, *_whole_ends(quote, text, origin[second], second, row[second])))
        return sorted(found, key=lambda c: (c.edits, c.block, c.start))[:2]

    def passage(self, candidate: Candidate) -> str:
        """The article's own text of a candidate passage, its white space made single."""
        start, end = self.norms[candidate.block].original(candidate.start, candidate.end)
        return " ".join(self.blocks[candidate.block].text[start:end].split())


@dataclass(frozen=True)
class Candidate:
    """A passage close to a quote: its block, range in the normalized text, and edit distance."""

    block: int
    start: int
    end: int
    edits: int


def _alignment_row(pattern: str, text: str) -> tuple[list[int], list[int]]:
    """Sellers' algorithm: for each end position in `text`, the fewest insertions, deletions
    and substitutions turning some substring ending there into `pattern`, and where that
    substring starts."""
    previous = [0] * (len(text) + 1)
    origin = list(range(len(text) + 1))
    for row, ch in enumerate(pattern, start=1):
        current, current_origin = [row] + [0] * len(text), [0] * (len(text) + 1)
        for col in range(1, len(text) + 1):
            substitute = previous[col - 1] + (ch != text[col - 1])
            delete = previous[col] + 1
            insert = current[col - 1] + 1
            best = min(substitute, delete, insert)
            current[col] = best
            if best == substitute:
                current_origin[col] = origin[col - 1]
            elif best == delete:
                current_origin[col] = origin[col]
            else:
                current_origin[col] = current_origin[col - 1]
        previous, origin = current, current_origin
    return previous, origin


def _whole_ends(quote: str, text: str, start: int, end: int, edits: int) -> tuple[int, int, int]:
    """The passage of `text` near [start, end) as close to the quote as that one, preferring one
    that begins with the quote's first word and ends with its last: a quote that leaves out a
    doubled word ("Rivkin would continue") is as close to the passage that begins at the doubled
    word ("would would continue") as to its own ("Rivkin would would continue")."""
    from rapidfuzz.distance import Levenshtein

    start, end = _widen_to_words(text, start, end)
    words = quote.lower().split()
    if not words:
        return start, end, edits
    reach = len(quote) // 2 + 1
    lowered = text.lower()
    starts = [i for i in range(max(0, start - reach), min(len(text), start + reach) + 1)
              if _cuts_no_word(text, i) and lowered.startswith(words[0], i)]
    ends = [i for i in range(max(0, end - reach), min(len(text), end + reach) + 1)
            if _cuts_no_word(text, i) and lowered.endswith(words[-1], 0, i)]
    best = (edits, True, True, start, end)
    for left in starts or [start]:
        for right in ends or [end]:
            if left < right:
                distance = Levenshtein.distance(quote, text[left:right], score_cutoff=edits)
                candidate = (distance, left not in starts, right not in ends, left, right)
                best = min(best, candidate)
    return best[3], best[4], min(best[0], edits)


def _cuts_no_word(text: str, index: int) -> bool:
    """Whether a passage may start or end at `index` without cutting a word in two."""
    return index in (0, len(text)) or not (text[index - 1].isalnum() and text[index].isalnum())


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def _short(quote: str, limit: int = 60) -> str:
    text = quote if len(quote) <= limit else quote[: limit - 3].rstrip() + "..."
    return f'"{text}"'


@dataclass(frozen=True)
class AnnotatedArticle:
    """An article with its visible text and its notes' anchors."""

    article: object
    text: ArticleText
    anchors: tuple[Anchor, ...]


def anchor_article(article, notes: list[Note], text: ArticleText) -> tuple[AnnotatedArticle, list[Diagnostic]]:
    """Resolve every note of one article; problems are returned, not raised, to be shown together."""
    anchorer = Anchorer(text, article.shown_path)
    anchors, problems = [], []
    for note in notes:
        result = anchorer.resolve(note)
        (anchors if isinstance(result, Anchor) else problems).append(result)
    return AnnotatedArticle(article, text, tuple(anchors)), problems
