/* Fill the built Word file with the writer's values, in the browser.
   The .docx next to each exemplar page is the one layout source (macros/docx_export.py). This
   reads its zip container, replaces the placeholder runs of word/document.xml and the title in
   docProps/core.xml, re-applies the signature/date indent rule of GB/T 9704 §7.3.5.2 to the
   filled lengths, and writes a new zip. Deflate is the browser's own (DecompressionStream and
   CompressionStream, "deflate-raw"); every other part is copied byte for byte. No library, no
   request other than the .docx itself. */
(function () {
  "use strict";
  var REPLACED = { "word/document.xml": true, "docProps/core.xml": true };
  // the one form a placeholder run takes in document.xml (PLACEHOLDER_RUN in docx_export.py)
  var RUN = /<w:r><w:rPr><w:highlight w:val="yellow"\/><\/w:rPr><w:t xml:space="preserve">【([^【】<]{1,12})】<\/w:t><\/w:r>/g;
  var SIGN_PARA = /<w:p><w:pPr><w:pStyle w:val="(Signoff|SignDate)"\/><w:ind w:right="(\d+)" w:rightChars="(\d+)"([^>]*)\/><\/w:pPr>(.*?)<\/w:p>/g;

  function supported() {
    return typeof DecompressionStream === "function" && typeof CompressionStream === "function" &&
      typeof Response === "function" && typeof Blob === "function" && (function () {
        try { new DecompressionStream("deflate-raw"); new CompressionStream("deflate-raw"); return true; } catch (e) { return false; }
      })();
  }

  var table = null;
  function crc32(bytes) {
    if (!table) {
      table = new Uint32Array(256);
      for (var n = 0; n < 256; n++) {
        var c = n;
        for (var k = 0; k < 8; k++) { c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1; }
        table[n] = c >>> 0;
      }
    }
    var crc = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) { crc = table[(crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8); }
    return (crc ^ 0xFFFFFFFF) >>> 0;
  }

  function readZip(buffer) {
    var bytes = new Uint8Array(buffer);
    var view = new DataView(buffer);
    var end = -1;
    for (var i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
      if (view.getUint32(i, true) === 0x06054b50) { end = i; break; }
    }
    if (end < 0) { throw new Error("not a zip file"); }
    var count = view.getUint16(end + 10, true);
    var at = view.getUint32(end + 16, true);
    var entries = [];
    for (var e = 0; e < count; e++) {
      if (view.getUint32(at, true) !== 0x02014b50) { throw new Error("bad central directory"); }
      var nameLen = view.getUint16(at + 28, true), extraLen = view.getUint16(at + 30, true), commentLen = view.getUint16(at + 32, true);
      var local = view.getUint32(at + 42, true);
      var entry = {
        name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen)),
        flags: view.getUint16(at + 8, true) & ~0x0008,
        method: view.getUint16(at + 10, true),
        time: view.getUint16(at + 12, true),
        date: view.getUint16(at + 14, true),
        crc: view.getUint32(at + 16, true),
        csize: view.getUint32(at + 20, true),
        usize: view.getUint32(at + 24, true)
      };
      var start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      entry.data = bytes.subarray(start, start + entry.csize);
      entries.push(entry);
      at += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  }

  function pipe(data, stream) {
    return new Response(new Blob([data]).stream().pipeThrough(stream)).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  function inflate(entry) {
    if (entry.method === 0) { return Promise.resolve(entry.data); }
    if (entry.method !== 8) { return Promise.reject(new Error("unsupported zip method " + entry.method)); }
    return pipe(entry.data, new DecompressionStream("deflate-raw"));
  }

  function setContent(entry, raw) {
    return pipe(raw, new CompressionStream("deflate-raw")).then(function (packed) {
      entry.method = 8;
      entry.crc = crc32(raw);
      entry.usize = raw.length;
      entry.csize = packed.length;
      entry.data = packed;
    });
  }

  function writeZip(entries) {
    var enc = new TextEncoder();
    var parts = [], central = [], offset = 0;
    entries.forEach(function (e) {
      var name = enc.encode(e.name);
      var head = new DataView(new ArrayBuffer(30));
      head.setUint32(0, 0x04034b50, true); head.setUint16(4, 20, true); head.setUint16(6, e.flags, true);
      head.setUint16(8, e.method, true); head.setUint16(10, e.time, true); head.setUint16(12, e.date, true);
      head.setUint32(14, e.crc, true); head.setUint32(18, e.csize, true); head.setUint32(22, e.usize, true);
      head.setUint16(26, name.length, true); head.setUint16(28, 0, true);
      var dir = new DataView(new ArrayBuffer(46));
      dir.setUint32(0, 0x02014b50, true); dir.setUint16(4, 20, true); dir.setUint16(6, 20, true); dir.setUint16(8, e.flags, true);
      dir.setUint16(10, e.method, true); dir.setUint16(12, e.time, true); dir.setUint16(14, e.date, true);
      dir.setUint32(16, e.crc, true); dir.setUint32(20, e.csize, true); dir.setUint32(24, e.usize, true);
      dir.setUint16(28, name.length, true); dir.setUint32(42, offset, true);
      parts.push(new Uint8Array(head.buffer), name, e.data);
      central.push(new Uint8Array(dir.buffer), name);
      offset += 30 + name.length + e.data.length;
    });
    var size = central.reduce(function (s, p) { return s + p.length; }, 0);
    var end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true); end.setUint16(8, entries.length, true); end.setUint16(10, entries.length, true);
    end.setUint32(12, size, true); end.setUint32(16, offset, true);
    return new Blob(parts.concat(central, [new Uint8Array(end.buffer)]),
      { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
  }

  function escapeXml(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function unescapeXml(s) {
    return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  }

  // Width in characters of 3号; ASCII is half a character (text_width in docx_export.py).
  function textWidth(text) {
    var w = 0;
    for (var i = 0; i < text.length; i++) { w += text.charCodeAt(i) < 0x2E80 ? 0.5 : 1; }
    return w;
  }
  // GB/T 9704 §7.3.5.2 (signoff_indents in docx_export.py): right indents in characters.
  function signoffIndents(names, date) {
    var n = Math.max.apply(null, names.map(textWidth).concat([0]));
    if (date === null) { return [2, null]; }
    var d = textWidth(date);
    return n - d >= 2 ? [2, n - d] : [d + 4 - n, 2];
  }

  function paraText(inner) {
    var out = "", m, t = /<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g;
    while ((m = t.exec(inner))) { out += unescapeXml(m[1]); }
    return out;
  }

  function fillDocument(xml, values) {
    xml = xml.replace(RUN, function (run, name) {
      var v = values[name];
      return v ? '<w:r><w:t xml:space="preserve">' + escapeXml(v) + "</w:t></w:r>" : run;
    });
    var names = [], date = null, m;
    SIGN_PARA.lastIndex = 0;
    while ((m = SIGN_PARA.exec(xml))) {
      if (m[1] === "Signoff") { names.push(paraText(m[5])); } else { date = paraText(m[5]); }
    }
    if (!names.length) { return xml; }
    var ind = signoffIndents(names, date);
    return xml.replace(SIGN_PARA, function (all, style, right, chars, rest, inner) {
      var unit = Number(right) / (Number(chars) / 100);  // twips per character, as the file has it
      var c = style === "Signoff" ? ind[0] : ind[1];
      return '<w:p><w:pPr><w:pStyle w:val="' + style + '"/><w:ind w:right="' + Math.round(c * unit) +
        '" w:rightChars="' + Math.round(c * 100) + '"' + rest + "/></w:pPr>" + inner + "</w:p>";
    });
  }

  function fillText(text, values) {
    return text.replace(/【([^【】<]{1,12})】/g, function (all, name) { return values[name] ? values[name] : all; });
  }

  function fillCore(xml, values) {
    return xml.replace(/<dc:title>([^<]*)<\/dc:title>/, function (all, title) {
      return "<dc:title>" + escapeXml(fillText(unescapeXml(title), values)) + "</dc:title>";
    });
  }

  // The saved file's name: the filled title; unfilled placeholders lose their brackets.
  function fileName(title, values) {
    var name = title.replace(/【([^【】]{1,12})】/g, function (all, ph) { return values[ph] || ph; });
    name = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "").replace(/\s+/g, "").slice(0, 120);
    return (name || "范文") + ".docx";
  }

  function fill(buffer, values) {
    var entries = readZip(buffer);
    return Promise.all(entries.map(function (e) {
      if (!REPLACED[e.name]) { return null; }
      return inflate(e).then(function (raw) {
        var xml = new TextDecoder().decode(raw);
        xml = e.name === "word/document.xml" ? fillDocument(xml, values) : fillCore(xml, values);
        return setContent(e, new TextEncoder().encode(xml));
      });
    })).then(function () { return writeZip(entries); });
  }

  window.unionDocx = {
    supported: supported, fill: fill, fileName: fileName, readZip: readZip, crc32: crc32,
    textWidth: textWidth, signoffIndents: signoffIndents, fillDocument: fillDocument
  };
})();
