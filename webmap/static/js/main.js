/* Liberec bez bariér — entry point of the map page (loaded as a module, so after the page's folium script):
 * wires the map, its layers, the panel's tabs, the route planner, services, the report form, "Help verify" and
 * housing. */

import { $ } from "./dom.js";
import { initHousing, openCard } from "./housing.js";
import { initLayers, loadReports, showFlat } from "./layers.js";
import { initMap, map } from "./map.js";
import { initPlanner, planRoute, profileName, restoreFromUrl, setPointFromMap, state } from "./planner.js";
import { initReport, setReportPoint } from "./report.js";
import { initServices, loadServices, showService } from "./services.js";
import { initTabs, onTabSelect } from "./tabs.js";
import { initVerify, loadTasks } from "./verify.js";

/**
 * Test and debug hook, not an API of the app: browser tests and benchmarks/ui.py read `map` and
 * `layersDrawn` (how many times the viewport layers were redrawn); nothing in the app uses it.
 */
const app = { map, state, planRoute, loadReports, layersDrawn: 0 };
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

map.on("click", (ev) => {
  const mode = document.querySelector('input[name="click_mode"]:checked').value;
  if (mode === "report") setReportPoint(ev.latlng.lat, ev.latlng.lng);
  else if (mode === "card") openCard({ lat: ev.latlng.lat, lon: ev.latlng.lng });
  else setPointFromMap(mode, ev.latlng.lat, ev.latlng.lng);
});

restoreFromUrl();

// ?show=services:ID or ?show=flats:ID (the programme page links records this way): open that record
const [showLayer, showId] = (new URLSearchParams(window.location.search).get("show") || "").split(/:(.*)/s);
if (showLayer === "services" && showId) showService(showId);
else if (showLayer === "flats" && showId) showFlat(showId);
