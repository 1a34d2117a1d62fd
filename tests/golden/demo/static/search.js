// Starts Pagefind's search interface over every bundle of the edition's index (a large
// edition's index is split in shards); results for notes lead to the note's permalink.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  var others = JSON.parse(element.dataset.merge || "[]");
  new PagefindUI({
    element: "#search",
    bundlePath: element.dataset.bundle,
    baseUrl: "/",
    showSubResults: true,
    showImages: false,
    mergeIndex: others.map(function (path) { return { bundlePath: path, baseUrl: "/" }; }),
  });
});
