/* Zoom for the flowchart. The chart shows at its own size (text 10 px and up) in a box that scrolls
   both ways; these buttons shrink it to see the whole flow at once, enlarge it, or put it back.
   Our own few lines, served with the site (no CDN). */
(function () {
  "use strict";
  var english = (document.documentElement.lang || "").indexOf("en") === 0;
  var words = english
    ? {group: "Chart zoom", out: "Zoom out", in: "Zoom in", fit: "Fit to width", own: "Actual size"}
    : {group: "流程图缩放", out: "缩小", in: "放大", fit: "适合宽度", own: "原始大小"};

  function setUp(box) {
    var svg = box.querySelector("svg");
    if (!svg || box.previousElementSibling && box.previousElementSibling.classList.contains("flowchart-zoom")) return;
    var natural = svg.getBoundingClientRect().width;
    var scale = 1;
    // Zooming out stops where the chart's smallest text would fall under 10 px (readable on a phone);
    // "fit to width" alone goes further, to show the whole flow at once.
    var smallest = Math.min.apply(null, Array.prototype.map.call(svg.querySelectorAll("text"), function (t) {
      return parseFloat(t.getAttribute("font-size")) * (t.getScreenCTM() ? t.getScreenCTM().a : 1) || 10;
    }).concat([10]));
    var readable = Math.min(1, 10 / smallest);
    function show(next) {
      scale = Math.min(Math.max(next, 0.1), 4);
      svg.style.width = Math.round(natural * scale) + "px";
      svg.setAttribute("data-scale", scale.toFixed(2));
    }
    var bar = document.createElement("div");
    bar.className = "flowchart-zoom";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", words.group);
    [["−", words.out, function () { show(Math.max(scale / 1.25, readable)); }],
     ["+", words.in, function () { show(scale * 1.25); }],
     [words.fit, words.fit, function () { show(box.clientWidth / natural); }],
     ["1:1", words.own, function () { show(1); }]].forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = item[0];
      button.setAttribute("aria-label", item[1]);
      button.title = item[1];
      button.addEventListener("click", item[2]);
      bar.appendChild(button);
    });
    box.parentNode.insertBefore(bar, box);
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".flowchart"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
