/* Lane names that stay in view: once a reader scrolls a tall flowchart down (on a phone it is most of
   the chart), a strip at the top of the chart's box names the lane above each column, following the
   chart sideways and through zoom. Our own few lines, served with the site (no CDN). */
(function () {
  "use strict";

  function lanes(svg) {
    return Array.prototype.map.call(svg.querySelectorAll("g.lane, g.externals"), function (lane) {
      var shape = lane.querySelector("polygon, path");
      var title = lane.querySelector("title");
      var texts = Array.prototype.map.call(lane.querySelectorAll(":scope > text"), function (t) { return t.textContent; });
      return {shape: shape, name: texts.length ? texts.join(" ") : (title ? title.textContent : ""),
              bottom: Math.max.apply(null, Array.prototype.map.call(lane.querySelectorAll(":scope > text"),
                function (t) { return t.getBoundingClientRect().bottom; }).concat([0]))};
    }).filter(function (lane) { return lane.shape && lane.name; });
  }

  function setUp(box) {
    var svg = box.querySelector("svg");
    if (!svg || box.querySelector(".flowchart-lanes")) return;
    var strip = document.createElement("div");
    strip.className = "flowchart-lanes";
    strip.setAttribute("aria-hidden", "true");  // the chart names its lanes itself; this repeats them
    box.insertBefore(strip, box.firstChild);
    var headerBottom = 0;

    function place() {
      var found = lanes(svg);
      var origin = svg.getBoundingClientRect();
      strip.style.width = origin.width + "px";
      strip.textContent = "";
      headerBottom = 0;
      found.forEach(function (lane) {
        var r = lane.shape.getBoundingClientRect();
        var label = document.createElement("span");
        label.textContent = lane.name;
        label.style.left = (r.left - origin.left) + "px";
        label.style.width = r.width + "px";
        strip.appendChild(label);
        headerBottom = Math.max(headerBottom, lane.bottom - origin.top);
      });
      update();
    }
    function update() {
      strip.classList.toggle("is-shown", box.scrollTop > headerBottom);
    }
    box.addEventListener("scroll", update, {passive: true});
    if (window.ResizeObserver) new ResizeObserver(place).observe(svg);
    place();
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".flowchart"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
