/* Liberec bez bariér — moderation of "Help verify": tasks with their answers side by side, their verdicts, and the
 * moderator's decision (confirm a value, ask again, roll a verdict back). */

import { api, withQuery } from "./api.js";
import { $, el, fill, fromTemplate } from "./dom.js";
import { t } from "./i18n.js";

let csrf = () => "";
let onError = () => {};
let say = () => {};

function answerItem(a) {
  const parts = [a.label, a.at, a.on_site ? t("ui.audit_on_site") : null].filter(Boolean).join(" · ");
  return el("li", {}, parts, a.photo_url ? " · " : null,
    a.photo_url ? el("a", { href: a.photo_url, target: "_blank", rel: "noopener" }, t("ui.photo")) : null);
}

function verdictItem(v) {
  const state = v.rolled_back_at ? ` (${t("ui.audit_rolled_back")} ${v.rolled_back_at} – ${v.rolled_back_by})` : "";
  return el("li", {}, `${v.at} – ${v.source_label} (${v.actor}): ${v.label}${v.note ? ` (${v.note})` : ""}${state}`);
}

function auditItem(f) {
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  const item = fill(fromTemplate("tpl-audit-item"), {
    title: `${p.question || p.task_id}${p.name ? ` – ${p.name}` : ""}`,
    meta: [p.task_id, p.status_label, `${lat.toFixed(5)}, ${lon.toFixed(5)}`, p.updated_at].join(" · "),
  });
  item.id = `audit-${p.task_id.replaceAll("/", "-")}`;
  item.querySelector(".answers").replaceChildren(...p.answers.map(answerItem));
  item.querySelector(".history").replaceChildren(...p.verdicts.map(verdictItem));
  const form = item.querySelector("form.action-row");
  form.dataset.task = p.task_id;
  for (const control of form.querySelectorAll("[name]")) {
    const id = `${item.id}-${control.name}`;
    control.id = id;
    form.querySelector(`label[data-for="${control.name}"]`).htmlFor = id;
  }
  form.querySelector('select[name="value"]').replaceChildren(...p.options.map((o) => el("option",
    { value: o.value, selected: o.value === (p.verified_value || p.answers.at(-1)?.value) }, o.label)));
  return item;
}

/** Load the verification tasks of the selected status. */
export async function loadAudits() {
  try {
    const fc = await api(withQuery("/api/audits/queue", { status: $("audit-filter").value, limit: "200" }));
    $("audit-queue").replaceChildren(...(fc.features.length ? fc.features.map(auditItem)
      : [el("li", {}, t("ui.audit_none"))]));
  } catch (err) {
    onError(err);
  }
}

async function decide(ev) {
  const form = ev.target.closest("form[data-task]");
  if (!form) return;
  ev.preventDefault();
  const data = new FormData(form);
  const body = { task_id: form.dataset.task, action: data.get("action") };
  if (body.action === "confirm") body.value = data.get("value");
  if (data.get("note")) body.note = data.get("note");
  try {
    const r = await api("/api/audits/decisions", { method: "POST", json: body, headers: { "X-CSRF-Token": csrf() } });
    say(t("ui.audit_decided", { task: body.task_id, status: r.properties.status_label }));
    loadAudits();
  } catch (err) {
    say(t("ui.error_generic", { message: err.message }), true);
  }
}

/** Wire the verification queue: `token()` gives the session's CSRF token, `message(text, isError)` shows a status,
 * `failed(err)` handles a failed load (e.g. a lost session). */
export function initAudits({ token, message, failed }) {
  csrf = token;
  say = message;
  onError = failed;
  $("audit-filter").addEventListener("change", loadAudits);
  $("audit-queue").addEventListener("submit", decide);
}
