/* Liberec bez bariér — the route's elevation profile as an SVG chart with a text summary. */

import { el, svg } from "./dom.js";
import { formatDistance, formatNumber, t } from "./i18n.js";

const W = 360;
const H = 120;
const PAD = 28;
const BASE = H - 18;

/** Draw the profile of route properties `p` (elevation_profile: [[distance_m, metres or null], …]) in `figure`. */
export function renderElevation(figure, p) {
  const points = (p.elevation_profile || []).filter((e) => e[1] !== null);
  if (points.length < 2) {
    figure.replaceChildren(el("figcaption", {}, t("ui.elevation_none")));
    return;
  }
  const maxD = points[points.length - 1][0] || 1;
  const zs = points.map((e) => e[1]);
  const lowest = Math.min(...zs);
  const highest = Math.max(...zs);
  const zMin = lowest;
  const zMax = highest - lowest < 5 ? lowest + 5 : highest;
  const x = (d) => PAD + ((W - PAD - 6) * d) / maxD;
  const y = (z) => BASE - ((H - 30) * (z - zMin)) / (zMax - zMin);
  const line = points.map((e, i) => `${i ? "L" : "M"}${x(e[0]).toFixed(1)} ${y(e[1]).toFixed(1)}`).join(" ");
  const caption = t("ui.elevation_summary", { min: formatNumber(lowest, 0), max: formatNumber(highest, 0),
    length: formatDistance(maxD) });
  const label = (attrs, content) => svg("text", { "font-size": 10, fill: "#1f2328", ...attrs }, content);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": caption },
    svg("path", { d: `${line} L${x(maxD).toFixed(1)} ${BASE} L${PAD} ${BASE} Z`, fill: "#dbe9f7" }),
    svg("path", { d: line, fill: "none", stroke: "#0b5394", "stroke-width": 2 }),
    label({ x: 2, y: (y(zMax) + 4).toFixed(0) }, formatNumber(zMax, 0)),
    label({ x: 2, y: BASE }, formatNumber(zMin, 0)),
    label({ x: PAD, y: H - 4 }, "0"),
    label({ x: W - 50, y: H - 4 }, formatDistance(maxD)));
  figure.replaceChildren(chart, el("figcaption", {}, caption));
}
