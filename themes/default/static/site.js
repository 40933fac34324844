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
