/* Tables a reader can read on any screen. Our own few lines, served with the site (no CDN).
   - Each cell of a library table (.sortable: master list, records register) and of a revision log
     (and its decisions) learns its column's name (data-label): on a phone the rows become cards, each value under its name.
   - A table that still scrolls sideways (a procedure's step tables on a phone) can be reached by
     keyboard (tabindex, named by its table's first header), as WCAG asks of a scrolling region. */
(function () {
  "use strict";
  var english = (document.documentElement.lang || "").indexOf("en") === 0;
  var LONG = 40;  // characters: a cell's text longer than this is read under its name, not beside it

  function label(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    var names = Array.prototype.map.call(head.cells, function (cell) { return cell.textContent.trim(); });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, column) {
          if (names[column]) cell.setAttribute("data-label", names[column]);
          if (cell.textContent.trim().length > LONG) cell.setAttribute("data-long", "");  // a card shows it full width
          if (/^[\w./-]{1,16}$/.test(cell.textContent.trim())) cell.setAttribute("data-code", "");  // a date, a number: whole
        });
      });
    });
  }

  function reachable(wrap) {
    if (wrap.scrollWidth <= wrap.clientWidth + 1 || wrap.hasAttribute("tabindex")) return;
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    var first = wrap.querySelector("th");
    wrap.setAttribute("aria-label", (english ? "Table: " : "表格：") + (first ? first.textContent.trim() : ""));
  }

  function setUp() {
    document.querySelectorAll(".sortable table, .revision-log table, .revision-decisions table, .version-facts table").forEach(label);
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset table").forEach(reachable);
  }
  // Material wraps tables after the page loads (and again after instant navigation): run after it.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(function () { setTimeout(setUp, 0); });
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
  window.addEventListener("resize", function () {
    document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset table").forEach(reachable);
  });
})();
