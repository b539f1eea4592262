/* The step list under a flowchart, kept in step with the chart (on a phone the chart shows a part at a
   time): choosing a step in the list brings its node into the middle of the chart's box and marks it
   (aria-current on the list's link, a ring on the node); choosing a node in the chart goes to the step's
   text, as before. Without this script the list's links still lead to the node (#chart-step-…) and the
   stylesheet marks it (:target). Our own few lines, served with the site (no CDN). */
(function () {
  "use strict";

  function show(box, node, link, list) {
    var b = box.getBoundingClientRect(), n = node.getBoundingClientRect();
    box.scrollLeft += (n.left + n.width / 2) - (b.left + b.width / 2);
    box.scrollTop += (n.top + n.height / 2) - (b.top + b.height / 2);
    Array.prototype.forEach.call(box.querySelectorAll("g.node.is-current"), function (g) { g.classList.remove("is-current"); });
    Array.prototype.forEach.call(list.querySelectorAll("a[aria-current]"), function (a) { a.removeAttribute("aria-current"); });
    node.classList.add("is-current");
    link.setAttribute("aria-current", "step");
    var top = box.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) window.scrollBy(0, top - 8);  // the chart's box in view
  }

  function setUp(list) {
    var box = list.previousElementSibling;
    while (box && !box.classList.contains("flowchart")) box = box.previousElementSibling;
    if (!box || list.hasAttribute("data-ready")) return;
    list.setAttribute("data-ready", "");
    list.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#chart-step-']");
      if (!link) return;
      var node = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!node || !box.contains(node)) return;
      event.preventDefault();
      show(box, node, link, list);
    });
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".chart-steps"), setUp);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(function () { setTimeout(setUpAll, 0); });
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
