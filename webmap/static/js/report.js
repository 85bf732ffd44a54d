/* Liberec bez bariér — the barrier report form: its location (map click or map centre) and sending it. */

import { api } from "./api.js";
import { $ } from "./dom.js";
import { t } from "./i18n.js";
import { groups, icon, map } from "./map.js";

const L = window.L;
let pin = null;

function removePin() {
  if (pin) groups.route.removeLayer(pin);
  pin = null;
}

/** Put the report's location at `lat`, `lon` (form fields and a pin on the map). */
export function setReportPoint(lat, lon) {
  $("report-lat").value = lat.toFixed(6);
  $("report-lon").value = lon.toFixed(6);
  removePin();
  pin = L.marker([lat, lon], { icon: icon("point report-pin", null, { letter: "!", popup: false }),
    title: t("ui.report_location"), keyboard: true }).addTo(groups.route);
}

async function submitReport(ev) {
  ev.preventDefault();
  const form = $("report-form");
  const status = $("report-status");
  status.classList.remove("error");
  if (!$("report-lat").value || !$("report-lon").value) {
    status.textContent = t("ui.report_need_location");
    status.classList.add("error");
    $("report-lat").focus();
    return;
  }
  const data = new FormData(form);
  if (!$("report-photo").files.length) data.delete("photo");
  for (const key of ["valid_until", "contact"]) if (!data.get(key)) data.delete(key);
  status.textContent = t("ui.loading");
  try {
    const body = await api("/api/reports", { method: "POST", body: data });
    status.textContent = t("ui.report_thanks", { id: String(body.id) });
    form.reset();
    removePin();
  } catch (err) {
    status.classList.add("error");
    status.textContent = t("ui.error_generic", { message: err.message });
  }
}

/** Wire the report form. */
export function initReport() {
  $("report-centre").addEventListener("click", () => {
    const c = map.getCenter();
    setReportPoint(c.lat, c.lng);
  });
  $("report-form").addEventListener("submit", submitReport);
}
