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
    title: `${t(`ui.${which}`)}: ${label}`, keyboard: true, draggable: true, zIndexOffset: 1000,
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

/** Search suggestions; a record without a position on this map (e.g. a planned service) is listed, disabled. */
async function searchPlaces(q) {
  const body = await api(withQuery("/api/search", { q, limit: "8" }));
  return body.results.map((r) => (r.lat !== null && r.lon !== null ? r
    : { ...r, disabled: true, detail: [r.detail, t("ui.no_position_short")].filter(Boolean).join(" – ") }));
}

/** Use a chosen suggestion as the start or destination, and plan once both are set — as a map click does. */
function choosePlace(which, r) {
  if (r.disabled) {
    $("route-status").classList.remove("error");
    $("route-status").textContent = t("ui.no_position_yet", { name: r.label });
    return;
  }
  setPoint(which, r.lat, r.lon, r.label);
  map.panTo([r.lat, r.lon]);
  if (which === "from") $("click-to").checked = true;
  if (state.from && state.to) planRoute();
}

let replanTimer = null;

/** Plan again a little after the limits stop changing (when both points are set). */
function replanSoon() {
  clearTimeout(replanTimer);
  replanTimer = setTimeout(() => {
    if (state.from && state.to) planRoute();
  }, 400);
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

let routeRequest = 0;

/** Request the route between the points (with `extra` parameters) and show it, or why there is none. Only the
 * answer to the latest request is shown: an older one arriving late never flashes over it. */
export async function planRoute(extra = {}) {
  const status = $("route-status");
  status.classList.remove("error");
  $("route-problem").hidden = true;
  const mine = (routeRequest += 1);
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
    if (mine !== routeRequest) return;
    renderRoute(fc, params);
  } catch (err) {
    if (mine !== routeRequest) return;
    $("route-result").hidden = true;
    if (routeLayer) {
      groups.route.removeLayer(routeLayer);
      routeLayer = null;
    }
    status.classList.add("error");
    if (err.status === 404 && err.code === "no_route") {
      status.textContent = t("ui.no_route");
      renderProblem(err.message, err.details);
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

/** Buttons that move a cut-off end to the nearest connected place (`details.moves`: {from|to: [lat, lon]}). */
function moveButtons(details) {
  return Object.entries(details.moves || {}).map(([which, [lat, lon]]) => {
    const reason = (details.reasons || []).find((r) => r.end === which);
    const distance = formatDistance(reason && reason.nearest ? reason.nearest.distance_m : 0);
    const button = el("button", { type: "button", class: "link", "data-move": which },
      t(`ui.use_connected_${which}`, { distance }));
    button.addEventListener("click", () => {
      setPoint(which, lat, lon, pointLabel(lat, lon));
      planRoute();
    });
    return el("li", {}, button);
  });
}

/** Why there is no route, with a button per relaxation that would give one (or per cut-off end to move). */
function renderProblem(message, details) {
  const relaxations = details.relaxations || [];
  const box = $("route-problem");
  const parts = [el("p", {}, message)];
  const moves = moveButtons(details);
  if (moves.length) parts.push(el("ul", {}, ...moves));
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

const WARNING_STYLE = { radius: 6, color: "#9a4100", weight: 2, fillColor: "#fff3cd", fillOpacity: 1 };
const HIGHLIGHT_STYLE = { radius: 11, color: "#1f2328", weight: 4, fillColor: "#ffbf47", fillOpacity: 1 };

/** The warning markers of the drawn route, by warning type. */
let warningMarkers = {};

function drawRoute(fc) {
  const route = fc.features[0];
  if (routeLayer) groups.route.removeLayer(routeLayer);
  routeLayer = L.layerGroup([
    L.geoJSON(route, { style: { color: "#ffffff", weight: 10, opacity: 0.95 }, interactive: false, pane: ROUTE_PANE }),
    L.geoJSON(route, { style: { color: "#3b1f6e", weight: 6, opacity: 1 }, pane: ROUTE_PANE }),
  ]).addTo(groups.route);
  warningMarkers = {};
  for (const w of fc.features.slice(1)) {
    if (!w.geometry || w.geometry.type !== "Point") continue;
    const [lon, lat] = w.geometry.coordinates;
    const marker = L.circleMarker([lat, lon], { ...WARNING_STYLE, pane: ROUTE_PANE })
      .bindTooltip(() => text(w.properties.message)).addTo(routeLayer);
    (warningMarkers[w.properties.type] = warningMarkers[w.properties.type] || []).push(marker);
  }
  map.fitBounds(L.geoJSON(route).getBounds(), { padding: [30, 30] });
}

/** Zoom to the places of one warning and make its markers stand out (bigger, darker: not colour alone). */
function showWarningPlaces(w) {
  for (const markers of Object.values(warningMarkers)) markers.forEach((m) => m.setStyle(WARNING_STYLE));
  const mine = warningMarkers[w.type] || [];
  mine.forEach((m) => m.setStyle(HIGHLIGHT_STYLE).bringToFront());
  const points = (w.places || []).map(([lon, lat]) => [lat, lon]);
  if (points.length === 1) map.setView(points[0], Math.max(map.getZoom(), 18));
  else if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [40, 40], maxZoom: 18 });
  if (mine.length) mine[0].openTooltip();
  map.getContainer().scrollIntoView({ block: "nearest" });
}

function warningItem(w) {
  const item = el("li", {}, w.message);
  const count = (w.places || []).length;
  if (count) {
    const button = el("button", { type: "button", class: "link", "data-warning": w.type }, t("ui.show_places",
      { n: count }));
    button.addEventListener("click", () => showWarningPlaces(w));
    item.append(" ", button);
  }
  return item;
}

/** What the route could check of each limit the profile sets, and a way to ask for verified stretches only. */
function renderChecks(p) {
  const active = (p.checks || []).filter((c) => c.active && c.message);
  const items = active.map((c) => el("li", { class: c.complete ? "complete" : "unchecked" }, c.message));
  if (!active.length) items.push(el("li", {}, t("ui.checks_none")));
  else if (active.every((c) => c.complete)) items.push(el("li", {}, t("ui.checks_all")));
  else if (!p.limits.avoid_unknown) {
    const button = el("button", { type: "button", class: "secondary", id: "try-verified" }, t("ui.try_verified"));
    button.addEventListener("click", () => {
      $("avoid_unknown").checked = true;
      planRoute();
    });
    items.push(el("li", {}, button));
  }
  $("route-checks").replaceChildren(...items);
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
  renderChecks(p);
  const warnings = p.warnings || [];
  $("route-warnings").replaceChildren(...(warnings.length ? warnings.map(warningItem)
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
      choose: (r) => choosePlace(which, r),
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
      replanSoon();
    });
  }
  for (const key of ["avoid_unknown", "allow_steps"]) $(key).addEventListener("change", replanSoon);
  $("profile").addEventListener("change", () => {
    applyProfileDefaults();
    refreshViewport();
    if (state.from && state.to) planRoute();
  });
  $("reset-limits").addEventListener("click", () => {
    applyProfileDefaults();
    replanSoon();
  });
  $("route-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    planRoute();
  });
  $("copy-link").addEventListener("click", copyShareLink);
  applyProfileDefaults();
}
