// Client-side search over the index in search/ (see docs/search.md).
// search/index.js says how the index is cut; the keys of a query (each
// character, or each pair of adjacent characters, of each word) name the
// documents that may hold it, and only their files are fetched. Every
// file is a script calling GONGKAI_SEARCH_PART, so search works from a
// folder opened from disk too. Chinese is matched as written: every word
// of the query must occur in the title or text of a result.
(function () {
  var directory = window.GONGKAI_SEARCH;
  var form = document.getElementById("search-form");
  if (!directory || !form) return;
  var root = form.getAttribute("data-root") || "";
  var input = document.getElementById("search-q");
  var statusSelect = document.getElementById("search-status");
  var orgSelect = document.getElementById("search-organization");
  var summary = document.getElementById("search-summary");
  var list = document.getElementById("search-results");
  var moreButton = document.getElementById("search-more");
  if (!moreButton) {
    // A theme's search page from before results came a page at a time.
    moreButton = document.createElement("button");
    moreButton.type = "button";
    moreButton.id = "search-more";
    moreButton.hidden = true;
    list.insertAdjacentElement("afterend", moreButton);
  }
  var labels = { completed: "已完成", partial: "基本完成", in_progress: "整改中" };
  var FIRST = 10;
  var MORE = 20;
  // A query that is not exact from the keys alone is checked whole when
  // its candidates are in this many files at most.
  var CHECK_FILES = 16;
  var words = Math.ceil(directory.documents / 32);

  directory.organizations.forEach(function (name, i) {
    var option = document.createElement("option");
    option.value = String(i);
    option.textContent = name;
    orgSelect.appendChild(option);
  });

  // Parts of the index by name, each a promise of what its file holds.
  var parts = {};
  var waiting = {};
  window.GONGKAI_SEARCH_PART = function (name, data) {
    if (waiting[name]) {
      waiting[name](data);
      delete waiting[name];
    }
  };
  function part(name) {
    if (!parts[name]) {
      parts[name] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        var failed = function () {
          delete parts[name];
          delete waiting[name];
          reject(new Error(name));
        };
        waiting[name] = resolve;
        script.src = root + "search/" + name + ".js";
        script.onload = function () {
          script.remove();
          if (waiting[name]) failed();
        };
        script.onerror = function () {
          script.remove();
          failed();
        };
        document.head.appendChild(script);
      });
    }
    return parts[name];
  }

  // As the build folds: each character in compatibility form (NFKC: ２ is
  // 2, ： is :), lower case; `from` says where each folded unit came from.
  function fold(c) {
    var code = c.charCodeAt(0);
    if (code < 128) return c.toLowerCase();
    if (code >= 0x4e00 && code <= 0x9fff) return c;
    return c.normalize("NFKC").toLowerCase();
  }
  function folded(text) {
    var out = "";
    var from = [];
    for (var i = 0; i < text.length; ) {
      var c = String.fromCodePoint(text.codePointAt(i));
      var f = fold(c);
      for (var j = 0; j < f.length; j++) from.push(i);
      out += f;
      i += c.length;
    }
    from.push(text.length);
    return { text: out, from: from };
  }

  // The keys of a word: the character, or pairs of adjacent characters
  // that cover it (号源管理: 号源 and 管理). The texts are checked anyway,
  // so the pairs between (源管) would only cost their lists.
  function keysOf(word) {
    var chars = Array.from(word);
    if (chars.length === 1) return [word];
    var keys = [];
    for (var i = 0; i + 1 < chars.length; i += 2) keys.push(chars[i] + chars[i + 1]);
    if (chars.length % 2) keys.push(chars[chars.length - 2] + chars[chars.length - 1]);
    return keys.filter(function (key, i) { return keys.indexOf(key) === i; });
  }

  // FNV-1a over UTF-16 units, as the build files keys.
  function bucketOf(key) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      hash ^= key.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0) & (directory.buckets - 1);
  }

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = {};
  for (var a = 0; a < ALPHABET.length; a++) VALUE[ALPHABET.charCodeAt(a)] = a;

  // A list as written by the build (runs, or ~ and a bitmap) as a bit set.
  function bits(written) {
    var set = new Uint32Array(words);
    var i, value;
    if (written.charAt(0) === "~") {
      var buffer = 0, have = 0, byte = 0;
      for (i = 1; i < written.length; i++) {
        buffer = ((buffer << 6) | VALUE[written.charCodeAt(i)]) & 0xffff;
        have += 6;
        if (have >= 8) {
          have -= 8;
          var b = (buffer >> have) & 255;
          if (b) set[byte >> 2] |= b << ((byte & 3) * 8);
          byte++;
        }
      }
      return set;
    }
    var end = -1, gap = -1;
    value = 0;
    for (i = 0; i < written.length; i++) {
      var digit = VALUE[written.charCodeAt(i)];
      value = value * 32 + (digit & 31);
      if (digit >= 32) continue;
      if (gap < 0) {
        gap = value;
      } else {
        var start = end + 1 + gap;
        end = start + value;
        for (var n = start; n <= end; n++) set[n >>> 5] |= 1 << (n & 31);
        gap = -1;
      }
      value = 0;
    }
    return set;
  }

  // The documents holding `key`, and those whose title holds it.
  var decoded = {};
  function lists(key) {
    if (!decoded[key]) {
      var name = "k/" + bucketOf(key);
      decoded[key] = part(name).then(function (entries) {
        var entry = Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : "";
        var pair = Array.isArray(entry) ? entry : [entry, ""];
        return Promise.all(pair.map(function (written) {
          return typeof written === "number" ? part(name + "-" + written) : written;
        })).then(function (written) {
          return { all: bits(written[0]), title: bits(written[1]) };
        });
      });
      decoded[key].catch(function () { delete decoded[key]; });
    }
    return decoded[key];
  }

  function everything() {
    var set = new Uint32Array(words).fill(0xffffffff);
    var spare = words * 32 - directory.documents;
    if (spare) set[words - 1] = 0xffffffff >>> spare;
    return set;
  }
  function and(a, b) {
    var out = new Uint32Array(words);
    for (var i = 0; i < words; i++) out[i] = a[i] & b[i];
    return out;
  }
  function members(set, out) {
    for (var w = 0; w < words; w++) {
      var word = set[w];
      while (word) {
        var low = word & -word;
        out.push(w * 32 + 31 - Math.clz32(low));
        word ^= low;
      }
    }
    return out;
  }

  // The documents' files, by number.
  function documentsOf(numbers) {
    var files = {};
    numbers.forEach(function (n) { files[Math.floor(n / directory.shard)] = true; });
    return Promise.all(Object.keys(files).map(function (file) {
      return part("d/" + file).then(function (docs) { return [Number(file), docs]; });
    })).then(function (loaded) {
      var byFile = {};
      loaded.forEach(function (pair) { byFile[pair[0]] = pair[1]; });
      return numbers.map(function (n) { return byFile[Math.floor(n / directory.shard)][n % directory.shard]; });
    });
  }

  function link(path) {
    return root + path + (path === "" || path.charAt(path.length - 1) === "/" ? "index.html" : "");
  }

  // Whether every word occurs in the document, as the page shows it.
  function holdsAll(doc, terms) {
    var haystack = folded(doc.t).text + " " + folded(doc.x).text +
      (doc.s ? " " + folded(directory.organizations[doc.o] || "").text : "");
    return terms.every(function (term) { return haystack.indexOf(term) >= 0; });
  }

  // The text around the first match, with every match marked.
  function snippet(text, terms) {
    var f = folded(text);
    var first = -1;
    terms.forEach(function (term) {
      var at = f.text.indexOf(term);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var matchAt = first < 0 ? 0 : f.from[first];
    // From the start of the field that matched (its label, such as
    // 牵头领导：) when that is near, else from a little before the match.
    var field = text.lastIndexOf(" ", matchAt) + 1;
    var start = first < 0 ? 0 : matchAt - field <= 40 ? field : matchAt - 30;
    var end = Math.min(text.length, start + 120);
    var marks = [];
    terms.forEach(function (term) {
      for (var at = f.text.indexOf(term); at >= 0; at = f.text.indexOf(term, at + 1)) {
        var from = f.from[at], to = f.from[at + term.length];
        if (to > start && from < end) marks.push([Math.max(from, start), Math.min(to, end)]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var fragment = document.createDocumentFragment();
    if (start > 0) fragment.appendChild(document.createTextNode("…"));
    var at = start;
    marks.forEach(function (mark) {
      if (mark[1] <= at) return;
      var from = Math.max(mark[0], at);
      fragment.appendChild(document.createTextNode(text.slice(at, from)));
      var element = document.createElement("mark");
      element.textContent = text.slice(from, mark[1]);
      fragment.appendChild(element);
      at = mark[1];
    });
    fragment.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? "…" : "")));
    return fragment;
  }

  function render(doc, terms) {
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
    meta.appendChild(document.createTextNode(" " + (doc.n || directory.organizations[doc.o])));
    item.appendChild(meta);
    if (terms.length) {
      var text = document.createElement("p");
      text.className = "result-snippet";
      text.appendChild(snippet(doc.x, terms));
      item.appendChild(text);
    }
    list.appendChild(item);
  }

  // The search being shown: its candidates in ranked order, how far they
  // have been read, and whether the count is known exactly.
  var current = null;
  var generation = 0;

  function failed(mine) {
    if (mine !== generation) return;
    summary.textContent = "搜索索引没能读取，请刷新页面后重试。";
    summary.setAttribute("data-state", "done");
    moreButton.hidden = true;
  }

  function tell() {
    var count = current.order.length;
    var left = count - current.next;
    // Once every candidate is read, those left are those that hold.
    var known = current.exact || left <= 0;
    if (!count) {
      summary.textContent = "没有找到相关内容。";
    } else {
      summary.textContent = (known ? "找到 " : "找到约 ") + count + " 条结果";
    }
    moreButton.hidden = left <= 0;
    moreButton.textContent = known ? "显示更多结果（还有 " + left + " 条）" : "显示更多结果";
    summary.setAttribute("data-state", "done");
  }

  // Shows up to `count` more results (in place of those shown when
  // `replace`), checking candidates when the keys alone do not settle them.
  function show(count, mine, typedAt, replace) {
    var search = current;
    var numbers = search.order.slice(search.next, search.next + count);
    documentsOf(numbers).then(function (docs) {
      if (mine !== generation) return;
      if (replace) list.textContent = "";
      var held = [];
      docs.forEach(function (doc, i) {
        if (search.exact || holdsAll(doc, search.terms)) {
          render(doc, search.terms);
          held.push(numbers[i]);
        }
      });
      // What did not hold is dropped: what is left is still to be read.
      Array.prototype.splice.apply(search.order, [search.next, numbers.length].concat(held));
      search.next += held.length;
      if (held.length < count && search.next < search.order.length) {
        show(count - held.length, mine, typedAt, false);
        return;
      }
      tell();
      if (typedAt !== undefined && window.performance && performance.measure) {
        performance.measure("gongkai-search", { start: typedAt, end: performance.now() });
      }
    }, function () { failed(mine); });
  }

  function run(event) {
    var mine = ++generation;
    var typedAt = event && event.timeStamp;
    var query = input.value.trim();
    var terms = folded(query).text.split(/\s+/).filter(Boolean);
    var status = statusSelect.value;
    var org = orgSelect.value;
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (status) params.set("status", status);
    if (org) params.set("organization", org);
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    if (!terms.length && !status && !org) {
      list.textContent = "";
      moreButton.hidden = true;
      summary.textContent = "请输入关键词。";
      summary.setAttribute("data-state", "done");
      return;
    }
    summary.setAttribute("data-state", "searching");
    var wordKeys = terms.map(keysOf);
    var filters = [];
    if (status) filters.push(status === "overdue" ? " d" : " s:" + status);
    if (org) filters.push(" o:" + org);
    var wanted = [];
    wordKeys.forEach(function (keys) { wanted = wanted.concat(keys); });
    wanted = wanted.concat(filters);
    Promise.all(wanted.map(lists)).then(function (found) {
      if (mine !== generation) return;
      var of = {};
      wanted.forEach(function (key, i) { of[key] = found[i]; });
      var candidates = everything();
      var inAllTitles = everything();
      var inSomeTitle = new Uint32Array(words);
      wordKeys.forEach(function (keys) {
        var title = everything();
        keys.forEach(function (key) {
          candidates = and(candidates, of[key].all);
          title = and(title, of[key].title);
        });
        inAllTitles = and(inAllTitles, title);
        for (var i = 0; i < words; i++) inSomeTitle[i] |= title[i];
      });
      filters.forEach(function (key) { candidates = and(candidates, of[key].all); });
      // Ranked: every word in the title first, then a word in the title,
      // then the rest; in the portal's order within each rank.
      var order = [];
      if (terms.length) {
        var first = and(candidates, inAllTitles);
        var second = new Uint32Array(words);
        var rest = new Uint32Array(words);
        for (var i = 0; i < words; i++) {
          second[i] = candidates[i] & inSomeTitle[i] & ~first[i];
          rest[i] = candidates[i] & ~inSomeTitle[i];
        }
        members(rest, members(second, members(first, order)));
      } else {
        members(candidates, order);
      }
      // A word of one or two characters is one key: its list is exact.
      var exact = wordKeys.every(function (keys, i) { return Array.from(terms[i]).length <= 2; });
      current = { terms: terms, order: order, next: 0, exact: exact };
      var files = {};
      order.forEach(function (n) { files[Math.floor(n / directory.shard)] = true; });
      var checkAll = !exact && Object.keys(files).length <= CHECK_FILES;
      var finish = function () { show(FIRST, mine, typedAt, true); };
      if (!checkAll) {
        finish();
        return;
      }
      documentsOf(order).then(function (docs) {
        if (mine !== generation) return;
        current.order = order.filter(function (_, i) { return holdsAll(docs[i], terms); });
        current.exact = true;
        finish();
      }, function () { failed(mine); });
    }, function () { failed(mine); });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  statusSelect.value = params.get("status") || "";
  orgSelect.value = params.get("organization") || "";
  // A value no option has (a mistyped or forged address) leaves the
  // select blank: show 全部 instead, as the search runs unfiltered.
  [statusSelect, orgSelect].forEach(function (select) {
    if (select.selectedIndex < 0) select.value = "";
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  // Results as the reader types; an input method's unfinished pinyin is
  // not a query.
  input.addEventListener("input", function (event) {
    if (!event.isComposing) run(event);
  });
  input.addEventListener("compositionend", run);
  statusSelect.addEventListener("change", run);
  orgSelect.addEventListener("change", run);
  moreButton.addEventListener("click", function () {
    // One page at a time: a second click waits for the first.
    if (!current || summary.getAttribute("data-state") !== "done") return;
    summary.setAttribute("data-state", "searching");
    show(MORE, generation, undefined, false);
  });
  if (input.value || statusSelect.value || orgSelect.value) run();
})();
