/* Liberec bez bariér — helpers shared by the pages: config, texts, escaping, JSON API calls. */
(function () {
  "use strict";
  const configEl = document.getElementById("lbb-config");
  const config = configEl ? JSON.parse(configEl.textContent) : { texts: {}, lang: "cs" };

  /** Text of the current language, with {name} placeholders filled. */
  function t(key, values) {
    let text = config.texts[key] || key;
    if (values) {
      Object.keys(values).forEach(function (k) {
        text = text.split("{" + k + "}").join(String(values[k]));
      });
    }
    return text;
  }

  /** HTML-escape any user or data text before it goes into markup. */
  function esc(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  /** Call the JSON API; rejects with an Error carrying the parsed error body. */
  async function api(path, options) {
    const resp = await fetch(path, Object.assign({ headers: { Accept: "application/json" } }, options || {}));
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (!resp.ok) {
      const err = new Error((body && body.message) || resp.statusText || String(resp.status));
      err.status = resp.status;
      err.body = body || {};
      throw err;
    }
    return body;
  }

  function fmtNumber(x, digits) {
    return Number(x).toLocaleString(config.lang === "cs" ? "cs-CZ" : "en-GB",
      { maximumFractionDigits: digits === undefined ? 1 : digits });
  }

  function fmtDistance(m) {
    if (m >= 1000) return fmtNumber(m / 1000, 1) + " km";
    return fmtNumber(Math.round(m / 5) * 5, 0) + " m";
  }

  function fmtDuration(s) {
    const min = Math.round(s / 60);
    if (min < 1) return (config.lang === "cs" ? "méně než 1 " : "under 1 ") + t("minutes_short");
    if (min < 60) return min + " " + t("minutes_short");
    const h = Math.floor(min / 60);
    return h + " h " + (min % 60) + " " + t("minutes_short");
  }

  /** Fold case and diacritics for local filtering ("Palác" → "palac"). */
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  window.LBB = { config: config, t: t, esc: esc, api: api, fmtNumber: fmtNumber, fmtDistance: fmtDistance,
    fmtDuration: fmtDuration, fold: fold };
})();
