// `make serve` only (added by generators/publish/mkdocs_hooks.py): when the last rebuild failed, the
// worker's message is shown at the top of the page; the page reloads by itself when it is mended.
(function () {
  var me = document.currentScript;
  if (!me) return;
  var status = me.src.replace(/assets\/javascripts\/serve-status\.js(\?.*)?$/, "library/serve-status.json");
  fetch(status, {cache: "no-store"}).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (state) {
    if (!state || !state.failed) return;
    var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
    var banner = document.createElement("div");
    banner.className = "serve-failed";
    banner.setAttribute("role", "alert");
    var title = document.createElement("strong");
    title.textContent = zh
      ? "重新生成失败：页面仍是上次成功生成的内容。修正后保存，本页会自动刷新。"
      : "The rebuild failed: pages show the last good build. Save a fix and this page reloads.";
    var text = document.createElement("pre");
    text.textContent = state.lines.join("\n");
    banner.appendChild(title);
    banner.appendChild(text);
    document.body.insertBefore(banner, document.body.firstChild);
  }).catch(function () { /* no status file: the last rebuild succeeded */ });
})();
