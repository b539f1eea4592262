/* The comparisons page of a procedure (generators/templates/compare-picker.md.j2): two lists choose any
   two revisions, and only the steps between them stay shown, in order; the address keeps the choice
   (#a-0--a-3), so it can be shared, and the address of a pair published before leads here with it.
   Without this script the lists stay hidden and every step is listed. It only shows and hides what
   the page holds. Our own few lines, served with the site (no CDN). */
(function () {
  "use strict";

  function setUp(picker) {
    if (picker.hasAttribute("data-ready")) return;
    picker.setAttribute("data-ready", "");
    var from = picker.querySelector("[data-compare-from]"), to = picker.querySelector("[data-compare-to]");
    var range = picker.querySelector("[data-compare-range]");
    var steps = Array.prototype.slice.call(document.querySelectorAll("[data-compare-step]"));
    // the versions in order: the first of each step, then the last step's second
    var versions = steps.map(function (step) { return step.getAttribute("data-compare-step").split("--")[0]; });
    if (steps.length) versions.push(steps[steps.length - 1].getAttribute("data-compare-step").split("--")[1]);

    function label(select) { return select.options[select.selectedIndex].text; }

    function show(remember) {
      var first = versions.indexOf(from.value), last = versions.indexOf(to.value);
      if (last <= first) {  // "to" is newer than "from": moved along with it
        last = Math.min(first + 1, versions.length - 1);
        to.value = versions[last];
      }
      steps.forEach(function (step, index) {
        step.hidden = index < first || index >= last;
        // and its entry in the table of contents, which would lead nowhere
        var anchor = step.getAttribute("data-compare-step");
        Array.prototype.forEach.call(document.querySelectorAll(".md-nav--secondary a[href='#" + anchor + "']"), function (a) {
          if (a.parentElement) a.parentElement.hidden = step.hidden;
        });
      });
      var count = last - first;
      range.textContent = picker.getAttribute(count === 1 ? "data-one" : "data-many")
        .replace("{old}", label(from)).replace("{new}", label(to)).replace("{count}", String(count));
      if (remember && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "#" + from.value + "--" + to.value);
      }
    }

    function choose(hash) {
      var pair = decodeURIComponent(hash.replace(/^#/, "")).split("--");
      if (pair.length !== 2 || versions.indexOf(pair[0]) < 0 || versions.indexOf(pair[1]) < 0) return false;
      if (versions.indexOf(pair[1]) <= versions.indexOf(pair[0])) return false;
      from.value = pair[0];
      to.value = pair[1];
      return true;
    }

    var chosen = choose(window.location.hash);
    picker.hidden = false;
    show(false);
    from.addEventListener("change", function () { show(true); });
    to.addEventListener("change", function () {
      if (versions.indexOf(to.value) <= versions.indexOf(from.value)) {  // "from" moves back with it
        from.value = versions[Math.max(versions.indexOf(to.value) - 1, 0)];
      }
      show(true);
    });
    window.addEventListener("hashchange", function () {
      // a step shown (its heading's link, its entry in the table of contents) is only where to go
      var anchor = decodeURIComponent(window.location.hash.replace(/^#/, ""));
      if (steps.some(function (step) { return !step.hidden && step.getAttribute("data-compare-step") === anchor; })) return;
      if (choose(window.location.hash)) show(false);
    });
    if (chosen) picker.scrollIntoView({ block: "start" });
  }

  // The other pairs' fragments (#a-0--a-2) sit before the step each starts at, where a reader without
  // the script is taken. With it, they move into the picker (still hidden) at once, before the browser
  // scrolls to the fragment: the page then scrolls once, down to the picker, not first to the step and
  // back up (which would also bring up Material's "back to top" button over the picker).
  function gather() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-compare-picker]"), function (picker) {
      Array.prototype.forEach.call(document.querySelectorAll(".compare-pairs > span[id]"), function (span) {
        picker.appendChild(span);
      });
    });
  }
  gather();

  function setUpAll() {
    gather();
    Array.prototype.forEach.call(document.querySelectorAll("[data-compare-picker]"), setUp);
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(function () { setTimeout(setUpAll, 0); });
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
