"""Outlets: what each news outlet's pages print around the story, as data the importer reads.

An outlet's rule set names the lines of its page furniture, the shape of its photo galleries,
video blocks and links to related stories, and the list its pages end with. A page is read with
the rule set of the outlet it comes from (by its address, its byline or dateline, or a line only
that outlet prints); a page of any other outlet is read with `GENERAL`, whose rules drop page
controls but never a sentence. Adding an outlet is adding a rule set to `OUTLETS`, with pages of
that outlet as test fixtures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# Lines any site prints for its controls (compared in lower case).
CONTROLS = frozenset({
    "skip to main content", "skip to navigation", "skip navigation", "advertisement", "hide caption",
    "show caption", "<<", "<", ">", ">>", "replay", "play video", "more videos", "next", "previous", "close",
})


def is_counter(line: str) -> bool:
    """A gallery's or a pager's "1", "2", "3"."""
    return line.isdigit() and len(line) <= 3


@dataclass(frozen=True)
class OutletRules:
    """How to read one outlet's pages. The defaults are the general rules: drop the page's
    controls, keep everything else the story could hold."""

    name: str
    hosts: tuple[str, ...] = ()  # its web addresses, subdomains included
    names: tuple[str, ...] = ()  # how its bylines and datelines name it
    signature: frozenset[str] = frozenset()  # lines only its pages print (lower case)
    rights_holder: str = ""  # the copyright holder, when its legal name differs from `name`
    furniture: frozenset[str] = CONTROLS  # lines dropped wherever they stand (lower case)
    gallery_controls: frozenset[str] = frozenset()  # lines that make a block a photo gallery
    gallery_counters: bool = False  # a gallery numbers its photos, a number to a line
    gallery_link: re.Pattern[str] | None = None  # "Photos: <gallery title>"
    caption_controls: frozenset[str] = frozenset()  # "hide caption", below a gallery's title
    video_markers: frozenset[str] = frozenset()  # lines that open a video block
    video_span: int = 0  # blank-separated blocks a video block may spread over
    related_prefix: re.Pattern[str] = re.compile(r"^(read|read more|related|see also)\s*:\s*\S", re.I)
    question_links: bool = False  # links to its stories are written as questions between paragraphs
    teasers: bool = False  # an "updated ..." line inside the story, then a teaser of another story
    coverage_start: re.Pattern[str] | None = None  # the trailing list of the story's topics
    keeps_every_sentence: bool = True  # a line that reads as a sentence is never dropped as clutter

    def is_furniture(self, line: str) -> bool:
        return line.lower() in self.furniture or is_counter(line) or self.is_gallery_link(line)

    def is_gallery_link(self, line: str) -> bool:
        return self.gallery_link is not None and self.gallery_link.match(line) is not None

    def marks_gallery(self, line: str) -> bool:
        """A line only a photo gallery prints: a control, a photo's number, its link."""
        return (line.lower() in self.gallery_controls or self.is_gallery_link(line)
                or self.gallery_counters and is_counter(line))

    def claims(self, hosts: set[str], outlets: set[str], lines: set[str]) -> bool:
        """Whether a page with these source hosts, byline or dateline outlets and lines is ours."""
        return (any(host == own or host.endswith("." + own) for host in hosts for own in self.hosts)
                or any(re.search(rf"\b{re.escape(name)}\b", outlet) for outlet in outlets for name in self.names)
                or bool(self.signature & lines))


GENERAL = OutletRules(name="")

_CNN_SIGNATURE = frozenset({"story highlights", "just watched", "must watch"})

CNN = OutletRules(
    name="CNN",
    hosts=("cnn.com",),
    names=("CNN",),
    signature=_CNN_SIGNATURE,
    rights_holder="Cable News Network",
    furniture=CONTROLS | _CNN_SIGNATURE,
    gallery_controls=(CONTROLS | _CNN_SIGNATURE) - {"advertisement"},
    gallery_counters=True,
    gallery_link=re.compile(r"^(photos|photo gallery|gallery|video|videos)\s*:\s*\S", re.I),
    caption_controls=frozenset({"hide caption", "show caption"}),
    video_markers=frozenset({"just watched", "must watch", "replay", "play video"}),
    video_span=4,
    related_prefix=re.compile(r"^(read|read more|related|watch|more|see|opinion|analysis|link)\s*:\s*\S", re.I),
    question_links=True,
    teasers=True,
    coverage_start=re.compile(r"^part of complete coverage on\b", re.I),
    keeps_every_sentence=False,
)

OUTLETS = (CNN,)


def rules_for(sources: list[str], outlets: list[str], lines: list[str]) -> OutletRules:
    """The rule set of the outlet a page comes from, judged by its source addresses, the
    outlets its byline or dateline names, and its lines; `GENERAL` when no outlet claims it."""
    hosts = {_host(source) for source in sources}
    named = {outlet for outlet in outlets if outlet}
    lowered = {line.lower() for line in lines}
    return next((rules for rules in OUTLETS if rules.claims(hosts, named, lowered)), GENERAL)


def _host(address: str) -> str:
    try:
        return urlsplit(address).hostname or ""
    except ValueError:  # 'https://[oops/story': not an address
        return ""
