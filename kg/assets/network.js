/* legalkg network page: draws the precomputed layout as SVG, filters, searches, shows provenance.
   No libraries, no network: everything it needs is in the #kg-data JSON block. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = data.nodes, edges = data.edges;
  var svg = document.getElementById("net");
  var $ = function (id) { return document.getElementById(id); };
  var REL = {}, TYPE = {}, KIND = {};
  data.relations.forEach(function (r) { REL[r.code] = r; });
  data.types.forEach(function (t) { TYPE[t.code] = t; });
  data.kinds.forEach(function (k) { KIND[k.code] = k; });

  var view = { k: 1, tx: 0, ty: 0 };
  var state = {
    selected: -1, selectedEdge: -1, query: "", matches: null,
    from: null, to: null, offRel: {}, offType: {}, offKind: {}
  };

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var a in attrs) { if (attrs[a] !== null && attrs[a] !== undefined) e.setAttribute(a, attrs[a]); }
    if (parent) parent.appendChild(e);
    return e;
  }
  function h(tag, attrs, text, parent) {
    var e = document.createElement(tag);
    for (var a in attrs || {}) { if (attrs[a] !== null && attrs[a] !== undefined) e.setAttribute(a, attrs[a]); }
    if (text !== undefined && text !== null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function colorOf(n) { return n.kind === "instrument" ? (TYPE[n.type] || {}).color || "#888" : KIND[n.kind].color; }
  function shapePath(kind, r) {
    if (kind === "post") return "M" + (-r) + "," + (-r) + "h" + 2 * r + "v" + 2 * r + "h" + (-2 * r) + "z";
    if (kind === "instrument") { var d = r * 1.25; return "M0," + (-d) + "L" + d + ",0L0," + d + "L" + (-d) + ",0z"; }
    return "M" + (-r) + ",0a" + r + "," + r + " 0 1,0 " + 2 * r + ",0a" + r + "," + r + " 0 1,0 " + (-2 * r) + ",0z";
  }
  function kindName(n) {
    var k = KIND[n.kind];
    if (n.kind === "instrument") return (n.type_label_en || n.type) + (n.type_label ? " · " + n.type_label : "");
    return k.en + (n.type_label_en ? " · " + n.type_label_en : "") + (n.type_label ? " · " + n.type_label : "");
  }

  /* ---------- Arabic-aware search ---------- */
  function fold(s) {
    return (s || "").toLowerCase()
      .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A").replace(/\u0629/g, "\u0647")
      .replace(/\s+/g, " ").trim();
  }
  nodes.forEach(function (n) {
    n.key = fold([n.label, n.label_en, n.title, n.number, n.date].concat(n.alt || []).join(" | "));
  });

  /* ---------- build the SVG ---------- */
  var defs = el("defs", {}, svg);
  data.relations.forEach(function (r) {
    var m = el("marker", { id: "arrow-" + r.code, viewBox: "0 0 10 10", refX: 9, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: "auto", markerUnits: "userSpaceOnUse" }, defs);
    el("path", { d: "M0,1L10,5L0,9z", fill: r.color }, m);
  });
  var gEdges = el("g", { "class": "edges" }, svg);
  var gNodes = el("g", { "class": "nodes" }, svg);
  var gLabels = el("g", { "class": "labels" }, svg);

  var adj = nodes.map(function () { return []; });
  var pairCount = {};
  edges.forEach(function (e, i) {
    adj[e.s].push(i); adj[e.t].push(i);
    var key = Math.min(e.s, e.t) + "-" + Math.max(e.s, e.t);
    e.rank = pairCount[key] = (pairCount[key] || 0) + 1;
    e.pair = key;
  });
  edges.forEach(function (e, i) {
    var r = REL[e.relation];
    e.g = el("g", { "class": "edge " + e.relation, "data-i": i }, gEdges);
    e.hit = el("path", { "class": "hit" }, e.g);
    e.line = el("path", { "class": "line", stroke: r.color, "stroke-dasharray": r.dash || null,
      "marker-end": "url(#arrow-" + e.relation + ")" }, e.g);
    var t = el("title", {}, e.g);
    t.textContent = nodes[e.s].label + " — " + r.en + " → " + nodes[e.t].label;
  });
  nodes.forEach(function (n, i) {
    n.g = el("g", { "class": "node " + n.kind, "data-i": i, "data-id": n.id }, gNodes);
    el("path", { "class": "shape", d: shapePath(n.kind, n.r), fill: colorOf(n) }, n.g);
    el("title", {}, n.g).textContent = n.label + (n.label_en ? " — " + n.label_en : "") + "\n" + kindName(n) + (n.date ? "\n" + n.date : "");
    n.text = el("text", { "class": "label" + (n.kind !== "instrument" && n.degree >= 3 ? " major" : ""),
      lang: "ar", direction: "rtl", "text-anchor": "middle", "data-i": i }, gLabels);
    n.text.textContent = n.short;
    n.text.setAttribute("dir", "rtl");
  });

  /* ---------- visibility (year range, legend toggles) ---------- */
  function computeVisible() {
    var lo = state.from === null ? -Infinity : state.from;
    var hi = state.to === null ? Infinity : state.to;
    var base = nodes.map(function (n) {
      if (state.offKind[n.kind]) return false;
      if (n.kind === "instrument" && state.offType[n.type]) return false;
      return true;
    });
    var dated = nodes.map(function (n, i) { return base[i] && n.year !== null && n.year >= lo && n.year <= hi; });
    var undated = nodes.map(function (n, i) { return base[i] && n.year === null; });
    var noFilter = state.from === null && state.to === null;
    nodes.forEach(function (n, i) {
      if (noFilter) { n.visible = base[i]; return; }
      if (dated[i]) { n.visible = true; return; }
      if (!undated[i]) { n.visible = false; return; }
      // An undated node stays when it has no edges, or one of its neighbours stays.
      n.visible = adj[i].length === 0 || adj[i].some(function (ei) {
        var e = edges[ei], o = e.s === i ? e.t : e.s;
        return dated[o] || undated[o];
      });
    });
    edges.forEach(function (e) {
      e.visible = !state.offRel[e.relation] && nodes[e.s].visible && nodes[e.t].visible;
    });
    var nv = 0, ev = 0;
    nodes.forEach(function (n) { n.g.classList.toggle("hidden", !n.visible); if (n.visible) nv++; });
    edges.forEach(function (e) { e.g.classList.toggle("hidden", !e.visible); if (e.visible) ev++; });
    $("status").textContent = nv + " of " + nodes.length + " nodes · " + ev + " of " + edges.length + " lines shown";
    if (state.query) runSearch(state.query, false);
    draw();
  }

  /* ---------- drawing (positions are in layout units; view = scale + translate) ---------- */
  function sx(n) { return n.x * view.k + view.tx; }
  function sy(n) { return n.y * view.k + view.ty; }
  var pending = false;
  function draw() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; drawNow(); });
  }
  function drawNow() {
    nodes.forEach(function (n) {
      if (n.visible) n.g.setAttribute("transform", "translate(" + sx(n).toFixed(1) + "," + sy(n).toFixed(1) + ")");
    });
    edges.forEach(function (e) {
      if (!e.visible) return;
      var a = nodes[e.s], b = nodes[e.t];
      var x1 = sx(a), y1 = sy(a), x2 = sx(b), y2 = sy(b);
      var dx = x2 - x1, dy = y2 - y1, len = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / len, uy = dy / len;
      var bend = pairCount[e.pair] > 1 ? (e.rank - (pairCount[e.pair] + 1) / 2) * 26 : 0;
      if (e.s > e.t) bend = -bend;
      var mx = (x1 + x2) / 2 - uy * bend, my = (y1 + y2) / 2 + ux * bend;
      var ra = a.r + 1, rb = (b.kind === "instrument" ? b.r * 1.25 : b.r) + 2;
      var sx1 = x1 + ux * ra, sy1 = y1 + uy * ra, ex = x2 - ux * rb, ey = y2 - uy * rb;
      var d = "M" + sx1.toFixed(1) + "," + sy1.toFixed(1) + "Q" + mx.toFixed(1) + "," + my.toFixed(1) + " " + ex.toFixed(1) + "," + ey.toFixed(1);
      e.line.setAttribute("d", d);
      e.hit.setAttribute("d", d);
    });
    placeLabels();
  }

  /* Greedy label placement in screen space: important labels first, skip any that would overlap. */
  var widthCache = {};
  function labelWidth(n) {
    var key = n.text.getAttribute("class") + "|" + n.short;
    if (widthCache[key] === undefined) {
      var w = 0;
      try { w = n.text.getComputedTextLength(); } catch (err) { w = 0; }
      widthCache[key] = w || n.short.length * 7;
    }
    return widthCache[key];
  }
  function priority(n, i) {
    var p = n.degree * 10 + (n.kind === "instrument" ? 0 : 25);
    if (state.matches && state.matches[i]) p += 2000;
    if (i === state.selected) p += 5000;
    if (state.focus && state.focus[i]) p += 1000;
    return p;
  }
  function overlaps(box, boxes) {
    for (var j = 0; j < boxes.length; j++) {
      var b = boxes[j];
      if (!(box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3])) return true;
    }
    return false;
  }
  function placeLabels() {
    var order = [], obstacles = [], boxes = [];
    var W = svg.clientWidth, H = svg.clientHeight;
    nodes.forEach(function (n, i) {
      if (!n.visible) { n.text.classList.add("hidden"); return; }
      order.push(i);
      var x = sx(n), y = sy(n), r = n.kind === "instrument" ? n.r * 1.25 : n.r;
      obstacles.push([x - r, y - r, x + r, y + r]);
    });
    order.sort(function (a, b) { return priority(nodes[b], b) - priority(nodes[a], a) || a - b; });
    order.forEach(function (i) {
      var n = nodes[i], x = sx(n), y = sy(n);
      var w = labelWidth(n), r = (n.kind === "instrument" ? n.r * 1.25 : n.r) + 3, lh = 16;
      // below, above, left, right of the node (centre x, top y of the label box)
      var spots = [[x, y + r], [x, y - r - lh], [x - r - w / 2 - 2, y - lh / 2], [x + r + w / 2 + 2, y - lh / 2]];
      var placed = null;
      for (var c = 0; c < spots.length && !placed; c++) {
        var box = [spots[c][0] - w / 2 - 1, spots[c][1], spots[c][0] + w / 2 + 1, spots[c][1] + lh];
        var onScreen = box[0] >= 0 && box[2] <= W && box[3] > 0 && box[1] < H;
        var major = n.kind !== "instrument" && n.degree >= 4;
        if (onScreen && !overlaps(box, boxes) && (major || !overlaps(box, obstacles))) placed = spots[c];
        if (onScreen && !placed && c === 0 && i === state.selected) placed = spots[0];
      }
      if (placed) {
        boxes.push([placed[0] - w / 2 - 1, placed[1], placed[0] + w / 2 + 1, placed[1] + lh]);
        n.text.setAttribute("x", placed[0].toFixed(1));
        n.text.setAttribute("y", (placed[1] + 12).toFixed(1));
        n.text.classList.remove("hidden");
      } else {
        n.text.classList.add("hidden");
      }
    });
  }

  function fit(indices, maxK) {
    var list = (indices || nodes.map(function (_, i) { return i; })).filter(function (i) { return nodes[i].visible; });
    if (!list.length) return;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    list.forEach(function (i) {
      var n = nodes[i];
      x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x); y1 = Math.max(y1, n.y);
    });
    // Wide side margins: labels are centred under nodes and may reach past them.
    var W = svg.clientWidth || 800, H = svg.clientHeight || 600, padX = 110, padY = 45;
    var k = Math.min((W - 2 * padX) / Math.max(x1 - x0, 1), (H - 2 * padY - 20) / Math.max(y1 - y0, 1));
    k = Math.max(0.08, Math.min(k, maxK || 2.5));
    view.k = k;
    view.tx = W / 2 - k * (x0 + x1) / 2;
    view.ty = (H - 20) / 2 - k * (y0 + y1) / 2;
    draw();
  }
  function zoomAt(factor, px, py) {
    var k = Math.max(0.05, Math.min(view.k * factor, 12));
    factor = k / view.k;
    view.tx = px - (px - view.tx) * factor;
    view.ty = py - (py - view.ty) * factor;
    view.k = k;
    draw();
  }
  function centerOn(i) {
    var n = nodes[i], W = svg.clientWidth, H = svg.clientHeight;
    if (view.k < 1) view.k = 1;
    view.tx = W / 2 - n.x * view.k;
    view.ty = H / 2 - n.y * view.k;
    draw();
  }

  /* ---------- selection and the side panel ---------- */
  function docName(doc) {
    var d = data.documents[doc] || {};
    return d.symbol ? d.symbol + " (" + doc + ")" : doc;
  }
  function snippet(parent, ref, mark) {
    var box = h("div", { "class": "snippet" }, null, parent);
    var where = docName(ref.doc) + " · ¶ " + ref.para;
    if (ref.relation && REL[ref.relation]) where += " · " + REL[ref.relation].en;
    if (ref.co_mention) where += " (both named in this paragraph)";
    if (ref.planned) where += " · planned";
    h("div", { "class": "where" }, where, box);
    var text = h("div", { "class": "text", lang: "ar", dir: "rtl" }, null, box);
    var at = mark ? ref.text.indexOf(mark) : -1;
    if (at < 0) { text.textContent = ref.text; return; }
    text.appendChild(document.createTextNode(ref.text.slice(0, at)));
    h("mark", {}, mark, text);
    text.appendChild(document.createTextNode(ref.text.slice(at + mark.length)));
  }
  function nameIn(n, text) {
    var names = [n.label].concat(n.alt || []).filter(function (s) { return s && text.indexOf(s) >= 0; });
    names.sort(function (a, b) { return b.length - a.length; });
    return names[0] || null;
  }
  function facts(parent, rows) {
    var dl = h("dl", { "class": "p-facts" }, null, parent);
    rows.forEach(function (r) {
      if (!r[1]) return;
      h("dt", {}, r[0], dl);
      h("dd", r[2] ? { lang: "ar", dir: "rtl" } : {}, r[1], dl);
    });
  }
  function legendMark(kind, color, size) {
    var s = document.createElementNS(NS, "svg");
    s.setAttribute("width", size); s.setAttribute("height", size);
    s.setAttribute("viewBox", (-size / 2) + " " + (-size / 2) + " " + size + " " + size);
    el("path", { d: shapePath(kind, size / 2 - 2.5), fill: color }, s);
    return s;
  }
  function openPanel() {
    $("panel-empty").hidden = true;
    var body = $("panel-body");
    body.hidden = false;
    body.textContent = "";
    $("panel").scrollTop = 0;
    return body;
  }
  function selectNode(i, center) {
    state.selected = i; state.selectedEdge = -1;
    var n = nodes[i];
    state.focus = {}; state.focus[i] = true;
    adj[i].forEach(function (ei) { var e = edges[ei]; state.focus[e.s] = true; state.focus[e.t] = true; });
    nodes.forEach(function (m, j) {
      m.g.classList.toggle("selected", j === i);
      m.g.classList.toggle("near", !!state.focus[j]);
      m.text.classList.toggle("near", !!state.focus[j]);
    });
    edges.forEach(function (e) { e.g.classList.toggle("near", e.s === i || e.t === i); });
    svg.classList.add("focus");

    var body = openPanel();
    var kind = h("div", { "class": "p-kind" }, null, body);
    kind.appendChild(legendMark(n.kind, colorOf(n), 14));
    h("span", {}, kindName(n), kind);
    h("div", { "class": "p-label", lang: "ar", dir: "rtl", id: "panel-label" }, n.label, body);
    if (n.label_en) h("div", { "class": "p-en" }, n.label_en, body);
    facts(body, [
      [n.kind === "instrument" ? "date" : "established", n.date],
      ["period", n.period],
      ["number", n.number],
      ["title", n.title, true],
      ["also called", (n.alt || []).join(" · "), true],
      ["mentions", String(n.mention_count)]
    ]);
    h("div", { "class": "p-iri" }, n.id, body);

    if (adj[i].length) {
      h("h4", {}, "Relations", body);
      var ul = h("ul", { "class": "p-links" }, null, body);
      adj[i].forEach(function (ei) {
        var e = edges[ei], r = REL[e.relation], out = e.s === i, o = out ? e.t : e.s;
        var li = h("li", {}, null, ul);
        h("span", { "class": "rel", style: "color:" + r.color }, out ? r.en + " →" : "← " + r.en, li);
        var a = h("a", { lang: "ar", dir: "rtl", "data-i": o }, nodes[o].label, li);
        a.addEventListener("click", function () { selectNode(o, true); });
      });
    }
    if (n.evidence && n.evidence.length) {
      h("h4", {}, "Statements", body);
      n.evidence.forEach(function (ref) { snippet(body, ref, nameIn(n, ref.text)); });
    }
    if (n.mentions && n.mentions.length) {
      h("h4", {}, "Mentions", body);
      var ml = h("ul", { "class": "mentions" }, null, body);
      n.mentions.forEach(function (ref) {
        var li = h("li", {}, null, ml);
        h("span", { "class": "where" }, docName(ref.doc) + " · ¶ " + ref.para, li);
        h("span", { "class": "text", lang: "ar", dir: "rtl" }, ref.text, li);
      });
      if (n.mention_count > n.mentions.length) {
        h("div", { "class": "more" }, "and " + (n.mention_count - n.mentions.length) + " more", body);
      }
    }
    if (center) fit(Object.keys(state.focus).map(Number), 2.2); else draw();
  }
  function selectEdge(ei) {
    var e = edges[ei], r = REL[e.relation], a = nodes[e.s], b = nodes[e.t];
    clearSelection(true);
    state.selectedEdge = ei;
    state.focus = {}; state.focus[e.s] = true; state.focus[e.t] = true;
    nodes.forEach(function (m, j) { m.g.classList.toggle("near", !!state.focus[j]); m.text.classList.toggle("near", !!state.focus[j]); });
    edges.forEach(function (f, j) { f.g.classList.toggle("near", j === ei); });
    svg.classList.add("focus");
    var body = openPanel();
    h("div", { "class": "p-kind" }, "relation", body);
    h("div", { "class": "p-label" }, r.en + (r.ar ? " · " + r.ar : ""), body);
    var ul = h("ul", { "class": "p-links" }, null, body);
    [[a, e.s, "from"], [b, e.t, "to"]].forEach(function (x) {
      var li = h("li", {}, null, ul);
      h("span", { "class": "rel" }, x[2], li);
      var link = h("a", { lang: "ar", dir: "rtl" }, x[0].label, li);
      link.addEventListener("click", function () { selectNode(x[1], true); });
    });
    h("h4", {}, "Evidence", body);
    if (!e.evidence.length) h("div", { "class": "more" }, "No paragraph states this line.", body);
    e.evidence.forEach(function (ref) { snippet(body, ref, nameIn(a, ref.text) || nameIn(b, ref.text)); });
    draw();
  }
  function clearSelection(keepPanel) {
    state.selected = -1; state.selectedEdge = -1; state.focus = null;
    svg.classList.remove("focus");
    nodes.forEach(function (m) { m.g.classList.remove("selected", "near"); m.text.classList.remove("near"); });
    edges.forEach(function (e) { e.g.classList.remove("near"); });
    if (!keepPanel) { $("panel-body").hidden = true; $("panel-empty").hidden = false; }
    draw();
  }

  /* ---------- search ---------- */
  var results = $("results");
  function runSearch(text, showList) {
    state.query = text;
    var q = fold(text);
    results.textContent = "";
    if (!q) {
      state.matches = null; svg.classList.remove("searching");
      nodes.forEach(function (n) { n.g.classList.remove("match"); n.text.classList.remove("match"); });
      results.hidden = true; draw(); return [];
    }
    var found = [];
    state.matches = {};
    nodes.forEach(function (n, i) {
      var hit = n.visible && n.key.indexOf(q) >= 0;
      if (hit) { found.push(i); state.matches[i] = true; }
      n.g.classList.toggle("match", hit);
      n.text.classList.toggle("match", hit);
    });
    found.sort(function (a, b) {
      var A = nodes[a], B = nodes[b];
      var ea = fold(A.label) === q ? 0 : 1, eb = fold(B.label) === q ? 0 : 1;
      return ea - eb || (A.kind === "instrument") - (B.kind === "instrument") || B.degree - A.degree || a - b;
    });
    svg.classList.add("searching");
    if (showList !== false) {
      found.slice(0, 30).forEach(function (i, j) {
        var n = nodes[i];
        var li = h("li", { "data-i": i, "class": j === 0 ? "active" : null }, null, results);
        li.appendChild(legendMark(n.kind, colorOf(n), 12));
        h("span", { lang: "ar", dir: "rtl" }, n.label, li);
        h("span", { "class": "kind" }, n.kind === "instrument" ? (n.type_label_en || n.type) + " " + (n.date || "") : KIND[n.kind].en, li);
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
      });
      if (!found.length) h("li", { "class": "none" }, "No match among the nodes shown", results);
      results.hidden = false;
    }
    draw();
    return found;
  }
  function choose(i) {
    results.hidden = true;
    state.matches = null;
    svg.classList.remove("searching");
    nodes.forEach(function (n) { n.g.classList.remove("match"); n.text.classList.remove("match"); });
    selectNode(i, true);
  }
  var search = $("search");
  search.addEventListener("input", function () { runSearch(search.value, true); });
  search.addEventListener("focus", function () { if (search.value) runSearch(search.value, true); });
  search.addEventListener("blur", function () { results.hidden = true; });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = runSearch(search.value, false);
      if (found.length) choose(found[0]);
    } else if (ev.key === "Escape") {
      search.value = ""; runSearch("", false);
    }
  });

  /* ---------- year range ---------- */
  var yf = $("year-from"), yt = $("year-to");
  if (data.years.length) {
    [yf, yt].forEach(function (inp) { inp.min = data.years[0]; inp.max = data.years[1]; });
    yf.placeholder = data.years[0]; yt.placeholder = data.years[1];
  } else {
    $("years").hidden = true;
  }
  function readYears() {
    var a = parseInt(yf.value, 10), b = parseInt(yt.value, 10);
    state.from = isNaN(a) ? null : a;
    state.to = isNaN(b) ? null : b;
    computeVisible();
  }
  yf.addEventListener("input", readYears);
  yt.addEventListener("input", readYears);
  $("year-reset").addEventListener("click", function () { yf.value = ""; yt.value = ""; readYears(); });
  if (data.initial.from !== null) yf.value = data.initial.from;
  if (data.initial.to !== null) yt.value = data.initial.to;

  /* ---------- legend (click an entry to hide or show it) ---------- */
  function legendItem(parent, mark, en, ar, count, toggle) {
    var item = h("div", { "class": "item", role: "checkbox", "aria-checked": "true", tabindex: "0" }, null, parent);
    item.appendChild(mark);
    h("span", {}, en, item);
    if (ar) h("span", { "class": "ar", lang: "ar", dir: "rtl" }, ar, item);
    h("span", { "class": "count" }, String(count), item);
    function flip() {
      var off = toggle();
      item.classList.toggle("off", off);
      item.setAttribute("aria-checked", off ? "false" : "true");
      computeVisible();
    }
    item.addEventListener("click", flip);
    item.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); flip(); }
    });
  }
  function lineMark(r) {
    var s = document.createElementNS(NS, "svg");
    s.setAttribute("width", 30); s.setAttribute("height", 10);
    el("line", { x1: 1, y1: 5, x2: 22, y2: 5, stroke: r.color, "stroke-width": 2, "stroke-dasharray": r.dash || null }, s);
    el("path", { d: "M21,1L29,5L21,9z", fill: r.color }, s);
    return s;
  }
  (function buildLegend() {
    var lg = $("legend");
    h("h3", {}, "Nodes", lg);
    data.kinds.forEach(function (k) {
      if (k.code === "instrument") return;
      legendItem(lg, legendMark(k.code, k.color, 14), k.en, k.ar, k.count, function () {
        state.offKind[k.code] = !state.offKind[k.code]; return state.offKind[k.code];
      });
    });
    data.types.forEach(function (t) {
      legendItem(lg, legendMark("instrument", t.color, 14), t.en, t.ar, t.count, function () {
        state.offType[t.code] = !state.offType[t.code]; return state.offType[t.code];
      });
    });
    h("span", { "class": "sep" }, null, lg);
    h("h3", {}, "Lines", lg);
    data.relations.forEach(function (r) {
      legendItem(lg, lineMark(r), r.en, r.ar, r.count, function () {
        state.offRel[r.code] = !state.offRel[r.code]; return state.offRel[r.code];
      });
    });
  })();

  /* ---------- pan, zoom, clicks ---------- */
  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, tx: view.tx, ty: view.ty, moved: false };
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    svg.classList.add("dragging");
    view.tx = drag.tx + dx; view.ty = drag.ty + dy;
    draw();
  });
  svg.addEventListener("pointerup", function (ev) {
    var wasDrag = drag && drag.moved;
    drag = null;
    svg.classList.remove("dragging");
    if (wasDrag) return;
    var target = document.elementFromPoint(ev.clientX, ev.clientY);
    var node = target && target.closest ? target.closest(".node") : null;
    var edge = target && target.closest ? target.closest(".edge") : null;
    if (node) selectNode(parseInt(node.getAttribute("data-i"), 10), false);
    else if (edge) selectEdge(parseInt(edge.getAttribute("data-i"), 10));
    else clearSelection(false);
  });
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var rect = svg.getBoundingClientRect();
    zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - rect.left, ev.clientY - rect.top);
  }, { passive: false });
  $("zoom-in").addEventListener("click", function () { zoomAt(1.4, svg.clientWidth / 2, svg.clientHeight / 2); });
  $("zoom-out").addEventListener("click", function () { zoomAt(1 / 1.4, svg.clientWidth / 2, svg.clientHeight / 2); });
  $("zoom-fit").addEventListener("click", function () { fit(); });
  window.addEventListener("resize", function () { fit(); });

  var counts = {};
  nodes.forEach(function (n) { counts[n.kind] = (counts[n.kind] || 0) + 1; });
  $("summary").textContent = data.kinds.map(function (k) { return (counts[k.code] || 0) + " " + k.en.toLowerCase() + (counts[k.code] === 1 ? "" : "s"); }).join(" · ") +
    " · " + edges.length + " lines · " + Object.keys(data.documents).length + " documents";

  if (data.initial.from !== null || data.initial.to !== null) readYears(); else computeVisible();
  fit();
  document.documentElement.setAttribute("data-ready", "true");
})();
