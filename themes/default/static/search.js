// Client-side search over search/index.js (window.GONGKAI_SEARCH).
// Chinese is matched as written: every word of the query must occur in the
// title or text (see docs/search.md for why substrings, not tokens).
(function () {
  var index = window.GONGKAI_SEARCH;
  var form = document.getElementById("search-form");
  if (!index || !form) return;
  var root = form.getAttribute("data-root") || "";
  var input = document.getElementById("search-q");
  var statusSelect = document.getElementById("search-status");
  var orgSelect = document.getElementById("search-organization");
  var summary = document.getElementById("search-summary");
  var list = document.getElementById("search-results");
  var labels = { completed: "已完成", partial: "基本完成", in_progress: "整改中" };

  index.organizations.forEach(function (name, i) {
    var option = document.createElement("option");
    option.value = String(i);
    option.textContent = name;
    orgSelect.appendChild(option);
  });

  function link(path) {
    return root + path + (path === "" || path.charAt(path.length - 1) === "/" ? "index.html" : "");
  }

  // The text around the first match, with every match marked.
  function snippet(text, terms) {
    var lower = text.toLowerCase();
    var first = -1;
    terms.forEach(function (term) {
      var at = lower.indexOf(term);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    // From the start of the field that matched (its label, such as
    // 牵头领导：) when that is near, else from a little before the match.
    var field = lower.lastIndexOf(" ", first) + 1;
    var start = first < 0 ? 0 : first - field <= 40 ? field : first - 30;
    var piece = (start > 0 ? "…" : "") + text.slice(start, start + 120) + (start + 120 < text.length ? "…" : "");
    var fragment = document.createDocumentFragment();
    var pieceLower = piece.toLowerCase();
    var at = 0;
    while (at < piece.length) {
      var next = -1, length = 0;
      terms.forEach(function (term) {
        var found = pieceLower.indexOf(term, at);
        if (found >= 0 && (next < 0 || found < next)) { next = found; length = term.length; }
      });
      if (next < 0) { fragment.appendChild(document.createTextNode(piece.slice(at))); break; }
      fragment.appendChild(document.createTextNode(piece.slice(at, next)));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(next, next + length);
      fragment.appendChild(mark);
      at = next + length;
    }
    return fragment;
  }

  function run() {
    var query = input.value.trim();
    // Full-width letters and digits (２０２５) as the index writes them.
    var terms = query.normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean);
    var status = statusSelect.value;
    var org = orgSelect.value;
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (status) params.set("status", status);
    if (org) params.set("organization", org);
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    list.textContent = "";
    if (!terms.length && !status && !org) { summary.textContent = "请输入关键词。"; return; }
    // Ranked: every word in the title first, then a word in the title,
    // then the rest; in the portal's order within each rank.
    var ranked = [[], [], []];
    index.documents.forEach(function (doc) {
      if (org && String(doc.o) !== org) return;
      if (status === "overdue" ? !doc.d : status && doc.s !== status) return;
      var title = doc.t.toLowerCase();
      // An issue is found by its notice's issuing body too.
      var haystack = title + " " + doc.x.toLowerCase() + (doc.s ? " " + index.organizations[doc.o].toLowerCase() : "");
      if (!terms.every(function (term) { return haystack.indexOf(term) >= 0; })) return;
      var inTitle = terms.filter(function (term) { return title.indexOf(term) >= 0; }).length;
      ranked[inTitle === terms.length && terms.length ? 0 : inTitle ? 1 : 2].push(doc);
    });
    var hits = ranked[0].concat(ranked[1], ranked[2]);
    summary.textContent = hits.length ? "找到 " + hits.length + " 条结果" : "没有找到相关内容。";
    hits.slice(0, 200).forEach(function (doc) {
      var item = document.createElement("li");
      item.className = "search-result";
      var title = document.createElement("a");
      title.href = link(doc.u);
      title.className = "result-title";
      title.textContent = doc.t;
      item.appendChild(title);
      var meta = document.createElement("p");
      meta.className = "result-meta";
      var kind = document.createElement("span");
      kind.className = doc.s ? "badge status-" + doc.s : "badge";
      kind.textContent = doc.s ? labels[doc.s] : "通报";
      meta.appendChild(kind);
      if (doc.d) {
        var late = document.createElement("span");
        late.className = "badge overdue";
        late.textContent = "逾期";
        meta.appendChild(document.createTextNode(" "));
        meta.appendChild(late);
      }
      meta.appendChild(document.createTextNode(" " + (doc.n || index.organizations[doc.o])));
      item.appendChild(meta);
      if (terms.length) {
        var text = document.createElement("p");
        text.className = "result-snippet";
        text.appendChild(snippet(doc.x, terms));
        item.appendChild(text);
      }
      list.appendChild(item);
    });
    if (hits.length > 200) summary.textContent += "，显示前 200 条，请增加关键词缩小范围";
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  statusSelect.value = params.get("status") || "";
  orgSelect.value = params.get("organization") || "";
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  // Results as the reader types, once a pause shows the word is written.
  var typing = null;
  input.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(run, 200);
  });
  statusSelect.addEventListener("change", run);
  orgSelect.addEventListener("change", run);
  if (input.value || statusSelect.value || orgSelect.value) run();
})();
