"""Syndication: what the site tells other programs about itself: the sitemap, Atom feeds of
articles and notes, robots.txt, schema.org metadata, and each article's notes as a W3C Web
Annotation collection (https://www.w3.org/TR/annotation-model/)."""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone

from .anchoring import AnnotatedArticle
from .config import SiteConfig

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
CONTEXT_CHARACTERS = 32
EPOCH = "1970-01-01T00:00:00Z"


def article_plain_text(item: AnnotatedArticle) -> tuple[str, dict[int, int]]:
    """The article's text as the export counts it: its visible blocks (title, highlights, body,
    captions) joined by blank lines; and where each block starts in it, keyed by `id(block)`."""
    parts, offsets, position = [], {}, 0
    for block in item.text.blocks:
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
    text, offsets = article_plain_text(item)
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
        "first": {
            "id": collection_url + "#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": annotations,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


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
    annotation["body"] = {"type": "TextualBody", "value": view.html, "format": "text/html",
                          "language": config.language}
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


def atom_feed(config: SiteConfig, title: str, path: str, entries: list[FeedEntry]) -> str:
    """An Atom 1.0 feed; ids are the entries' URLs, or stable URNs when the base URL is a path."""
    feed = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(feed, "title").text = title
    ET.SubElement(feed, "id").text = _feed_id(config, path)
    ET.SubElement(feed, "updated").text = max((e.updated for e in entries), default=EPOCH)
    ET.SubElement(feed, "link", rel="self", href=config.absolute_url(path))
    ET.SubElement(feed, "link", rel="alternate", href=config.absolute_url(""))
    ET.SubElement(feed, "generator").text = "Glossator"
    for item in entries:
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "title").text = item.title
        ET.SubElement(entry, "id").text = _feed_id(config, item.url)
        ET.SubElement(entry, "updated").text = item.updated or EPOCH
        ET.SubElement(entry, "link", rel="alternate", href=config.absolute_url(item.url))
        for name in item.authors or (config.title,):
            ET.SubElement(ET.SubElement(entry, "author"), "name").text = name
        if item.summary:
            ET.SubElement(entry, "summary").text = item.summary
        if item.html:
            ET.SubElement(entry, "content", type="html").text = item.html
    return _xml(feed)


def _feed_id(config: SiteConfig, path: str) -> str:
    if not config.base_url.startswith("/"):
        return config.absolute_url(path)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"glossator:{config.title}:{path}"))


def sitemap(config: SiteConfig, pages: list[tuple[str, str]]) -> str:
    """A sitemap of (path, last modification) pairs."""
    urlset = ET.Element("urlset", xmlns=SITEMAP)
    for path, modified in pages:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = config.absolute_url(path)
        if modified:
            ET.SubElement(url, "lastmod").text = w3c_datetime(modified)
    return _xml(urlset)


def robots(config: SiteConfig) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if not config.base_url.startswith("/"):
        lines.append(f"Sitemap: {config.absolute_url('sitemap.xml')}")
    return "\n".join(lines) + "\n"


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


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
