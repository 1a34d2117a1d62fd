// Glossator reading page: small improvements on top of pages that work without any script.
(function () {
  "use strict";

  // Remember whether the reader hid the highlighted passages.
  var STORAGE_KEY = "glossator:show-highlights";
  var toggle = document.getElementById("show-highlights");
  if (toggle) {
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

  // On narrow screens a note opens as a popover: move focus into it, so that a screen reader
  // reads it at once. Closing it (Escape, the marker, or Close) returns focus to the marker.
  var notes = document.querySelectorAll("aside.note[popover]");
  Array.prototype.forEach.call(notes, function (note) {
    note.addEventListener("toggle", function (event) {
      if (event.newState === "open") note.focus();
    });
  });

  // A permalink to a note opens it on narrow screens.
  var narrow = window.matchMedia("(max-width: 1023.98px)");
  var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  if (target && target.matches("aside.note[popover]") && narrow.matches && target.showPopover) {
    target.showPopover();
  }
})();
