/* Liberec bez bariér — entry point of the programme page (/programme): every commitment of the city programme
 * grouped by its sections, with its status and evidence, targets and their progress (only from sourced figures),
 * the records that implement it (linked to the map), and the context figures with their sources. */

import { api } from "./api.js";
import { $, el, fill, fromTemplate } from "./dom.js";
import { formatNumber, lang, t } from "./i18n.js";
import { dateText, sourceItem } from "./provenance.js";

const STATUS_BADGE = { done: "badge-yes", in_progress: "badge-limited", not_started: "badge-no", unknown: "badge-unknown" };
let programme = null;

/** A number as people read amounts: grouped ("20 000 000") for large whole numbers, else the app's style. */
function amount(n) {
  return Number.isInteger(n) && Math.abs(n) >= 10000 ? new Intl.NumberFormat(lang).format(n) : formatNumber(n);
}

/** The map link of a record: to its marker when placed, to the services list when not; plain text for an
 * unplaced flat (it has no list). */
function recordItem(r) {
  const reading = r.interpretation ? ` (${t("programme.reading")})` : "";
  const href = `/?show=${encodeURIComponent(r.layer)}:${encodeURIComponent(r.id)}`;
  if (r.placed) return el("li", {}, el("a", { href }, t("programme.show_on_map", { name: r.name })), reading);
  if (r.layer === "services") return el("li", {}, el("a", { href }, t("programme.in_list", { name: r.name })), reading);
  return el("li", {}, t("programme.not_on_map", { name: r.name }), reading);
}

function targetItem(target, commitment) {
  const p = target.progress;
  const names = Object.fromEntries(commitment.records.map((r) => [r.id, r.name]));
  const label = target.label + (target.interpretation ? ` (${t("programme.reading")})` : "");
  let progress = t("programme.no_data");
  let detail = target.baseline ? t("programme.baseline", { value: amount(target.baseline.value), unit: target.unit_label })
    : null;
  if (p.has_data && target.flats_programme) {
    progress = t("programme.progress_units", { done: p.done, target: amount(target.value), unit: target.unit_label,
      under_way: p.under_way, planned: p.planned });
    detail = t("programme.counted_records", { records: p.records.map((id) => names[id] || id).join(", ") });
  } else if (p.has_data) {
    progress = t("programme.progress_value", { current: amount(p.current), unit: target.unit_label });
  }
  const item = fill(fromTemplate("tpl-target"), { label, progress, detail });
  const bar = item.querySelector("progress");
  if (p.share === null || p.share === undefined) {
    bar.remove();
  } else {
    bar.value = p.share;
    bar.setAttribute("aria-label", t("programme.progress_label", { label: target.label }));
    bar.setAttribute("aria-valuetext", progress);
  }
  return item;
}

function commitmentItem(c) {
  const item = fill(fromTemplate("tpl-commitment"), {
    ref: t("programme.ref", { ref: c.ref }),
    summary: c.summary,
    status: c.status_label,
    kind: t("programme.kind_label", { kind: c.kind_label }),
    as_of: t("programme.as_of", { date: c.as_of }),
    evidence: c.evidence || t("programme.no_evidence"),
    interpretation: c.interpretation,
  });
  item.id = `c-${c.id}`;
  item.dataset.status = c.status;
  item.querySelector('[data-slot="status"]').classList.add(STATUS_BADGE[c.status] || "badge-unknown");
  const targets = item.querySelector(".targets");
  if (c.targets.length) targets.querySelector("ul").replaceChildren(...c.targets.map((tg) => targetItem(tg, c)));
  else targets.remove();
  item.querySelector(".record-list").replaceChildren(...(c.records.length ? c.records.map(recordItem)
    : [el("li", {}, t("programme.no_records"))]));
  const sources = [...c.status_sources, ...c.targets.flatMap((tg) => tg.sources)];
  const unique = sources.filter((s, i) => sources.findIndex((o) => o.id === s.id) === i);
  if (unique.length) item.querySelector(".source-list").replaceChildren(...unique.map(sourceItem));
  else item.querySelector("details.sources").remove();
  return item;
}

function renderContext(data) {
  const first = data.sources[0];
  $("programme-source").textContent = first ? t("programme.source_line", { title: first.title,
    publisher: first.publisher || "", date: dateText(first.published) }) : "";
  $("programme-context").replaceChildren(...data.context.flatMap((f) => {
    const value = `${amount(f.value)}${f.unit === "percent" ? " %" : ""}`;
    return [el("dt", {}, f.label), el("dd", {}, f.approximate ? t("programme.approximately", { value }) : value,
      " (", ...f.sources.flatMap((s, i) => [i ? "; " : "", s.url ? el("a", { href: s.url, rel: "noopener noreferrer" },
        s.title) : s.title, `, ${dateText(s.published)}`]), ")")];
  }));
  const notice = $("programme-notice");
  notice.textContent = data.notice || "";
  notice.hidden = !data.notice;
  $("programme-counts").textContent = t("programme.counts", data.counts.by_status);
}

function renderList() {
  const wanted = $("status-filter").value;
  let shown = 0;
  $("programme-list").replaceChildren(...programme.sections.map((sec) => {
    const section = fill(fromTemplate("tpl-programme-section"), { title: `${sec.number}. ${sec.title}` });
    const items = sec.commitments.filter((c) => !wanted || c.status === wanted).map(commitmentItem);
    shown += items.length;
    section.querySelector("ol").replaceChildren(...items);
    return section;
  }).filter((section) => section.querySelector("ol").children.length));
  $("programme-status").textContent = t("programme.shown", { n: shown, total: programme.counts.commitments });
}

/** Scroll to and focus the commitment named in the address (#c-…), as the map's service cards link to it. */
function focusFromHash() {
  const target = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1)))
    : null;
  if (target) {
    target.scrollIntoView({ block: "start" });
    target.focus();
  }
}

async function start() {
  $("status-filter").addEventListener("change", renderList);
  try {
    programme = await api("/api/programme");
  } catch (err) {
    $("programme-status").textContent = t("programme.load_failed", { message: err.message });
    return;
  }
  renderContext(programme);
  renderList();
  focusFromHash();
  window.addEventListener("hashchange", () => {
    $("status-filter").value = "";
    renderList();
    focusFromHash();
  });
}

start();
