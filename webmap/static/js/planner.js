/* Liberec bez bariér — the route planner: start and destination (search, map, my location), the profile and its
 * limits, the route request and its result (summary, warnings, elevation, directions, share link), and the
 * relaxations offered when no route exists. */

import { api, withQuery } from "./api.js";
import { initCombobox } from "./combobox.js";
import { $, el, text } from "./dom.js";
import { renderElevation } from "./elevation.js";
import { config, formatDistance, formatDuration, formatNumber, lang, t } from "./i18n.js";
import { refreshViewport } from "./layers.js";
import { groups, icon, map, ROUTE_PANE } from "./map.js";

const L = window.L;

/** Per-request limits (range inputs with these ids) in the order of the form. */
const LIMITS = ["max_uphill_pct", "max_downhill_pct", "max_kerb_cm", "min_width_m"];

/** The planner's state: the points ({lat, lon, label} or null), their markers, the last route's parameters. */
export const state = { from: null, to: null, markers: {}, lastRouteParams: null };

let routeLayer = null;

/** The selected routing profile. */
export const profileName = () => $("profile").value;

const pointLabel = (lat, lon) => t("ui.point_on_map", { lat: lat.toFixed(5), lon: lon.toFixed(5) });

function pointMarker(which, lat, lon, label) {
  const marker = L.marker([lat, lon], {
    icon: icon(`point ${which}`, null, { letter: which === "from" ? "A" : "B", popup: false }),
    title: `${t(`ui.${which}`)}: ${label}`, keyboard: true, draggable: true,
  });
  marker.on("dragend", () => {
    const ll = marker.getLatLng();
    setPoint(which, ll.lat, ll.lng, pointLabel(ll.lat, ll.lng));
    if (state.from && state.to) planRoute();
  });
  return marker;
}

/** Set the start (`which` = "from") or destination ("to") with its label, and its marker on the map. */
export function setPoint(which, lat, lon, label) {
  state[which] = { lat, lon, label };
  $(`${which}-input`).value = label;
  if (state.markers[which]) groups.route.removeLayer(state.markers[which]);
  state.markers[which] = pointMarker(which, lat, lon, label).addTo(groups.route);
}

/** Set a point from a map click (and plan the route once both points are known). */
export function setPointFromMap(which, lat, lon) {
  setPoint(which, lat, lon, pointLabel(lat, lon));
  if (which === "from") $("click-to").checked = true;
  if (state.from && state.to) planRoute();
}

async function searchPlaces(q) {
  const body = await api(withQuery("/api/search", { q, limit: "8" }));
  return body.results.filter((r) => r.lat !== null && r.lon !== null);
}

// ------------------------------------------------------------------ profile and limits

function showLimitValue(key) {
  $(`${key}-value`).textContent = formatNumber(Number($(key).value), 2);
}

/** Set the limit controls to the selected profile's defaults. */
function applyProfileDefaults() {
  const profile = config.profiles[profileName()];
  for (const key of LIMITS) {
    const input = $(key);
    const value = profile[key];
    input.disabled = value === null;
    input.value = value === null ? input.max : value;
    input.dataset.defaultValue = input.value;
    showLimitValue(key);
    input.setAttribute("aria-valuetext", value === null ? "–" : String(input.value));
    if (value === null) $(`${key}-value`).textContent = "–";
  }
  $("avoid_unknown").checked = !!profile.avoid_unknown;
  $("allow_steps").checked = profile.steps === "allowed";
  $("allow_steps").disabled = profile.steps === "allowed";
}

/** Query parameters of the route request: the points, the profile and the limits that differ from it. */
function routeParams() {
  const params = new URLSearchParams();
  params.set("from", `${state.from.lat.toFixed(6)},${state.from.lon.toFixed(6)}`);
  params.set("to", `${state.to.lat.toFixed(6)},${state.to.lon.toFixed(6)}`);
  params.set("profile", profileName());
  for (const key of LIMITS) {
    const input = $(key);
    if (!input.disabled && input.value !== input.dataset.defaultValue) params.set(key, input.value);
  }
  const profile = config.profiles[profileName()];
  if ($("avoid_unknown").checked !== !!profile.avoid_unknown) {
    params.set("avoid_unknown", $("avoid_unknown").checked ? "true" : "false");
  }
  if (!$("allow_steps").disabled && $("allow_steps").checked) params.set("allow_steps", "true");
  return params;
}

// ------------------------------------------------------------------ routing

/** Request the route between the points (with `extra` parameters) and show it, or why there is none. */
export async function planRoute(extra = {}) {
  const status = $("route-status");
  status.classList.remove("error");
  $("route-problem").hidden = true;
  if (!state.from || !state.to) {
    status.textContent = t("ui.need_from_to");
    status.classList.add("error");
    return;
  }
  const params = routeParams();
  for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
  status.textContent = t("ui.loading");
  try {
    const fc = await api(withQuery("/api/route", params));
    renderRoute(fc, params);
  } catch (err) {
    $("route-result").hidden = true;
    if (routeLayer) {
      groups.route.removeLayer(routeLayer);
      routeLayer = null;
    }
    status.classList.add("error");
    if (err.status === 404 && err.code === "no_route") {
      status.textContent = t("ui.no_route");
      renderProblem(err.message, err.details.relaxations || []);
    } else if (err.status === 422) {
      status.textContent = `${t("ui.outside_area")} ${err.message}`;
    } else {
      status.textContent = t("ui.error_generic", { message: err.message });
    }
  }
}

/** "raise the uphill limit to 10 %, allow steps" for one relaxation ({limit: value, …}). */
const relaxText = (change) => Object.entries(change).map(([k, v]) => t(`route.relax.${k}`, { value: v })).join(", ");

function applyRelaxation(change) {
  if (!Object.keys(change).length) return;
  for (const [key, value] of Object.entries(change)) {
    if (key === "allow_steps" || key === "avoid_unknown") {
      $(key).checked = !!value;
    } else {
      $(key).value = value;
      showLimitValue(key);
    }
  }
  $("advanced").open = true;
}

/** Plan the route from `from` to `to` ({lat, lon, label}) for `profile` with the limit `change` applied (e.g. the
 * relaxation a reach card offers). */
export function planBetween(from, to, profile, change = {}) {
  $("profile").value = profile;
  applyProfileDefaults();
  refreshViewport();
  applyRelaxation(change);
  setPoint("from", from.lat, from.lon, from.label);
  setPoint("to", to.lat, to.lon, to.label);
  return planRoute();
}

/** Why there is no route, with a button per relaxation that would give one. */
function renderProblem(message, relaxations) {
  const box = $("route-problem");
  const parts = [el("p", {}, message)];
  if (relaxations.length) {
    const buttons = relaxations.map((change, i) => {
      const button = el("button", { type: "button", class: "link", "data-relax": i }, relaxText(change));
      button.addEventListener("click", () => {
        applyRelaxation(change);
        planRoute();
      });
      return el("li", {}, button);
    });
    parts.push(el("p", {}, t("ui.try_relax")), el("ul", {}, ...buttons));
  }
  box.replaceChildren(...parts);
  box.hidden = false;
}

function drawRoute(fc) {
  const route = fc.features[0];
  if (routeLayer) groups.route.removeLayer(routeLayer);
  routeLayer = L.layerGroup([
    L.geoJSON(route, { style: { color: "#ffffff", weight: 10, opacity: 0.95 }, interactive: false, pane: ROUTE_PANE }),
    L.geoJSON(route, { style: { color: "#3b1f6e", weight: 6, opacity: 1 }, pane: ROUTE_PANE }),
  ]).addTo(groups.route);
  for (const w of fc.features.slice(1)) {
    if (!w.geometry || w.geometry.type !== "Point") continue;
    const [lon, lat] = w.geometry.coordinates;
    L.circleMarker([lat, lon], { radius: 6, color: "#9a4100", weight: 2, fillColor: "#fff3cd", fillOpacity: 1,
      pane: ROUTE_PANE }).bindTooltip(() => text(w.properties.message)).addTo(routeLayer);
  }
  map.fitBounds(L.geoJSON(route).getBounds(), { padding: [30, 30] });
}

function summaryRows(p) {
  const metres = (m) => (p.elevation_source || m > 0 ? `${formatNumber(m, 0)} m` : t("ui.unknown_value"));
  return [
    [t("ui.length"), formatDistance(p.length_m)],
    [t("ui.duration"), formatDuration(p.duration_s)],
    [t("ui.climb"), metres(p.climb_m)],
    [t("ui.descent"), metres(p.descent_m)],
    [t("ui.steepest"), p.max_incline_pct === null ? t("ui.unknown_value") : `${formatNumber(p.max_incline_pct, 1)} %`],
    [t("ui.verified"), `${formatNumber(p.verified_share * 100, 0)} % (${t("ui.verified_help")})`],
  ];
}

function renderRoute(fc, params) {
  const p = fc.features[0].properties;
  drawRoute(fc);
  $("route-summary").replaceChildren(...summaryRows(p).flatMap(([term, value]) => [el("dt", {}, term),
    el("dd", {}, value)]));
  const warnings = p.warnings || [];
  $("route-warnings").replaceChildren(...(warnings.length ? warnings.map((w) => el("li", {}, w.message))
    : [el("li", {}, t("ui.no_warnings"))]));
  $("directions").replaceChildren(...(p.directions || []).map((d) => el("li", {}, d.text)));
  renderElevation($("elevation"), p);
  params.delete("lang");
  $("share-link").value = `${window.location.origin}${window.location.pathname}?${params}`;
  window.history.replaceState(null, "", `?${params}${lang !== "cs" ? `&lang=${lang}` : ""}`);
  const result = $("route-result");
  result.hidden = false;
  result.dataset.durationS = String(p.duration_s);
  result.dataset.lengthM = String(p.length_m);
  $("route-status").textContent = t("ui.route_found", { length: formatDistance(p.length_m),
    duration: formatDuration(p.duration_s) });
  state.lastRouteParams = params;
}

function copyShareLink() {
  const input = $("share-link");
  input.select();
  const done = () => {
    $("route-status").textContent = t("ui.copied");
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, done);
  } else {
    try {
      document.execCommand("copy");
    } catch {
      // the selection stays for a manual copy
    }
    done();
  }
}

function locate() {
  const failed = () => {
    $("route-status").textContent = t("ui.my_location_failed");
  };
  if (!navigator.geolocation) {
    failed();
    return;
  }
  navigator.geolocation.getCurrentPosition((pos) => {
    setPoint("from", pos.coords.latitude, pos.coords.longitude, t("ui.my_location"));
    map.panTo([pos.coords.latitude, pos.coords.longitude]);
  }, failed, { timeout: 10000 });
}

function swapPoints() {
  const { from, to } = state;
  for (const which of ["from", "to"]) {
    if (state.markers[which]) {
      groups.route.removeLayer(state.markers[which]);
      state.markers[which] = null;
    }
    state[which] = null;
    $(`${which}-input`).value = "";
  }
  if (to) setPoint("from", to.lat, to.lon, to.label);
  if (from) setPoint("to", from.lat, from.lon, from.label);
  if (state.from && state.to) planRoute();
}

/** Restore a shared route from the page's query (?from=lat,lon&to=…&profile=…&limits…) and plan it. */
export function restoreFromUrl() {
  const q = new URLSearchParams(window.location.search);
  if (q.get("profile") && config.profiles[q.get("profile")]) {
    $("profile").value = q.get("profile");
    applyProfileDefaults();
  }
  for (const key of LIMITS) {
    if (q.get(key) === null) continue;
    $(key).value = q.get(key);
    showLimitValue(key);
    $("advanced").open = true;
  }
  if (q.get("avoid_unknown") !== null) $("avoid_unknown").checked = q.get("avoid_unknown") === "true";
  if (q.get("allow_steps") === "true") $("allow_steps").checked = true;
  const parse = (s) => {
    const parts = (s || "").split(",").map(Number);
    return parts.length === 2 && parts.every(Number.isFinite) ? parts : null;
  };
  const a = parse(q.get("from"));
  const b = parse(q.get("to"));
  if (a) setPoint("from", a[0], a[1], pointLabel(a[0], a[1]));
  if (b) setPoint("to", b[0], b[1], pointLabel(b[0], b[1]));
  if (a && b) planRoute();
}

/** Wire the planner form. */
export function initPlanner() {
  for (const which of ["from", "to"]) {
    initCombobox(which, {
      search: searchPlaces,
      choose: (r) => {
        setPoint(which, r.lat, r.lon, r.label);
        map.panTo([r.lat, r.lon]);
      },
      edited: () => {
        state[which] = null;
      },
    });
  }
  $("locate").addEventListener("click", locate);
  $("swap").addEventListener("click", swapPoints);
  for (const key of LIMITS) {
    $(key).addEventListener("input", () => {
      showLimitValue(key);
      $(key).setAttribute("aria-valuetext", $(key).value);
    });
  }
  $("profile").addEventListener("change", () => {
    applyProfileDefaults();
    refreshViewport();
    if (state.from && state.to) planRoute();
  });
  $("reset-limits").addEventListener("click", applyProfileDefaults);
  $("route-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    planRoute();
  });
  $("copy-link").addEventListener("click", copyShareLink);
  applyProfileDefaults();
}
