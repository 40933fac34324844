// 大字号 / 高对比度: a class on <html>, remembered across pages in localStorage.
(function () {
  var root = document.documentElement;
  var key = "gongkai-view";
  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function save(prefs) {
    try { localStorage.setItem(key, JSON.stringify(prefs)); } catch (e) { /* private mode */ }
  }
  var prefs = load();
  document.querySelectorAll(".view-toggle").forEach(function (button) {
    var view = button.getAttribute("data-view");
    button.setAttribute("aria-pressed", prefs[view] ? "true" : "false");
    button.addEventListener("click", function () {
      prefs[view] = !prefs[view];
      root.classList.toggle(view, prefs[view]);
      button.setAttribute("aria-pressed", prefs[view] ? "true" : "false");
      save(prefs);
    });
  });
})();

// 打印 / 复制链接 on a notice or an issue: the tools are hidden until this
// script runs, so that without JavaScript no button does nothing.
(function () {
  document.querySelectorAll(".page-tools").forEach(function (tools) {
    tools.hidden = false;
    var status = tools.querySelector(".page-tools-status");
    tools.querySelectorAll("button[data-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (button.getAttribute("data-action") === "print") {
          window.print();
          return;
        }
        var link = (document.querySelector('link[rel="canonical"]') || {}).href || location.href;
        var done = function () { if (status) status.textContent = "已复制本页链接"; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(link).then(done, function () { window.prompt("复制本页链接：", link); });
        } else {
          window.prompt("复制本页链接：", link);
        }
      });
    });
  });
})();
