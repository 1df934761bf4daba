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
    var values = load();
    applyValues(article, values);
    if (form) {
      form.hidden = false;
      var inner = form.querySelector("form");
      if (inner) { inner.addEventListener("submit", function (event) { event.preventDefault(); }); }  // Enter sends nothing
      form.querySelectorAll("input[data-ph]").forEach(function (input) {
        var name = input.getAttribute("data-ph");
        input.value = values[name] || "";
        input.addEventListener("input", function () {
          var current = load();
          if (input.value.trim()) { current[name] = input.value.trim(); } else { delete current[name]; }
          save(current);
          applyValues(article, current);
        });
      });
      var reset = form.querySelector(".ph-reset");
      if (reset) {
        reset.addEventListener("click", function () {
          var current = load();
          form.querySelectorAll("input[data-ph]").forEach(function (input) {
            delete current[input.getAttribute("data-ph")];
            input.value = "";
          });
          save(current);
          applyValues(article, current);
        });
      }
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
  window.unionWriter = { plainText: plainText, storeKey: STORE };
})();
