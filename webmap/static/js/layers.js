/* Liberec bez bariér — map layers from /api/layers: the footway network, data coverage, buildings and OSM
 * barriers per viewport (street level only), and the point layers loaded once: city flats, public-transport
 * stops and confirmed barrier reports. */

import { api, withQuery } from "./api.js";
import { $, el, fill, fromTemplate, text } from "./dom.js";
import { t } from "./i18n.js";
import { BASE_PANE, groups, icon, LABEL_PANE, latLonOf, map } from "./map.js";
import { commitmentLinks, provenanceDetails, provenanceLine, statusText } from "./provenance.js";

const L = window.L;

/** Line style per accessibility class (the legend shows the same): the profile's answer stands out — a clear
 * colour and pattern for accessible (solid), difficult (dashed) and impassable (dotted, thicker), a thin neutral
 * line for what is passable but unverified. Colour is never the only carrier: pattern and width differ too. */
const ACCESS_STYLE = {
  accessible: { color: "#1a7f37", dashArray: null, weight: 4, opacity: 0.95 },
  unverified: { color: "#57606a", dashArray: null, weight: 2, opacity: 0.75 },
  difficult: { color: "#9a4100", dashArray: "7 5", weight: 4, opacity: 0.95 },
  impassable: { color: "#b3261e", dashArray: "1 7", weight: 6, opacity: 0.95, lineCap: "round" },
};
/** Streets walked on the carriageway are drawn a little thinner than footways. */
const CARRIAGEWAYS = new Set(["primary", "primary_link", "secondary", "secondary_link", "tertiary", "tertiary_link",
  "trunk", "trunk_link", "unclassified", "residential", "service", "road", "track"]);

/** The offline base map: fills under everything, carriageways in light grey, railways dashed. */
const BASE_STYLE = {
  built: { fillColor: "#ebe6df", fillOpacity: 1, stroke: false },
  industrial: { fillColor: "#e3e0e8", fillOpacity: 1, stroke: false },
  grass: { fillColor: "#dcefd0", fillOpacity: 1, stroke: false },
  park: { fillColor: "#c9e7b5", fillOpacity: 1, color: "#a3d28c", weight: 1 },
  wood: { fillColor: "#b7d8a1", fillOpacity: 1, stroke: false },
  cemetery: { fillColor: "#cfe2c6", fillOpacity: 1, stroke: false },
  water: { fillColor: "#a9d3f2", fillOpacity: 1, color: "#7db7e4", weight: 1 },
  plaza: { fillColor: "#f5f0e4", fillOpacity: 1, color: "#cdbf9f", weight: 1 },
  river: { color: "#7db7e4", weight: 4 },
  rail: { color: "#7a828c", weight: 2, dashArray: "8 6" },
  road: { color: "#d5d9df", weight: 7, lineCap: "round" },
  major_road: { color: "#c9ced6", weight: 10, lineCap: "round" },
};
const VIEWPORT_MIN_ZOOM = 15;
const LABEL_MIN_ZOOM = 16;
const EVERYWHERE = "-180,-90,180,90";

let currentProfile = () => "";
let onDrawn = () => {};
const requestNo = {};
let viewportTimer = null;

function bboxParam() {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(6)).join(",");
}

/** Redraw one viewport layer; resolves to "ok", "truncated", "zoom" (too far out) or undefined (hidden). ``names``
 * lists the API layers drawn into the group (``[layer, options]``: several layers can share one group). */
async function loadViewportLayer(key, layers) {
  const group = groups[key];
  if (!map.hasLayer(group)) return undefined;
  if (map.getZoom() < VIEWPORT_MIN_ZOOM) {
    group.clearLayers();
    return "zoom";
  }
  const mine = (requestNo[key] = (requestNo[key] || 0) + 1);
  const params = { bbox: bboxParam(), limit: "4000", profile: currentProfile() };
  const wanted = layers.filter(([, , minZoom]) => !minZoom || map.getZoom() >= minZoom);
  const answers = await Promise.all(wanted.map(([name]) => api(withQuery(`/api/layers/${name}`, params))));
  if (mine !== requestNo[key]) return undefined;
  group.clearLayers();
  answers.forEach((fc, i) => L.geoJSON(fc, wanted[i][1]).addTo(group));
  return answers.some((fc) => fc.truncated) ? "truncated" : "ok";
}

const baseOptions = () => ({
  pane: BASE_PANE,
  interactive: false,
  style: (f) => BASE_STYLE[f.properties.kind] || BASE_STYLE.built,
});

/** A street name: text turned along its street (a non-interactive marker in the labels pane). */
function streetLabel(f, latlng) {
  const inner = el("span", { class: "street-label-text" }, f.properties.name);
  inner.style.transform = `translate(-50%, -50%) rotate(${Number(f.properties.angle) || 0}deg)`;
  return L.marker(latlng, { pane: LABEL_PANE, interactive: false, keyboard: false,
    icon: L.divIcon({ className: "street-label", html: inner, iconSize: [0, 0] }) });
}

const labelOptions = () => ({ pointToLayer: streetLabel });

const networkOptions = () => ({
  style: (f) => {
    const s = ACCESS_STYLE[f.properties.access] || ACCESS_STYLE.unverified;
    const road = CARRIAGEWAYS.has(f.properties.highway);
    return { ...s, weight: road ? Math.max(1.5, s.weight - 1) : s.weight };
  },
  onEachFeature: (f, layer) => {
    const p = f.properties;
    layer.bindTooltip(() => text(`${p.name || p.highway || ""} – ${t(`ui.access_${p.access}`)}`), { sticky: true });
  },
});

const coverageOptions = () => ({
  style: (f) => {
    const p = f.properties;
    const known = (p.surface_class !== "unknown") + (p.incline_pct !== null) + (p.width_m !== null);
    const colour = known === 3 ? "#1a7f37" : known === 0 ? "#6e7781" : "#9a4100";
    return { color: colour, weight: 3, dashArray: known === 3 ? null : known === 0 ? "1 4" : "4 3", opacity: 0.9 };
  },
});

const buildingOptions = () => ({
  style: { color: "#8c959f", weight: 1, fillColor: "#d0d7de", fillOpacity: 0.6 },
  interactive: false,
});

const barrierOptions = () => ({
  pointToLayer: (f, latlng) => {
    const s = f.properties.severity || 1;
    return L.circleMarker(latlng, { radius: 3 + 2 * s, color: "#b3261e", weight: 2, fillColor: "#fff",
      fillOpacity: 1 });
  },
  style: (f) => ({ color: "#b3261e", weight: 3 + (f.properties.severity || 1), opacity: 0.8 }),
  onEachFeature: (f, layer) => {
    const p = f.properties;
    layer.bindTooltip(() => text(`${p.reason || p.category} – ${t("ui.barrier_severity", { s: p.severity })}`));
  },
});

/** Redraw the viewport layers (debounced); the map note says when to zoom in. */
export function refreshViewport() {
  clearTimeout(viewportTimer);
  viewportTimer = setTimeout(async () => {
    const results = await Promise.all([
      loadViewportLayer("base", [["basemap", baseOptions()], ["labels", labelOptions(), LABEL_MIN_ZOOM]]),
      loadViewportLayer("network", [["network", networkOptions()]]),
      loadViewportLayer("coverage", [["network", coverageOptions()]]),
      loadViewportLayer("buildings", [["buildings", buildingOptions()]]),
      loadViewportLayer("barriers", [["barriers", barrierOptions()]]),
    ].map((p) => p.catch(() => "error")));
    $("map-note").textContent = results.includes("zoom") ? t("ui.zoom_in_for")
      : results.includes("truncated") ? t("ui.truncated") : "";
    onDrawn();
  }, 200);
}

const known = (x) => x !== null && x !== undefined;

/** Functions adding to a flat's popup: `hook(popupElement, properties, marker)` (e.g. its reach card). */
const flatPopupHooks = [];

/** Call `hook(popupElement, properties, marker)` whenever a flat's popup is built. */
export function onFlatPopup(hook) {
  flatPopupHooks.push(hook);
}

function flatPopup(p, marker) {
  const popup = fill(fromTemplate("tpl-flat-popup"), {
    title: p.address || p.name || "",
    units: known(p.units_total) ? t("ui.flats_units", { n: p.units_total }) : null,
    accessible: known(p.units_accessible) ? t("ui.flats_accessible", { n: p.units_accessible }) : null,
    status: p.status === "existing" && p.status_confirmed && p.status_confirmed.stale
      ? statusText("operating", p.status_confirmed) : null,
    provenance: provenanceLine(p.provenance_summary),
  });
  const links = commitmentLinks(p.commitments);
  popup.querySelector("[data-provenance]").after(
    ...[provenanceDetails(p.provenance), links && el("p", {}, links)].filter(Boolean));
  flatPopupHooks.forEach((hook) => hook(popup, p, marker));
  return popup;
}

const flatMarkers = {};
let flatsLoaded = null;

function loadFlats() {
  flatsLoaded = api(withQuery("/api/layers/flats", { bbox: EVERYWHERE, limit: "10000" })).then((fc) => {
    L.geoJSON(fc, {
      pointToLayer: (f, latlng) => L.marker(latlng, {
        icon: icon("flat", "fa-building-user"), title: f.properties.address || "", keyboard: true,
      }),
      onEachFeature: (f, layer) => {
        layer.bindPopup(() => flatPopup(f.properties, layer));
        flatMarkers[f.properties.id] = { layer, geometry: f.geometry };
      },
    }).addTo(groups.flats);
  }).catch(() => {});
  return flatsLoaded;
}

/**
 * Restyle the flat markers: `style(id)` gives `{cls, letter, title}` — the symbol's classes, the text in it (null:
 * the building glyph) and its accessible name.
 */
export async function restyleFlats(style) {
  await flatsLoaded;
  for (const [id, { layer }] of Object.entries(flatMarkers)) {
    const s = style(id);
    layer.options.title = s.title;
    layer.setIcon(icon(s.cls, "fa-building-user", { letter: s.letter }));
    // Leaflet writes the title only into a new symbol element; a shown marker keeps its element
    if (layer.getElement()) layer.getElement().title = s.title;
  }
}

/** Open a placed flat's popup (as the programme page links to it); nothing when it has no position here. */
export async function showFlat(id) {
  await flatsLoaded;
  const found = flatMarkers[id];
  if (!found) return;
  map.setView(latLonOf(found.geometry), Math.max(map.getZoom(), 17));
  found.layer.openPopup();
}

function loadStops() {
  api(withQuery("/api/layers/stops", { bbox: EVERYWHERE, limit: "10000" })).then((fc) => {
    L.geoJSON(fc, {
      pointToLayer: (f, latlng) => {
        const accessible = String(f.properties.wheelchair_boarding || 0);
        const label = `${f.properties.name || ""} – ${t(`ui.stop_wheelchair_${accessible}`)}`;
        const ok = accessible === "1";
        return L.marker(latlng, { icon: icon(ok ? "stop ok" : "stop", ok ? "fa-wheelchair" : "fa-bus"), title: label,
          keyboard: true }).bindPopup(() => text(label));
      },
    }).addTo(groups.stops);
  }).catch(() => {});
}

function reportPopup(p) {
  return el("div", {},
    el("h3", {}, p.category_label || p.category),
    el("p", {}, `${t("ui.barrier_severity", { s: p.severity })} · ${t(`report.status.${p.status}`)}`),
    p.description ? el("p", {}, p.description) : null);
}

/** (Re)load the confirmed barrier reports shown on the map. */
export function loadReports() {
  api(withQuery("/api/reports", { status: "confirmed,planned,in_progress", limit: "1000" })).then((fc) => {
    groups.reports.clearLayers();
    L.geoJSON(fc, {
      pointToLayer: (f, latlng) => L.marker(latlng, {
        icon: icon("report", "fa-triangle-exclamation"), title: f.properties.category_label || f.properties.category,
        keyboard: true,
      }),
      onEachFeature: (f, layer) => layer.bindPopup(() => reportPopup(f.properties)),
    }).addTo(groups.reports);
  }).catch(() => {});
}

/**
 * Start the layers: viewport layers follow the map (and `profile()`, the selected routing profile, which
 * decides what is accessible); `drawn()` is called after each viewport redraw.
 */
export function initLayers({ profile, drawn }) {
  currentProfile = profile;
  onDrawn = drawn;
  map.on("moveend overlayadd", refreshViewport);
  loadFlats();
  loadStops();
  loadReports();
  refreshViewport();
}
