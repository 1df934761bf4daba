/* Writer tools on exemplar pages: fill in placeholders, copy the full text, print.
   Also the copy buttons of the phrase bank. Works with Material's instant navigation. */
(function () {
  "use strict";
  var STORE = "union-templates:placeholders";

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
  }
  function save(values) {
    try { localStorage.setItem(STORE, JSON.stringify(values)); } catch (e) { /* storage unavailable */ }
  }

  // Values the writer typed, plus derived ones (data-derive="年份+1" on a field) not typed over.
  function effective(stored, root) {
    var values = {};
    Object.keys(stored).forEach(function (k) { values[k] = stored[k]; });
    (root || document).querySelectorAll("input[data-ph][data-derive]").forEach(function (input) {
      var name = input.getAttribute("data-ph");
      var m = /^(.+)\+(\d+)$/.exec(input.getAttribute("data-derive"));
      if (!values[name] && m && /^\d+$/.test(values[m[1]] || "")) {
        values[name] = String(Number(values[m[1]]) + Number(m[2]));
      }
    });
    return values;
  }

  var originals = new WeakMap();
  // Text outside the document that repeats its headings: the page's table of contents and the outline.
  function fillTextNodes(root, values) {
    root.querySelectorAll(".md-nav--secondary, .ex-outline").forEach(function (box) {
      var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      var node;
      while ((node = walker.nextNode())) {
        var original = originals.get(node);
        if (original === undefined) {
          if (node.nodeValue.indexOf("【") < 0) { continue; }
          original = node.nodeValue;
          originals.set(node, original);
        }
        node.nodeValue = original.replace(/【([^【】]{1,12})】/g, function (all, name) { return values[name] || all; });
      }
    });
  }

  function applyValues(root, values) {
    root.querySelectorAll(".ph").forEach(function (span) {
      var name = span.getAttribute("data-ph");
      var value = values[name];
      if (value) {
        span.textContent = value;
        span.classList.add("ph-filled");
      } else {
        span.textContent = "【" + name + "】";
        span.classList.remove("ph-filled");
      }
    });
    fillTextNodes(document, values);
  }

  function plainText(article) {
    var clone = article.cloneNode(true);
    clone.querySelectorAll(".ex-card, .headerlink, .md-tags, script, style").forEach(function (n) { n.remove(); });
    var lines = [];
    clone.querySelectorAll("h1, h2, h3, h4, p, li, tr").forEach(function (el) {
      if (el.tagName === "P" && el.closest("li")) { return; }
      var text;
      if (el.tagName === "TR") {
        text = Array.prototype.map.call(el.children, function (c) { return c.textContent.trim(); }).join("\t");
      } else {
        text = el.textContent.replace(/\s+/g, " ").trim();
      }
      if (text) { lines.push(text); }
    });
    return lines.join("\n");
  }

  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    return Promise.resolve();
  }

  function saveAs(blob, name, href) {
    var a = document.createElement("a");
    a.href = blob ? URL.createObjectURL(blob) : href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    if (blob) { setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000); }
  }

  function flash(button, label) {
    var old = button.textContent;
    button.textContent = label;
    button.classList.add("copy-done");
    setTimeout(function () { button.textContent = old; button.classList.remove("copy-done"); }, 1500);
  }

  function initExemplar(root) {
    var article = root.querySelector("article.doc-body");
    if (!article) { return; }
    var form = root.querySelector(".ph-form");
    var inputs = form ? form.querySelectorAll("input[data-ph]") : [];
    function refresh() {
      var stored = load();
      var values = effective(stored, form);
      inputs.forEach(function (input) {
        var name = input.getAttribute("data-ph");
        if (document.activeElement !== input) { input.value = values[name] || ""; }
        input.classList.toggle("ph-derived", !stored[name] && !!values[name]);
      });
      applyValues(article, values);
      return values;
    }
    refresh();
    if (form) {
      form.hidden = false;
      form.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); });
      inputs.forEach(function (input) {
        var name = input.getAttribute("data-ph");
        input.addEventListener("input", function () {
          var current = load();
          if (input.value.trim()) { current[name] = input.value.trim(); } else { delete current[name]; }
          save(current);
          refresh();
        });
        input.addEventListener("blur", refresh);
      });
      var reset = form.querySelector(".ph-reset");
      if (reset) {
        reset.addEventListener("click", function () {
          var current = load();
          inputs.forEach(function (input) { delete current[input.getAttribute("data-ph")]; });
          save(current);
          refresh();
        });
      }
    }
    var download = root.querySelector(".ex-download");
    if (download && !(window.unionDocx && window.unionDocx.supported())) {
      // an old browser without native deflate streams: the plain link gives the unfilled file; say so
      download.addEventListener("click", function () {
        if (!Object.keys(effective(load(), form || document)).length || root.querySelector(".ex-download-note")) { return; }
        var note = document.createElement("small");
        note.className = "ex-download-note";
        note.textContent = "这个浏览器版本较旧，下载的Word文件没有填入内容，请在Word里替换【】，或换用新版浏览器。";
        download.parentNode.appendChild(note);
      });
    } else if (download) {
      download.addEventListener("click", function (event) {
        event.preventDefault();
        var values = effective(load(), form || document);
        var name = window.unionDocx.fileName(download.getAttribute("data-title") || "", values);
        fetch(download.href).then(function (r) {
          if (!r.ok) { throw new Error(r.status); }
          return r.arrayBuffer();
        }).then(function (buffer) {
          return window.unionDocx.fill(buffer, values);
        }).then(function (blob) {
          saveAs(blob, name);
        }).catch(function () {
          saveAs(null, download.getAttribute("download"), download.href);  // the unfilled file
        });
      });
    }
    var copy = root.querySelector(".ex-copy");
    if (copy) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        copyText(plainText(article)).then(function () { flash(copy, "已复制"); });
      });
    }
    var print = root.querySelector(".ex-print");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  function initPhrases(root) {
    root.querySelectorAll(".phrase-copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = button.parentElement.querySelector(".phrase-text");
        if (text) { copyText(text.textContent.trim()).then(function () { flash(button, "已复制"); }); }
      });
    });
  }

  function init() {
    initExemplar(document);
    initPhrases(document);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
  window.unionWriter = { plainText: plainText, storeKey: STORE, effective: effective };
})();
