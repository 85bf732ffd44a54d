/* Liberec bez bariér — entry point of the planner page: the ranked barriers with filters and downloads, one
 * barrier's effect, a selection computed together (what-if), the greedy package, norm compliance and data
 * coverage. Every number comes from /api/planner; the page only shows it. */

import { api, withQuery } from "./api.js";
import { $, el, fill, fromTemplate } from "./dom.js";
import { config, formatDuration, formatNumber, t } from "./i18n.js";
import { initMap, map } from "./map.js";
import { clearEffect, initPlannerMap, showCoverage, showEffect, showRanking, viewBbox } from "./planner-map.js";

const SHOWN = 200;
/** Barrier id → ranked feature (of the last ranking), and the ids ticked for the what-if. */
const state = { byId: new Map(), selected: new Set() };

/** Test and debug hook (browser tests read it), not an API of the app. */
window.LBB = { ...(window.LBB || {}), app: { map, state } };

function say(id, message, isError = false) {
  $(id).textContent = message;
  $(id).classList.toggle("error", isError);
}

/** Profile, minutes, origins and destinations of the form: what every planner request carries. */
function request() {
  return { profile: $("pl-profile").value, minutes: $("pl-minutes").value, origins: $("pl-origins").value,
    destinations: $("pl-destinations").value };
}

function filters() {
  const out = {};
  if ($("pl-category").value) out.category = $("pl-category").value;
  if ($("pl-severity").value) out.min_severity = $("pl-severity").value;
  if ($("pl-in-view").checked) out.bbox = viewBbox();
  return out;
}

const gainText = (g) => formatNumber(g, 1);
const labelOf = (p) => `${p.category_label} (${p.barrier_id})`;

function rankRow(f) {
  const p = f.properties;
  const row = fill(fromTemplate("tpl-rank-row"), {
    rank: p.rank, label: p.category_label, id: p.barrier_id, severity: p.severity, gain: gainText(p.gain),
    origins: p.origins_helped, destinations: p.destinations_opened,
    saved: p.time_saved_s > 0 ? formatDuration(p.time_saved_s) : "–",
  });
  const box = row.querySelector("[data-select]");
  box.value = p.barrier_id;
  box.checked = state.selected.has(p.barrier_id);
  box.setAttribute("aria-label", t("planner.select_barrier", { label: labelOf(p) }));
  row.querySelector("[data-show]").dataset.id = p.barrier_id;
  return row;
}

function updateDownloads() {
  const query = { ...request(), ...filters() };
  $("pl-csv").href = withQuery("/api/planner/barriers", { ...query, format: "csv" });
  $("pl-geojson").href = withQuery("/api/planner/barriers", { ...query, format: "geojson" });
  $("pl-downloads").hidden = false;
}

async function rank(ev) {
  if (ev) ev.preventDefault();
  say("pl-status", t("planner.computing"));
  $("pl-rank").disabled = true;
  try {
    const fc = await api(withQuery("/api/planner/barriers", { ...request(), ...filters(), limit: String(SHOWN) }));
    state.byId = new Map(fc.features.map((f) => [f.properties.barrier_id, f]));
    $("pl-rows").replaceChildren(...(fc.features.length ? fc.features.map(rankRow)
      : [el("tr", {}, el("td", { colspan: "8" }, fc.message || t("planner.no_rows")))]));
    showRanking(fc.features, showDetail);
    say("pl-status", fc.reason ? fc.message : t("planner.ranked", {
      shown: fc.count, total: fc.total, origins: fc.counts.origins_placed ?? fc.counts.origins,
      destinations: fc.counts.destinations_placed ?? fc.counts.destinations,
    }));
    updateDownloads();
  } catch (err) {
    say("pl-status", t("planner.error", { message: err.message }), true);
  } finally {
    $("pl-rank").disabled = false;
  }
}

function summaryItems(d) {
  const items = [
    [t("planner.gain"), gainText(d.gain)], [t("planner.pairs_opened"), d.pairs_opened],
    [t("planner.origins_helped"), d.origins_helped], [t("planner.destinations_opened"), d.destinations_opened],
    [t("planner.time_saved"), d.time_saved_s > 0 ? formatDuration(d.time_saved_s) : "–"],
  ];
  return items.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]);
}

function exampleItem(x) {
  return fill(fromTemplate("tpl-example"), {
    origin: x.origin.name || x.origin.id,
    destination: x.destination.name || x.destination.id,
    times: t("planner.example_times", { before: x.before_s === null ? t("planner.unreachable")
      : formatDuration(x.before_s), after: formatDuration(x.after_s) }),
  });
}

/** Show one barrier's effect: numbers, examples and, on the map, the homes and destinations. */
async function showDetail(id) {
  const f = state.byId.get(id);
  try {
    const d = await api(withQuery(`/api/planner/barriers/${encodeURIComponent(id)}`, request()));
    const p = f ? f.properties : d.features[0].properties;
    $("pl-detail-heading").textContent = t("planner.detail_heading", { rank: d.rank, label: labelOf(p) });
    const source = p.source === "report" ? t("planner.source_report", { id: p.source_id })
      : t("planner.source_osm", { id: p.source_id });
    $("pl-detail-summary").replaceChildren(...summaryItems(d), el("dt", {}, t("planner.source")), el("dd", {}, source));
    $("pl-examples").replaceChildren(...(d.examples.length ? d.examples.map(exampleItem)
      : [el("li", {}, t("planner.no_examples"))]));
    $("pl-detail").hidden = false;
    $("pl-detail").focus();
    showEffect(d);
  } catch (err) {
    say("pl-status", t("planner.error", { message: err.message }), true);
  }
}

function selectionChanged() {
  $("pl-selected-count").textContent = t("planner.selected", { n: state.selected.size });
}

async function whatIf() {
  if (!state.selected.size) {
    say("pl-whatif-result", t("planner.whatif_empty"));
    return;
  }
  say("pl-whatif-result", t("planner.computing"));
  try {
    const r = await api("/api/planner/whatif", { method: "POST",
      json: { ...request(), minutes: Number(request().minutes), barriers: [...state.selected] } });
    say("pl-whatif-result", t("planner.whatif_result", { gain: gainText(r.gain), pairs: r.pairs_opened,
      single: gainText(r.sum_of_single_gains) }));
    showEffect(r);
  } catch (err) {
    say("pl-whatif-result", t("planner.error", { message: err.message }), true);
  }
}

async function buildPackage() {
  say("pl-package-status", t("planner.computing"));
  $("pl-package-steps").replaceChildren();
  try {
    const r = await api(withQuery("/api/planner/package", { ...request(), k: $("pl-k").value }));
    $("pl-package-steps").replaceChildren(...r.steps.map((s) => el("li", {}, t("planner.package_step", {
      label: `${config.categoryLabels[s.category] || s.category} (${s.barrier_id})`, gain: gainText(s.gain),
      alone: gainText(s.alone_gain) }))));
    const total = t("planner.package_total", { gain: gainText(r.gain), pairs: r.pairs_opened });
    say("pl-package-status", r.stopped ? `${total} ${t("planner.package_stopped", { n: r.steps.length })}` : total);
    showEffect(r);
  } catch (err) {
    say("pl-package-status", t("planner.error", { message: err.message }), true);
  }
}

function km(x) {
  return formatNumber(x, 2);
}

async function loadNorms() {
  try {
    const n = await api("/api/planner/norms");
    const rows = n.rules.map((rule) => {
      const r = n.totals.rules_km[rule];
      return el("tr", {}, el("th", { scope: "row" }, t(`planner.rule.${rule}`)),
        el("td", {}, t(`planner.limit.${rule}`, config.ruleLimits[rule])), el("td", {}, km(r.ok)),
        el("td", {}, km(r.fail)), el("td", {}, km(r.unknown + r.pinch)));
    });
    $("pl-norms-rows").replaceChildren(...rows);
    const s = n.totals.status_km;
    $("pl-norms-status").textContent = t("planner.norms_total", { total: km(n.totals.length_km),
      compliant: km(s.compliant), not_compliant: km(s.not_compliant), unknown: km(s.unknown) });
  } catch (err) {
    $("pl-norms-status").textContent = t("planner.error", { message: err.message });
  }
}

async function loadCoverage() {
  try {
    const fc = await api("/api/planner/coverage");
    $("pl-coverage-kind").textContent = fc.kind === "district" ? t("planner.coverage_district")
      : t("planner.coverage_grid");
    const pct = (v) => (v === null ? "–" : formatNumber(v, 1));
    $("pl-coverage-rows").replaceChildren(...fc.features.map((f) => {
      const p = f.properties;
      return el("tr", {}, el("th", { scope: "row" }, p.name), el("td", {}, km(p.length_km)),
        ...["surface_pct", "incline_pct", "kerb_pct", "width_pct"].map((k) => el("td", {}, pct(p[k]))));
    }));
    showCoverage(fc);
  } catch (err) {
    $("pl-coverage-kind").textContent = t("planner.error", { message: err.message });
  }
}

function start() {
  initMap();
  initPlannerMap();
  $("planner-form").addEventListener("submit", rank);
  $("pl-rows").addEventListener("click", (ev) => {
    const button = ev.target.closest("[data-show]");
    if (button) showDetail(button.dataset.id);
  });
  $("pl-rows").addEventListener("change", (ev) => {
    const box = ev.target.closest("[data-select]");
    if (!box) return;
    if (box.checked) state.selected.add(box.value);
    else state.selected.delete(box.value);
    selectionChanged();
  });
  $("pl-whatif").addEventListener("click", whatIf);
  $("pl-clear").addEventListener("click", () => {
    state.selected.clear();
    for (const box of $("pl-rows").querySelectorAll("[data-select]")) box.checked = false;
    selectionChanged();
    clearEffect();
  });
  $("pl-package").addEventListener("click", buildPackage);
  loadNorms();
  loadCoverage();
  rank();
}

start();
