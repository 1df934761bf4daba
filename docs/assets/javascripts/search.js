/* Site search with Pagefind. This small file is all that loads with a page; the search styles,
   Pagefind and its word list are fetched the first time a reader opens the search, and Pagefind
   then fetches only the index chunks for the words typed. Works with Material's instant navigation. */
(function () {
  "use strict";
  // the site root, from this file's own address (assets/javascripts/search.js)
  var ROOT = new URL("../../", document.currentScript.src);
  var MAX_RESULTS = 8;
  var OTHER_PAGES = 0.5;  // guides and browsing pages rank below exemplars of the same score
  var loading = null;
  var seq = 0;
  var timer = null;

  function el(id) { return document.getElementById(id); }

  // a blocked or broken download (Pagefind then never answers) must not leave the reader waiting
  function withTimeout(promise) {
    return Promise.race([promise, new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error("search timed out")); }, 15000);
    })]);
  }

  function loadStyles() {
    return new Promise(function (resolve) {
      if (document.querySelector("link[data-pf-styles]")) { resolve(); return; }
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL("assets/stylesheets/search.css", ROOT).href;
      link.setAttribute("data-pf-styles", "");
      link.onload = link.onerror = function () { resolve(); };
      document.head.appendChild(link);
    });
  }

  function loadEngine() {
    if (!loading) {
      var engine = import(new URL("pagefind/pagefind.js", ROOT).href).then(function (pf) {
        return pf.options({ baseUrl: ROOT.pathname, excerptLength: 12, ranking: { termFrequency: 0.6 } })
          .then(function () { return pf.init(); })
          .then(function () { return pf; });
      });
      var words = fetch(new URL("pagefind/search-words.json", ROOT).href)
        .then(function (r) { return r.ok ? r.json() : { words: "", phrases: {}, common: "", names: {} }; })
        .then(function (v) {
          return { words: new Set(v.words.split(" ")), phrases: v.phrases, common: new Set(v.common.split(" ")),
                   names: v.names || {}, generic: new Set((v.generic || "").split(" ")),
                   known: (v.known || "").split(" ").filter(Boolean) };
        });
      loading = withTimeout(Promise.all([engine, words]));
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  // Split a typed query into the words Pagefind indexed. Pagefind matches each space-separated
  // term as a word prefix and wants every term on a page. A run of Chinese characters is cut
  // into the fewest pieces: phrases the index holds (labels, aliases) are cut as the index cut
  // them, other pieces are indexed words, and what is left goes character by character.
  // A level or document-type name or alias (区县总工会, 年终总结) is searched as its one-word token
  // (lvcounty, dtannualsummary), which only the exemplars of that level or type carry.
  // Returns [terms, loose, marks]: loose are the characters left over (a typo, or a word the index
  // lacks); marks are the words to highlight in the results (a name, not its token).
  function segment(run, vocab) {
    var n = run.length;
    var best = [{ cost: 0, from: -1, out: [] }];
    for (var i = 0; i < n; i++) {
      if (!best[i]) { continue; }
      for (var len = Math.min(12, n - i); len >= 1; len--) {
        var w = run.substr(i, len);
        var out = null;
        var mark = null;
        var cut = len > 1 && Object.prototype.hasOwnProperty.call(vocab.phrases, w) ? vocab.phrases[w].split(" ") : null;
        if (len > 1 && Object.prototype.hasOwnProperty.call(vocab.names, w)) {
          // the token, and the name's own words of two or more characters that only this level or
          // type has in its names (煤矿 of 煤矿工会; not 总工 or 年度, see generic)
          out = [vocab.names[w]].concat((cut || (vocab.words.has(w) ? [w] : [])).filter(function (t) {
            return t.length > 1 && !vocab.generic.has(t);
          }));
          mark = w;
        }
        else if (cut) { out = cut; }
        else if (len > 1 && vocab.words.has(w)) { out = [w]; }
        else if (len === 1) { out = [w]; }
        if (!out) { continue; }
        var cost = best[i].cost + (len > 1 ? 1 : 2);
        if (!best[i + len] || cost < best[i + len].cost) { best[i + len] = { cost: cost, from: i, out: out, loose: len === 1, mark: mark }; }
      }
    }
    var pieces = [], loose = [], marks = [], bounds = { 0: true };
    for (var end = n; end > 0; end = best[end].from) {
      bounds[end] = true;
      pieces = best[end].out.concat(pieces);
      if (best[end].loose) { loose = best[end].out.concat(loose); }
      marks = (best[end].mark ? [best[end].mark].concat(best[end].out.slice(1)) : best[end].out).concat(marks);
    }
    return [pieces, loose, marks, bounds];
  }

  // A run one character off a label or alias (送清亮 → 送清凉, 年度计化 → 年度计划) is read as
  // that name, when the typed piece is not itself a word the index holds and starts and ends where
  // the uncorrected run is cut (院工会 inside 医院|工会 is left alone).
  function known(v, w) {
    return v.words.has(w) || Object.prototype.hasOwnProperty.call(v.phrases, w) || Object.prototype.hasOwnProperty.call(v.names, w);
  }

  function correct(run, vocab) {
    var bounds = segment(run, vocab)[3], out = run.split("");
    vocab.known.forEach(function (name) {
      var len = name.length;
      for (var i = 0; i + len <= run.length; i++) {
        if (!bounds[i] || !bounds[i + len]) { continue; }
        var piece = run.substr(i, len), diff = 0;
        for (var k = 0; k < len && diff < 2; k++) { if (piece[k] !== name[k]) { diff++; } }
        if (diff === 1 && !known(vocab, piece)) { for (k = 0; k < len; k++) { out[i + k] = name[k]; } }
      }
    });
    return out.join("");
  }

  function terms(query, vocab) {
    var out = [], loose = [], marks = [];
    query.split(/[\s\u3000,，、。.;；:：!！?？"“”'‘’()（）《》【】\[\]\-—]+/).forEach(function (chunk) {
      (chunk.match(/[\u4e00-\u9fff]+|[^\u4e00-\u9fff]+/g) || []).forEach(function (run) {
        if (/[\u4e00-\u9fff]/.test(run)) {
          var cut = segment(correct(run, vocab), vocab);
          out = out.concat(cut[0]);
          loose = loose.concat(cut[1]);
          marks = marks.concat(cut[2]);
        } else { out.push(run.toLowerCase()); marks.push(run); }
      });
    });
    out = Array.from(new Set(out));
    // left-over characters are dropped when real words remain (a one-character typo must not
    // empty the results); so are words on nearly every page, which tell nothing apart but
    // cost the most bytes
    var words = out.filter(function (t) { return loose.indexOf(t) === -1; });
    if (words.length) { out = words; }
    // single Chinese characters (疗 in 疗|休养) sit in the largest index chunks: they go too when
    // longer words remain
    var longer = out.filter(function (t) { return t.length > 1 || !/[\u4e00-\u9fff]/.test(t); });
    if (longer.length) { out = longer; }
    var rare = out.filter(function (t) { return !vocab.common.has(t); });
    var list = rare.length ? rare : out;
    var shown = Array.from(new Set(marks)).filter(function (t) { return t.length > 1 && !vocab.common.has(t); });
    list.marks = shown.length ? shown : list;
    return list;
  }

  function rank(pf, list) {
    var query = list.join(" ");
    return Promise.all([
      pf.search(query, { filters: { kind: "范文" } }),
      pf.search(query, { filters: { kind: { any: ["指南", "目录"] } } })
    ]).then(function (found) {
      var hits = found[0].results.map(function (r) { return { r: r, s: r.score }; })
        .concat(found[1].results.map(function (r) { return { r: r, s: r.score * OTHER_PAGES }; }));
      return hits.sort(function (a, b) { return b.s - a.s; });
    });
  }

  // No page has every word: rank pages by the words they do have.
  function partial(pf, list) {
    return Promise.all(list.map(function (t) { return rank(pf, [t]); })).then(function (each) {
      var sum = {};
      each.forEach(function (hits) {
        hits.forEach(function (h) {
          var k = h.r.id;
          if (!sum[k]) { sum[k] = { r: h.r, s: 0, n: 0 }; }
          sum[k].s += h.s; sum[k].n += 1;
        });
      });
      return Object.keys(sum).map(function (k) { return sum[k]; })
        .sort(function (a, b) { return (b.n - a.n) || (b.s - a.s); });
    });
  }

  // The snippet: the part of the page's own text (not its search keys) where most of the query
  // words are close together, with every query word marked.
  var SNIPPET = 90;
  function snippet(d, words, into) {
    // Pagefind joins blocks with ". "; in Chinese text a space reads better
    var text = (d.content || "").replace(/\u200b/g, "").replace(/\. (?=[^\x00-\x7f])/g, " ").replace(/\s+/g, " ");
    var keys = (d.meta.keys || "").replace(/\s+/g, " ");
    var at = keys ? text.indexOf(keys) : -1;
    if (at !== -1) { text = text.slice(0, at) + text.slice(at + keys.length); }
    text = text.trim();
    var hits = [];
    words.forEach(function (w) {
      for (var i = text.indexOf(w); i !== -1 && hits.length < 400; i = text.indexOf(w, i + w.length)) { hits.push([i, w]); }
    });
    hits.sort(function (a, b) { return a[0] - b[0]; });
    var start = 0, score = -1;
    hits.forEach(function (h) {
      var seen = {};
      hits.forEach(function (o) { if (o[0] >= h[0] && o[0] + o[1].length <= h[0] + SNIPPET) { seen[o[1]] = 1; } });
      var n = Object.keys(seen).length;
      if (n > score) { score = n; start = h[0]; }
    });
    start = Math.max(0, start - 12);
    var end = Math.min(text.length, start + SNIPPET);
    var pos = start;
    if (start > 0) { into.appendChild(document.createTextNode("…")); }
    hits.forEach(function (h) {
      if (h[0] < pos || h[0] + h[1].length > end) { return; }
      into.appendChild(document.createTextNode(text.slice(pos, h[0])));
      var mark = document.createElement("mark");
      mark.textContent = h[1];
      into.appendChild(mark);
      pos = h[0] + h[1].length;
    });
    into.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? "…" : "")));
  }

  function render(items, note, query, words) {
    var list = el("pf-results");
    list.setAttribute("data-query", query || "");
    var status = el("pf-status");
    list.textContent = "";
    items.forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "pf-result";
      a.href = d.url;
      var title = document.createElement("span");
      title.className = "pf-result__title";
      title.textContent = (d.meta.title || d.url).replace(/[\u200b¶]/g, "").trim();
      var kind = document.createElement("span");
      kind.className = "pf-result__kind";
      kind.textContent = d.meta.kind || "";
      var text = document.createElement("span");
      text.className = "pf-result__excerpt";
      snippet(d, words || [], text);
      a.appendChild(title);
      a.appendChild(kind);
      a.appendChild(text);
      li.appendChild(a);
      list.appendChild(li);
    });
    status.textContent = note;
  }

  function run(query) {
    var mine = ++seq;
    var status = el("pf-status");
    if (!query.trim()) { render([], "", query); return Promise.resolve(); }
    status.textContent = "正在搜索……";
    return loadEngine().then(function (loaded) {
      var pf = loaded[0];
      var list = terms(query, loaded[1]);
      if (!list.length) { render([], "请输入要找的词", query); return null; }
      // pages with every word first; when they are fewer than a page of results, pages with some
      // of the words follow (a name's token narrows hard: 快递行业工会 is not only 行业工会's)
      return withTimeout(rank(pf, list).then(function (hits) {
        if (hits.length >= MAX_RESULTS || list.length === 1) { return { hits: hits, all: true, full: hits.length }; }
        return partial(pf, list).then(function (more) {
          var seen = {};
          hits.forEach(function (h) { seen[h.r.id] = true; });
          return { hits: hits.concat(more.filter(function (h) { return !seen[h.r.id]; })), all: hits.length > 0, full: hits.length };
        });
      })).then(function (found) {
        var top = found.hits.slice(0, MAX_RESULTS);
        return Promise.all(top.map(function (h) { return h.r.data(); })).then(function (data) {
          if (mine !== seq) { return; }
          var total = found.hits.length;
          var note = !total ? "没有找到相关页面，换个说法试试，如“年度总结”“职代会”" :
            (!found.all ? "没有同时包含所有词的页面，下面是包含部分词的" + total + "个页面" :
              found.full < total ? "找到" + found.full + "个包含所有词的页面，其后是包含部分词的页面，共" + total + "个" :
              "找到" + total + "个相关页面") +
            (total > MAX_RESULTS ? "，显示前" + MAX_RESULTS + "个" : "");
          render(data, note, query, list.marks);
        });
      });
    }).catch(function () {
      if (mine === seq) { render([], "搜索暂时无法使用，请刷新页面后再试", query); }
    });
  }

  function open() {
    var dialog = el("pf-dialog");
    if (!dialog || dialog.open) { return; }
    loadStyles().then(function () {
      if (dialog.open) { return; }
      dialog.showModal();
      document.querySelectorAll(".pf-open").forEach(function (b) { b.setAttribute("aria-expanded", "true"); });
      el("pf-input").focus();
      el("pf-input").select();
      loadEngine();
    });
  }

  function close() {
    var dialog = el("pf-dialog");
    if (dialog && dialog.open) { dialog.close(); }
  }

  function focusResult(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("#pf-results .pf-result"));
    if (!links.length) { return; }
    var at = links.indexOf(document.activeElement);
    var next = at === -1 ? (step > 0 ? 0 : links.length - 1) : at + step;
    if (next < 0) { el("pf-input").focus(); return; }
    links[Math.min(next, links.length - 1)].focus();
  }

  function setup() {
    document.querySelectorAll(".pf-open").forEach(function (b) { b.hidden = false; });
    var dialog = el("pf-dialog");
    if (!dialog || dialog.getAttribute("data-pf-ready")) { return; }
    dialog.setAttribute("data-pf-ready", "1");
    dialog.addEventListener("close", function () {
      document.querySelectorAll(".pf-open").forEach(function (b) { b.setAttribute("aria-expanded", "false"); });
    });
    // a click on the backdrop (outside the panel) closes the search
    dialog.addEventListener("click", function (e) { if (e.target === dialog) { close(); } });
    el("pf-input").addEventListener("input", function (e) {
      clearTimeout(timer);
      var value = e.target.value;
      timer = setTimeout(function () { run(value); }, 120);
    });
    el("pf-input").addEventListener("focus", loadEngine);
    dialog.querySelector(".pf-close").addEventListener("click", close);
    dialog.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); close(); }
      else if (e.key === "ArrowDown") { e.preventDefault(); focusResult(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); focusResult(-1); }
      else if (e.key === "Enter" && e.target === el("pf-input")) {
        e.preventDefault();
        var first = document.querySelector("#pf-results .pf-result");
        if (first) { first.click(); }
      }
    });
    // following a result: Material's instant navigation loads the page, the dialog closes
    el("pf-results").addEventListener("click", function (e) { if (e.target.closest("a")) { close(); } });
  }

  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest(".pf-open")) { e.preventDefault(); open(); }
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); open(); }
  });
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { close(); setup(); });
  } else {
    setup();
  }
  // exposed for the tests and the benchmark: the terms a query is split into
  window.__pfTerms = function (q) { return loadEngine().then(function (l) { return terms(q, l[1]); }); };
  window.__pfMarks = function (q) { return loadEngine().then(function (l) { return terms(q, l[1]).marks; }); };
})();
