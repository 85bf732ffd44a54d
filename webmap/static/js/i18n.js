/* Liberec bez bariér — the page configuration, texts of the page language and number formatting.
 *
 * Texts are the raw catalogue templates of geo/i18n (sent in the page's #lbb-config) and are rendered
 * with the same syntax and number style as geo/i18n/format.py: `{name}` placeholders (numbers in the
 * language's style: "1,5" in Czech, at most two decimals, whole numbers not grouped) and ICU-style plurals
 * `{n, plural, one {# služba} few {# služby} other {# služeb}}` (branch by Intl.PluralRules, `#` is the
 * number, `=N {…}` matches one exact number). tests/webmap/test_script.py compares both renderers.
 */

const configElement = document.getElementById("lbb-config");

/** The page configuration (the JSON in #lbb-config): lang, texts and page-specific settings. */
export const config = configElement ? JSON.parse(configElement.textContent) : { lang: "cs", texts: {} };

/** The page language ("cs" or "en"). */
export const lang = config.lang || "cs";

const symbolCache = new Map();
const pluralRules = new Map();

/** Decimal and group symbols of `language` ("," and a no-break space in Czech). */
function symbols(language) {
  if (!symbolCache.has(language)) {
    const parts = new Intl.NumberFormat(language).formatToParts(12345.5);
    const find = (type, fallback) => (parts.find((p) => p.type === type) || { value: fallback }).value;
    symbolCache.set(language, { decimal: find("decimal", "."), group: find("group", ",") });
  }
  return symbolCache.get(language);
}

/** |x| with `digits` decimals, rounded like Python (the exact binary value; exact halves to even). */
function fixed(x, digits) {
  const abs = Math.abs(x);
  if (abs >= 1e21) return String(abs);
  // toFixed rounds the exact value of the double, as Python does, but takes exact halves up
  const exact = abs.toFixed(Math.min(100, digits + 40));
  const cut = exact.indexOf(".") + 1 + digits;
  const kept = exact.slice(0, cut).replace(/\.$/, "");
  if (exact[cut] !== "5" || !/^0*$/.test(exact.slice(cut + 1))) return abs.toFixed(digits);
  return Number(kept.slice(-1)) % 2 === 0 ? kept : (Number(kept) + 10 ** -digits).toFixed(digits);
}

/** `x` rounded to `digits` decimals like Python's round(): halves to even. */
export function roundHalfEven(x, digits = 0) {
  const r = Number(fixed(x, digits));
  return x < 0 ? -r : r;
}

/**
 * A number in the language's style, like format_number in Python: at most `digits` decimals, decimal comma
 * and no-break-space groups in Czech, "−" for minus; whole numbers (counts, ids, years) are not grouped.
 */
export function formatNumber(x, digits = 2, language = lang) {
  const n = Number(x);
  if (!Number.isFinite(n)) return n > 0 ? "∞" : n < 0 ? "−∞" : "–";
  if (Number.isInteger(n)) return String(n).replace("-", "−");
  const { decimal, group } = symbols(language);
  const [whole, fraction = ""] = fixed(n, digits).split(".");
  const decimals = fraction.replace(/0+$/, "");
  const text = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (decimals ? decimal + decimals : "");
  return (n < 0 && /[1-9]/.test(text) ? "−" : "") + text;
}

/** CLDR plural category of `n` in `language` ("one", "few", "many" or "other"). */
export function pluralCategory(n, language = lang) {
  if (!pluralRules.has(language)) pluralRules.set(language, new Intl.PluralRules(language));
  return pluralRules.get(language).select(Math.abs(Number(n)));
}

/** Index of the "}" closing the "{" at `start`. */
function closing(template, start) {
  let depth = 0;
  for (let i = start; i < template.length; i += 1) {
    if (template[i] === "{") depth += 1;
    else if (template[i] === "}") {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced braces in message template ${JSON.stringify(template)}`);
}

/** "one {…} few {…} other {…}" → {one: "…", few: "…", other: "…"}. */
function branches(body) {
  const out = {};
  let i = 0;
  while (i < body.length) {
    if (/\s/.test(body[i])) {
      i += 1;
      continue;
    }
    const open = body.indexOf("{", i);
    if (open < 0) throw new Error(`plural branch without text in ${JSON.stringify(body)}`);
    const end = closing(body, open);
    out[body.slice(i, open).trim()] = body.slice(open + 1, end);
    i = end + 1;
  }
  return out;
}

function valueText(v, language) {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return formatNumber(v, 2, language);
  return String(v);
}

/** Render `template`; inside a plural branch (`number` given) "#" is that number. */
function renderIn(template, language, values, number) {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === "#" && number !== undefined) {
      out += valueText(number, language);
      i += 1;
      continue;
    }
    if (ch !== "{") {
      out += ch;
      i += 1;
      continue;
    }
    const end = closing(template, i);
    const inner = template.slice(i + 1, end);
    const comma = inner.indexOf(",");
    const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
    const rest = comma < 0 ? "" : inner.slice(comma + 1);
    const known = Object.hasOwn(values, name);
    if (rest.trim().startsWith("plural")) {
      if (known) {
        const n = values[name];
        const choices = branches(rest.slice(rest.indexOf(",") + 1));
        const chosen = choices[`=${n}`] ?? choices[pluralCategory(n, language)] ?? choices.other ?? "";
        out += renderIn(chosen, language, values, n);
      } else {
        out += `{${name}}`;
      }
    } else {
      out += known ? valueText(values[name], language) : template.slice(i, end + 1);
    }
    i = end + 1;
  }
  return out;
}

/** Fill a message template; a placeholder without a value stays as it is (so a missing value shows). */
export function render(template, language, values = {}) {
  return renderIn(template, language, values, undefined);
}

/** Catalogue text `key` in the page language, filled with `values` (the key itself when unknown). */
export function t(key, values = {}) {
  const template = config.texts ? config.texts[key] : undefined;
  return template === undefined ? key : render(template, lang, values);
}

/** A distance: "850 m" (to 5 m) below a kilometre, "1,2 km" above. */
export function formatDistance(m) {
  if (m >= 1000) return t("unit.km", { value: roundHalfEven(m / 1000, 1) });
  return t("unit.m", { value: roundHalfEven(m / 5) * 5 });
}

/** A duration: "under 1 min", "12 min" or "1 h 5 min". */
export function formatDuration(s) {
  const minutes = roundHalfEven(s / 60);
  if (minutes < 1) return t("unit.under_minute");
  if (minutes < 60) return t("unit.min", { value: minutes });
  return t("unit.h_min", { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

/** Fold case and diacritics for local filtering ("Palác" → "palac"). */
export function fold(text) {
  return String(text ?? "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}
