/* opengrex pages: charts (plotly.js), field errors after each HTMX swap, upload checks. No build step, no inline
   script in the pages (the Content-Security-Policy allows scripts from /static only). */
(function () {
  "use strict";

  // A chart narrower than a phone's width: title wrapped over lines, fewer year ticks (no rotated labels that run
  // into the legend below the plot).
  function fitLayout(layout, width) {
    if (!width || width >= 560) return layout;
    var l = JSON.parse(JSON.stringify(layout));
    var chars = Math.max(20, Math.floor(width / 8));
    if (l.title && l.title.text && l.title.text.length > chars) {
      var words = l.title.text.split(" "), lines = [""];
      words.forEach(function (w) {
        if ((lines[lines.length - 1] + " " + w).trim().length > chars) lines.push(w);
        else lines[lines.length - 1] = (lines[lines.length - 1] + " " + w).trim();
      });
      l.title.text = lines.join("<br>");
      l.title.font = {size: 12};
      l.margin = Object.assign({}, l.margin || {}, {t: 20 + 16 * lines.length});
    }
    if (l.xaxis && l.xaxis.dtick) { delete l.xaxis.dtick; l.xaxis.nticks = 6; }
    return l;
  }

  // Horizontal bars (tornado, result per grex) on a phone: the category labels wrapped over lines, so they do not
  // take the width of the plot (or run off the left edge), and a few amount ticks that stay horizontal.
  function fitData(data, layout, width) {
    if (!width || width >= 560 || !data.some(function (t) { return t.orientation === "h"; })) return data;
    var chars = Math.max(14, Math.floor(width / 14)), most = 1;
    function wrap(label) {
      if (typeof label !== "string" || label.length <= chars) return label;
      var lines = [""];
      label.split(" ").forEach(function (w) {
        if (lines[lines.length - 1] && (lines[lines.length - 1] + " " + w).length > chars) lines.push(w);
        else lines[lines.length - 1] = (lines[lines.length - 1] + " " + w).trim();
      });
      most = Math.max(most, lines.length);
      return lines.map(function (line) { return line.length > chars + 4 ? line.slice(0, chars + 3) + "…" : line; }).join("<br>");
    }
    var out = data.map(function (t) {
      if (t.orientation !== "h" || !Array.isArray(t.y)) return t;
      return Object.assign({}, t, {y: t.y.map(wrap)});
    });
    var rows = Math.max.apply(null, out.map(function (t) { return Array.isArray(t.y) ? t.y.length : 0; }));
    layout.yaxis = Object.assign({}, layout.yaxis || {}, {tickfont: {size: 10}});
    layout.xaxis = Object.assign({}, layout.xaxis || {}, {nticks: 4, tickangle: 0, tickfont: {size: 10}});
    if (layout.height) layout.height = Math.max(layout.height, 140 + rows * (8 + 13 * most));
    return out;
  }

  function drawCharts(root) {
    if (typeof Plotly === "undefined") return;
    (root || document).querySelectorAll("script.grafiekdata").forEach(function (holder) {
      var charts = JSON.parse(holder.textContent);
      Object.keys(charts).forEach(function (id) {
        var el = document.getElementById(id);
        if (!el) return;
        var layout = fitLayout(charts[id].layout, el.clientWidth);
        if (layout === charts[id].layout) layout = JSON.parse(JSON.stringify(layout));
        var data = fitData(charts[id].data, layout, el.clientWidth);
        Plotly.react(el, data, layout, {displaylogo: false, displayModeBar: "hover", responsive: true});
      });
    });
  }

  function showFieldErrors(root) {
    var holder = (root || document).querySelector("script#veldfouten");
    if (!holder) return;
    var errors = JSON.parse(holder.textContent);
    document.querySelectorAll("[data-veldfout]").forEach(function (span) {
      var key = span.getAttribute("data-veldfout");
      var msg = errors[key] || "";
      span.textContent = msg;
      var input = document.getElementById("veld-" + key);
      if (input) {
        if (msg) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      }
    });
  }

  // Every table that is not yet inside a scroll area gets one: a wide table scrolls inside it (never the page), and
  // the area is keyboard-reachable and labelled by the heading above it.
  function wrapTables(root) {
    (root || document).querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".scroll") || table.closest(".uitleg-blok") || table.closest("td")) return;
      var box = document.createElement("div");
      box.className = "scroll";
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      var head = table.previousElementSibling;
      while (head && !/^H[1-6]$/.test(head.tagName)) head = head.previousElementSibling;
      box.setAttribute("aria-label", (head ? head.textContent.trim() : (table.id || "tabel")) + " (scrollbaar)");
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wrapTables(document); drawCharts(document); });

  // Print: charts redrawn at the paper's width (and back after printing).
  function resizeCharts() {
    if (typeof Plotly === "undefined") return;
    document.querySelectorAll(".js-plotly-plot").forEach(function (el) { Plotly.Plots.resize(el); });
  }
  window.addEventListener("beforeprint", resizeCharts);
  window.addEventListener("afterprint", resizeCharts);

  // "Demo laden" and other slow forms: say that the work has started and keep the button from a second click.
  document.addEventListener("submit", function (evt) {
    var btn = evt.target.querySelector("button[data-bezig]");
    if (!btn || evt.defaultPrevented) return;
    btn.disabled = true;
    btn.setAttribute("aria-busy", "true");
    btn.textContent = btn.getAttribute("data-bezig");
  });
  document.addEventListener("htmx:afterSettle", function (evt) {
    wrapTables(evt.detail.elt);
    drawCharts(evt.detail.elt);
    showFieldErrors(evt.detail.elt);
  });

  // Enter in a grex input recalculates instead of submitting (saving) the form.
  document.addEventListener("keydown", function (evt) {
    var t = evt.target;
    if (evt.key === "Enter" && t.tagName === "INPUT" && t.form && t.form.id === "grex-form") {
      evt.preventDefault();
      t.dispatchEvent(new Event("change", {bubbles: true}));
    }
  });

  // Upload form: say before sending when no file is chosen or it is larger than the server accepts.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (form.id !== "upload-form") return;
    var input = document.getElementById("veld-bestand"), max = parseInt(form.dataset.max, 10), out = document.getElementById("fout-bestand");
    out.textContent = "";
    if (!input.files.length) { out.textContent = "Kies een bestand."; evt.preventDefault(); return; }
    if (input.files[0].size > max) {
      var mb = function (n) { return (n / 1048576).toLocaleString("nl-NL", {maximumFractionDigits: 1}) + " MB"; };
      out.textContent = "Het bestand is te groot (" + mb(input.files[0].size) + "); toegestaan: hoogstens " + mb(max) + ".";
      evt.preventDefault();
    }
  });

  // Remove a line or index row, then recalculate.
  document.addEventListener("click", function (evt) {
    var btn = evt.target.closest("[data-verwijder]");
    if (!btn) return;
    evt.preventDefault();
    var form = btn.form;
    btn.closest("tr").remove();
    if (form) form.dispatchEvent(new Event("change", {bubbles: true}));
  });
})();
