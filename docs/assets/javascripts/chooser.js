/* The chooser (找范文): ranks assets/chooser.json for the picked level, document type, theme and
   register, shows the best match and two alternates, and keeps the picks in the address.
   choose() is the same ranking as macros/chooser.py:choose; the browser tests compare them. */
(function () {
  "use strict";
  var FAR = 1000;
  var FIELDS = ["level", "doctype", "theme", "register"];
  var KIND = {
    "exact": "同层级·同文种",
    "near-level": "同文种·相近层级",
    "same-doctype": "同文种·其他层级",
    "same-level": "同层级·其他文种",
    "other": "可作参考"
  };
  var cache = {};

  function nearOf(list, slug) {
    for (var n = 0; n < list.length; n++) { if (list[n].slug === slug) { return list[n].near || []; } }
    return [];
  }
  function orderOf(list) {
    var out = {};
    list.forEach(function (v, n) { out[v.slug] = n; });
    return out;
  }
  function rank(value, chosen, near) {
    if (!chosen || value === chosen) { return 0; }
    var at = near.indexOf(value);
    return at >= 0 ? 1 + at : FAR;
  }
  function cmp(a, b) {
    for (var n = 0; n < a.length; n++) { if (a[n] !== b[n]) { return a[n] - b[n]; } }
    return 0;
  }

  function choose(d, level, doctype, theme, register, limit) {
    limit = limit || 3;
    var items = d.items;
    var levelNear = level ? nearOf(d.levels, level) : [];
    var doctypeNear = doctype ? nearOf(d.doctypes, doctype) : [];
    var levelOrder = orderOf(d.levels), doctypeOrder = orderOf(d.doctypes);
    function lrank(it) {
      var r = rank(it.level, level, levelNear);
      return r === FAR ? r + (levelOrder[it.level] || 0) : r;
    }
    function drank(it) {
      var r = rank(it.doctype, doctype, doctypeNear);
      return r === FAR ? r + (doctypeOrder[it.doctype] || 0) : r;
    }
    function misses(i) {
      var it = items[i];
      return [(theme && it.themes.indexOf(theme) < 0) ? 1 : 0, (register && it.register !== register) ? 1 : 0,
        (it.body && it.body !== "union-committee") ? 1 : 0, i];
    }
    var exact = [], sameDoctype = [], sameLevel = [], rest = [];
    items.forEach(function (it, i) {
      var lr = lrank(it), dr = drank(it);
      if (lr === 0 && dr === 0) { exact.push(i); }
      else if (dr === 0) { sameDoctype.push(i); }
      else if (lr === 0) { sameLevel.push(i); }
      else { rest.push(i); }
    });
    exact.sort(function (a, b) { return cmp(misses(a), misses(b)); });
    sameDoctype.sort(function (a, b) { return cmp([lrank(items[a])].concat(misses(a)), [lrank(items[b])].concat(misses(b))); });
    sameLevel.sort(function (a, b) { return cmp([drank(items[a])].concat(misses(a)), [drank(items[b])].concat(misses(b))); });
    rest.sort(function (a, b) {
      return cmp([drank(items[a]), lrank(items[a])].concat(misses(a)), [drank(items[b]), lrank(items[b])].concat(misses(b)));
    });
    var picks = exact.map(function (i) { return { i: i, kind: "exact" }; });
    for (var n = 0; n < Math.max(sameDoctype.length, sameLevel.length); n++) {
      if (n < sameDoctype.length) {
        picks.push({ i: sameDoctype[n], kind: lrank(items[sameDoctype[n]]) < FAR ? "near-level" : "same-doctype" });
      }
      if (n < sameLevel.length) { picks.push({ i: sameLevel[n], kind: "same-level" }); }
    }
    rest.forEach(function (i) { picks.push({ i: i, kind: "other" }); });
    return { exact: exact.length, picks: picks.slice(0, limit) };
  }

  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      });
    }
    return cache[url];
  }

  function label(list, slug) {
    for (var n = 0; n < list.length; n++) { if (list[n].slug === slug) { return list[n].label; } }
    return "";
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }
  function link(href, text, cls) {
    var a = el("a", cls, text);
    a.href = href;
    return a;
  }

  function picksFrom(form) {
    var out = {};
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) { out[name] = field.value; }
    });
    return out;
  }
  function query(picks) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (picks[name]) { params.set(name, picks[name]); } });
    var q = params.toString();
    return q ? "?" + q : "";
  }

  function message(d, p, result) {
    var L = label(d.levels, p.level), D = label(d.doctypes, p.doctype);
    if (p.level && p.doctype) {
      if (result.exact) { return "有" + result.exact + "篇" + L + "的" + D + "范文，最合适的排在最前。"; }
      return "暂无" + L + "的" + D + "范文。下面是最接近的几篇：同一文种、层级相近的范文，以及" + L + "的其他文种，可以借结构、换口吻。";
    }
    if (p.level || p.doctype) {
      var what = p.level ? L : D;
      return result.exact ? what + "共有" + result.exact + "篇范文，下面是最靠前的几篇；再选" + (p.level ? "文种" : "层级") + "可以缩小范围。"
        : "暂无" + what + "的范文。下面是最接近的几篇。";
    }
    return p.theme || p.register ? "没有选层级和文种，下面按主题和用途挑了几篇。" : "";
  }

  function render(box, d, p, root) {
    box.textContent = "";
    if (!p.level && !p.doctype && !p.theme && !p.register) {
      box.appendChild(el("p", "cz-msg", "先选单位层级和文种，这里会列出最合适的一篇和两篇备选。"));
      return;
    }
    var result = choose(d, p.level, p.doctype, p.theme, p.register, 3);
    box.appendChild(el("p", "cz-msg" + (p.level && p.doctype && !result.exact ? " cz-msg--none" : ""), message(d, p, result)));
    var list = el("ol", "cz-picks");
    result.picks.forEach(function (pick, n) {
      var it = d.items[pick.i];
      var li = el("li", "cz-pick" + (n === 0 ? " cz-pick--best" : ""));
      li.setAttribute("data-url", it.url);
      li.setAttribute("data-kind", pick.kind);
      li.appendChild(el("span", "cz-kind", (n === 0 ? "首选" : "备选") + " · " + KIND[pick.kind]));
      li.appendChild(link(root + it.url, it.title, "cz-pick__title"));
      var meta = el("p", "ex-item__meta");
      [label(d.levels, it.level), label(d.doctypes, it.doctype), it.words + "字"].forEach(function (t) { meta.appendChild(el("span", "", t)); });
      li.appendChild(meta);
      li.appendChild(el("p", "ex-item__desc", it.description));
      li.appendChild(el("p", "cz-fit", it.suits + (it.unsuits ? "；" + it.unsuits : "")));
      list.appendChild(li);
    });
    box.appendChild(list);
    var best = result.picks.length ? d.items[result.picks[0].i] : null;
    if (best && p.theme && best.themes.indexOf(p.theme) < 0) {
      var note = el("p", "cz-note", "首选范文没有专门写“" + label(d.themes, p.theme) + "”，写到这项工作的范文见");
      note.appendChild(link(root + "themes/" + p.theme + "/", label(d.themes, p.theme) + "主题页"));
      note.appendChild(document.createTextNode("。"));
      box.appendChild(note);
    }
    if (best && p.register && best.register !== p.register) {
      box.appendChild(el("p", "cz-note", "首选范文是" + label(d.registers, best.register) + "，不是" + label(d.registers, p.register) + "，借鉴时注意调整口吻。"));
    }
    var more = el("p", "cz-more");
    if (p.level) { more.appendChild(link(root + "exemplars/" + p.level + "/", label(d.levels, p.level) + "的全部范文")); }
    if (p.doctype) {
      if (p.level) { more.appendChild(document.createTextNode("　")); }
      more.appendChild(link(root + "doctypes/" + p.doctype + "/", "全部" + label(d.doctypes, p.doctype) + "范文"));
    }
    if (more.childNodes.length) { box.appendChild(more); }
  }

  function initPage(form, box) {
    var url = new URL(form.getAttribute("data-chooser"), location.href).href;
    var root = form.getAttribute("data-root") || "";
    load(url).then(function (d) {
      var params = new URLSearchParams(location.search);
      var known = { level: d.levels, doctype: d.doctypes, theme: d.themes, register: d.registers };
      FIELDS.forEach(function (name) {
        var value = params.get(name);
        if (value && label(known[name], value) && form.elements[name]) { form.elements[name].value = value; }
      });
      function update(push) {
        var p = picksFrom(form);
        render(box, d, p, root);
        var target = location.pathname + query(p) + location.hash;
        if (target !== location.pathname + location.search + location.hash) {
          history[push ? "pushState" : "replaceState"](history.state, "", target);
        }
      }
      form.addEventListener("change", function () { update(false); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        update(true);
        var first = box.querySelector(".cz-pick__title");
        if (first) { first.focus({ preventScroll: false }); }
      });
      render(box, d, picksFrom(form), root);
      form.classList.add("chooser--ready");
    }).catch(function () {
      box.textContent = "";
      box.appendChild(el("p", "cz-msg", "范文目录没有加载成功，请刷新页面，或在下面按层级和文种直接找。"));
    });
  }

  function initCompact(form) {
    // A plain GET form to the chooser page; leave out empty fields so the address stays short.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      location.href = new URL(form.getAttribute("action"), location.href).pathname + query(picksFrom(form));
    });
  }

  function init() {
    document.querySelectorAll("form.chooser").forEach(function (form) {
      var box = document.getElementById("cz-results");
      if (form.classList.contains("chooser--compact") || !box) { initCompact(form); } else { initPage(form, box); }
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
  window.unionChooser = { choose: choose, load: load };
})();
