/* Liberec bez bariér — the planner page's map layers: the ranked barriers, the selected barrier (or selection,
 * or package) with the homes it helps and the destinations it opens, norm compliance per viewport and the
 * data-coverage choropleth. */

import { api, withQuery } from "./api.js";
import { $, el, text } from "./dom.js";
import { formatNumber, t } from "./i18n.js";
import { groups, icon, latLonOf, map } from "./map.js";

const L = window.L;
const VIEWPORT_MIN_ZOOM = 15;

/** Norm status → line style (the legend shows the same; colour is never the only difference). */
const NORM_STYLE = {
  compliant: { color: "#1a7f37", dashArray: null, weight: 4 },
  not_compliant: { color: "#b3261e", dashArray: "1 5", weight: 6 },
  unknown: { color: "#6e7781", dashArray: "6 4", weight: 3 },
};
/** Known-share classes of the coverage choropleth (upper bounds in %) and their fills. */
const COVERAGE_FILLS = [[20, "#f6e8c3"], [40, "#dfc27d"], [60, "#80cdc1"], [80, "#35978f"], [101, "#01665e"]];

let normsRequest = 0;
let normsTimer = null;

function bboxParam() {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(6)).join(",");
}

/** The current map view as a bbox parameter. */
export const viewBbox = bboxParam;

/** Markers of the ranked barriers (the rows shown in the table); `onPick(id)` when one is activated. */
export function showRanking(features, onPick) {
  groups.ranking.clearLayers();
  for (const f of features) {
    const p = f.properties;
    const label = `${p.rank}. ${p.category_label} (${p.barrier_id})`;
    const marker = L.circleMarker([p.lat, p.lon], { radius: 4 + (p.severity || 1), color: "#b3261e", weight: 2,
      fillColor: "#ffffff", fillOpacity: 1 });
    marker.bindTooltip(() => text(label));
    marker.on("click", () => onPick(p.barrier_id));
    marker.addTo(groups.ranking);
  }
}

function placeMarker(f) {
  const p = f.properties;
  const home = p.role === "origin";
  const title = home ? t("planner.legend_home") : t("planner.legend_destination");
  return L.marker(latLonOf(f.geometry), { icon: icon(home ? "home-mark" : "dest-mark", home ? "fa-house" : "fa-flag"),
    title: `${title}: ${p.name || p.id}`, keyboard: false })
    .bindTooltip(() => text(`${title}: ${p.name || p.id}`));
}

/** Draw an effect answer (barrier detail, what-if or package): barriers, homes helped, destinations opened. */
export function showEffect(fc) {
  groups.selected.clearLayers();
  const layer = L.geoJSON(fc, {
    style: () => ({ color: "#b3261e", weight: 8, opacity: 0.9 }),
    pointToLayer: (f, latlng) => (f.properties.role === "barrier"
      ? L.marker(latlng, { icon: icon("barrier-mark", "fa-triangle-exclamation"), title: f.properties.barrier_id,
        keyboard: false })
      : placeMarker(f)),
    onEachFeature: (f, lyr) => {
      if (f.properties.role === "barrier" && f.geometry && f.geometry.type !== "Point") {
        lyr.bindTooltip(() => text(`${f.properties.category_label} (${f.properties.barrier_id})`));
      }
    },
  }).addTo(groups.selected);
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 17 });
}

/** Remove the drawn effect. */
export function clearEffect() {
  groups.selected.clearLayers();
}

/** Redraw the norm layer for the view (street level only), debounced. */
function refreshNorms() {
  clearTimeout(normsTimer);
  normsTimer = setTimeout(async () => {
    if (!map.hasLayer(groups.norms)) return;
    if (map.getZoom() < VIEWPORT_MIN_ZOOM) {
      groups.norms.clearLayers();
      $("map-note").textContent = t("planner.zoom_in");
      return;
    }
    $("map-note").textContent = "";
    const mine = ++normsRequest;
    try {
      const fc = await api(withQuery("/api/planner/norms", { bbox: bboxParam(), limit: "4000" }));
      if (mine !== normsRequest) return;
      groups.norms.clearLayers();
      L.geoJSON(fc, {
        style: (f) => ({ ...(NORM_STYLE[f.properties.status] || NORM_STYLE.unknown), opacity: 0.9 }),
        onEachFeature: (f, lyr) => lyr.bindTooltip(() => text(normText(f.properties)), { sticky: true }),
      }).addTo(groups.norms);
    } catch {
      // the layer stays as it was
    }
  }, 200);
}

/** "Not compliant: longitudinal slope, steps" for a judged edge. */
export function normText(p) {
  const failed = (p.failed || []).map((r) => t(`planner.rule.${r}`)).join(", ");
  return t("planner.status_line", { status: t(`planner.status_${p.status}`), failed: failed ? `: ${failed}` : "" });
}

function coverageFill(pct) {
  if (pct === null || pct === undefined) return "#ffffff";
  return COVERAGE_FILLS.find(([top]) => pct < top)[1];
}

/** The coverage choropleth of `fc` (zones with `known_pct`). */
export function showCoverage(fc) {
  groups.coverage.clearLayers();
  L.geoJSON(fc, {
    style: (f) => ({ color: "#24292f", weight: 1, fillColor: coverageFill(f.properties.known_pct), fillOpacity: 0.55 }),
    onEachFeature: (f, lyr) => lyr.bindTooltip(() => el("span", {}, t("planner.coverage_zone", {
      name: f.properties.name, pct: f.properties.known_pct === null ? "–" : formatNumber(f.properties.known_pct, 1),
    }))),
  }).addTo(groups.coverage);
}

/** Follow the map: the norm layer loads per view when shown. */
export function initPlannerMap() {
  map.on("moveend overlayadd", refreshNorms);
}
