/* Liberec bez bariér — social services: their markers, the searchable list, the nearest reachable services and
 * what can be reached within some minutes (isochrone) from the start point. */

import { api, withQuery } from "./api.js";
import { $, el, fill, fromTemplate } from "./dom.js";
import { fold, formatDuration, lang, t } from "./i18n.js";
import { groups, icon, latLonOf, map } from "./map.js";
import { planRoute, profileName, setPoint, state } from "./planner.js";
import { commitmentLinks, provenanceDetails, provenanceLine, statusText } from "./provenance.js";
import { selectTab } from "./tabs.js";

const L = window.L;

const SERVICE_ICONS = {
  community_centre: "fa-people-roof", social_services_office: "fa-hands-holding-child",
  housing_help: "fa-house-circle-check", homeless_hostel: "fa-bed", asylum_house: "fa-house-user",
  senior_advice: "fa-person-cane", advice_centre: "fa-circle-info", debt_counselling: "fa-scale-balanced",
  respite_care: "fa-hand-holding-heart", foster_care: "fa-children", early_care: "fa-baby",
  mental_health: "fa-brain", employment: "fa-briefcase", furniture_bank: "fa-couch",
  low_threshold_club: "fa-people-group", social_ambulance: "fa-truck-medical", public_office: "fa-landmark",
  social_facility: "fa-hand-holding-hand", preschool_club: "fa-child-reaching",
};
const WHEELCHAIR = ["yes", "limited", "no", "unknown"];

/** Every service (GeoJSON features; unplaced ones have no geometry) and the markers by service id. */
const services = { features: [], markers: {}, notice: null };
let loaded = null;

/** A name's trailing "(planned)", which a planned service's status already says. */
const PLANNED_IN_NAME = /\s*\((plánovan[áéýí]|planned)\)\s*$/i;

/** The service's name in the page language (curated names come in Czech and English), without repeating the
 * "planned" its status shows. */
function serviceName(p) {
  const name = (p.name && typeof p.name === "object" ? p.name[lang] || p.name.cs : p.name) || "";
  return p.status === "planned" ? name.replace(PLANNED_IN_NAME, "") : name;
}

const wheelchairOf = (p) => (WHEELCHAIR.includes(p.wheelchair) ? p.wheelchair : "unknown");
const precisionText = (p) => t(`ui.precision_${p.position_precision || "unknown"}`);
const categoryText = (p) => t(`service.category.${p.category}`);

/** The compact provenance of a record ("checked 2026-11 · 2 sources"), the per-field sources on demand and the
 * programme items it implements, appended after the element marked `data-provenance`. */
function addProvenance(root, p) {
  const links = commitmentLinks(p.commitments);
  root.querySelector("[data-provenance]").after(
    ...[provenanceDetails(p.provenance), links && el("div", { class: "meta" }, links)].filter(Boolean));
  return root;
}

function servicePopup(p) {
  const w = wheelchairOf(p);
  return addProvenance(fill(fromTemplate("tpl-service-popup"), {
    name: serviceName(p),
    category: categoryText(p),
    address: p.address,
    wheelchair: t(`ui.wheelchair_${w}`) + (p.wheelchair_note ? ` – ${p.wheelchair_note}` : ""),
    operator: p.operator,
    status: statusText(p.status, p.status_confirmed),
    precision: precisionText(p),
    provenance: provenanceLine(p.provenance_summary),
  }), p);
}

/** A card of the services list; `extra` is a line such as "12 min away". */
function serviceCard(f, extra = null) {
  const p = f.properties;
  const w = wheelchairOf(p);
  const card = addProvenance(fill(fromTemplate("tpl-service-card"), {
    name: serviceName(p),
    status: `(${statusText(p.status, p.status_confirmed)})`,
    meta: [categoryText(p), p.address].filter(Boolean).join(" · "),
    wheelchair: t(`ui.wheelchair_${w}`),
    precision: precisionText(p),
    extra,
    provenance: provenanceLine(p.provenance_summary),
  }), p);
  card.dataset.service = p.id;
  card.querySelector('[data-slot="wheelchair"]').classList.add(`badge-${w}`);
  const actions = card.querySelector(".actions");
  if (f.geometry) {
    actions.querySelector("[data-show]").dataset.show = p.id;
    actions.querySelector("[data-route-to]").dataset.routeTo = p.id;
  } else {
    actions.remove();
  }
  return card;
}

const serviceById = (id) => services.features.find((f) => String(f.properties.id) === String(id)) || null;

/** Load every service once (markers and list); resolves when done. */
export function loadServices() {
  if (!loaded) {
    loaded = api(withQuery("/api/layers/services", { bbox: "-180,-90,180,90", limit: "10000", unlocated: "1" }))
      .then((fc) => {
        services.features = fc.features;
        services.notice = fc.notice || null;
        groups.services.clearLayers();
        for (const f of fc.features) {
          if (!f.geometry) continue;
          const p = f.properties;
          const marker = L.marker(latLonOf(f.geometry), {
            icon: icon("", SERVICE_ICONS[p.category] || "fa-circle-info"), title: serviceName(p), alt: serviceName(p),
            keyboard: true,
          }).bindPopup(() => servicePopup(p));
          marker.addTo(groups.services);
          services.markers[p.id] = marker;
        }
        renderServiceList();
      })
      .catch((err) => {
        loaded = null;
        $("services-status").textContent = t("ui.error_generic", { message: err.message });
      });
  }
  return loaded;
}

function renderServiceList() {
  const q = fold($("service-q").value.trim());
  const category = $("service-category").value;
  const shown = services.features.filter((f) => {
    const p = f.properties;
    if (category && p.category !== category) return false;
    return !q || fold(`${serviceName(p)} ${p.address || ""} ${p.operator || ""} ${categoryText(p)}`).includes(q);
  });
  // the markers follow the list's filters
  const visible = new Set(shown.map((f) => String(f.properties.id)));
  for (const [id, marker] of Object.entries(services.markers)) {
    if (visible.has(id)) groups.services.addLayer(marker);
    else groups.services.removeLayer(marker);
  }
  $("services-list").replaceChildren(...shown.map((f) => serviceCard(f)));
  $("services-status").textContent = t("ui.services_count", { n: shown.length });
  const unplaced = shown.filter((f) => !f.geometry).length;
  $("services-unplaced").textContent = unplaced ? t("ui.services_unplaced", { n: unplaced }) : "";
  $("services-notice").textContent = services.notice || "";
  $("services-notice").hidden = !services.notice;
}

/** Show one service (as the programme page links to it): its marker's popup when it is placed, else its card in
 * the services list (the filters cleared), focused. */
export async function showService(id) {
  await loadServices();
  const f = serviceById(id);
  if (!f) return;
  const marker = services.markers[f.properties.id];
  if (f.geometry && marker) {
    groups.services.addLayer(marker);
    map.setView(latLonOf(f.geometry), Math.max(map.getZoom(), 17));
    marker.openPopup();
    return;
  }
  selectTab($("tab-services"));
  $("service-q").value = "";
  $("service-category").value = "";
  renderServiceList();
  const card = $("services-list").querySelector(`[data-service="${CSS.escape(String(f.properties.id))}"]`);
  if (card) {
    card.scrollIntoView({ block: "center" });
    card.focus();
  }
}

/** "Show on map" and "Route here" buttons of the cards. */
function onServiceAction(ev) {
  const button = ev.target.closest("button[data-show], button[data-route-to]");
  if (!button) return;
  const show = button.dataset.show;
  const f = serviceById(show || button.dataset.routeTo);
  if (!f || !f.geometry) return;
  const [lat, lon] = latLonOf(f.geometry);
  if (show) {
    map.setView([lat, lon], Math.max(map.getZoom(), 17));
    const marker = services.markers[show];
    if (marker) marker.openPopup();
  } else {
    setPoint("to", lat, lon, serviceName(f.properties));
    selectTab($("tab-route"), true);
    if (state.from) planRoute();
  }
}

/** Whether the start point is missing (then `statusElement` says so). */
function needFrom(statusElement) {
  if (state.from) return false;
  statusElement.textContent = t("ui.need_from");
  return true;
}

async function showNearest() {
  const status = $("services-status");
  if (needFrom(status)) return;
  await loadServices();
  const params = { at: `${state.from.lat},${state.from.lon}`, profile: profileName(), limit: "5" };
  if ($("service-category").value) params.category = $("service-category").value;
  if (!$("nearest-unknown").checked) params.wheelchair = "yes,limited";  // accessible or partly, unless asked
  status.textContent = t("ui.loading");
  try {
    const fc = await api(withQuery("/api/services/nearest", params));
    $("nearest-list").replaceChildren(...fc.features.map((f) => serviceCard(serviceById(f.properties.id) || f,
      f.properties.reachable ? t("ui.reachable_in", { duration: formatDuration(f.properties.duration_s) })
        : t("ui.unreachable"))));
    status.textContent = t("ui.services_count", { n: fc.features.length });
  } catch (err) {
    status.textContent = t("ui.error_generic", { message: err.message });
  }
}

async function showIsochrone() {
  const out = $("iso-result");
  if (needFrom(out)) return;
  const minutes = $("iso-minutes").value;
  out.textContent = t("ui.loading");
  try {
    const params = { at: `${state.from.lat},${state.from.lon}`, profile: profileName(), minutes };
    const fc = await api(withQuery("/api/isochrone", params));
    groups.isochrone.clearLayers();
    // amber with a dark dashed outline: it stands apart from the green, grey and red network under it
    const area = L.geoJSON(fc.features[0], { style: { color: "#5c3400", weight: 3, dashArray: "10 5",
      fillColor: "#f0a202", fillOpacity: 0.3 }, interactive: false }).addTo(groups.isochrone);
    if (area.getBounds().isValid()) map.fitBounds(area.getBounds(), { padding: [20, 20] });
    out.textContent = t("ui.isochrone_result", { minutes, n: fc.features.length - 1 });
  } catch (err) {
    out.textContent = t("ui.error_generic", { message: err.message });
  }
}

/** Wire the services panel. */
export function initServices() {
  $("services-list").addEventListener("click", onServiceAction);
  $("nearest-list").addEventListener("click", onServiceAction);
  $("service-q").addEventListener("input", renderServiceList);
  $("service-category").addEventListener("change", () => {
    if (services.features.length) renderServiceList();
  });
  $("nearest-button").addEventListener("click", showNearest);
  $("iso-button").addEventListener("click", showIsochrone);
}
