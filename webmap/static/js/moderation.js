/* Liberec bez bariér — moderation queue: sign in, list reports with history, change their status. */
(function () {
  "use strict";
  const { config, t, esc, api } = window.LBB;
  const $ = function (id) { return document.getElementById(id); };
  let csrf = null;
  let transitions = {};

  function say(text, isError) {
    $("mod-status").textContent = text;
    $("mod-status").classList.toggle("error", !!isError);
  }

  async function start() {
    try {
      const meta = await api("/api/reports/meta");
      transitions = meta.transitions || {};
    } catch (e) { transitions = {}; }
    if (config.me) signedIn(config.me);
    else { $("login-section").hidden = false; $("queue-section").hidden = true; }
  }

  function signedIn(me) {
    csrf = me.csrf_token;
    $("signed-in").textContent = t("signed_in_as", { name: me.name });
    $("login-section").hidden = true;
    $("queue-section").hidden = false;
    loadQueue();
  }

  $("login-form").addEventListener("submit", async function (ev) {
    ev.preventDefault();
    try {
      const me = await api("/api/auth/login", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ name: $("login-name").value, password: $("login-password").value }) });
      $("login-password").value = "";
      say("");
      signedIn(me);
      $("queue-heading").focus();
    } catch (err) { say(t("login_failed") + " " + err.message, true); $("login-name").focus(); }
  });

  $("logout").addEventListener("click", async function () {
    try { await api("/api/auth/logout", { method: "POST", headers: { "X-CSRF-Token": csrf || "" } }); } catch (e) { /* signed out anyway */ }
    csrf = null;
    $("queue-section").hidden = true;
    $("login-section").hidden = false;
  });

  $("status-filter").addEventListener("change", loadQueue);

  function categoryLabel(p) { return p.category_label ? p.category_label[config.lang] : p.category; }

  function reportItem(f) {
    const p = f.properties;
    const next = transitions[p.status] || [];
    const history = (p.history || []).map(function (h) {
      return "<li>" + esc(h.at) + " – " + esc(h.actor) + ": " + esc(h.from ? t("st_" + h.from) : "–") + " → " + esc(t("st_" + h.to)) +
        (h.note ? " (" + esc(h.note) + ")" : "") + "</li>";
    }).join("");
    const idp = "r" + p.id;
    return '<li class="report-item" id="report-' + p.id + '"><h4>' + esc(t("report_no", { id: p.id })) + ": " + esc(categoryLabel(p)) +
      "</h4><p>" + esc(t("barrier_severity", { s: p.severity })) + " · " + esc(t("st_" + p.status)) + " · " +
      esc(p.lat.toFixed(5)) + ", " + esc(p.lon.toFixed(5)) + " · " + esc(t("created")) + " " + esc(p.created_at) + "</p>" +
      (p.description ? '<p class="description">' + esc(p.description) + "</p>" : "") +
      (p.contact ? "<p>" + esc(p.contact) + "</p>" : "") +
      (p.photo_url ? '<p><img src="' + esc(p.photo_url) + '" alt="' + esc(t("photo")) + " – " + esc(t("report_no", { id: p.id })) + '"></p>' : "") +
      "<details><summary>" + esc(t("history")) + '</summary><ul class="history">' + history + "</ul></details>" +
      (next.length ? '<form class="action-row" data-id="' + p.id + '"><div class="field"><label for="' + idp + '-status">' + esc(t("actions")) +
        '</label><select id="' + idp + '-status" name="status">' + next.map(function (s) { return '<option value="' + esc(s) + '">' + esc(t("st_" + s)) + "</option>"; }).join("") +
        '</select></div><div class="field"><label for="' + idp + '-dup">' + esc(t("duplicate_of")) + '</label><input id="' + idp +
        '-dup" name="duplicate_of" type="number" min="1"></div><div class="field"><label for="' + idp + '-note">' + esc(t("note")) +
        '</label><input id="' + idp + '-note" name="note" type="text" maxlength="2000"></div><button type="submit" class="secondary">' +
        esc(t("apply")) + "</button></form>" : "") + "</li>";
  }

  async function loadQueue() {
    const statuses = $("status-filter").value;
    try {
      const fc = await api("/api/moderation/queue?" + new URLSearchParams({ status: statuses, limit: "200" }).toString());
      $("queue").innerHTML = fc.features.length ? fc.features.map(reportItem).join("") : "<li>" + esc(t("no_reports")) + "</li>";
    } catch (err) {
      if (err.status === 401) { $("queue-section").hidden = true; $("login-section").hidden = false; return; }
      say(t("error_generic", { message: err.message }), true);
    }
  }

  $("queue").addEventListener("submit", async function (ev) {
    const form = ev.target.closest("form[data-id]");
    if (!form) return;
    ev.preventDefault();
    const id = form.getAttribute("data-id");
    const data = new FormData(form);
    const body = { status: data.get("status") };
    if (data.get("note")) body.note = data.get("note");
    if (data.get("duplicate_of")) body.duplicate_of = Number(data.get("duplicate_of"));
    try {
      const r = await api("/api/reports/" + id + "/status", { method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf || "" },
        body: JSON.stringify(body) });
      say(t("status_changed", { id: id, status: t("st_" + r.status) }));
      loadQueue();
    } catch (err) { say(t("error_generic", { message: err.message }), true); }
  });

  start();
})();
