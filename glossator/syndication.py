"""Syndication: what the site tells other programs about itself: the sitemap, Atom feeds of
articles and notes, robots.txt, schema.org metadata, and each article's notes as a W3C Web
Annotation collection (https://www.w3.org/TR/annotation-model/)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from .anchoring import AnnotatedArticle
from .config import SiteConfig
from .rendering import ArticleText

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
CONTEXT_CHARACTERS = 32
EPOCH = "1970-01-01T00:00:00Z"


def article_plain_text(text: ArticleText) -> tuple[str, dict[int, int]]:
    """The article's text as the export counts it: its visible blocks (title, highlights, body,
    captions) joined by blank lines; and where each block starts in it, keyed by `id(block)`."""
    parts, offsets, position = [], {}, 0
    for block in text.blocks:
        offsets[id(block)] = position
        parts.append(block.text)
        position += len(block.text) + 2
    return "\n\n".join(parts), offsets


def w3c_datetime(value: str) -> str:
    """An ISO date or date-time as xsd:dateTime in UTC ('2026-11-28' -> '2026-11-28T00:00:00Z')."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def web_annotations(config: SiteConfig, item: AnnotatedArticle, views) -> str:
    """The article's notes as an AnnotationCollection holding one AnnotationPage (JSON-LD)."""
    text, offsets = article_plain_text(item.text)
    page_url = config.absolute_url(f"{item.article.slug}/")
    collection_url = config.absolute_url(f"{item.article.slug}/annotations.jsonld")
    by_id = {anchor.note.id: anchor for anchor in item.anchors}
    annotations = [_annotation(config, view, by_id[view.id], text, offsets, page_url) for view in views]
    document = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": f"Notes on \u201c{item.article.title}\u201d, {config.title}",
        "total": len(annotations),
    }
    # A Page MUST list 1 or more Annotations (model 5.2): an article without notes gets a
    # Collection with total 0 and no Page, which the model allows (5.1: `first` is required
    # only when total > 0).
    if annotations:
        document["first"] = {
            "id": collection_url + "#page-1",
            "type": "AnnotationPage",
            # The Collection's IRI: the model allows it or an object with the Collection's
            # properties (5.2), but the W3C test of this statement (WPT annotation-model,
            # 5.2-pagePartOfValidated) accepts only an IRI.
            "partOf": collection_url,
            "startIndex": 0,
            "items": annotations,
        }
    # Compact: json's fast C encoder does not indent, and exports of large editions add up.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _annotation(config: SiteConfig, view, anchor, text: str, offsets: dict[int, int], page_url: str) -> dict:
    start = offsets[id(anchor.block)] + anchor.start
    end = offsets[id(anchor.block)] + anchor.end
    note_type = config.note_type(view.type)
    annotation = {
        "id": f"{page_url}#note-{view.id}",
        "type": "Annotation",
        "motivation": note_type.motivation,
        "creator": {"type": "Person", "name": view.author},
    }
    if view.date:
        annotation["created"] = annotation["modified"] = w3c_datetime(view.date)
    # Everything a note holds, so that importing the export gives the same notes back: its
    # text; a correction's reading as a body whose purpose is editing; each source as a linked
    # resource with its title (Dublin Core, which the model's context defines).
    bodies = [{"type": "TextualBody", "value": view.html, "format": "text/html", "language": config.language}]
    if view.corrected:
        bodies.append({"type": "TextualBody", "purpose": "editing", "value": view.corrected, "format": "text/plain",
                       "language": config.language})
    bodies += [{"id": source.url, "type": "Text", "dc:title": source.title} for source in view.sources]
    annotation["body"] = bodies[0] if len(bodies) == 1 else bodies
    annotation["target"] = {
        "source": page_url,
        "selector": [
            {"type": "TextQuoteSelector", "exact": text[start:end],
             "prefix": text[max(0, start - CONTEXT_CHARACTERS):start],
             "suffix": text[end:end + CONTEXT_CHARACTERS]},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }
    return annotation


@dataclass(frozen=True)
class FeedEntry:
    """One entry of an Atom feed."""

    url: str
    title: str
    updated: str
    authors: tuple[str, ...]
    summary: str = ""
    html: str = ""


def atom_entry(config: SiteConfig, item: FeedEntry) -> tuple[str, str]:
    """One feed entry as (updated, XML): rendered once per article and kept by the preview.
    Written as text, indented two spaces a level: an edition has one entry per note, and
    building each as an ElementTree cost 4% of an article's time."""
    href = _attribute(config.absolute_url(item.url))
    lines = [_element("title", item.title), _element("id", _feed_id(config, item.url)),
             _element("updated", item.updated or EPOCH), f'<link rel="alternate" href="{href}" />']
    for name in item.authors or (config.title,):
        lines += ["<author>", "  " + _element("name", name), "</author>"]
    if item.summary:
        lines.append(_element("summary", item.summary))
    if item.html:
        lines.append(_element("content", item.html, ' type="html"'))
    return item.updated or EPOCH, "  <entry>\n" + "".join(f"    {line}\n" for line in lines) + "  </entry>"


def _element(name: str, text: str, attributes: str = "") -> str:
    return f"<{name}{attributes}>{_text(text)}</{name}>" if text else f"<{name}{attributes} />"


def _text(value: str) -> str:
    """Character data with the three characters XML reserves escaped."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    """An attribute value to put between double quotes; line breaks and tabs as references,
    so that they survive the parser's attribute normalization."""
    return (_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


FEED_ENTRIES = 50


def atom_feed(config: SiteConfig, title: str, path: str, entries: list[tuple[str, str]]) -> str:
    """An Atom 1.0 feed of the newest FEED_ENTRIES entries from `atom_entry` (feed readers poll
    them; the archive is the site); ids are URLs, or stable URNs when the base URL is a path."""
    entries = sorted(entries, key=lambda entry: entry[0], reverse=True)[:FEED_ENTRIES]
    head = [
        _element("title", title),
        _element("id", _feed_id(config, path)),
        f"<updated>{max((updated for updated, _ in entries), default=EPOCH)}</updated>",
        f'<link rel="self" href="{_attribute(config.absolute_url(path))}" />',
        f'<link rel="alternate" href="{_attribute(config.absolute_url(""))}" />',
        "<generator>Glossator</generator>",
    ]
    lines = [f'<feed xmlns="{ATOM}">'] + ["  " + line for line in head] + [xml for _, xml in entries] + ["</feed>"]
    return '<?xml version="1.0" encoding="utf-8"?>\n' + "\n".join(lines) + "\n"


def _feed_id(config: SiteConfig, path: str) -> str:
    if not config.base_url.startswith("/"):
        return config.absolute_url(path)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"glossator:{config.title}:{path}"))


def sitemap_entry(config: SiteConfig, path: str, modified: str) -> str:
    lastmod = f"<lastmod>{w3c_datetime(modified)}</lastmod>" if modified else ""
    return f"  <url><loc>{_text(config.absolute_url(path))}</loc>{lastmod}</url>"


def sitemap(entries: list[str]) -> str:
    """A sitemap of entries from `sitemap_entry`."""
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + f'<urlset xmlns="{SITEMAP}">\n'
            + "".join(entry + "\n" for entry in entries) + "</urlset>\n")


def robots(config: SiteConfig) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if not config.base_url.startswith("/"):
        lines.append(f"Sitemap: {config.absolute_url('sitemap.xml')}")
    return "\n".join(lines) + "\n"


def news_article_jsonld(config: SiteConfig, view) -> str:
    """schema.org metadata: the page is an annotated derivative (`isBasedOn`) of the original."""
    article = view.article
    original = {
        "@type": "NewsArticle",
        "headline": article.title,
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "publisher": {"@type": "Organization", "name": article.outlet} if article.outlet else None,
        "dateModified": article.updated or None,
        "datePublished": article.published or None,
        "url": article.source or None,
        "copyrightNotice": article.rights or None,
    }
    contributors = sorted({note.author for note in view.notes})
    document = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": config.absolute_url(f"{article.slug}/"),
        "description": f"The article as published, with {len(view.notes)} notes: corrections, context, "
                       "definitions, sources and questions.",
        "isBasedOn": {key: value for key, value in original.items() if value},
        "author": original["author"] or None,
        "dateModified": article.updated or None,
        "contributor": [{"@type": "Person", "name": name} for name in contributors] or None,
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": config.absolute_url("")},
        "inLanguage": article.language or config.language,
    }
    text = json.dumps({key: value for key, value in document.items() if value}, ensure_ascii=False, indent=2)
    return text.replace("</", "<\\/")
