/* Liberec bez bariér — entry point of the map page (loaded as a module, so after the page's folium script):
 * wires the map, its layers, the panel's tabs, the route planner, services, the report form, "Help verify" and
 * housing. */

import { $ } from "./dom.js";
import { initHousing, openCard } from "./housing.js";
import { initLayers, loadReports, showFlat } from "./layers.js";
import { groups, initMap, map } from "./map.js";
import { initPlanner, planRoute, profileName, restoreFromUrl, setPointFromMap, state } from "./planner.js";
import { initReport, setReportPoint } from "./report.js";
import { initServices, loadServices, showService } from "./services.js";
import { initTabs, onTabSelect, selectTab } from "./tabs.js";
import { initVerify, loadTasks } from "./verify.js";
import { t } from "./i18n.js";

/**
 * Test and debug hook, not an API of the app: browser tests and benchmarks/ui.py read `map`, `layersDrawn` (how
 * many times the viewport layers were redrawn) and `serviceMarkers()` (how many service markers are shown);
 * nothing in the app uses it.
 */
const app = { map, state, planRoute, loadReports, layersDrawn: 0,
  serviceMarkers: () => groups.services.getLayers().length };
window.LBB = { ...(window.LBB || {}), app };

initMap();
initTabs();
onTabSelect((tab) => {
  // the report tab makes a map click place the barrier, the housing tab open a reach card; leaving either returns
  // clicks to the start point
  if (tab.id === "tab-report") $("click-report").checked = true;
  else if (tab.id === "tab-housing") $("click-card").checked = true;
  else if ($("click-report").checked || $("click-card").checked) $("click-from").checked = true;
  if (tab.id === "tab-services") loadServices();
  if (tab.id === "tab-verify") loadTasks();
});
initPlanner();
initServices();
initReport();
initVerify({ profile: profileName });
initLayers({ profile: profileName, drawn: () => { app.layersDrawn += 1; } });
initHousing();

// on a phone the panel under the map can be folded away, giving the map the screen
$("panel-toggle").addEventListener("click", () => {
  const toggle = $("panel-toggle");
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  toggle.textContent = open ? toggle.dataset.hide : toggle.dataset.show;
  document.body.classList.toggle("panel-collapsed", !open);
  map.invalidateSize();
});

/** Unfold the panel (on a phone it may be folded away). */
function openPanel() {
  if ($("panel-toggle").getAttribute("aria-expanded") !== "true") $("panel-toggle").click();
}

map.on("click", (ev) => {
  const mode = document.querySelector('input[name="click_mode"]:checked').value;
  if (mode === "card") {
    openCard({ lat: ev.latlng.lat, lon: ev.latlng.lng });
    return;
  }
  if (mode !== "report") {
    setPointFromMap(mode, ev.latlng.lat, ev.latlng.lng);
    return;
  }
  // a barrier's place: open the report form at its location fields, with the place said in its status line
  setReportPoint(ev.latlng.lat, ev.latlng.lng);
  openPanel();
  if ($("tab-report").getAttribute("aria-selected") !== "true") selectTab($("tab-report"));
  $("report-location").scrollIntoView({ block: "center" });
  $("report-status").textContent = t("ui.report_point_set", { lat: ev.latlng.lat.toFixed(5),
    lon: ev.latlng.lng.toFixed(5) });
});

restoreFromUrl();

// ?show=services:ID or ?show=flats:ID (the programme page links records this way): open that record
const [showLayer, showId] = (new URLSearchParams(window.location.search).get("show") || "").split(/:(.*)/s);
if (showLayer === "services" && showId) showService(showId);
else if (showLayer === "flats" && showId) showFlat(showId);
