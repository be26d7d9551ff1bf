/* Screening map (OpenLayers + proj4, vendored; EPSG:28992). Works offline: no background tiles unless the user
   switches on the PDOK BRT background. Upload -> POST /api/ruimte/toets?formaat=kaart -> coloured locations. */
(function () {
  "use strict";

  var RD_DEF = "+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 " +
    "+ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs";
  var EXTENT = [-285401.92, 22598.08, 595401.92, 903401.92];
  var RESOLUTIONS = [3440.64, 1720.32, 860.16, 430.08, 215.04, 107.52, 53.76, 26.88, 13.44, 6.72, 3.36, 1.68, 0.84, 0.42, 0.21];
  var LAAG_KLEUR = {
    ijsselmeergebied: "#4f81bd", bgr_rivierbed: "#5b9bd5", reserveringszones: "#8e6c8a", polders: "#b9d89a",
    maaiveldhoogte: null, kustfundament: "#e8c95a", overstromingsdiepte: "#9dc3e6", bodemdaling: "#c9a27e",
    veengebieden: "#a47148", hoge_zandgronden: "#f0d890", natura2000: "#70ad47"
  };
  var ORDE = {"niet getoetst": -1, "geen": 0, "aandachtspunt": 1, "strijdig": 2};

  function $(id) { return document.getElementById(id); }
  function nl(x, d) {
    if (x === null || x === undefined || isNaN(x)) return "–";
    return Number(x).toLocaleString("nl-NL", {minimumFractionDigits: d || 0, maximumFractionDigits: d || 0});
  }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; } catch (e) { return ""; }
  }
  function hexRgba(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }

  function init() {
    if (typeof ol === "undefined" || typeof proj4 === "undefined") return;
    var cfg = JSON.parse($("ruimte-config").textContent);
    var KLEUR = cfg.kleuren;
    proj4.defs("EPSG:28992", RD_DEF);
    ol.proj.proj4.register(proj4);
    var rd = ol.proj.get("EPSG:28992");
    rd.setExtent(EXTENT);

    var achtergrond = new ol.layer.Tile({
      visible: false,
      source: new ol.source.WMTS({
        url: "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:28992/{TileMatrix}/{TileCol}/{TileRow}.png",
        requestEncoding: "REST", layer: "standaard", matrixSet: "EPSG:28992", format: "image/png", style: "default", projection: rd,
        tileGrid: new ol.tilegrid.WMTS({origin: [EXTENT[0], EXTENT[3]], resolutions: RESOLUTIONS, matrixIds: RESOLUTIONS.map(function (_, i) { return String(i); })}),
        attributions: "Achtergrond: BRT Achtergrondkaart © Kadaster (PDOK)"
      })
    });
    var locaties = new ol.source.Vector();
    var gekozen = null;
    function stijl(f) {
      var o = f.get("oordeel") || "niet getoetst";
      var sel = gekozen && f.get("locatie") === gekozen;
      return new ol.style.Style({
        fill: new ol.style.Fill({color: hexRgba(KLEUR[o] || "#757575", sel ? 0.75 : 0.5)}),
        stroke: new ol.style.Stroke({color: sel ? "#000" : KLEUR[o] || "#757575", width: sel ? 3 : 2}),
        text: new ol.style.Text({text: f.get("locatie"), font: "600 12px system-ui, sans-serif", fill: new ol.style.Fill({color: "#111"}),
          stroke: new ol.style.Stroke({color: "#fff", width: 3}), overflow: true})
      });
    }
    var locLaag = new ol.layer.Vector({source: locaties, style: stijl, zIndex: 100});
    var map = new ol.Map({
      target: "kaart",
      layers: [achtergrond, locLaag],
      view: new ol.View({projection: rd, center: [156000, 443000], resolution: 26.88, resolutions: RESOLUTIONS, constrainResolution: false, extent: EXTENT}),
      controls: ol.control.defaults.defaults({attributionOptions: {collapsible: true}}).extend([new ol.control.ScaleLine()])
    });
    $("achtergrond").addEventListener("change", function (e) { achtergrond.setVisible(e.target.checked); });
    map.on("pointermove", function (e) {
      $("coord").textContent = "RD x " + nl(e.coordinate[0]) + " · y " + nl(e.coordinate[1]);
    });

    var gj = new ol.format.GeoJSON({dataProjection: rd, featureProjection: rd});
    var samenvatting = null;

    function laadLagen() {
      var regels = $("regels").value;
      fetch("/api/ruimte/lagen?regels=" + encodeURIComponent(regels), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var lijst = $("lagenlijst");
          lijst.innerHTML = "";
          Object.keys(data.lagen).forEach(function (naam, i) {
            var kleur = LAAG_KLEUR[naam];
            var src = new ol.source.Vector({features: gj.readFeatures(data.lagen[naam].geojson)});
            var laag = new ol.layer.Vector({
              source: src, zIndex: 10 + i, visible: kleur !== null,
              style: new ol.style.Style({fill: new ol.style.Fill({color: hexRgba(kleur || "#999999", 0.35)}), stroke: new ol.style.Stroke({color: hexRgba(kleur || "#666666", 0.9), width: 1})})
            });
            map.addLayer(laag);
            var lab = document.createElement("label");
            var cb = document.createElement("input");
            cb.type = "checkbox"; cb.checked = kleur !== null; cb.dataset.laag = naam;
            cb.addEventListener("change", function () { laag.setVisible(cb.checked); });
            var vlak = document.createElement("span");
            vlak.className = "vlak"; vlak.style.background = kleur || "#999";
            lab.appendChild(cb); lab.appendChild(vlak);
            lab.appendChild(document.createTextNode(data.lagen[naam].omschrijving));
            lijst.appendChild(lab);
          });
          Object.keys(data.niet_getoetst || {}).forEach(function (rid) {
            var p = document.createElement("p"); p.className = "muted"; p.textContent = "Regel " + rid + ": " + data.niet_getoetst[rid];
            lijst.appendChild(p);
          });
          $("kaart").dataset.lagen = String(Object.keys(data.lagen).length);
        })
        .catch(function () { $("lagenlijst").innerHTML = '<p class="melding">Lagen konden niet worden geladen.</p>'; });
    }

    function fout(msg) {
      var el = $("toets-fout");
      el.textContent = msg; el.hidden = !msg;
    }

    var laatste = null;  /* the file and rule set version of the screening on screen, for the PDF report */

    function rapport() {
      if (!laatste) return;
      var knop = $("rapport-knop");
      knop.disabled = true;
      $("rapport-status").textContent = "Rapport maken…";
      var fd = new FormData();
      fd.append("file", laatste.file, laatste.file.name);
      fetch("/api/ruimte/rapport.pdf?regels=" + encodeURIComponent(laatste.regels),
            {method: "POST", body: fd, headers: {"X-CSRF-Token": csrf(), "Accept": "application/pdf, application/json"}})
        .then(function (r) {
          if (!r.ok) return r.json().then(function (d) { var x = d.detail || {}; throw new Error(x.detail || x.message || "het rapport is mislukt"); });
          return r.blob();
        })
        .then(function (blob) {
          var a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = "toets-" + laatste.file.name.replace(/\.[^.]*$/, "") + "-" + laatste.regels + ".pdf";
          document.body.appendChild(a); a.click(); a.remove();
          setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
          $("rapport-status").textContent = "";
        })
        .catch(function (e) { $("rapport-status").textContent = "Rapport mislukt: " + e.message; })
        .then(function () { knop.disabled = false; });
    }
    $("rapport-knop").addEventListener("click", rapport);

    function toets(file) {
      fout("");
      $("toets-status").textContent = "Toetsen…";
      var fd = new FormData();
      fd.append("file", file, file.name);
      fetch("/api/ruimte/toets?formaat=kaart&regels=" + encodeURIComponent($("regels").value),
            {method: "POST", body: fd, headers: {"X-CSRF-Token": csrf(), "Accept": "application/json"}})
        .then(function (r) { return r.json().then(function (d) { return {ok: r.ok, data: d}; }); })
        .then(function (res) {
          $("toets-status").textContent = "";
          if (!res.ok) {
            var d = res.data.detail || {};
            fout(d.detail || d.message || "De toets is mislukt.");
            return;
          }
          laatste = {file: file, regels: $("regels").value};
          teken(res.data);
        })
        .catch(function (e) { $("toets-status").textContent = ""; fout("De toets is mislukt: " + e); });
    }

    function teken(data) {
      samenvatting = data.samenvatting;
      locaties.clear();
      locaties.addFeatures(gj.readFeatures(data.geojson));
      if (locaties.getFeatures().length) {
        map.getView().fit(locaties.getExtent(), {padding: [40, 40, 40, 40], maxZoom: 9});
      }
      var rs = samenvatting.regelset;
      $("regelset-label").textContent = "— regelset " + rs.naam + " " + rs.versie + " (" + rs.beleid + ")";
      var tbody = $("locaties-tabel").querySelector("tbody");
      tbody.innerHTML = "";
      samenvatting.locaties.forEach(function (l) {
        var tel = {strijdig: 0, aandachtspunt: 0, "niet getoetst": 0};
        l.regels.forEach(function (r) { if (r.oordeel in tel) tel[r.oordeel] += 1; });
        var tr = document.createElement("tr");
        tr.dataset.locatie = l.locatie;
        tr.innerHTML = "<td></td><td></td><td><span class='oordeel'></span></td><td class='n'>" + tel.strijdig + "</td><td class='n'>" +
          tel.aandachtspunt + "</td><td class='n'>" + tel["niet getoetst"] + "</td>";
        tr.children[0].textContent = l.locatie; tr.children[1].textContent = l.naam || "";
        var badge = tr.querySelector(".oordeel"); badge.textContent = l.oordeel; badge.style.background = KLEUR[l.oordeel];
        tr.addEventListener("click", function () { selecteer(l.locatie, true); });
        tbody.appendChild(tr);
      });
      var m = $("meldingen");
      m.innerHTML = "";
      (samenvatting.meldingen || []).forEach(function (x) {
        var p = document.createElement("p"); p.className = "muted"; p.textContent = "Melding: " + (x.object ? x.object + ": " : "") + x.tekst; m.appendChild(p);
      });
      $("resultaat").hidden = false;
      $("detail").hidden = true;
      gekozen = null;
      $("kaart").dataset.locaties = String(locaties.getFeatures().length);
      $("kaart").dataset.regelset = rs.versie;
      delete $("kaart").dataset.geselecteerd;
    }

    function selecteer(id, zoom) {
      if (!samenvatting) return;
      var l = samenvatting.locaties.filter(function (x) { return x.locatie === id; })[0];
      if (!l) return;
      gekozen = id;
      locaties.changed();
      document.querySelectorAll("#locaties-tabel tbody tr").forEach(function (tr) { tr.classList.toggle("gekozen", tr.dataset.locatie === id); });
      $("detail-titel").textContent = "Locatie " + l.locatie + (l.naam ? " — " + l.naam : "") + ": " + l.oordeel + " (" + nl(l.oppervlakte_m2) + " m²)";
      var tbody = $("detail-tabel").querySelector("tbody");
      tbody.innerHTML = "";
      l.regels.forEach(function (r) {
        var tr = document.createElement("tr");
        tr.innerHTML = "<td></td><td></td><td><span class='oordeel'></span></td><td class='n'></td><td class='n'></td><td></td>";
        tr.children[0].textContent = r.keuzes.join("/");
        tr.children[1].textContent = r.label;
        var b = tr.querySelector(".oordeel"); b.textContent = r.oordeel; b.style.background = KLEUR[r.oordeel];
        tr.children[3].textContent = nl(r.overlap_m2);
        tr.children[4].textContent = nl(r.overlap_pct, 1);
        tr.children[5].textContent = r.toelichting;
        tbody.appendChild(tr);
      });
      var ul = $("detail-keuzes");
      ul.innerHTML = "";
      l.keuzes.forEach(function (k) {
        var li = document.createElement("li");
        li.textContent = k.nummer + " (" + k.thema + ", " + k.oordeel + "): " + k.tekst;
        ul.appendChild(li);
      });
      $("detail").hidden = false;
      $("kaart").dataset.geselecteerd = id;
      if (zoom) {
        var f = locaties.getFeatures().filter(function (x) { return x.get("locatie") === id; })[0];
        if (f) map.getView().fit(f.getGeometry().getExtent(), {padding: [80, 80, 80, 80], maxZoom: 11, duration: 0});
      }
    }

    map.on("singleclick", function (e) {
      var hit = null;
      map.forEachFeatureAtPixel(e.pixel, function (f, layer) { if (layer === locLaag) { hit = f; return true; } return false; });
      if (hit) selecteer(hit.get("locatie"), false);
    });

    $("toets-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var f = $("bestand").files[0];
      if (!f) { fout("Kies eerst een bestand met planlocaties (.gpkg of .geojson)."); return; }
      toets(f);
    });
    $("demo-knop").addEventListener("click", function () {
      fetch("/api/ruimte/demo-locaties").then(function (r) { return r.text(); }).then(function (text) {
        toets(new File([text], "demolocaties.geojson", {type: "application/geo+json"}));
      });
    });
    $("regels").addEventListener("change", function () {
      map.getLayers().getArray().slice().forEach(function (l) { if (l !== achtergrond && l !== locLaag) map.removeLayer(l); });
      laadLagen();
    });
    laadLagen();

    /* for tests and power users: the map, the locations and a way to find a location's pixel */
    window.ruimteKaart = {
      map: map,
      kleurVan: function (id) {
        var f = locaties.getFeatures().filter(function (x) { return x.get("locatie") === id; })[0];
        return f ? KLEUR[f.get("oordeel")] : null;
      },
      pixelVan: function (id) {
        var f = locaties.getFeatures().filter(function (x) { return x.get("locatie") === id; })[0];
        if (!f) return null;
        var g = f.getGeometry();
        var p = g.getType() === "MultiPolygon" ? g.getInteriorPoints().getCoordinates()[0] : g.getInteriorPoint().getCoordinates();
        return map.getPixelFromCoordinate([p[0], p[1]]);
      },
      selecteer: selecteer
    };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
