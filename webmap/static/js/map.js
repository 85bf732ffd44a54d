/* Liberec bez bariér — the folium map and its layer groups.
 *
 * folium gives its Leaflet objects generated global names; the page's folium script publishes them once as
 * `window.lbbFolium = {map, groups: {network, coverage, buildings, services, flats, stops, barriers, reports,
 * isochrone, route}, layerControl}` (folium_hook() in webmap/pages.py). This module is the only reader of that
 * hook; everything else imports `map`, `groups` and `layerControl` from here.
 */

import { escapeHtml, el } from "./dom.js";
import { config, t } from "./i18n.js";

const L = window.L;
const hook = window.lbbFolium;
if (!hook || !hook.map) throw new Error("the folium map hook is missing: the page's map script did not run");

/** The Leaflet map (L.Map). */
export const map = hook.map;

/** The layer groups by key (L.FeatureGroup each). */
export const groups = hook.groups;

/** The layers control (L.Control.Layers). */
export const layerControl = hook.layerControl;

/** The pane the route and its markers are drawn in (above the other overlays). */
export const ROUTE_PANE = "lbbRoute";
/** The pane of the offline base map (under every overlay) and the one of street names (above the network). */
export const BASE_PANE = "lbbBase";
export const LABEL_PANE = "lbbLabels";

/** Prepare the map: its accessible name, the panes, attribution and the online base map. */
export function initMap() {
  map.getContainer().setAttribute("aria-label", t("ui.map_label"));
  map.createPane(ROUTE_PANE).style.zIndex = 450;
  map.createPane(BASE_PANE).style.zIndex = 250;
  const labels = map.createPane(LABEL_PANE);
  labels.style.zIndex = 430;
  labels.style.pointerEvents = "none";
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" lang="en">Leaflet</a>');
  map.attributionControl.addAttribution(escapeHtml(t("ui.osm_copyright")));
  if (config.tileUrl) addBaseMap(config.tileUrl);
}

/** The OpenStreetMap tiles, shown only once a probe tile loads (i.e. when online); they replace the offline base
 * map drawn from the data (which stays in the layer control). */
function addBaseMap(url) {
  const tiles = L.tileLayer(url, { maxZoom: 19, attribution: "© OpenStreetMap" });
  if (layerControl) layerControl.addOverlay(tiles, escapeHtml(t("ui.layer_basemap")));
  const probe = new Image();
  probe.onload = () => {
    tiles.addTo(map);
    tiles.bringToBack();
    if (groups.base) map.removeLayer(groups.base);
  };
  probe.src = url.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0");
}

/** A marker icon: a symbol of class `cls` holding a Font Awesome glyph `fa` (or the text `letter`). */
export function icon(cls, fa, { letter = null, popup = true } = {}) {
  const inner = letter !== null ? letter : el("span", { class: `fa-solid ${fa}`, "aria-hidden": "true" });
  return L.divIcon({
    className: "",
    html: el("span", { class: `lbb-icon ${cls}`.trim() }, inner),
    iconSize: [28, 28],
    iconAnchor: [14, 14],
    ...(popup ? { popupAnchor: [0, -12] } : {}),
  });
}

/** [lat, lon] of a GeoJSON point geometry. */
export const latLonOf = (geometry) => [geometry.coordinates[1], geometry.coordinates[0]];
