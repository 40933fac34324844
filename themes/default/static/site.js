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

// Listings: sort the rows by deadline or days and filter them by
// department or issuing body, within the page. The controls are in the
// page, shown only when scripts run (html.js); without JavaScript the table
// stays as the build wrote it.
(function () {
  document.querySelectorAll(".listing-tools").forEach(function (tools) {
    var scroll = tools.nextElementSibling;
    var table = scroll && scroll.querySelector("table.listing[data-sortable]");
    if (!table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
    var control = function (name) { return tools.querySelector('[data-control="' + name + '"]'); };
    var sort = control("sort"), department = control("department"), organization = control("organization");
    var status = tools.querySelector(".listing-tools-status");
    [department, organization].forEach(function (select) {
      var name = select.getAttribute("data-control");
      var seen = {};
      rows.forEach(function (row) { var v = row.getAttribute("data-" + name); if (v) seen[v] = true; });
      Object.keys(seen).sort(function (a, b) { return a.localeCompare(b, "zh-CN"); }).forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value;
        select.appendChild(option);
      });
    });
    [sort, department, organization].forEach(function (select) { select.addEventListener("change", apply); });

    function apply() {
      var key = function (row) {
        if (sort.value === "deadline") return row.getAttribute("data-deadline") || "9999";
        if (sort.value === "days") return String(1e6 - Number(row.getAttribute("data-days"))).padStart(8, "0");
        return "";
      };
      var sorted = rows.slice().sort(function (a, b) {
        var ka = key(a), kb = key(b);
        if (ka !== kb) return ka < kb ? -1 : 1;
        return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
      });
      var shown = 0;
      sorted.forEach(function (row) {
        var keep = (!department.value || row.getAttribute("data-department") === department.value) &&
          (!organization.value || row.getAttribute("data-organization") === organization.value);
        row.hidden = !keep;
        if (keep) shown += 1;
        body.appendChild(row);
      });
      status.textContent = shown === rows.length ? "" : "本页显示 " + shown + " 条（共 " + rows.length + " 条）";
    }
  });
})();
