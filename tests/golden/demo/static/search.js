// Starts Pagefind's search interface; results for notes lead to the note's permalink.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  new PagefindUI({
    element: "#search",
    bundlePath: element.dataset.bundle,
    baseUrl: "/",
    showSubResults: false,
    showImages: false,
  });
});
