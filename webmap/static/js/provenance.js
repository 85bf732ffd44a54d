/* Liberec bez bariér — where a record's facts come from, shown compactly: the one-line summary ("checked
 * 2026-11 · 2 sources"), the per-field details on demand, how fresh a status is ("last confirmed 2015"), the
 * programme items a record implements, and one source as a list item. */

import { el } from "./dom.js";
import { t } from "./i18n.js";

/** A source's publication date as text ("undated" in the page language). */
export const dateText = (published) => (!published || published === "undated" ? t("programme.undated") : published);

/** A source: its title (a link when it has a public URL), publisher and date. */
export function sourceItem(source) {
  const title = source.url ? el("a", { href: source.url, rel: "noopener noreferrer" }, source.title) : source.title;
  const rest = [source.publisher, dateText(source.published)].filter(Boolean).join(", ");
  return el("li", {}, title, ` – ${rest}`);
}

/** "checked 2026-11 · 2 sources" (or "no source") from a record's provenance summary. */
export function provenanceLine(summary) {
  if (!summary || !summary.sources) return t("provenance.none");
  return t("provenance.line", { checked: String(summary.checked_on || "").slice(0, 7), n: summary.sources });
}

/** A <details> listing, per sourced field, its sources and the day they were checked; null without provenance. */
export function provenanceDetails(provenance) {
  const fields = Object.entries(provenance || {});
  if (!fields.length) return null;
  const items = fields.map(([field, fact]) => el("li", {},
    `${t(`provenance.field.${field}`)}: `,
    ...fact.sources.flatMap((s, i) => [i ? "; " : "", s.url ? el("a", { href: s.url, rel: "noopener noreferrer" },
      s.title) : s.title, ` (${dateText(s.published)})`]),
    ` — ${t("provenance.line", { checked: fact.checked_on || "", n: fact.sources.length })}`));
  return el("details", { class: "provenance" }, el("summary", {}, t("provenance.details")),
    el("ul", {}, ...items));
}

/** The status in words, "last confirmed YEAR" when its newest dated source is older than three years. */
export function statusText(status, confirmed) {
  const plain = status === "planned" ? t("ui.status_planned")
    : t(`provenance.status_${status === "operating" ? "operating" : "unknown"}`);
  if (status !== "operating" || !confirmed) return plain;
  if (confirmed.stale === true) return t("provenance.last_confirmed", { year: confirmed.year });
  if (confirmed.stale === null) return t("provenance.undated_status", { status: plain });
  return plain;
}

/** "City programme: item 2.3, item 3.7" with links to the commitments on /programme; null when none. */
export function commitmentLinks(commitments) {
  if (!commitments || !commitments.length) return null;
  const links = commitments.flatMap((c, i) => [i ? ", " : "",
    el("a", { href: `/programme#c-${encodeURIComponent(c.id)}` }, t("provenance.commitment_link", { ref: c.ref }))]);
  return el("span", { class: "commitment-links" }, `${t("provenance.commitments", { refs: "" }).trim()} `, ...links);
}
