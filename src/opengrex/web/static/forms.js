/* The form engine in the browser (opengrex.web.forms): rows (add, remove, move, copy), unions and optional blocks
   (sub-forms from the server), the year grid (totals, paste from Excel, spread evenly or by %), quantity x price,
   subtotals per group, field errors after each recalculation, and drafts: edits are never lost silently (a leave
   prompt, and a copy in localStorage offered back after a reload). No build step, no inline script. */
(function () {
  "use strict";

  var FORMS = "form[data-formulier]";

  // ------------------------------------------------------------------------------------------ numbers (nl-NL)
  function parse(text) {
    var s = String(text || "").trim().replace(/[€\s\u00a0\u202f]/g, "").replace(/\u2212/g, "-");
    if (!s) return null;
    var pct = s.charAt(s.length - 1) === "%";
    if (pct) s = s.slice(0, -1);
    if (s.indexOf(".") >= 0 && s.indexOf(",") >= 0) s = s.replace(/\./g, "").replace(",", ".");
    else if (s.indexOf(",") >= 0) s = s.replace(",", ".");
    else if (!pct && /^-?[1-9]\d{0,2}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, "");
    if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) return null;
    var v = Number(s);
    if (!isFinite(v)) return null;
    return {v: pct ? v / 100 : v, pct: pct};
  }
  var NL0 = new Intl.NumberFormat("nl-NL", {maximumFractionDigits: 0});
  var NL2 = new Intl.NumberFormat("nl-NL", {maximumFractionDigits: 2});
  function money(v) { return "€ " + NL0.format(v); }
  function amountText(v) { return NL2.format(Math.round(v * 100) / 100); }
  function percentText(v) {  // a share as typed percentage, up to 8 decimals: 0.3333333333 -> 33,33333333%
    var t = (Math.round(v * 1e10) / 1e8).toFixed(8).replace(/\.?0+$/, "");
    return t.replace(".", ",") + "%";
  }

  function formOf(el) { return el && el.closest ? el.closest(FORMS) : null; }
  function changed(form) {  // after an edit made by a button (a row moved, a block pasted): unsaved, recalculate
    if (!form) return;
    dirty = true;
    saveDraft(form);
    form.dispatchEvent(new Event("change", {bubbles: true}));
  }
  function rowName(input) { var n = input.name || ""; return n.slice(0, n.lastIndexOf(".")); }
  function lastSeg(name) { return name.slice(name.lastIndexOf(".") + 1); }
  function field(form, name) { var el = form.elements.namedItem(name); return el && el.length !== undefined && !el.tagName ? el[el.length - 1] : el; }

  // ------------------------------------------------------------------------------------------ fragments from the server
  function fragment(form, params) {
    var data = new FormData(form);
    Object.keys(params).forEach(function (k) { data.set(k, params[k]); });
    var headers = {};
    var token = form.querySelector("input[name=csrf_token]");
    if (token) headers["X-CSRF-Token"] = token.value;
    return fetch(form.dataset.fragment || "/" + form.dataset.formulier + "/formulier/fragment", {method: "POST", body: data, headers: headers, credentials: "same-origin"})
      .then(function (r) { return r.text().then(function (t) { if (!r.ok) throw new Error(t || r.statusText); return t; }); });
  }

  function insertHTML(container, html, where) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    var nodes = Array.prototype.slice.call(tpl.content.childNodes);
    if (where === "replace") { container.innerHTML = ""; nodes.forEach(function (n) { container.appendChild(n); }); }
    else nodes.forEach(function (n) { container.insertBefore(n, where || null); });
    return nodes.filter(function (n) { return n.nodeType === 1; });
  }

  function refresh(form) { totalsAll(form); subtotalsAll(form); }
  function refreshAround(form, el) {  // after an edit: only the table the edit is in (and the tables around it)
    for (var block = el.closest(".tabelblok, .jaarraster"); block && form.contains(block); block = block.parentElement && block.parentElement.closest(".tabelblok, .jaarraster")) {
      totalsBlock(form, block);
      subtotalsBlock(form, block);
    }
  }

  // ------------------------------------------------------------------------------------------ rows
  function rowsOf(row) {
    return Array.prototype.filter.call(row.parentNode.children, function (el) { return el.hasAttribute("data-rij"); });
  }

  function newUid() { return "n" + Math.random().toString(16).slice(2, 10); }

  function renameTree(root, from, to) {
    var re = new RegExp("^" + from.replace(/[.*+?^${}()|[\]\\~]/g, "\\$&") + "(?=$|[.~])");
    var attrs = ["name", "id", "for", "data-rij", "data-lijst", "data-raster", "data-rijtotaal", "data-veldfout", "data-unie", "data-optioneel", "data-aan", "data-inhoud", "data-groep", "data-bron", "data-overnemen", "data-rasterrij", "data-vast"];
    var all = [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
    all.forEach(function (el) {
      attrs.forEach(function (a) {
        var v = el.getAttribute && el.getAttribute(a);
        if (v == null) return;
        var prefix = a === "id" && v.indexOf("veld-") === 0 ? "veld-" : a === "for" && v.indexOf("veld-") === 0 ? "veld-" : a === "id" && v.indexOf("bron-") === 0 ? "bron-" : a === "for" && v.indexOf("bron-") === 0 ? "bron-" : "";
        var body = v.slice(prefix.length);
        if (re.test(body)) el.setAttribute(a, prefix + body.replace(re, to));
      });
    });
  }

  function copyValues(from, to) {
    var a = from.querySelectorAll("input, select, textarea"), b = to.querySelectorAll("input, select, textarea");
    for (var i = 0; i < a.length && i < b.length; i++) {
      if (a[i].type === "checkbox" || a[i].type === "radio") b[i].checked = a[i].checked;
      else if (a[i].tagName === "SELECT") {
        if (!b[i].querySelector("option[value='" + CSS.escape(a[i].value) + "']")) b[i].innerHTML = a[i].innerHTML;
        b[i].value = a[i].value;
      } else b[i].value = a[i].value;
    }
  }

  function rowAction(btn) {
    var row = btn.closest("[data-rij]"), form = formOf(btn);
    if (!row || !form) return;
    var action = btn.getAttribute("data-actie"), rows = rowsOf(row), i = rows.indexOf(row), focusSel = "[data-actie='" + action + "']";
    if (action === "omhoog" && i > 0) { row.parentNode.insertBefore(row, rows[i - 1]); flash(row); btn.focus(); }
    else if (action === "omlaag" && i < rows.length - 1) { row.parentNode.insertBefore(rows[i + 1], row); flash(row); btn.focus(); }
    else if (action === "weg") {
      var next = rows[i + 1] || rows[i - 1];
      row.remove();
      var target = next ? next.querySelector(focusSel) : null;
      (target || form.querySelector("[data-nieuw]") || form).focus();
    } else if (action === "kopie") {
      var list = row.getAttribute("data-rij"), base = list.slice(0, list.lastIndexOf(".")), uid = newUid(), name = base + "." + uid;
      var copy = row.cloneNode(true);
      copyValues(row, copy);
      renameTree(copy, list, name);
      var marker = copy.querySelector("input[type=hidden][name='" + CSS.escape(base + "~rij") + "']");
      if (marker) marker.value = uid;
      copy.querySelectorAll("[data-veldfout]").forEach(function (s) { s.textContent = ""; });
      row.parentNode.insertBefore(copy, row.nextSibling);
      flash(copy);
      var f = copy.querySelector("input:not([type=hidden]), select, textarea");
      if (f) f.focus();
    } else return;
    refresh(form);
    changed(form);
  }

  function flash(row) { row.classList.remove("verplaatst"); void row.offsetWidth; row.classList.add("verplaatst"); }

  function addRow(btn) {
    var form = formOf(btn), name = btn.getAttribute("data-nieuw");
    var block = btn.closest("[data-lijst]");
    btn.disabled = true;
    fragment(form, {actie: "rij", pad: name}).then(function (html) {
      var where, container;
      var table = block.querySelector(":scope > .scroll > table");
      if (table) { container = table; where = table.tFoot || null; }
      else { container = block.querySelector(":scope > ol.lijst"); where = null; }
      var added = insertHTML(container, html, where);
      if (table) syncColumns(form, block);
      refresh(form);
      changed(form);
      var first = added[0] && added[0].querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    }).catch(function (e) { alert("Regel toevoegen lukte niet: " + e.message); }).finally(function () { btn.disabled = false; });
  }

  // ------------------------------------------------------------------------------------------ unions, optional blocks, documents
  function switchUnion(select) {
    var form = formOf(select), box = select.closest("[data-unie]"), name = box.getAttribute("data-unie");
    var content = box.querySelector(":scope > .unie-inhoud");
    if (select.value === "") { content.innerHTML = ""; refresh(form); return; }
    fragment(form, {actie: "keuze", pad: name, soort: select.value}).then(function (html) {
      insertHTML(content, html, "replace");
      refresh(form);
      changed(form);
    });
  }

  function toggleBlock(box) {
    var form = formOf(box), name = box.getAttribute("data-aan");
    var content = box.closest("[data-optioneel]").querySelector(":scope > .aan-inhoud");
    content.hidden = !box.checked;
    if (box.checked && !content.children.length) {
      fragment(form, {actie: "aan", pad: name}).then(function (html) { insertHTML(content, html, "replace"); refresh(form); changed(form); });
    }
  }

  function takeOver(btn) {
    var form = formOf(btn), name = btn.getAttribute("data-overnemen");
    var select = form.querySelector("select[data-bron='" + CSS.escape(name) + "']");
    if (!select || !select.value) { if (select) select.focus(); return; }
    var content = form.querySelector("[data-inhoud='" + CSS.escape(name) + "']");
    fragment(form, {actie: "document", pad: name, id: select.value}).then(function (html) {
      insertHTML(content, html, "replace");
      refresh(form);
      changed(form);
    }).catch(function (e) { alert("Overnemen lukte niet: " + e.message); });
  }

  // ------------------------------------------------------------------------------------------ long code lists
  function fillOptions(select) {
    if (select.dataset.gevuld) return;
    var holder = document.getElementById("opties-" + select.getAttribute("data-opties"));
    if (!holder) return;
    var current = select.value, options = JSON.parse(holder.textContent), html = "";
    var keepEmpty = select.querySelector("option[value='']");
    if (keepEmpty) html += keepEmpty.outerHTML;
    var found = current === "";
    options.forEach(function (o) {
      var v = String(o[0]);
      if (v === current) found = true;
      html += "<option value=\"" + esc(v) + "\"" + (o[2] ? " title=\"" + esc(o[2]) + "\"" : "") + ">" + esc(o[1]) + "</option>";
    });
    if (!found) html += "<option value=\"" + esc(current) + "\">" + esc(current) + " (niet in de lijst)</option>";
    select.innerHTML = html;
    select.value = current;
    select.dataset.gevuld = "1";
  }
  function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;"); }

  // ------------------------------------------------------------------------------------------ year grid
  // A grid row's cells are named <grid>.<year>; its total cell carries data-rijtotaal=<grid>, in the same <tr>.
  function totalCellOf(form, grid) { return form.querySelector("td[data-rijtotaal='" + CSS.escape(grid) + "']"); }
  function gridCells(form, grid, total) {
    total = total || totalCellOf(form, grid);
    if (!total) return [];
    var prefix = grid + ".";
    return Array.prototype.filter.call(total.parentNode.querySelectorAll("input.jc"), function (c) { return c.name.indexOf(prefix) === 0 && c.name.indexOf(".", prefix.length) < 0; });
  }
  function cellYear(c) { return Number(lastSeg(c.name)); }

  function gridKey(totalCell) {  // column key of a grid row's total cell: the field key in a table, 'w' alone
    return totalCell.getAttribute("data-kolom") || "w";
  }

  function rowTotalText(pct, amounts, n, basis) {
    var asAmount = amounts + (basis ? pct * basis.v : 0);
    if (!n) return "";
    if (amounts === 0 && pct !== 0 && !basis) return percentText(pct);
    if (amounts === 0) return percentText(pct) + (basis ? " · " + money(asAmount) : "");
    return money(amounts) + (pct ? " + " + percentText(pct) : "");
  }

  function setText(el, text) { if (el.textContent !== text) el.textContent = text; }

  // Row totals and column totals of one table (or one stand-alone grid), in one pass over its cells: first every
  // value is read, then the totals are written (writing between reads would make each lookup start over). A share
  // (60%) counts in euros when its row has the amount the grid spreads (a grex line's bedrag).
  function totalsBlock(form, block) {
    var table = block.querySelector("table");
    if (!table) return;
    var sums = {}, writes = [], standAlone = table.classList.contains("raster");
    table.querySelectorAll(":scope > tbody.rij > tr > td[data-rijtotaal]").forEach(function (tc) {
      var grid = tc.getAttribute("data-rijtotaal"), key = standAlone ? "w" : lastSeg(grid);
      var spreads = tc.getAttribute("data-spreidt"), basis = null;
      if (spreads) {
        var b = tc.parentNode.querySelector("[name='" + CSS.escape(grid.slice(0, grid.lastIndexOf(".")) + "." + spreads) + "']");
        basis = b ? parse(b.value) : null;
      }
      var pct = 0, amounts = 0, n = 0, col = sums[key] = sums[key] || {};
      gridCells(form, grid, tc).forEach(function (c) {
        var p = parse(c.value);
        if (!p) return;
        n++;
        if (p.pct) pct += p.v; else amounts += p.v;
        var y = lastSeg(c.name), v = p.pct ? (basis ? p.v * basis.v : null) : p.v;
        if (v === null) return;
        col[y] = (col[y] || 0) + v;
        col[""] = (col[""] || 0) + v;
      });
      writes.push([tc.querySelector(".som") || tc, rowTotalText(pct, amounts, n, basis)]);
    });
    table.querySelectorAll(":scope > tfoot td[data-kolomtotaal]").forEach(function (cell) {
      var col = sums[cell.getAttribute("data-kolomtotaal")] || {}, v = col[cell.getAttribute("data-jaar") || ""];
      writes.push([cell, v === undefined ? "" : money(v)]);
    });
    writes.forEach(function (w) { setText(w[0], w[1]); });
  }

  function totalsAll(form) {
    form.querySelectorAll(".tabelblok, .jaarraster").forEach(function (block) { totalsBlock(form, block); });
  }

  function columnsOf(form, grid) {  // [{year, input}] of one grid row, in year order
    return gridCells(form, grid).map(function (c) { return {year: cellYear(c), input: c}; })
      .sort(function (a, b) { return a.year - b.year; });
  }

  function activeGrid(bar) {
    var block = bar.closest(".tabelblok, .jaarraster");
    var table = block.querySelector("table");
    var row = table.querySelector(":scope > tbody.rij.actief") || table.querySelector(":scope > tbody.rij");
    if (!row) return null;
    var cell = (row.dataset.actiefCel && document.querySelector("input[name='" + CSS.escape(row.dataset.actiefCel) + "']")) || row.querySelector("input.jc");
    return cell ? {row: row, cell: cell, grid: rowName(cell)} : null;
  }

  function spread(btn) {
    var form = formOf(btn), bar = btn.closest(".rasteracties"), at = activeGrid(bar);
    if (!at) return;
    var cols = columnsOf(form, at.grid);
    var tc = form.querySelector("td[data-rijtotaal='" + CSS.escape(at.grid) + "']");
    var spreads = tc && tc.getAttribute("data-spreidt");
    var parsed = cols.map(function (c) { return parse(c.input.value); });
    var pctMode = parsed.some(function (p) { return p && p.pct; }) || (!parsed.some(function (p) { return p; }) && !!spreads);
    var amountTotal = parsed.reduce(function (s, p) { return s + (p && !p.pct ? p.v : 0); }, 0);
    if (!pctMode && !amountTotal && spreads) {
      var b = parse((field(form, rowName({name: at.grid + ".x"}) + "." + spreads) || {}).value);
      amountTotal = b ? b.v : 0;
    }
    var values;
    if (btn.getAttribute("data-spreid") === "gelijk") {
      var targets = cols.filter(function (c, i) { return parsed[i]; });
      if (!targets.length) targets = cols;
      values = share(targets.length, pctMode, amountTotal);
      cols.forEach(function (c) { if (targets.indexOf(c) < 0) c.input.value = ""; });
      targets.forEach(function (c, i) { c.input.value = values[i]; });
    } else {
      var text = bar.querySelector("input.spreid-pct").value;
      var parts = text.split(/[;\s/|]+/).filter(Boolean).map(function (t) { var p = parse(t.replace(/%$/, "") + "%"); return p ? p.v : null; });
      if (!parts.length || parts.some(function (p) { return p === null; })) { bar.querySelector("input.spreid-pct").focus(); return; }
      var start = cols.findIndex(function (c) { return c.input === at.cell; });
      if (start < 0) start = 0;
      while (cols.length - start < parts.length) { addYear(form, bar.closest(".tabelblok, .jaarraster"), null); cols = columnsOf(form, at.grid); }
      cols.forEach(function (c) { c.input.value = ""; });
      var amounts = pctMode ? null : byShares(parts, amountTotal);
      parts.forEach(function (p, i) { cols[start + i].input.value = pctMode ? percentText(p) : amounts[i]; });
    }
    refresh(form);
    changed(form);
  }

  function share(n, pctMode, total) {  // n parts that sum exactly to 100% (8 decimals) or to the total (cents)
    var out = [];
    if (pctMode) {
      var unit = 1e10, whole = Math.floor(unit / n);
      for (var i = 0; i < n; i++) out.push(percentText((i === n - 1 ? unit - whole * (n - 1) : whole) / unit));
    } else {
      var cents = Math.round(total * 100), each = Math.floor(cents / n);
      for (var j = 0; j < n; j++) out.push(amountText((j === n - 1 ? cents - each * (n - 1) : each) / 100));
    }
    return out;
  }

  function byShares(parts, total) {
    var cents = Math.round(total * 100), used = 0, out = [];
    parts.forEach(function (p, i) {
      var c = i === parts.length - 1 ? cents - used : Math.round(cents * p);
      used += c;
      out.push(amountText(c / 100));
    });
    return out;
  }

  function addYear(form, block, year) {
    // one more year column for every grid of this table (or this stand-alone grid)
    var heads = block.querySelector("table").querySelectorAll(":scope > thead th.jaar[data-jaar]");
    var keys = {};
    heads.forEach(function (th) { var k = th.getAttribute("data-kolom"); keys[k] = Math.max(keys[k] || -Infinity, Number(th.getAttribute("data-jaar"))); });
    if (!heads.length) block.querySelector("table").querySelectorAll(":scope > thead th.totaalkop[data-kolom]").forEach(function (th) { keys[th.getAttribute("data-kolom")] = new Date().getFullYear() - 1; });
    Object.keys(keys).forEach(function (k) { ensureYear(form, block, k, year == null ? keys[k] + 1 : year); });
  }

  function ensureYear(form, block, key, year) {
    var table = block.querySelector("table");
    if (!table) return;
    if (!table.querySelector(":scope > thead th.jaar[data-kolom='" + CSS.escape(key) + "'][data-jaar='" + year + "']")) {
      var ths = Array.prototype.slice.call(table.querySelectorAll(":scope > thead th.jaar[data-kolom='" + CSS.escape(key) + "']"));
      var before = ths.find(function (th) { return Number(th.getAttribute("data-jaar")) > year; }) || table.querySelector(":scope > thead th.totaalkop[data-kolom='" + CSS.escape(key) + "']");
      if (!before) return;
      var th = document.createElement("th");
      th.className = "n jaar"; th.setAttribute("data-kolom", key); th.setAttribute("data-jaar", year); th.textContent = year;
      before.parentNode.insertBefore(th, before);
      var groupHead = table.querySelector(":scope > thead th.rasterkop[data-rasterkop='" + CSS.escape(key) + "']");
      if (groupHead) groupHead.colSpan += 1;
    }
    table.querySelectorAll(":scope > tbody.rij").forEach(function (row) {
      var total = key === "w" ? row.querySelector("td[data-rijtotaal]") : row.querySelector("td[data-rijtotaal='" + CSS.escape(row.getAttribute("data-rij") + "." + key) + "']");
      if (!total) return;
      var grid = total.getAttribute("data-rijtotaal");
      var cells = gridCells(form, grid, total);
      if (cells.some(function (c) { return cellYear(c) === year; })) return;  // the row has it already
      var next = cells.find(function (c) { return cellYear(c) > year; });
      var td = document.createElement("td"), input = document.createElement("input");
      td.className = "jc";
      input.name = grid + "." + year; input.className = "n jc"; input.setAttribute("inputmode", "decimal");
      var sample = gridCells(form, grid, total)[0];
      input.setAttribute("aria-label", (sample ? sample.getAttribute("aria-label").replace(/\s\d+$/, "") : "") + " " + year);
      td.appendChild(input);
      total.parentNode.insertBefore(td, next ? next.parentNode : total);
    });
    var foot = table.querySelector(":scope > tfoot td[data-kolomtotaal='" + CSS.escape(key) + "']:not([data-jaar])");
    if (foot && !table.querySelector(":scope > tfoot td[data-kolomtotaal='" + CSS.escape(key) + "'][data-jaar='" + year + "']")) {
      var ftd = document.createElement("td");
      ftd.className = "n"; ftd.setAttribute("data-kolomtotaal", key); ftd.setAttribute("data-jaar", year);
      var fnext = Array.prototype.find.call(table.querySelectorAll(":scope > tfoot td[data-kolomtotaal='" + CSS.escape(key) + "'][data-jaar]"), function (c) { return Number(c.getAttribute("data-jaar")) > year; });
      foot.parentNode.insertBefore(ftd, fnext || foot);
    }
  }

  function paste(evt) {
    var input = evt.target, form = formOf(input);
    if (!form || !input.classList || !input.classList.contains("jc")) return;
    var text = (evt.clipboardData || window.clipboardData).getData("text");
    if (!text) return;
    var yearItems = /^\s*\d{4}\s*[:=]/.test(text);
    if (!yearItems && text.indexOf("\t") < 0 && text.replace(/\r?\n$/, "").indexOf("\n") < 0) return;
    evt.preventDefault();
    var grid = rowName(input);
    if (yearItems) {  // '2025: 60%; 2026: 40%' (the old notation) into this row
      text.split(/[;\n]|,(?=\s*\d{4}\s*[:=])/).forEach(function (part) {
        var m = part.match(/^\s*(\d{4})\s*[:=]\s*(.+?)\s*$/);
        if (!m) return;
        ensureYearsFor(form, input, Number(m[1]));
        var cell = field(form, grid + "." + m[1]);
        if (cell) cell.value = m[2];
      });
    } else {
      var lines = text.replace(/\r/g, "").replace(/\n+$/, "").split("\n").map(function (l) { return l.split("\t"); });
      var row = input.closest("[data-rij], [data-rasterrij]");
      var key = lastSeg(grid);
      var rows = row && row.hasAttribute("data-rij") ? rowsOf(row) : [row];
      var start = rows.indexOf(row);
      var year0 = cellYear(input);
      lines.forEach(function (cells, r) {
        var target = rows[start + r];
        if (!target) return;
        var g = target.hasAttribute("data-rij") ? target.getAttribute("data-rij") + "." + key : grid;
        var cols = columnsOf(form, g).map(function (c) { return c.year; });
        var i0 = cols.indexOf(year0);
        cells.forEach(function (value, c) {
          var year = i0 >= 0 && cols[i0 + c] !== undefined ? cols[i0 + c] : year0 + c;
          ensureYearsFor(form, input, year);
          var cell = field(form, g + "." + year);
          if (cell) cell.value = value.trim();
        });
      });
    }
    refresh(form);
    changed(form);
  }

  function syncColumns(form, block) {
    // every year a row of this table has (a new row gets its document's period) becomes a column of every row
    var table = block.querySelector("table"), years = {};
    table.querySelectorAll(":scope > tbody.rij td[data-rijtotaal]").forEach(function (total) {
      var grid = total.getAttribute("data-rijtotaal"), key = lastSeg(grid);
      gridCells(form, grid, total).forEach(function (c) { (years[key] = years[key] || {})[cellYear(c)] = true; });
    });
    Object.keys(years).forEach(function (key) {
      Object.keys(years[key]).map(Number).sort().forEach(function (y) { ensureYear(form, block, key, y); });
    });
  }

  function ensureYearsFor(form, input, year) {
    var block = input.closest(".tabelblok, .jaarraster");
    var key = block.querySelector("table").classList.contains("raster") ? "w" : lastSeg(rowName(input));
    ensureYear(form, block, key, year);
  }

  function applyPeriods(form, periods) {
    // year columns for the document's period (e.g. after the eindjaar changed): added, never removed
    var key = JSON.stringify(periods);
    if (form.dataset.perioden === key) return false;
    form.dataset.perioden = key;
    var names = Object.keys(periods);
    form.querySelectorAll(".tabelblok, .jaarraster").forEach(function (block) {
      var owner = block.getAttribute("data-lijst") || "";
      var best = null;
      names.forEach(function (p) { if ((p === "" || owner.indexOf(p + ".") === 0 || owner === p) && (best === null || p.length > best.length)) best = p; });
      if (best === null) return;
      var table = block.querySelector("table");
      if (!table) return;
      var keys = {};
      table.querySelectorAll(":scope > thead th.totaalkop[data-kolom]").forEach(function (th) { keys[th.getAttribute("data-kolom")] = true; });
      Object.keys(keys).forEach(function (k) { periods[best].forEach(function (y) { ensureYear(form, block, k, y); }); });
    });
    return true;
  }

  // ------------------------------------------------------------------------------------------ quantity x price
  function product(input) {
    var form = formOf(input), holder = input.closest("[data-product]");
    if (!form || !holder || input.getAttribute("data-rol") !== "factor") return;
    var keys = holder.getAttribute("data-product").split(","), prefix = rowName(input);
    var a = parse((field(form, prefix + "." + keys[1]) || {}).value), b = parse((field(form, prefix + "." + keys[2]) || {}).value);
    var out = field(form, prefix + "." + keys[0]);
    if (!out || !a || !b || a.pct || b.pct) return;
    out.value = amountText(a.v * b.v);
    out.classList.add("berekend");
    out.title = "hoeveelheid × eenheidsprijs";
  }

  // ------------------------------------------------------------------------------------------ subtotals per group
  function subtotalsAll(form) {
    form.querySelectorAll(".tabelblok[data-groepen]").forEach(function (block) { subtotalsBlock(form, block); });
  }

  function subtotalsBlock(form, block) {
    var out = block.querySelector(":scope > .subtotalen");
    if (!out || !block.hasAttribute("data-groepen")) return;
    var groups = block.getAttribute("data-groepen").split(","), som = block.getAttribute("data-som");
    var html = "";
    groups.forEach(function (g) {
      var sums = {}, order = [], any = false;
      block.querySelectorAll(":scope > .scroll > table > tbody.rij").forEach(function (row) {
        var rn = row.getAttribute("data-rij"), label = ((field(form, rn + "." + g) || {}).value || "").trim();
        var p = parse((field(form, rn + "." + som) || {}).value);
        if (label) any = true;
        var k = label || "(geen)";
        if (!(k in sums)) { sums[k] = 0; order.push(k); }
        sums[k] += p && !p.pct ? p.v : 0;
      });
      if (!any) return;
      var head = (block.querySelector("thead th[data-kolom='" + g + "']") || {}).textContent || g;
      html += "<table class=\"subtotaal\" data-groep=\"" + esc(g) + "\"><caption>Subtotaal per " + esc(head.replace(/\s*\*$/, "").toLowerCase() || g) + "</caption><tbody>" +
        order.map(function (k) { return "<tr><td>" + esc(k) + "</td><td class=\"n\">" + money(sums[k]) + "</td></tr>"; }).join("") + "</tbody></table>";
    });
    out.innerHTML = html;
  }

  // ------------------------------------------------------------------------------------------ field errors
  function showErrors(form, errors, invalid) {
    var bad = {};
    (invalid || Object.keys(errors)).forEach(function (k) { bad[k] = true; });
    form.querySelectorAll("[aria-invalid=true]").forEach(function (el) { if (!bad[el.name] && !bad[el.id.replace(/^veld-/, "")]) el.removeAttribute("aria-invalid"); });
    Object.keys(bad).forEach(function (key) {
      var el = field(form, key) || document.getElementById("veld-" + key);
      if (el && el.setAttribute) el.setAttribute("aria-invalid", "true");
    });
    var spans = {};
    form.querySelectorAll("[data-veldfout]").forEach(function (s) { spans[s.getAttribute("data-veldfout")] = s; if (s.firstChild) s.textContent = ""; });
    Object.keys(errors).forEach(function (key) {
      var probe = key, span = spans[probe];
      while (!span && probe.indexOf(".") > 0) { probe = probe.slice(0, probe.lastIndexOf(".")); span = spans[probe]; }
      if (!span) return;
      var text = errors[key];
      if (probe !== key) text = lastSeg(key) + ": " + text;
      span.textContent = span.textContent ? span.textContent + " · " + text : text;
      for (var d = span.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
    });
  }

  function afterSwap(evt) {
    var root = evt.detail && evt.detail.elt ? evt.detail.elt : document;
    var holder = root.querySelector ? root.querySelector("script#veldfouten") : null;
    var invalid = root.querySelector ? root.querySelector("script#ongeldig") : null;
    var periods = root.querySelector ? root.querySelector("script#perioden") : null;
    document.querySelectorAll(FORMS).forEach(function (form) {
      if (holder) showErrors(form, JSON.parse(holder.textContent || "{}"), invalid ? JSON.parse(invalid.textContent || "[]") : null);
      if (periods && applyPeriods(form, JSON.parse(periods.textContent || "{}"))) refresh(form);
    });
  }

  // ------------------------------------------------------------------------------------------ drafts and leaving
  var dirty = false, submitting = false, draftTimer = null;
  function draftKey(form) { return "opengrex-concept:" + form.getAttribute("data-concept-sleutel"); }
  function items(form) {
    var out = [];
    new FormData(form).forEach(function (v, k) { if (typeof v === "string" && k !== "csrf_token") out.push([k, v]); });
    return out;
  }
  function saveDraft(form) {
    // after a pause in typing, when the browser is idle (a 200-line grex is some 8.000 fields)
    clearTimeout(draftTimer);
    draftTimer = setTimeout(function () {
      var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 0); };
      idle(function () {
        try { localStorage.setItem(draftKey(form), JSON.stringify({t: Date.now(), items: items(form)})); } catch (e) { /* storage full or off: the leave prompt still guards */ }
      }, {timeout: 3000});
    }, 700);
  }
  function offerDraft(form) {
    var raw = null;
    try { raw = localStorage.getItem(draftKey(form)); } catch (e) { return; }
    if (!raw) return;
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { localStorage.removeItem(draftKey(form)); return; }
    if (JSON.stringify(draft.items) === JSON.stringify(items(form))) return;
    var bar = document.getElementById("concept-melding");
    if (!bar) return;
    var when = bar.querySelector("[data-concept-tijd]");
    if (when) when.textContent = " (" + new Date(draft.t).toLocaleString("nl-NL") + ")";
    bar.hidden = false;
    bar.querySelector("[data-concept=herstel]").onclick = function () { restoreDraft(form, draft, bar); };
    bar.querySelector("[data-concept=verwijder]").onclick = function () { localStorage.removeItem(draftKey(form)); bar.hidden = true; };
  }
  function restoreDraft(form, draft, bar) {
    var data = new FormData();
    draft.items.forEach(function (kv) { data.append(kv[0], kv[1]); });
    var token = form.querySelector("input[name=csrf_token]");
    if (token) data.set("csrf_token", token.value);
    fetch(form.getAttribute("data-herstel") || "/" + form.dataset.formulier + "/formulier/herstel", {method: "POST", body: data, credentials: "same-origin", headers: token ? {"X-CSRF-Token": token.value} : {}})
      .then(function (r) { return r.text().then(function (t) { if (!r.ok) throw new Error(t); return t; }); })
      .then(function (html) {
        insertHTML(form.querySelector("#formulier-inhoud"), html, "replace");
        draft.items.forEach(function (kv) { if (kv[0] === "comment") { var c = form.querySelector("input[name=comment]"); if (c) c.value = kv[1]; } });
        bar.hidden = true;
        dirty = true;
        refresh(form);
        changed(form);
      }).catch(function (e) { alert("Herstellen lukte niet: " + e.message); });
  }

  // ------------------------------------------------------------------------------------------ wiring
  document.addEventListener("click", function (evt) {
    var t = evt.target.closest ? evt.target.closest("[data-actie], [data-nieuw], [data-spreid], [data-jaar-erbij], [data-overnemen], [data-jaren-tonen]") : null;
    if (!t || !formOf(t)) return;
    evt.preventDefault();
    if (t.hasAttribute("data-actie")) rowAction(t);
    else if (t.hasAttribute("data-nieuw")) addRow(t);
    else if (t.hasAttribute("data-spreid")) spread(t);
    else if (t.hasAttribute("data-jaar-erbij")) { addYear(formOf(t), t.closest(".tabelblok, .jaarraster"), null); refresh(formOf(t)); }
    else if (t.hasAttribute("data-overnemen")) takeOver(t);
    else if (t.hasAttribute("data-jaren-tonen")) unfold(t);
  });

  function unfold(btn) {  // a folded year grid of a table: its columns, over the document's period (or this year)
    var form = formOf(btn), block = btn.closest(".tabelblok"), key = btn.getAttribute("data-jaren-tonen");
    var years = (btn.getAttribute("data-jaren") || "").split(",").filter(Boolean).map(Number);
    if (!years.length) years = [new Date().getFullYear()];
    years.forEach(function (y) { ensureYear(form, block, key, y); });
    btn.remove();
    refresh(form);
    var first = block.querySelector("input.jc[name$='." + key + "." + years[0] + "']");
    if (first) first.focus();
  }

  document.addEventListener("change", function (evt) {
    var t = evt.target, form = formOf(t);
    if (!form || !t.matches) return;
    if (t.matches("select.unie-keuze")) switchUnion(t);
    else if (t.matches("input[data-aan]")) toggleBlock(t);
  });

  document.addEventListener("input", function (evt) {
    var t = evt.target, form = formOf(t);
    if (!form) return;
    dirty = true;
    saveDraft(form);
    if (t.getAttribute && t.getAttribute("data-rol") === "factor") product(t);
  });
  var refreshTimer = null;
  document.addEventListener("change", function (evt) {
    var form = formOf(evt.target), target = evt.target;
    if (!form || !evt.isTrusted) return;
    dirty = true;
    saveDraft(form);
    // the totals after the recalculation request has gone out (a big table takes a while to lay out again)
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () { refreshAround(form, target); }, 60);
  });

  document.addEventListener("focusin", function (evt) {
    var t = evt.target;
    if (t.matches && t.matches("select[data-opties]")) fillOptions(t);
    if (t.classList && t.classList.contains("jc")) {
      var row = t.closest("tbody.rij"), block = t.closest(".tabelblok, .jaarraster");
      if (block) block.querySelectorAll("tbody.rij.actief").forEach(function (r) { if (r !== row) r.classList.remove("actief"); });
      if (row) { row.classList.add("actief"); row.dataset.actiefCel = t.name; }
    }
  });
  document.addEventListener("mousedown", function (evt) { if (evt.target.matches && evt.target.matches("select[data-opties]")) fillOptions(evt.target); });

  document.addEventListener("paste", paste, true);

  document.addEventListener("keydown", function (evt) {
    var t = evt.target, form = formOf(t);
    if (form && evt.key === "Enter" && t.tagName === "INPUT" && t.type !== "submit") {
      evt.preventDefault();
      t.dispatchEvent(new Event("change", {bubbles: true}));
    }
  });

  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form.matches || !form.matches(FORMS)) return;
    submitting = true;
    try { sessionStorage.setItem("opengrex-opgeslagen", draftKey(form)); } catch (e) { /* no storage */ }
  });

  window.addEventListener("beforeunload", function (evt) {
    if (!dirty || submitting || !document.querySelector(FORMS)) return;
    evt.preventDefault();
    evt.returnValue = "";
    return "";
  });

  document.addEventListener("htmx:confirm", function (evt) {
    // an HTMX request that leaves the page (a boosted link, a swap of the page body) asks first, like a link does
    var elt = evt.detail.elt;
    if (!dirty || !document.querySelector(FORMS) || formOf(elt)) return;
    var boosted = elt.closest("[hx-boost='true']");
    var leaves = (boosted && (elt.tagName === "A" || elt.tagName === "FORM")) || elt.hasAttribute("hx-push-url") || evt.detail.target === document.body;
    if (leaves && !window.confirm("U heeft wijzigingen die niet zijn opgeslagen. Toch deze pagina verlaten?")) evt.preventDefault();
  });

  document.addEventListener("htmx:afterSettle", afterSwap);

  // An empty year cell means "no value": it is not sent with a recalculation (a 200-line grex has thousands).
  var EMPTY_CELL = /\.-?\d+$/;
  document.addEventListener("htmx:configRequest", function (evt) {
    var elt = evt.detail.elt, fd = evt.detail.formData;
    if (!elt || !elt.matches || !elt.matches(FORMS) || !(fd instanceof FormData)) return;
    var out = new FormData(), dropped = 0;
    fd.forEach(function (v, k) { if (v === "" && EMPTY_CELL.test(k)) dropped++; else out.append(k, v); });
    if (dropped) evt.detail.parameters = out;
  });

  document.addEventListener("DOMContentLoaded", function () {
    var saved = null;
    try { saved = sessionStorage.getItem("opengrex-opgeslagen"); } catch (e) { /* no storage */ }
    var forms = document.querySelectorAll(FORMS);
    if (saved) {
      var still = Array.prototype.some.call(forms, function (f) { return draftKey(f) === saved; });
      if (!still) { try { localStorage.removeItem(saved); sessionStorage.removeItem("opengrex-opgeslagen"); } catch (e) { /* no storage */ } }
    }
    forms.forEach(function (form) {
      var holder = document.getElementById("veldfouten"), invalid = document.getElementById("ongeldig");
      if (holder) showErrors(form, JSON.parse(holder.textContent || "{}"), invalid ? JSON.parse(invalid.textContent || "[]") : null);
      var periods = document.getElementById("perioden");
      if (periods) form.dataset.perioden = JSON.stringify(JSON.parse(periods.textContent || "{}"));  // the page has them
      refresh(form);
      offerDraft(form);
    });
  });

  window.opengrexFormulier = {parse: parse, isDirty: function () { return dirty; }, refresh: refresh, applyPeriods: applyPeriods, showErrors: showErrors};
})();
