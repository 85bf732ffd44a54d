/* Liberec bez bariér — entry point of the moderation page: sign in, list reports with their history, change
 * their status; and the answers of "Help verify" (audits_moderation.js). */

import { api, withQuery } from "./api.js";
import { initAudits, loadAudits } from "./audits_moderation.js";
import { $, el, fill, fromTemplate } from "./dom.js";
import { config, t } from "./i18n.js";

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

function historyItem(h) {
  const change = `${h.from ? statusText(h.from) : "–"} → ${statusText(h.to)}`;
  return el("li", {}, `${h.at} – ${h.actor}: ${change}${h.note ? ` (${h.note})` : ""}`);
}

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
      `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`, `${t("ui.created")} ${p.created_at}`].join(" · "),
    description: p.description,
    contact: p.contact,
    media_url: p.media_url, // a link the submitter gave: shown as text, never loaded
  });
  item.id = `report-${p.id}`;
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
