// Propose a note: a reader selects a passage of the article (or types it), chooses a type, and
// the link opens a complete note file in GitHub's editor (or a mail to the editors). The quote
// and its selectors are worked out here as the build will match them, from rules the build
// writes into the page (#propose-data): the same normalization, the same blocks of text, the
// same choice of prefix, suffix or occurrence as `build.py note`.
(function () {
  "use strict";

  const dataNode = document.getElementById("propose-data");
  const form = document.getElementById("propose");
  if (!dataNode || !form) {
    return;
  }
  const data = JSON.parse(dataNode.textContent);
  const roots = data.roots.map((selector) => document.querySelector(selector)).filter(Boolean);
  const blockTags = new Set(data.block_tags);
  const equivalents = data.equivalents;
  const special = new RegExp(
    "[" + escapeClass(data.whitespace) + "]{2,}|[" + escapeClass(data.whitespace.replace(" ", "")) + "]|-{2,}|[" +
      escapeClass(Object.keys(equivalents).join("")) + "]", "gu");

  function escapeClass(chars) {
    return Array.from(chars, (ch) => "\\u{" + ch.codePointAt(0).toString(16) + "}").join("");
  }

  // As anchoring.normalize: white space runs become one space, runs of hyphens one dash, and
  // typographic quotes, dashes and invisible characters their plain equivalents.
  function normalize(raw) {
    return raw.replace(special, (found) =>
      data.whitespace.includes(found[0]) ? " " : found[0] === "-" ? "\u2014" : equivalents[found]);
  }

  function isAlnum(ch) {
    return /[\p{L}\p{N}]/u.test(ch);
  }

  function cutsNoWord(text, index) {
    return index === 0 || index === text.length || !(isAlnum(text[index - 1]) && isAlnum(text[index]));
  }

  // The blocks of visible text, as rendering.split_section finds them: the text each block
  // element holds itself (not its nested blocks'), without the note markers placed in it.
  function blockElements() {
    const found = [];
    for (const root of roots) {
      const candidates = [root, ...root.querySelectorAll(data.block_tags.join(","))];
      for (const element of candidates) {
        if (blockTags.has(element.localName) && !element.closest(data.skip)) {
          const raw = ownText(element);
          if (raw.trim()) {
            found.push({ element, raw, text: normalize(raw) });
          }
        }
      }
    }
    return found;
  }

  function ownTextNodes(block) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        const parent = node.parentElement;
        if (parent.closest(data.skip) || nearestBlock(parent) !== block) {
          return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    const nodes = [];
    while (walker.nextNode()) {
      nodes.push(walker.currentNode);
    }
    return nodes;
  }

  function ownText(block) {
    return ownTextNodes(block).map((node) => node.data).join("");
  }

  function nearestBlock(node) {
    for (let element = node; element; element = element.parentElement) {
      if (blockTags.has(element.localName)) {
        return element;
      }
      if (roots.includes(element)) {
        return null;
      }
    }
    return null;
  }

  // Every place the normalized quote occurs, within one block; whole-word matches win.
  function matchesOf(blocks, quote) {
    const found = [];
    blocks.forEach((block, index) => {
      for (let at = block.text.indexOf(quote); at >= 0; at = block.text.indexOf(quote, at + 1)) {
        found.push({ block: index, start: at, end: at + quote.length });
      }
    });
    const whole = found.filter((m) => cutsNoWord(blocks[m.block].text, m.start) &&
      cutsNoWord(blocks[m.block].text, m.end));
    return whole.length ? whole : found;
  }

  function before(blocks, match) {
    const earlier = blocks.slice(0, match.block).map((b) => b.text).join(" ");
    return (earlier + " " + blocks[match.block].text.slice(0, match.start)).trimEnd();
  }

  function after(blocks, match) {
    const later = blocks.slice(match.block + 1).map((b) => b.text).join(" ");
    return (blocks[match.block].text.slice(match.end) + " " + later).trimStart();
  }

  function words(text) {
    return text.split(/\s+/).filter(Boolean);
  }

  // As Anchorer.unique_prefix / unique_suffix: the fewest words (two at least) next to this
  // match and to no other, compared without case.
  function uniqueContext(own, others, take) {
    const list = words(own);
    for (let count = Math.min(2, list.length); count <= Math.min(list.length, data.context_words); count++) {
      const context = take(list, count).join(" ");
      if (count && !others.some((other) => (take === lastWords ? other.endsWith(context.toLowerCase())
        : other.startsWith(context.toLowerCase())))) {
        return context;
      }
    }
    return "";
  }

  function lastWords(list, count) {
    return list.slice(list.length - count);
  }

  function firstWords(list, count) {
    return list.slice(0, count);
  }

  function selectors(blocks, matches, chosen) {
    if (matches.length < 2) {
      return {};
    }
    const others = matches.filter((m) => m !== chosen);
    const prefix = uniqueContext(before(blocks, chosen), others.map((m) => before(blocks, m).toLowerCase()), lastWords);
    if (prefix) {
      return { prefix };
    }
    const suffix = uniqueContext(after(blocks, chosen), others.map((m) => after(blocks, m).toLowerCase()), firstWords);
    return suffix ? { suffix } : { occurrence: matches.indexOf(chosen) + 1 };
  }

  // As importer.escape_markdown: the text escaped so that the build reads it as written.
  function markdownText(text) {
    let escaped = text.replace(/[\\`*_[\]]/g, (ch) => "\\" + ch)
      .replace(/&(?=#?\w+;)/g, "&amp;").replace(/<(?=[A-Za-z/!?])/g, "&lt;");
    const start = escaped.match(/^(#|>|[-+*](?=\s)|\d+(?=[.)]\s)|=+$)/);
    if (start) {
      escaped = /^\d/.test(start[1]) ? start[1] + "\\" + escaped.slice(start[1].length) : "\\" + escaped;
    }
    return escaped;
  }

  function yamlText(text) {
    return "'" + text.replace(/'/g, "''") + "'";
  }

  // As importer.slugify(quote, 40, fallback="note"), never an id the article's notes have.
  function noteId(quote) {
    const ascii = quote.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase().replace(/[.']/g, "");
    let base = "";
    for (const word of ascii.replace(/[^a-z0-9]+/g, " ").trim().split(" ").filter(Boolean)) {
      const candidate = base ? base + "-" + word : word;
      if (candidate.length > 40) {
        break;
      }
      base = candidate;
    }
    base = base || "note";
    const taken = new Set(data.note_ids);
    let id = base;
    for (let number = 2; taken.has(id); number++) {
      id = base + "-" + number;
    }
    return id;
  }

  function noteFile(type, quote, chosen) {
    const lines = ["---", "# yaml-language-server: $schema=../../glossator/schemas/note.schema.json",
      "type: " + type, "quote: " + yamlText(markdownText(quote))];
    if (chosen.prefix) {
      lines.push("prefix: " + yamlText(markdownText(chosen.prefix)));
    }
    if (chosen.suffix) {
      lines.push("suffix: " + yamlText(markdownText(chosen.suffix)));
    }
    if (chosen.occurrence) {
      lines.push("occurrence: " + chosen.occurrence);
    }
    lines.push("# Your name or @github-handle after author:", "author:", "date: " + new Date().toISOString().slice(0, 10),
      "# Cite where the facts come from: remove the # of the next three lines and fill them in.",
      "# sources:", '#   - title: "..."', "#     url: https://...", "---",
      "Write the note here: one idea, neutral, under 120 words, that a reader of this passage needs.", "");
    return lines.join("\n");
  }

  function proposalUrl(id, text) {
    if (data.mail) {
      const query = "subject=" + encodeURIComponent("A note on " + data.slug) + "&body=" + encodeURIComponent(text);
      return data.target + "?" + query;
    }
    return data.target + "?filename=" + encodeURIComponent(id + ".md") + "&value=" + encodeURIComponent(text);
  }

  // A passage and the match the reader pointed at (a selection), or an explanation.
  let articleBlocks = null; // the article's text does not change once the page is loaded

  function proposal(passage, type, pointed) {
    const blocks = articleBlocks || (articleBlocks = blockElements());
    const quote = normalize(passage).trim();
    if (!quote) {
      return { message: "Select a passage of the article, or type it above." };
    }
    const matches = matchesOf(blocks, quote);
    if (!matches.length) {
      return { message: "This passage is not in the article's text as published: copy it from the article." };
    }
    if (!pointed && matches.length > 1) {
      return { message: "This passage occurs " + matches.length + " times: select the one you mean in the article, " +
        "or type a longer passage." };
    }
    const chosen = pointed ? closestMatch(blocks, matches, pointed) : matches[0];
    const id = noteId(quote);
    return { url: proposalUrl(id, noteFile(type, quote, selectors(blocks, matches, chosen))), id };
  }

  function closestMatch(blocks, matches, pointed) {
    const index = blocks.findIndex((b) => b.element === pointed.block);
    const offset = normalize(pointed.textBefore).length;
    const own = matches.filter((m) => m.block === index);
    own.sort((a, b) => Math.abs(a.start - offset) - Math.abs(b.start - offset));
    return own[0] || matches[0];
  }

  // --- the selection ---------------------------------------------------------------------

  const control = document.getElementById("propose-here");
  const controlLink = control.querySelector("a");
  const controlType = control.querySelector("select");
  const controlMessage = control.querySelector(".propose-message");
  let selected = null; // { passage, pointed } of the last selection made in the article

  // The text of the selection widened to whole words, with the block it lies in; or why it
  // cannot be a quote.
  function readSelection(selection) {
    if (!selection.rangeCount || selection.isCollapsed) {
      return null;
    }
    const range = selection.getRangeAt(0);
    if (!textParent(range.commonAncestorContainer).closest(".article") || control.contains(range.startContainer)) {
      return null; // a selection elsewhere on the page: no control
    }
    const start = nearestBlock(textParent(range.startContainer));
    // A triple click ends the range at the very start of the next block: it selected one.
    const endsAtNextBlock = range.endOffset === 0 && range.endContainer !== range.startContainer;
    const end = endsAtNextBlock ? start : nearestBlock(textParent(range.endContainer));
    if (textParent(range.startContainer).closest(data.skip) || textParent(range.endContainer).closest(data.skip)) {
      return { message: "A note's own text cannot be quoted: select a passage of the article." };
    }
    if (!start || !end || !roots.some((root) => root.contains(start))) {
      return { message: "Only the article's text can be quoted: its headline, highlights, paragraphs and captions." };
    }
    if (start !== end) {
      return { message: "A quote lies within one paragraph, heading, highlight or caption: select less." };
    }
    const nodes = ownTextNodes(start);
    let raw = "";
    let from = -1;
    let to = -1;
    for (const node of nodes) {
      if (node === range.startContainer) {
        from = raw.length + range.startOffset;
      } else if (from < 0 && range.comparePoint(node, 0) >= 0) {
        from = raw.length;
      }
      if (node === range.endContainer) {
        to = raw.length + range.endOffset;
      } else if (range.comparePoint(node, node.data.length) <= 0) {
        to = raw.length + node.data.length;
      }
      raw += node.data;
    }
    if (from < 0 || to <= from) {
      return null;
    }
    while (from > 0 && isAlnum(raw[from - 1]) && isAlnum(raw[from])) {
      from--;
    }
    while (to < raw.length && isAlnum(raw[to - 1]) && isAlnum(raw[to])) {
      to++;
    }
    return { passage: raw.slice(from, to), pointed: { block: start, textBefore: raw.slice(0, from) } };
  }

  function textParent(node) {
    return node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  }

  function showControl() {
    const selection = document.getSelection();
    const found = readSelection(selection);
    if (!found) {
      if (selection.isCollapsed && !control.contains(document.activeElement)) {
        control.hidden = true; // the selection is gone, and its link with it
        selected = null;
      }
      return;
    }
    const start = textParent(selection.getRangeAt(0).startContainer);
    const block = found.pointed ? found.pointed.block : start.closest(data.block_tags.join(",") + ", aside, section") || start;
    selected = found.passage ? found : null;
    // Placed right after the block (after its notes), so that Tab from a keyboard selection
    // reaches it next; never inside a link or a note.
    const anchor = block.closest(".annotated") || block;
    if (anchor && anchor.parentNode && anchor.nextSibling !== control) {
      anchor.parentNode.insertBefore(control, anchor.nextSibling);
    }
    control.hidden = false;
    placeBeside(document.getSelection().getRangeAt(0));
    updateControl(found.message);
  }

  // Beside the end of the selection, in the page's coordinates.
  function placeBeside(range) {
    const rects = range.getClientRects();
    const end = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    const origin = (control.offsetParent || document.body).getBoundingClientRect();
    control.style.top = (end.bottom - origin.top + 4) + "px";
    control.style.left = Math.max(0, Math.min(end.left - origin.left, origin.width - control.offsetWidth)) + "px";
  }

  function updateControl(message) {
    if (message || !selected) {
      controlMessage.textContent = message || "";
      controlLink.hidden = true;
      return;
    }
    const made = proposal(selected.passage, controlType.value, selected.pointed);
    controlMessage.textContent = made.message || "";
    controlLink.hidden = !made.url;
    if (made.url) {
      controlLink.href = made.url;
    }
  }

  document.addEventListener("mouseup", () => setTimeout(showControl, 0));
  document.addEventListener("touchend", () => setTimeout(showControl, 300)); // after the handles settle
  document.addEventListener("keyup", (event) => {
    if (event.shiftKey || event.key === "Shift") {
      showControl();
    }
  });
  controlType.addEventListener("change", () => updateControl());

  // --- a passage typed by the reader -------------------------------------------------------

  const passageField = form.querySelector("textarea");
  const formType = form.querySelector("select");
  const formLink = form.querySelector("a");
  const formMessage = form.querySelector(".propose-message");

  function updateForm() {
    const made = proposal(passageField.value, formType.value, null);
    formMessage.textContent = made.message || "";
    formLink.hidden = !made.url;
    if (made.url) {
      formLink.href = made.url;
    }
  }

  passageField.addEventListener("input", updateForm);
  formType.addEventListener("change", updateForm);
  form.hidden = false;
  updateForm();
}());
