/* Liberec bez bariér — "Help verify": the open questions of the map view where answers change most trips (markers
 * and a list), one question at a time with big answer buttons, and how the routes in the view improved. */

import { api, withQuery } from "./api.js";
import { $, fill, fromTemplate, text } from "./dom.js";
import { t } from "./i18n.js";
import { refreshViewport } from "./layers.js";
import { groups, icon, map } from "./map.js";

const L = window.L;
const LIMIT = 10;
/** The overlay reaches every worker within the poll interval: ask for progress a little later. */
const PROGRESS_DELAY_MS = 1200;

let currentProfile = () => "manual_wheelchair";
let tasks = [];
let current = -1;
let requestNo = 0;
const markers = new Map();

function bboxParam() {
  const b = map.getBounds();
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(6)).join(",");
}

function say(message, isError = false) {
  $("verify-status").textContent = message;
  $("verify-status").classList.toggle("error", isError);
}

function meta(p) {
  return [p.name, p.attribute_label, t("ui.verify_routes", { n: p.routes ?? 0 })].filter(Boolean).join(" · ");
}

function marker(f) {
  const p = f.properties;
  const m = L.marker([p.location.lat, p.location.lon], {
    icon: icon("audit", "fa-circle-question"), title: t("ui.verify_marker", { question: p.question }), keyboard: true,
  });
  m.bindTooltip(() => text(`${p.question} (${meta(p)})`));
  m.on("click", () => select(tasks.indexOf(f), true));
  return m;
}

function renderList() {
  groups.audits.clearLayers();
  markers.clear();
  const items = tasks.map((f, i) => {
    const item = fill(fromTemplate("tpl-verify-item"), { question: f.properties.question, meta: meta(f.properties) });
    item.querySelector("[data-select]").addEventListener("click", () => select(i, true));
    if (i === current) item.setAttribute("aria-current", "true");
    const m = marker(f).addTo(groups.audits);
    markers.set(f.properties.task_id, m);
    return item;
  });
  $("verify-list").replaceChildren(...items);
}

function optionButton(option, i) {
  const button = fromTemplate("tpl-verify-option");
  button.id = `verify-option-${i}`;
  button.value = option.value;
  button.textContent = option.label;
  return button;
}

/** Show question `i` in the card (and, with `focus`, move the keyboard focus to it). */
function select(i, focus = false) {
  current = i;
  const f = tasks[i];
  $("verify-card").hidden = !f;
  if (!f) return;
  const p = f.properties;
  $("verify-where").textContent = meta(p);
  $("verify-question").textContent = p.question;
  $("verify-options").replaceChildren(...p.options.map(optionButton));
  $("verify-form").reset();
  renderList();
  const node = markers.get(p.task_id)?.getElement();
  if (node) node.querySelector(".lbb-icon")?.classList.add("active");
  if (focus) $("verify-question").focus();
}

/** Load the best open questions of the map view for the planner's profile. */
export async function loadTasks() {
  const mine = (requestNo += 1);
  $("verify-profile").textContent = t("ui.verify_profile", { profile: t(`profile.${currentProfile()}`) });
  say(t("ui.loading"));
  try {
    const fc = await api(withQuery("/api/audits/tasks", { bbox: bboxParam(), profile: currentProfile(),
      limit: String(LIMIT) }));
    if (mine !== requestNo) return;
    tasks = fc.features;
    $("verify-count").textContent = t("ui.verify_count", { n: fc.total });
    say(tasks.length ? "" : t("ui.verify_none"));
    current = -1;
    renderList();
    select(0);
  } catch (err) {
    say(t("ui.error_generic", { message: err.message }), true);
  }
  loadProgress();
}

/** How the routes of the map view improved thanks to verified answers. */
export async function loadProgress() {
  try {
    const body = await api(withQuery("/api/audits/progress", { bbox: bboxParam(), profile: currentProfile() }));
    $("verify-progress").textContent = body.message;
    $("verify-progress-details").textContent = body.details;
  } catch (err) {
    $("verify-progress").textContent = t("ui.error_generic", { message: err.message });
  }
}

function position() {
  if (!$("verify-position").checked || !navigator.geolocation) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition((pos) => resolve(pos.coords), () => resolve(null), { timeout: 8000 });
  });
}

function next() {
  tasks.splice(current, 1);
  if (!tasks.length) {
    $("verify-card").hidden = true;
    renderList();
    say(t("ui.verify_all_done"));
    return;
  }
  select(Math.min(current, tasks.length - 1), true);
}

async function answer(ev) {
  ev.preventDefault();
  const f = tasks[current];
  const value = ev.submitter && ev.submitter.value;
  if (!f || !value) return;
  const data = new FormData($("verify-form"));
  data.set("task_id", f.properties.task_id);
  data.set("value", value);
  if (!$("verify-photo").files.length) data.delete("photo");
  const coords = await position();
  if (coords) {
    data.set("lat", String(coords.latitude));
    data.set("lon", String(coords.longitude));
  }
  say(t("ui.loading"));
  try {
    const body = await api("/api/audits/answers", { method: "POST", body: data });
    say(body.message || "");
    if (body.verified) {
      setTimeout(() => {
        loadProgress();
        refreshViewport();
      }, PROGRESS_DELAY_MS);
    }
  } catch (err) {
    say(t("ui.error_generic", { message: err.message }), true);
  }
  next();
}

function showCurrent() {
  const f = tasks[current];
  if (!f) return;
  map.setView([f.properties.location.lat, f.properties.location.lon], Math.max(map.getZoom(), 17));
  const m = markers.get(f.properties.task_id);
  if (m) m.openTooltip();
}

/** Wire the verify panel; `profile()` is the planner's profile. */
export function initVerify({ profile }) {
  currentProfile = profile;
  $("verify-load").addEventListener("click", loadTasks);
  $("verify-form").addEventListener("submit", answer);
  $("verify-skip").addEventListener("click", () => {
    if (current + 1 < tasks.length) select(current + 1, true);
    else select(0, true);
  });
  $("verify-show").addEventListener("click", showCurrent);
  $("verify-refresh").addEventListener("click", loadProgress);
}
