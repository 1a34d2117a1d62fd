// Glossator reading page: improvements on top of a page that works without any script.
// Without it every note is still there: beside its block on wide screens (short when crowded,
// whole when clicked or focused), behind its marker on narrow ones, under its block in print.
(function () {
  "use strict";

  var wide = window.matchMedia("(min-width: 1024px)");
  var bothMargins = window.matchMedia("(min-width: 80rem)");
  var print = window.matchMedia("print");
  // How far (CSS px) a note may stand from its passage before it is shown in the text instead.
  var MAX_DRIFT = 112;
  // How much an opened note outweighs its neighbours when notes are arranged around it.
  var PINNED = 1e6;

  var article = document.querySelector("article.article");
  var notes = article ? Array.prototype.slice.call(article.querySelectorAll("aside.note")) : [];
  var filterBoxes = Array.prototype.slice.call(document.querySelectorAll(".type-filter input[type=checkbox]"));
  var count = document.querySelector(".shown-count");
  var openNote = null;
  var openedByFocus = false;

  rememberHighlightsChoice();
  if (!notes.length) return;
  listen();  // first, so that the page answers the reader whatever happens below
  readTypesFromAddress();
  showCount();
  place();
  openNoteOfAddress();

  // --- Highlights: remember whether the reader hid the highlighted passages ----------------
  function rememberHighlightsChoice() {
    var STORAGE_KEY = "glossator:show-highlights";
    var toggle = document.getElementById("show-highlights");
    if (!toggle) return;
    try {
      var saved = window.localStorage.getItem(STORAGE_KEY);
      if (saved !== null) toggle.checked = saved === "yes";
      toggle.addEventListener("change", function () {
        window.localStorage.setItem(STORAGE_KEY, toggle.checked ? "yes" : "no");
      });
    } catch (error) {
      // Storage may be disabled; the switch still works for this visit.
    }
  }

  // --- Filter by type: the choice lives in the address (?types=question,correction) ----------
  function readTypesFromAddress() {
    var params = new URLSearchParams(window.location.search);
    if (!params.has("types")) return;
    var asked = params.getAll("types").join(",").split(",").map(function (word) { return word.trim(); });
    var known = filterBoxes.filter(function (box) { return asked.indexOf(box.value) >= 0; });
    // An address that names no type of this page (a typo) shows every note; an empty one, none.
    if (!known.length && asked.join("")) return;
    filterBoxes.forEach(function (box) { box.checked = known.indexOf(box) >= 0; });
  }

  function writeTypesToAddress() {
    var chosen = filterBoxes.filter(function (box) { return box.checked; });
    var params = new URLSearchParams(window.location.search);
    params.delete("types");
    if (chosen.length < filterBoxes.length) {
      params.set("types", chosen.map(function (box) { return box.value; }).join(","));
    }
    var query = params.toString().replace(/%2C/g, ",");
    window.history.replaceState(window.history.state, "", (query ? "?" + query : window.location.pathname) + window.location.hash);
  }

  function showCount() {
    if (!count) return;
    var all = notes.length;
    var shown = notes.filter(function (note) { return !hiddenByFilter(note); }).length;
    var noun = all === 1 ? " note" : " notes";
    count.textContent = shown === all ? all + noun : shown + " of " + all + noun;
  }

  function hiddenByFilter(note) {
    return filterBoxes.some(function (box) {
      return !box.checked && note.classList.contains("note-" + box.value);
    });
  }

  function typesChanged() {
    if (openNote && hiddenByFilter(openNote)) forgetOpenNote();
    notes.forEach(function (note) {
      if (hiddenByFilter(note)) closePopover(note);
    });
    writeTypesToAddress();
    showCount();
    place();
  }

  function closePopover(note) {
    if (note.matches(":popover-open")) note.hidePopover();
  }

  // --- Placement in the margins (wide screens) ------------------------------------------------
  // Each note should start level with its passage. Notes are arranged in one or two margin
  // columns; where they crowd, they keep their compact height and move as a group as little as
  // possible, so that no note overlaps another and each stays near its passage.
  // When some note would still stand more than MAX_DRIFT away, the first note that, placed
  // below the notes before it, would stand that far is shown in the text, under its block.
  // Notes with room for their whole text below them are shown whole. That is decided with
  // every note compact; a note the reader opens is then shown whole, level with its passage,
  // and only the notes of its margin move out of its way.
  function place() {
    var active = wide.matches && !print.matches;
    article.classList.toggle("placed", active);
    article.style.minHeight = "";
    notes.forEach(function (note) {
      note.classList.remove("in-text", "left-margin", "roomy");
      note.style.top = "";
    });
    if (!active) return;
    var shown = notes.filter(function (note) { return note.getClientRects().length > 0; });
    var heights = measureHeights(shown);
    var inMargin = function (note) { return !note.classList.contains("in-text"); };
    var items;
    for (;;) {
      items = arrange(shown.filter(inMargin), heights, null);
      if (largestDrift(items) <= MAX_DRIFT) break;
      var overflowing = items.filter(function (item) { return item.firstFit - item.want > MAX_DRIFT; })[0];
      if (!overflowing) {
        // Settling moved a note of a long group further than placing each below the one
        // before it does: keep those first fits.
        items.forEach(function (item) { item.top = item.firstFit; });
        break;
      }
      overflowing.note.classList.add("in-text");
    }
    if (openNote && inMargin(openNote)) items = arrange(shown.filter(inMargin), heights, openNote);
    items.forEach(function (item) {
      item.note.style.top = item.top + "px";
      item.note.classList.toggle("left-margin", item.column === 1);
    });
    giveRoom(items, heights);
    var bottom = Math.max.apply(null, items.map(function (item) { return item.top + item.note.offsetHeight; }).concat(0));
    if (bottom > article.offsetHeight) article.style.minHeight = bottom + "px";
  }

  // Each note's height whole and compact (as the stylesheet cuts it).
  function measureHeights(shown) {
    var heights = new Map();
    article.classList.add("unclamped");
    shown.forEach(function (note) { heights.set(note, {whole: note.offsetHeight}); });
    article.classList.remove("unclamped");
    var sample = shown.filter(function (note) { return note !== openNote; })[0];
    var compact = sample ? parseFloat(window.getComputedStyle(sample).maxHeight) : Infinity;
    shown.forEach(function (note) {
      var height = heights.get(note);
      height.compact = Math.min(height.whole, compact || Infinity);
    });
    return heights;
  }

  // Where each note goes (margin and top), with `pinned` whole and level with its passage.
  function arrange(list, heights, pinned) {
    var origin = article.getBoundingClientRect().top;
    var gap = parseFloat(window.getComputedStyle(notes[0].parentNode).rowGap) || 0;
    var items = list.map(function (note, index) {
      var mark = article.querySelector('mark[data-note="' + CSS.escape(note.id.slice("note-".length)) + '"]');
      var height = heights.get(note);
      return {note: note, index: index, want: mark.getBoundingClientRect().top - origin, top: 0, column: 0,
              height: (note === pinned ? height.whole : height.compact) + gap, compact: height.compact + gap,
              placed: note === pinned ? height.whole : height.compact, weight: note === pinned ? PINNED : 1};
    });
    items.sort(function (a, b) { return a.want - b.want || a.index - b.index; });
    chooseColumns(items, bothMargins.matches ? 2 : 1);
    [0, 1].forEach(function (column) {
      settle(items.filter(function (item) { return item.column === column; }));
    });
    return items;
  }

  // Each note goes to the margin where, placed after the notes above it, it starts nearest to
  // its passage (the right margin on a tie): its "first fit". Compact heights are used, so
  // that opening a note never moves others from one margin to the other.
  function chooseColumns(items, count) {
    var bottoms = [-Infinity, -Infinity].slice(0, count);
    items.forEach(function (item) {
      var best = 0;
      for (var column = 1; column < count; column++) {
        if (Math.max(item.want, bottoms[column]) < Math.max(item.want, bottoms[best])) best = column;
      }
      item.column = best;
      item.firstFit = Math.max(item.want, bottoms[best]);
      bottoms[best] = item.firstFit + item.compact;
    });
  }

  // Tops for one column's notes, in order, without overlap, with the least weighted sum of
  // distances to their passages: neighbours that would overlap are merged into a group whose
  // top is its members' weighted median wish, so most notes of a group stay level with their
  // passage and the others move as little as the group needs.
  function settle(items) {
    var groups = [];
    items.forEach(function (item) {
      var group = {items: [item], wishes: [{top: item.want, weight: item.weight}], height: item.height};
      group.top = Math.max(0, item.want);
      while (groups.length && groups[groups.length - 1].top + groups[groups.length - 1].height > group.top) {
        var above = groups.pop();
        group.wishes.forEach(function (wish) {
          above.wishes.push({top: wish.top - above.height, weight: wish.weight});
        });
        above.items = above.items.concat(group.items);
        above.height += group.height;
        above.top = Math.max(0, weightedMedian(above.wishes));
        group = above;
      }
      groups.push(group);
    });
    groups.forEach(function (group) {
      var top = group.top;
      group.items.forEach(function (item) {
        item.top = top;
        top += item.height;
      });
    });
  }

  function weightedMedian(wishes) {
    var sorted = wishes.slice().sort(function (a, b) { return a.top - b.top; });
    var half = sorted.reduce(function (sum, wish) { return sum + wish.weight; }, 0) / 2;
    for (var i = 0, seen = 0; i < sorted.length; i++) {
      seen += sorted[i].weight;
      if (seen >= half) return sorted[i].top;
    }
    return 0;
  }

  function largestDrift(items) {
    return Math.max.apply(null, items.map(function (item) { return Math.abs(item.top - item.want); }).concat(0));
  }

  // A compact note with room below it for its whole text, before the next note of its margin
  // (or the end of the article), is shown whole.
  function giveRoom(items, heights) {
    var end = article.offsetHeight;
    [0, 1].forEach(function (column) {
      var inColumn = items.filter(function (item) { return item.column === column; });
      inColumn.sort(function (a, b) { return a.top - b.top; });
      inColumn.forEach(function (item, index) {
        var next = inColumn[index + 1];
        var room = (next ? next.top : end) - item.top - (item.height - item.placed);
        if (heights.get(item.note).whole <= room) item.note.classList.add("roomy");
      });
    });
  }

  // --- Opening a note in full, in place ------------------------------------------------------
  function open(note, moveFocus, byFocus) {
    forgetOpenNote();
    openNote = note;
    openedByFocus = Boolean(byFocus);
    note.classList.add("open");
    place();
    if (moveFocus) note.focus({preventScroll: true});
    var box = note.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      note.scrollIntoView({block: box.height > window.innerHeight ? "start" : "nearest"});
    }
  }

  function close(note, focusMarker) {
    forgetOpenNote();
    place();
    var marker = document.getElementById("ref-" + note.id.slice("note-".length));
    if (focusMarker && marker) marker.focus({preventScroll: true});
  }

  function forgetOpenNote() {
    if (openNote) openNote.classList.remove("open");
    openNote = null;
  }

  function toggle(note) {
    if (note === openNote) close(note, false);
    else open(note, true);
  }

  function placed() { return article.classList.contains("placed"); }

  function clicked(event) {
    if (!placed()) return;
    var marker = event.target.closest("a.noteref");
    if (marker && article.contains(marker)) {
      var target = document.getElementById(marker.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        open(target, true);
      }
      return;
    }
    var note = event.target.closest("aside.note");
    var selecting = !window.getSelection().isCollapsed;
    if (note && notes.indexOf(note) >= 0 && !event.target.closest("a, button") && !selecting) toggle(note);
  }

  // A permalink (#note-<id>) opens its note, level with its passage, on any screen; a note of a
  // type the filter hides is shown again first.
  function openNoteOfAddress() {
    var target = noteOfAddress();
    if (!target) return;
    if (hiddenByFilter(target)) {
      filterBoxes.forEach(function (box) {
        if (target.classList.contains("note-" + box.value)) box.checked = true;
      });
      typesChanged();
    }
    if (placed()) {
      open(target, false);
      target.scrollIntoView({block: "center"});
    } else if (target.showPopover && !target.matches(":popover-open")) {
      target.showPopover();
    }
  }

  function noteOfAddress() {
    var id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return null;  // a fragment that is no note's id, such as "#100%"
    }
    var target = id ? document.getElementById(id) : null;
    return notes.indexOf(target) >= 0 ? target : null;
  }

  // --- Keeping the placement right ---------------------------------------------------------
  var pending = false;
  function placeSoon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      place();
    });
  }

  // A phone's popover does not follow the page into the margins: close it when the screen widens.
  function widthChanged() {
    if (wide.matches) notes.forEach(closePopover);
    place();
  }

  // Printed, every note stands whole under its block; a popover would cover the page.
  function printChanged() {
    notes.forEach(closePopover);
    place();
  }

  function listen() {
    filterBoxes.forEach(function (box) { box.addEventListener("change", typesChanged); });
    document.addEventListener("click", clicked);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && openNote && placed()) {
        event.preventDefault();
        close(openNote, openNote.contains(document.activeElement));
      }
    });
    notes.forEach(function (note) {
      note.addEventListener("keydown", function (event) {
        if (placed() && (event.key === "Enter" || event.key === " ") && event.target === note) {
          event.preventDefault();
          toggle(note);
        }
      });
      // Tabbing to a link inside a compact note opens it, so that what has focus can be seen,
      // until focus leaves it.
      note.addEventListener("focusin", function (event) {
        if (placed() && note !== openNote && event.target !== note && event.target.matches(":focus-visible")) {
          open(note, false, true);
        }
      });
      note.addEventListener("focusout", function (event) {
        if (note === openNote && openedByFocus && !note.contains(event.relatedTarget)) close(note, false);
      });
      // Narrow screens: a note opened as a popover takes the focus; closing it (Escape, the
      // marker, or Close) returns focus to the marker.
      note.addEventListener("toggle", function (event) {
        if (event.newState === "open") note.focus();
      });
    });
    window.addEventListener("hashchange", openNoteOfAddress);
    window.addEventListener("resize", placeSoon);
    window.addEventListener("load", placeSoon);  // images without a size move the text when they arrive
    wide.addEventListener("change", widthChanged);
    bothMargins.addEventListener("change", place);
    print.addEventListener("change", printChanged);
    window.addEventListener("beforeprint", printChanged);
  }
})();
