/* Liberec bez bariér — housing: what a person can reach without barriers from a home. The "Bydlení" panel (city
 * flats by reach score for a profile, the reach card of a flat or of any map point, two homes side by side), the
 * flats on the map coloured and patterned by their score, and the card in a flat's popup. */

import { api, withQuery } from "./api.js";
import { $, el, fill, fromTemplate } from "./dom.js";
import { formatNumber, t } from "./i18n.js";
import { onFlatPopup, restyleFlats } from "./layers.js";
import { planBetween, state as planner } from "./planner.js";
import { selectTab } from "./tabs.js";

/** Score bands of the flat symbols: the lowest score of each (the legend says the same). */
const BANDS = [["good", 75], ["fair", 50], ["poor", 0]];
const MARKS = { reachable: "fa-circle-check", unreachable: "fa-circle-xmark", no_data: "fa-circle-minus" };

/** The panel's state: the flats of the chosen profile, the card shown and the homes compared (at most two). */
const state = { flats: [], flatsProfile: null, card: null, cardQuery: null, compare: [] };
let flatsRequest = null;

/** The profile chosen in the panel. */
export const housingProfile = () => $("housing-profile").value;

const bandOf = (score) => (score === null || score === undefined ? "none" : BANDS.find(([, lo]) => score >= lo)[0]);
const scoreText = (score) => (score === null || score === undefined ? t("housing.ui.score_none")
  : t("housing.ui.score_value", { value: score }));

/** A home's name on a card: the flat's address or name, the building's address, else the point. */
function homeName(card) {
  const h = card.home;
  if (h.flat) return h.flat.address || h.flat.name || h.flat.id;
  if (h.building && h.building.address) return h.building.address;
  return t("housing.ui.point", { lat: h.lat.toFixed(5), lon: h.lon.toFixed(5) });
}

// ------------------------------------------------------------------ the flats and their symbols

/** The flats with their scores for the panel's profile (loaded once per profile). */
function loadFlats() {
  const profile = housingProfile();
  if (state.flatsProfile !== profile || !flatsRequest) {
    state.flatsProfile = profile;
    flatsRequest = api(withQuery("/api/housing/flats", { profile })).then((fc) => {
      if (state.flatsProfile !== profile) return;
      state.flats = fc.features.map((f) => f.properties);
      renderFlats();
      const byId = Object.fromEntries(state.flats.map((p) => [p.id, p]));
      restyleFlats((id) => {
        const p = byId[id] || { score: null, name: id };
        return { cls: `flat score-${bandOf(p.score)}`, letter: p.score === null ? null : String(p.score),
          title: t("housing.ui.marker", { name: p.address || p.name || id, score: scoreText(p.score) }) };
      });
    }).catch((err) => {
      flatsRequest = null;
      $("housing-status").textContent = t("ui.error_generic", { message: err.message });
    });
  }
  return flatsRequest;
}

function renderFlats() {
  const min = Math.max(0, Math.min(100, Number($("housing-min-score").value) || 0));
  const placed = state.flats.filter((p) => p.score !== null);
  const shown = placed.filter((p) => p.score >= min);
  $("housing-flats").replaceChildren(...shown.map((p) => {
    const item = fill(fromTemplate("tpl-housing-flat"), {
      score: String(p.score),
      name: p.name || p.id,
      address: p.address,
      within: t("housing.ui.within", { within_10: p.within_10, within_15: p.within_15, counted: p.counted }),
    });
    item.dataset.flat = p.id;
    item.querySelector(".score-badge").classList.add(`score-${bandOf(p.score)}`);
    item.querySelector("[data-card]").dataset.card = p.id;
    item.querySelector("[data-compare]").dataset.compare = p.id;
    return item;
  }));
  $("housing-flats-count").textContent = t("housing.ui.flats_count", { n: shown.length, min });
  const unplaced = state.flats.length - placed.length;
  $("housing-flats-unplaced").textContent = unplaced ? t("housing.ui.flats_unplaced", { n: unplaced }) : "";
}

// ------------------------------------------------------------------ one card

/** The card of `query` ({flat} or {lat, lon}) for the panel's profile. */
function fetchCard(query) {
  const params = { profile: housingProfile() };
  if (query.flat) params.flat = query.flat;
  else params.at = `${query.lat.toFixed(6)},${query.lon.toFixed(6)}`;
  return api(withQuery("/api/housing/reach", params));
}

/** The route of a category as a share link of the map page (and in-page planning on click). */
function routeLink(card, c) {
  const params = new URLSearchParams(c.route.params);
  const text = c.relaxation ? t("housing.ui.route_relaxed") : t("housing.ui.route_link");
  const link = el("a", { href: `/?${params}` }, text);
  link.addEventListener("click", (ev) => {
    ev.preventDefault();
    const [fromLat, fromLon] = c.route.params.from.split(",").map(Number);
    const [toLat, toLon] = c.route.params.to.split(",").map(Number);
    selectTab($("tab-route"));
    planBetween({ lat: fromLat, lon: fromLon, label: homeName(card) },
      { lat: toLat, lon: toLon, label: c.destination.name || c.label }, card.profile,
      c.relaxation ? c.relaxation.change : {});
  });
  return link;
}

function sourceText(d) {
  return t("housing.ui.source", { source: t(`housing.source.${d.source}`, { ref: d.ref }) });
}

function categoryItem(card, c) {
  const d = c.destination;
  const route = c.status === "reachable" ? [
    t("housing.ui.verified", { pct: formatNumber(c.route.verified_share * 100, 0) }),
    c.route.worst_warning ? t("housing.ui.worst", { message: c.route.worst_warning.message })
      : t("housing.ui.no_warning"),
  ].join(" · ") : null;
  const item = fill(fromTemplate("tpl-housing-category"), {
    label: c.label,
    result: c.status === "reachable" ? t("unit.min", { value: formatNumber(c.minutes, 1) }) : c.text,
    destination: d ? [d.name || c.label, sourceText(d)].join(" – ") : null,
    route,
    reason: c.reason ? c.reason.message : null,
    relaxation: c.relaxation ? c.relaxation.text : null,
    link: c.route ? "-" : null,
  });
  item.classList.add(`reach-${c.status}`);
  item.querySelector(".reach-mark").classList.add(MARKS[c.status]);
  const placeholder = item.querySelector("[data-slot='link']");
  if (placeholder) placeholder.replaceWith(routeLink(card, c));
  return item;
}

function renderCard(card) {
  const h = card.home;
  const s = card.score;
  const flat = h.flat;
  const lift = flat && flat.lift ? t(`housing.ui.lift_${["yes", "no"].includes(flat.lift) ? flat.lift : "unknown"}`)
    : null;
  const root = fill(fromTemplate("tpl-housing-card"), {
    heading: t("housing.ui.card_heading", { home: homeName(card) }),
    address: flat && flat.name !== homeName(card) ? flat.name : null,
    precision: flat && flat.position_precision === "street" ? t("housing.ui.precision_street") : null,
    score: scoreText(s.value),
    profile: `(${card.profile_label})`,
    within: t("housing.ui.within", s),
    formula: s.formula,
    definition: s.definition,
    entrance: h.entrance.text,
    entrance_source: `(${h.entrance.source_text})`,
    lift,
    method: card.method,
  });
  root.querySelector(".score-badge").classList.add(`score-${bandOf(s.value)}`);
  root.querySelector("[data-categories]").replaceChildren(...card.categories.map((c) => categoryItem(card, c)));
  root.querySelector("[data-compare]").addEventListener("click", () => addToCompare(card));
  const box = $("housing-card");
  box.replaceChildren(root);
  box.hidden = false;
}

/** Open the card of a flat (`{flat: id}`) or of a point (`{lat, lon}`) in the panel, focused. */
export async function openCard(query) {
  selectTab($("tab-housing"));
  const status = $("housing-status");
  status.textContent = t("housing.ui.loading_card");
  state.cardQuery = query;
  try {
    const card = await fetchCard(query);
    if (state.cardQuery !== query) return;
    state.card = card;
    renderCard(card);
    status.textContent = t("housing.ui.card_ready", { home: homeName(card), score: scoreText(card.score.value) });
    $("housing-card-heading").focus();
  } catch (err) {
    status.textContent = t("ui.error_generic", { message: err.message });
  }
}

// ------------------------------------------------------------------ two homes side by side

function cell(c) {
  if (c.status !== "reachable") return c.text;
  return t("housing.reachable", { name: c.destination.name || c.label, minutes: formatNumber(c.minutes, 1) });
}

function renderCompare() {
  const [a, b] = state.compare;
  const box = $("housing-compare");
  $("housing-compare-clear").hidden = state.compare.length === 0;
  $("housing-compare-hint").textContent = state.compare.length === 1 ? t("housing.ui.compare_one")
    : t("housing.ui.compare_hint");
  $("housing-compare-hint").hidden = state.compare.length === 2;
  box.hidden = state.compare.length < 2;
  if (state.compare.length < 2) {
    box.replaceChildren();
    return;
  }
  const row = (label, ca, cb) => el("tr", {}, el("th", { scope: "row" }, label), el("td", {}, ca), el("td", {}, cb));
  const byCategory = (card) => Object.fromEntries(card.categories.map((c) => [c.category, c]));
  const ca = byCategory(a);
  const cb = byCategory(b);
  box.replaceChildren(el("table", { class: "ranking compare" },
    el("caption", {}, t("housing.ui.compare_caption", { a: homeName(a), b: homeName(b), profile: a.profile_label })),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("housing.ui.category")),
      el("th", { scope: "col" }, homeName(a)), el("th", { scope: "col" }, homeName(b)))),
    el("tbody", {},
      row(t("housing.ui.score"), scoreText(a.score.value), scoreText(b.score.value)),
      row(t("housing.ui.entrance"), a.home.entrance.text, b.home.entrance.text),
      ...a.categories.map((c) => row(c.label, cell(ca[c.category]), cell(cb[c.category]))))));
}

/** Add a card to the comparison (the older of two drops out; the same home is not added twice). */
function addToCompare(card) {
  const same = (x) => homeName(x) === homeName(card) && x.profile === card.profile;
  state.compare = [...state.compare.filter((x) => !same(x)), card].slice(-2);
  renderCompare();
  if (state.compare.length === 2) $("housing-compare").focus();
}

async function compareFlat(id) {
  try {
    addToCompare(await fetchCard({ flat: id }));
  } catch (err) {
    $("housing-status").textContent = t("ui.error_generic", { message: err.message });
  }
}

// ------------------------------------------------------------------ the card in a flat's popup

/** Cards handed to a popup's rebuilt content (by profile and flat) while Leaflet updates it. */
const popupCards = new Map();

function fillPopupCard(box, card, id) {
  const items = card.categories.filter((c) => c.status !== "no_data").map((c) =>
    el("li", { class: `reach-${c.status}` }, `${c.label}: `,
      c.status === "reachable" ? t("unit.min", { value: formatNumber(c.minutes, 1) }) : c.text));
  const open = el("button", { type: "button", class: "link" }, t("housing.ui.open_card"));
  open.addEventListener("click", () => openCard({ flat: id }));
  const compare = el("button", { type: "button", class: "link" }, t("housing.ui.compare_add"));
  compare.addEventListener("click", () => addToCompare(card));
  box.replaceChildren(
    el("p", {}, el("strong", {}, `${t("housing.ui.score")}: ${scoreText(card.score.value)}`),
      ` (${card.profile_label})`),
    el("p", { class: "meta" }, card.score.formula),
    el("ul", { class: "reach-compact" }, ...items),
    el("p", {}, `${t("housing.ui.entrance")}: ${card.home.entrance.text}`),
    el("div", { class: "actions" }, open, compare));
}

function popupCard(popup, p, marker) {
  const key = `${housingProfile()}|${p.id}`;
  const box = el("div", { class: "popup-card" }, el("p", {}, t("housing.ui.loading_card")));
  popup.append(box);
  if (popupCards.has(key)) {
    fillPopupCard(box, popupCards.get(key), p.id);
    return;
  }
  fetchCard({ flat: p.id }).then((card) => {
    if (!marker.isPopupOpen()) return;
    // rebuilding the popup's content (handed the card here) lets Leaflet lay it out and pan to it again; the next
    // opening asks again (confirmed reports may have changed the card)
    popupCards.set(key, card);
    marker.getPopup().update();
    popupCards.delete(key);
  }).catch((err) => {
    box.replaceChildren(el("p", {}, t("ui.error_generic", { message: err.message })));
  });
}

// ------------------------------------------------------------------ wiring

function onFlatAction(ev) {
  const button = ev.target.closest("button[data-card], button[data-compare]");
  if (!button) return;
  if (button.dataset.card) openCard({ flat: button.dataset.card });
  else compareFlat(button.dataset.compare);
}

/** Wire the panel and colour the flats on the map for the default profile. */
export function initHousing() {
  $("housing-flats").addEventListener("click", onFlatAction);
  $("housing-min-score").addEventListener("input", renderFlats);
  $("housing-profile").addEventListener("change", () => {
    loadFlats();
    if (state.cardQuery) openCard(state.cardQuery);
  });
  $("housing-card-start").addEventListener("click", () => {
    // any address by keyboard: the planner's search sets the start point, this opens its card
    if (!planner.from) $("housing-status").textContent = t("housing.ui.need_start");
    else openCard({ lat: planner.from.lat, lon: planner.from.lon });
  });
  $("housing-compare-clear").addEventListener("click", () => {
    state.compare = [];
    renderCompare();
  });
  onFlatPopup(popupCard);
  loadFlats();
}
