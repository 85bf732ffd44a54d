/* Liberec bez bariér — entry point of the moderation page: sign in, list reports with their history, change
 * their status; and the answers of "Help verify" (audits_moderation.js). */

import { api, withQuery } from "./api.js";
import { initAudits, loadAudits } from "./audits_moderation.js";
import { $, el, fill, fromTemplate } from "./dom.js";
import { config, lang, t } from "./i18n.js";

const L = window.L;

let csrf = null;
let transitions = {};

const statusText = (status) => t(`report.status.${status}`);

function say(message, isError = false) {
  $("mod-status").textContent = message;
  $("mod-status").classList.toggle("error", isError);
}

function showLogin() {
  $("queue-section").hidden = true;
  $("login-section").hidden = false;
}

function signedIn(me) {
  csrf = me.csrf_token;
  $("signed-in").textContent = t("ui.signed_in_as", { name: me.name });
  $("login-section").hidden = true;
  $("queue-section").hidden = false;
  loadQueue();
  loadAudits();
}

/** A UTC timestamp of the API in the moderator's local time and language. */
function localTime(iso) {
  const when = new Date(iso);
  return Number.isNaN(when.getTime()) ? String(iso)
    : when.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
}

function historyItem(h) {
  const change = `${h.from ? statusText(h.from) : "–"} → ${statusText(h.to)}`;
  return el("li", {}, `${localTime(h.at)} – ${h.actor}: ${change}${h.note ? ` (${h.note})` : ""}`);
}

const BASE_STYLE = { built: "#ebe6df", grass: "#dcefd0", park: "#c9e7b5", wood: "#b7d8a1", water: "#a9d3f2",
  plaza: "#f5f0e4", industrial: "#e3e0e8", cemetery: "#cfe2c6" };
const ACCESS_COLOUR = { accessible: "#1a7f37", difficult: "#9a4100", impassable: "#b3261e" };

/** A small still map of a report's place: the offline base map and the footways around it, and the place. */
async function drawMiniMap(box, p) {
  const mini = L.map(box, { zoomControl: false, attributionControl: false, dragging: false, scrollWheelZoom: false,
    doubleClickZoom: false, boxZoom: false, touchZoom: false, keyboard: false, tap: false })
    .setView([p.lat, p.lon], 17);
  const b = mini.getBounds();
  const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(6)).join(",");
  try {
    const [base, network] = await Promise.all(["basemap", "network"].map((name) =>
      api(withQuery(`/api/layers/${name}`, { bbox, limit: "2000" }))));
    L.geoJSON(base, { interactive: false, style: (f) => {
      const fill = BASE_STYLE[f.properties.kind];
      return fill ? { fillColor: fill, fillOpacity: 1, stroke: false }
        : { color: f.properties.kind === "rail" ? "#7a828c" : "#d5d9df", weight: f.properties.kind === "rail" ? 2 : 6 };
    } }).addTo(mini);
    L.geoJSON(network, { interactive: false, style: (f) => ({ color: ACCESS_COLOUR[f.properties.access] || "#57606a",
      weight: f.properties.access in ACCESS_COLOUR ? 3 : 1.5 }) }).addTo(mini);
  } catch {
    // the place alone is still worth showing
  }
  L.circleMarker([p.lat, p.lon], { radius: 8, color: "#1f2328", weight: 3, fillColor: "#ffbf47", fillOpacity: 1,
    interactive: false }).addTo(mini);
}

/** Draw the small maps once their reports scroll into view. */
const miniMaps = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    miniMaps.unobserve(entry.target);
    drawMiniMap(entry.target, JSON.parse(entry.target.dataset.place));
  }
}) : null;

/** The status form of a report (the statuses it can move to), its controls with ids unique to the report. */
function actionForm(item, p, next) {
  const form = item.querySelector("form.action-row");
  if (!next.length) {
    form.remove();
    return;
  }
  form.dataset.id = String(p.id);
  for (const control of form.querySelectorAll("[name]")) {
    const id = `r${p.id}-${control.name}`;
    control.id = id;
    form.querySelector(`label[data-for="${control.name}"]`).htmlFor = id;
  }
  form.querySelector('select[name="status"]').replaceChildren(...next.map((s) => el("option", { value: s },
    statusText(s))));
}

function reportItem(f) {
  const p = f.properties;
  const title = t("ui.report_no", { id: String(p.id) });
  const item = fill(fromTemplate("tpl-report-item"), {
    title: `${title}: ${p.category_label || p.category}`,
    meta: [t("ui.barrier_severity", { s: p.severity }), statusText(p.status),
      `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`, `${t("ui.created")} ${localTime(p.created_at)}`].join(" · "),
    description: p.description,
    contact: p.contact,
    media_url: p.media_url, // a link the submitter gave: shown as text, never loaded
  });
  item.id = `report-${p.id}`;
  const box = item.querySelector(".mini-map");
  box.setAttribute("aria-label", t("ui.report_map", { id: String(p.id) }));
  box.dataset.place = JSON.stringify({ lat: p.lat, lon: p.lon });
  if (L && miniMaps) miniMaps.observe(box);
  const photo = item.querySelector("img");
  if (p.photo_url) {
    photo.src = p.photo_url;
    photo.alt = `${t("ui.photo")} – ${title}`;
  } else {
    photo.closest("[data-optional]").remove();
  }
  item.querySelector(".history").replaceChildren(...(p.history || []).map(historyItem));
  actionForm(item, p, transitions[p.status] || []);
  return item;
}

async function loadQueue() {
  try {
    const fc = await api(withQuery("/api/moderation/queue", { status: $("status-filter").value, limit: "200" }));
    $("queue").replaceChildren(...(fc.features.length ? fc.features.map(reportItem)
      : [el("li", {}, t("ui.no_reports"))]));
  } catch (err) {
    if (err.status === 401) showLogin();
    else say(t("ui.error_generic", { message: err.message }), true);
  }
}

async function logIn(ev) {
  ev.preventDefault();
  try {
    const me = await api("/api/auth/login", { method: "POST",
      json: { name: $("login-name").value, password: $("login-password").value } });
    $("login-password").value = "";
    say("");
    signedIn(me);
    $("queue-heading").focus();
  } catch (err) {
    say(`${t("ui.login_failed")} ${err.message}`, true);
    $("login-name").focus();
  }
}

async function logOut() {
  try {
    await api("/api/auth/logout", { method: "POST", headers: { "X-CSRF-Token": csrf || "" } });
  } catch {
    // signed out anyway
  }
  csrf = null;
  showLogin();
}

async function changeStatus(ev) {
  const form = ev.target.closest("form[data-id]");
  if (!form) return;
  ev.preventDefault();
  const id = form.dataset.id;
  const data = new FormData(form);
  const body = { status: data.get("status") };
  if (data.get("note")) body.note = data.get("note");
  if (data.get("duplicate_of")) body.duplicate_of = Number(data.get("duplicate_of"));
  try {
    const r = await api(`/api/reports/${encodeURIComponent(id)}/status`, { method: "POST", json: body,
      headers: { "X-CSRF-Token": csrf || "" } });
    say(t("ui.status_changed", { id, status: statusText(r.status) }));
    loadQueue();
  } catch (err) {
    say(t("ui.error_generic", { message: err.message }), true);
  }
}

async function start() {
  $("login-form").addEventListener("submit", logIn);
  $("logout").addEventListener("click", logOut);
  $("status-filter").addEventListener("change", loadQueue);
  $("queue").addEventListener("submit", changeStatus);
  initAudits({ token: () => csrf || "", message: say,
    failed: (err) => (err.status === 401 ? showLogin() : say(t("ui.error_generic", { message: err.message }), true)) });
  try {
    transitions = (await api("/api/reports/meta")).transitions || {};
  } catch {
    transitions = {};
  }
  if (config.me) signedIn(config.me);
  else showLogin();
}

start();
