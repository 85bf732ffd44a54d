/* Liberec bez bariér — the map page: layers per viewport, route planner, services, reports. */
(function () {
  "use strict";
  const L = window.L;
  const { config, t, esc, api, fmtNumber, fmtDistance, fmtDuration, fold } = window.LBB;
  const map = window[config.map];
  const groups = {};
  Object.keys(config.groups).forEach(function (k) { groups[k] = window[config.groups[k]]; });
  const $ = function (id) { return document.getElementById(id); };

  const state = { from: null, to: null, markers: {}, services: [], serviceMarkers: {}, reportPin: null,
    lastRouteParams: null };

  map.getContainer().setAttribute("aria-label", t("map_label"));
  map.createPane("lbbRoute").style.zIndex = 450;
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" lang="en">Leaflet</a>');
  map.attributionControl.addAttribution(esc(t("osm_copyright")));

  // ------------------------------------------------------------------ base map (only when online)
  if (config.tileUrl) {
    const tiles = L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: "© OpenStreetMap" });
    const control = window[config.layerControl];
    if (control) control.addOverlay(tiles, esc(t("layer_basemap")));
    const probe = new Image();
    probe.onload = function () { tiles.addTo(map); tiles.bringToBack(); };
    probe.src = config.tileUrl.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0");
  }

  // ------------------------------------------------------------------ tabs (WAI-ARIA tabs pattern)
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  function selectTab(tab, focus) {
    tabs.forEach(function (other) {
      const on = other === tab;
      other.setAttribute("aria-selected", on ? "true" : "false");
      other.tabIndex = on ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !on;
    });
    if (focus) tab.focus();
    if (tab.id === "tab-report") $("click-report").checked = true;
    else if ($("click-report").checked) $("click-from").checked = true;
    if (tab.id === "tab-services") loadServices();
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { selectTab(tab, false); });
    tab.addEventListener("keydown", function (ev) {
      let j = null;
      if (ev.key === "ArrowRight") j = (i + 1) % tabs.length;
      else if (ev.key === "ArrowLeft") j = (i - 1 + tabs.length) % tabs.length;
      else if (ev.key === "Home") j = 0;
      else if (ev.key === "End") j = tabs.length - 1;
      if (j !== null) { ev.preventDefault(); selectTab(tabs[j], true); }
    });
  });

  // ------------------------------------------------------------------ layers per viewport
  const ACCESS_STYLE = {
    accessible: { color: "#1a7f37", dashArray: null, weight: 4 },
    unverified: { color: "#0969da", dashArray: "8 4", weight: 4 },
    difficult: { color: "#9a4100", dashArray: "3 3", weight: 4 },
    impassable: { color: "#b3261e", dashArray: "1 5", weight: 6 },
  };
  const VIEWPORT_MIN_ZOOM = 15;
  const seq = {};

  function bboxParam() {
    const b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(6); }).join(",");
  }

  function profileName() { return $("profile").value; }

  async function loadViewportLayer(key, layerName, style) {
    const group = groups[key];
    if (!map.hasLayer(group)) return;
    if (map.getZoom() < VIEWPORT_MIN_ZOOM) { group.clearLayers(); return "zoom"; }
    const mine = (seq[key] = (seq[key] || 0) + 1);
    const params = new URLSearchParams({ bbox: bboxParam(), limit: "4000", profile: profileName() });
    const fc = await api("/api/layers/" + layerName + "?" + params.toString());
    if (mine !== seq[key]) return;
    group.clearLayers();
    L.geoJSON(fc, style).addTo(group);
    return fc.truncated ? "truncated" : "ok";
  }

  function networkStyle() {
    return {
      style: function (f) {
        const s = ACCESS_STYLE[f.properties.access] || ACCESS_STYLE.unverified;
        return { color: s.color, weight: s.weight, dashArray: s.dashArray, opacity: 0.9 };
      },
      onEachFeature: function (f, layer) {
        const p = f.properties;
        layer.bindTooltip(esc((p.name || p.highway || "") + " – " + t("access_" + p.access)), { sticky: true });
      },
    };
  }

  function coverageStyle() {
    return {
      style: function (f) {
        const p = f.properties;
        const known = (p.surface_class !== "unknown") + (p.incline_pct !== null) + (p.width_m !== null);
        const colour = known === 3 ? "#1a7f37" : known === 0 ? "#6e7781" : "#9a4100";
        return { color: colour, weight: 3, dashArray: known === 3 ? null : known === 0 ? "1 4" : "4 3", opacity: 0.9 };
      },
    };
  }

  function buildingStyle() {
    return { style: { color: "#8c959f", weight: 1, fillColor: "#d0d7de", fillOpacity: 0.6 }, interactive: false };
  }

  function barrierStyle() {
    return {
      pointToLayer: function (f, latlng) {
        const s = f.properties.severity || 1;
        return L.circleMarker(latlng, { radius: 3 + 2 * s, color: "#b3261e", weight: 2, fillColor: "#fff", fillOpacity: 1 });
      },
      style: function (f) { return { color: "#b3261e", weight: 3 + (f.properties.severity || 1), opacity: 0.8 }; },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(esc(f.properties.reason || f.properties.category) + " – " +
          esc(t("barrier_severity", { s: f.properties.severity })));
      },
    };
  }

  let viewportTimer = null;
  function refreshViewport() {
    clearTimeout(viewportTimer);
    viewportTimer = setTimeout(async function () {
      const results = await Promise.all([
        loadViewportLayer("network", "network", networkStyle()),
        loadViewportLayer("coverage", "network", coverageStyle()),
        loadViewportLayer("buildings", "buildings", buildingStyle()),
        loadViewportLayer("barriers", "barriers", barrierStyle()),
      ].map(function (p) { return p.catch(function () { return "error"; }); }));
      $("map-note").textContent = results.indexOf("zoom") >= 0 ? t("zoom_in_for")
        : results.indexOf("truncated") >= 0 ? t("truncated") : "";
      if (window.LBB.app) window.LBB.app.layersDrawn = (window.LBB.app.layersDrawn || 0) + 1;
    }, 200);
  }
  map.on("moveend overlayadd", refreshViewport);

  // ------------------------------------------------------------------ point layers (loaded once)
  function icon(cls, fa, label) {
    return L.divIcon({ className: "", html: '<span class="lbb-icon ' + cls + '"><span class="fa-solid ' + fa +
      '" aria-hidden="true"></span></span>', iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -12] });
  }

  const SERVICE_ICONS = { community_centre: "fa-people-roof", social_services_office: "fa-hands-holding-child",
    housing_help: "fa-house-circle-check", homeless_hostel: "fa-bed", asylum_house: "fa-house-user",
    senior_advice: "fa-person-cane", advice_centre: "fa-circle-info", debt_counselling: "fa-scale-balanced",
    respite_care: "fa-hand-holding-heart", foster_care: "fa-children", early_care: "fa-baby",
    mental_health: "fa-brain", employment: "fa-briefcase", furniture_bank: "fa-couch",
    low_threshold_club: "fa-people-group", social_ambulance: "fa-truck-medical", public_office: "fa-landmark",
    social_facility: "fa-hand-holding-hand" };

  function serviceName(p) { return (p.name && (p.name[config.lang] || p.name.cs)) || p.name || ""; }

  function servicePopup(p) {
    const w = p.wheelchair || "unknown";
    return "<h3>" + esc(serviceName(p)) + "</h3><p>" + esc(t("svc_" + p.category)) + "</p>" +
      (p.address ? "<p>" + esc(t("address")) + ": " + esc(p.address) + "</p>" : "") +
      "<p>" + esc(t("wheelchair")) + ": " + esc(t("wheelchair_" + w)) + (p.wheelchair_note ? " – " + esc(p.wheelchair_note) : "") + "</p>" +
      (p.operator ? "<p>" + esc(t("operator")) + ": " + esc(p.operator) + "</p>" : "") +
      "<p>" + esc(t("precision")) + ": " + esc(t("precision_" + (p.position_precision || "unknown"))) + "</p>" +
      "<p>" + esc(t("source")) + ": " + esc(p.source || "") + "</p>";
  }

  let servicesLoaded = null;
  function loadServices() {
    if (!servicesLoaded) {
      const params = new URLSearchParams({ bbox: "-180,-90,180,90", limit: "10000", unlocated: "1" });
      servicesLoaded = api("/api/layers/services?" + params.toString()).then(function (fc) {
        state.services = fc.features;
        groups.services.clearLayers();
        fc.features.forEach(function (f) {
          if (!f.geometry) return;
          const p = f.properties;
          const m = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
            icon: icon("", SERVICE_ICONS[p.category] || "fa-circle-info"), title: serviceName(p), alt: serviceName(p),
            keyboard: true,
          }).bindPopup(servicePopup(p));
          m.addTo(groups.services);
          state.serviceMarkers[p.id] = m;
        });
        renderServiceList();
      }).catch(function (err) { servicesLoaded = null; $("services-status").textContent = t("error_generic", { message: err.message }); });
    }
    return servicesLoaded;
  }

  function renderServiceList() {
    const q = fold($("service-q").value.trim());
    const cat = $("service-category").value;
    const list = $("services-list");
    const shown = state.services.filter(function (f) {
      const p = f.properties;
      if (cat && p.category !== cat) return false;
      if (!q) return true;
      return fold(serviceName(p) + " " + (p.address || "") + " " + (p.operator || "") + " " + t("svc_" + p.category)).indexOf(q) >= 0;
    });
    list.innerHTML = shown.map(function (f) { return serviceCard(f, null); }).join("");
    $("services-status").textContent = t("services_count", { n: shown.length });
    const unplaced = shown.filter(function (f) { return !f.geometry; }).length;
    $("services-unplaced").textContent = unplaced ? t("services_unplaced", { n: unplaced }) : "";
  }

  function serviceCard(f, extra) {
    const p = f.properties;
    const w = p.wheelchair || "unknown";
    const placed = !!f.geometry;
    return '<li><span class="name">' + esc(serviceName(p)) + "</span>" +
      (p.status === "planned" ? " (" + esc(t("status_planned")) + ")" : "") +
      '<div class="meta">' + esc(t("svc_" + p.category)) + (p.address ? " · " + esc(p.address) : "") + "</div>" +
      '<div class="meta"><span class="badge badge-' + esc(w) + '">' + esc(t("wheelchair_" + w)) + "</span> · " +
      esc(t("precision")) + ": " + esc(t("precision_" + (p.position_precision || "unknown"))) + "</div>" +
      (extra ? '<div class="meta">' + extra + "</div>" : "") +
      '<div class="meta">' + esc(t("source")) + ": " + esc(p.source || "") + "</div>" +
      (placed ? '<div class="actions"><button type="button" class="link" data-show="' + esc(p.id) + '">' + esc(t("show_on_map")) +
        '</button><button type="button" class="link" data-route-to="' + esc(p.id) + '">' + esc(t("route_here")) + "</button></div>" : "") +
      "</li>";
  }

  function serviceById(id) {
    return state.services.find(function (f) { return f.properties.id === id; }) || null;
  }

  function onServiceAction(ev) {
    const show = ev.target.getAttribute("data-show");
    const to = ev.target.getAttribute("data-route-to");
    const f = serviceById(show || to);
    if (!f || !f.geometry) return;
    const [lon, lat] = f.geometry.coordinates;
    if (show) {
      map.setView([lat, lon], Math.max(map.getZoom(), 17));
      const m = state.serviceMarkers[show];
      if (m) m.openPopup();
    } else {
      setPoint("to", lat, lon, serviceName(f.properties));
      selectTab($("tab-route"), true);
      if (state.from) planRoute();
    }
  }
  $("services-list").addEventListener("click", onServiceAction);
  $("nearest-list").addEventListener("click", onServiceAction);
  $("service-q").addEventListener("input", renderServiceList);
  $("service-category").addEventListener("change", function () { if (state.services.length) renderServiceList(); });

  function loadStaticLayers() {
    const everywhere = "-180,-90,180,90";
    api("/api/layers/flats?bbox=" + everywhere + "&limit=10000").then(function (fc) {
      L.geoJSON(fc, {
        pointToLayer: function (f, latlng) {
          return L.marker(latlng, { icon: icon("flat", "fa-building-user"), title: f.properties.address || "", keyboard: true });
        },
        onEachFeature: function (f, layer) {
          const p = f.properties;
          layer.bindPopup("<h3>" + esc(p.address || p.name || "") + "</h3>" +
            (p.units_total !== null && p.units_total !== undefined ? "<p>" + esc(t("flats_units", { n: p.units_total })) + "</p>" : "") +
            (p.units_accessible !== null && p.units_accessible !== undefined ? "<p>" + esc(t("flats_accessible", { n: p.units_accessible })) + "</p>" : "") +
            "<p>" + esc(t("source")) + ": " + esc(p.source || "") + "</p>");
        },
      }).addTo(groups.flats);
    }).catch(function () {});
    api("/api/layers/stops?bbox=" + everywhere + "&limit=10000").then(function (fc) {
      L.geoJSON(fc, {
        pointToLayer: function (f, latlng) {
          const wb = String(f.properties.wheelchair_boarding || 0);
          const label = (f.properties.name || "") + " – " + t("stop_wheelchair_" + wb);
          return L.marker(latlng, { icon: icon("stop" + (wb === "1" ? " ok" : ""), wb === "1" ? "fa-wheelchair" : "fa-bus"),
            title: label, keyboard: true }).bindPopup(esc(label));
        },
      }).addTo(groups.stops);
    }).catch(function () {});
    loadReports();
  }

  function loadReports() {
    api("/api/reports?status=confirmed,planned,in_progress&limit=1000").then(function (fc) {
      groups.reports.clearLayers();
      L.geoJSON(fc, {
        pointToLayer: function (f, latlng) {
          const label = (f.properties.category_label ? f.properties.category_label[config.lang] : f.properties.category);
          return L.marker(latlng, { icon: icon("report", "fa-triangle-exclamation"), title: label, keyboard: true });
        },
        onEachFeature: function (f, layer) {
          const p = f.properties;
          layer.bindPopup("<h3>" + esc(p.category_label ? p.category_label[config.lang] : p.category) + "</h3><p>" +
            esc(t("barrier_severity", { s: p.severity })) + " · " + esc(t("st_" + p.status)) + "</p>" +
            (p.description ? "<p>" + esc(p.description) + "</p>" : ""));
        },
      }).addTo(groups.reports);
    }).catch(function () {});
  }

  // ------------------------------------------------------------------ points and the search combobox
  function pointMarker(which, lat, lon, label) {
    const letter = which === "from" ? "A" : "B";
    const m = L.marker([lat, lon], {
      icon: L.divIcon({ className: "", html: '<span class="lbb-icon point ' + which + '">' + letter + "</span>",
        iconSize: [28, 28], iconAnchor: [14, 14] }),
      title: t(which) + ": " + label, keyboard: true, draggable: true,
    });
    m.on("dragend", function () {
      const ll = m.getLatLng();
      setPoint(which, ll.lat, ll.lng, t("point_on_map", { lat: ll.lat.toFixed(5), lon: ll.lng.toFixed(5) }));
      if (state.from && state.to) planRoute();
    });
    return m;
  }

  function setPoint(which, lat, lon, label) {
    state[which] = { lat: lat, lon: lon, label: label };
    $(which + "-input").value = label;
    if (state.markers[which]) groups.route.removeLayer(state.markers[which]);
    state.markers[which] = pointMarker(which, lat, lon, label).addTo(groups.route);
  }

  function setupCombobox(which) {
    const input = $(which + "-input");
    const list = $(which + "-list");
    let results = [];
    let active = -1;
    let timer = null;
    let reqNo = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(i) {
      active = i;
      Array.from(list.children).forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      if (i >= 0 && list.children[i]) {
        input.setAttribute("aria-activedescendant", list.children[i].id);
        list.children[i].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }
    function choose(i) {
      const r = results[i];
      if (!r) return;
      setPoint(which, r.lat, r.lon, r.label);
      close();
      map.panTo([r.lat, r.lon]);
    }
    function render() {
      if (!results.length) {
        list.innerHTML = '<li role="option" id="' + which + '-none" aria-disabled="true" aria-selected="false">' + esc(t("no_suggestions")) + "</li>";
      } else {
        list.innerHTML = results.map(function (r, i) {
          return '<li role="option" id="' + which + "-opt-" + i + '" aria-selected="false">' + esc(r.label) +
            (r.detail ? '<span class="detail">' + esc(r.detail) + "</span>" : "") + "</li>";
        }).join("");
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    async function search() {
      const q = input.value.trim();
      if (q.length < 2) { results = []; close(); return; }
      const mine = ++reqNo;
      try {
        const body = await api("/api/search?" + new URLSearchParams({ q: q, limit: "8" }).toString());
        if (mine !== reqNo) return;
        results = body.results.filter(function (r) { return r.lat !== null && r.lon !== null; });
        render();
      } catch (err) { results = []; close(); }
    }
    input.addEventListener("input", function () {
      state[which] = null;
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") {
        ev.preventDefault();
        if (list.hidden) { search(); return; }
        if (results.length) highlight(Math.min(active + 1, results.length - 1));
      } else if (ev.key === "ArrowUp") {
        ev.preventDefault();
        if (results.length) highlight(Math.max(active - 1, 0));
      } else if (ev.key === "Enter") {
        if (!list.hidden && results.length) {
          ev.preventDefault();
          choose(active >= 0 ? active : 0);
        }
      } else if (ev.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    list.addEventListener("mousedown", function (ev) {
      const li = ev.target.closest("li[id^='" + which + "-opt-']");
      if (li) { ev.preventDefault(); choose(Number(li.id.split("-").pop())); }
    });
  }
  setupCombobox("from");
  setupCombobox("to");

  $("locate").addEventListener("click", function () {
    if (!navigator.geolocation) { $("route-status").textContent = t("my_location_failed"); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPoint("from", pos.coords.latitude, pos.coords.longitude, t("my_location"));
      map.panTo([pos.coords.latitude, pos.coords.longitude]);
    }, function () { $("route-status").textContent = t("my_location_failed"); }, { timeout: 10000 });
  });

  $("swap").addEventListener("click", function () {
    const a = state.from;
    const b = state.to;
    ["from", "to"].forEach(function (w) {
      if (state.markers[w]) { groups.route.removeLayer(state.markers[w]); state.markers[w] = null; }
      state[w] = null;
      $(w + "-input").value = "";
    });
    if (b) setPoint("from", b.lat, b.lon, b.label);
    if (a) setPoint("to", a.lat, a.lon, a.label);
    if (state.from && state.to) planRoute();
  });

  // ------------------------------------------------------------------ profile and limits
  const LIMITS = ["max_uphill_pct", "max_downhill_pct", "max_kerb_cm", "min_width_m"];
  function showLimitValue(key) {
    $(key + "-value").textContent = fmtNumber(Number($(key).value), 2);
  }
  function applyProfileDefaults() {
    const p = config.profiles[profileName()];
    LIMITS.forEach(function (key) {
      const el = $(key);
      const v = p[key];
      el.disabled = v === null;
      el.value = v === null ? el.max : v;
      el.dataset.defaultValue = el.value;
      showLimitValue(key);
      el.setAttribute("aria-valuetext", v === null ? "–" : String(el.value));
      if (v === null) $(key + "-value").textContent = "–";
    });
    $("avoid_unknown").checked = !!p.avoid_unknown;
    $("allow_steps").checked = p.steps === "allowed";
    $("allow_steps").disabled = p.steps === "allowed";
  }
  LIMITS.forEach(function (key) {
    $(key).addEventListener("input", function () { showLimitValue(key); $(key).setAttribute("aria-valuetext", $(key).value); });
  });
  $("profile").addEventListener("change", function () {
    applyProfileDefaults();
    refreshViewport();
    if (state.from && state.to) planRoute();
  });
  $("reset-limits").addEventListener("click", applyProfileDefaults);

  function routeParams() {
    const params = new URLSearchParams();
    params.set("from", state.from.lat.toFixed(6) + "," + state.from.lon.toFixed(6));
    params.set("to", state.to.lat.toFixed(6) + "," + state.to.lon.toFixed(6));
    params.set("profile", profileName());
    LIMITS.forEach(function (key) {
      const el = $(key);
      if (!el.disabled && el.value !== el.dataset.defaultValue) params.set(key, el.value);
    });
    const p = config.profiles[profileName()];
    if ($("avoid_unknown").checked !== !!p.avoid_unknown) params.set("avoid_unknown", $("avoid_unknown").checked ? "true" : "false");
    if (!$("allow_steps").disabled && $("allow_steps").checked) params.set("allow_steps", "true");
    return params;
  }

  // ------------------------------------------------------------------ routing
  let routeLayer = null;
  async function planRoute(extra) {
    const status = $("route-status");
    status.classList.remove("error");
    $("route-problem").hidden = true;
    if (!state.from || !state.to) { status.textContent = t("need_from_to"); status.classList.add("error"); return; }
    const params = routeParams();
    if (extra) Object.keys(extra).forEach(function (k) { params.set(k, String(extra[k])); });
    status.textContent = t("loading");
    try {
      const fc = await api("/api/route?" + params.toString());
      renderRoute(fc, params);
    } catch (err) {
      $("route-result").hidden = true;
      if (routeLayer) { groups.route.removeLayer(routeLayer); routeLayer = null; }
      status.classList.add("error");
      if (err.status === 404 && err.body.error === "no_route") {
        status.textContent = t("no_route");
        renderProblem(err.body);
      } else if (err.status === 422) {
        status.textContent = t("outside_area") + " " + err.message;
      } else {
        status.textContent = t("error_generic", { message: err.message });
      }
    }
  }

  function relaxText(change) {
    return Object.keys(change).map(function (k) {
      if (k === "allow_steps") return t("relax_allow_steps");
      if (k === "avoid_unknown") return t("relax_avoid_unknown");
      return t("relax_" + k, { v: fmtNumber(change[k], 2) });
    }).join(", ");
  }

  function renderProblem(body) {
    const box = $("route-problem");
    const relax = body.relaxations || [];
    box.innerHTML = "<p>" + esc(body.message) + "</p>" + (relax.length ? "<p>" + esc(t("try_relax")) + "</p><ul>" +
      relax.map(function (c, i) { return '<li><button type="button" class="link" data-relax="' + i + '">' + esc(relaxText(c)) + "</button></li>"; }).join("") +
      "</ul>" : "");
    box.hidden = false;
    box.querySelectorAll("[data-relax]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        const change = relax[Number(btn.getAttribute("data-relax"))];
        applyRelaxation(change);
        planRoute();
      });
    });
  }

  function applyRelaxation(change) {
    Object.keys(change).forEach(function (k) {
      if (k === "allow_steps") $("allow_steps").checked = !!change[k];
      else if (k === "avoid_unknown") $("avoid_unknown").checked = !!change[k];
      else { $(k).value = change[k]; showLimitValue(k); }
    });
    $("advanced").open = true;
  }

  function renderRoute(fc, params) {
    const route = fc.features[0];
    const p = route.properties;
    if (routeLayer) groups.route.removeLayer(routeLayer);
    routeLayer = L.layerGroup([
      L.geoJSON(route, { style: { color: "#ffffff", weight: 10, opacity: 0.95 }, interactive: false, pane: "lbbRoute" }),
      L.geoJSON(route, { style: { color: "#3b1f6e", weight: 6, opacity: 1 }, pane: "lbbRoute" }),
    ]).addTo(groups.route);
    fc.features.slice(1).forEach(function (w) {
      if (w.geometry && w.geometry.type === "Point") {
        L.circleMarker([w.geometry.coordinates[1], w.geometry.coordinates[0]], { radius: 6, color: "#9a4100", weight: 2,
          fillColor: "#fff3cd", fillOpacity: 1, pane: "lbbRoute" }).bindTooltip(esc(w.properties.message[config.lang])).addTo(routeLayer);
      }
    });
    map.fitBounds(L.geoJSON(route).getBounds(), { padding: [30, 30] });

    const summary = [
      [t("length"), fmtDistance(p.length_m)],
      [t("duration"), fmtDuration(p.duration_s)],
      [t("climb"), p.elevation_source || p.climb_m > 0 ? fmtNumber(p.climb_m, 0) + " m" : t("unknown_value")],
      [t("descent"), p.elevation_source || p.descent_m > 0 ? fmtNumber(p.descent_m, 0) + " m" : t("unknown_value")],
      [t("steepest"), p.max_incline_pct === null ? t("unknown_value") : fmtNumber(p.max_incline_pct, 1) + " %"],
      [t("verified"), fmtNumber(p.verified_share * 100, 0) + " % (" + t("verified_help") + ")"],
    ];
    $("route-summary").innerHTML = summary.map(function (r) { return "<dt>" + esc(r[0]) + "</dt><dd>" + esc(r[1]) + "</dd>"; }).join("");
    const warnings = p.warnings || [];
    $("route-warnings").innerHTML = warnings.length ? warnings.map(function (w) { return "<li>" + esc(w.message[config.lang]) + "</li>"; }).join("")
      : "<li>" + esc(t("no_warnings")) + "</li>";
    $("directions").innerHTML = (p.directions || []).map(function (d) { return "<li>" + esc(d.text[config.lang]) + "</li>"; }).join("");
    renderElevation(p);
    params.delete("lang");
    const share = window.location.origin + window.location.pathname + "?" + params.toString();
    $("share-link").value = share;
    window.history.replaceState(null, "", "?" + params.toString() + (config.lang !== "cs" ? "&lang=" + config.lang : ""));
    $("route-result").hidden = false;
    $("route-result").dataset.durationS = String(p.duration_s);
    $("route-result").dataset.lengthM = String(p.length_m);
    $("route-status").textContent = t("route_found", { length: fmtDistance(p.length_m), duration: fmtDuration(p.duration_s) });
    state.lastRouteParams = params;
  }

  function renderElevation(p) {
    const fig = $("elevation");
    const pts = (p.elevation_profile || []).filter(function (e) { return e[1] !== null; });
    if (pts.length < 2) { fig.innerHTML = "<figcaption>" + esc(t("elevation_none")) + "</figcaption>"; return; }
    const W = 360, H = 120, pad = 28;
    const maxD = pts[pts.length - 1][0] || 1;
    const zs = pts.map(function (e) { return e[1]; });
    let zMin = Math.min.apply(null, zs), zMax = Math.max.apply(null, zs);
    if (zMax - zMin < 5) { zMax = zMin + 5; }
    const x = function (d) { return pad + (W - pad - 6) * d / maxD; };
    const y = function (z) { return H - 18 - (H - 30) * (z - zMin) / (zMax - zMin); };
    const path = pts.map(function (e, i) { return (i ? "L" : "M") + x(e[0]).toFixed(1) + " " + y(e[1]).toFixed(1); }).join(" ");
    const caption = t("elevation_summary", { min: fmtNumber(Math.min.apply(null, zs), 0), max: fmtNumber(Math.max.apply(null, zs), 0),
      length: fmtDistance(maxD) });
    fig.innerHTML = '<svg viewBox="0 0 ' + W + " " + H + '" role="img" aria-label="' + esc(caption) + '">' +
      '<path d="' + path + " L" + x(maxD).toFixed(1) + " " + (H - 18) + " L" + pad + " " + (H - 18) + ' Z" fill="#dbe9f7"/>' +
      '<path d="' + path + '" fill="none" stroke="#0b5394" stroke-width="2"/>' +
      '<text x="2" y="' + (y(zMax) + 4).toFixed(0) + '" font-size="10" fill="#1f2328">' + esc(fmtNumber(zMax, 0)) + "</text>" +
      '<text x="2" y="' + (H - 18) + '" font-size="10" fill="#1f2328">' + esc(fmtNumber(zMin, 0)) + "</text>" +
      '<text x="' + pad + '" y="' + (H - 4) + '" font-size="10" fill="#1f2328">0</text>' +
      '<text x="' + (W - 50) + '" y="' + (H - 4) + '" font-size="10" fill="#1f2328">' + esc(fmtDistance(maxD)) + "</text></svg>" +
      "<figcaption>" + esc(caption) + "</figcaption>";
  }

  $("route-form").addEventListener("submit", function (ev) { ev.preventDefault(); planRoute(); });
  $("copy-link").addEventListener("click", function () {
    const input = $("share-link");
    input.select();
    const done = function () { $("route-status").textContent = t("copied"); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done, done);
    else { try { document.execCommand("copy"); } catch (e) { /* selection stays for manual copy */ } done(); }
  });

  // ------------------------------------------------------------------ map clicks
  map.on("click", function (ev) {
    const mode = document.querySelector('input[name="click_mode"]:checked').value;
    const lat = ev.latlng.lat, lon = ev.latlng.lng;
    if (mode === "report") { setReportPoint(lat, lon); return; }
    setPoint(mode, lat, lon, t("point_on_map", { lat: lat.toFixed(5), lon: lon.toFixed(5) }));
    if (mode === "from") $("click-to").checked = true;
    if (state.from && state.to) planRoute();
  });

  // ------------------------------------------------------------------ nearest services and isochrone
  function needFrom(statusEl) {
    if (state.from) return false;
    statusEl.textContent = t("need_from");
    return true;
  }

  $("nearest-button").addEventListener("click", async function () {
    const list = $("nearest-list");
    if (needFrom($("services-status"))) return;
    await loadServices();
    const params = new URLSearchParams({ at: state.from.lat + "," + state.from.lon, profile: profileName(), limit: "5" });
    if ($("service-category").value) params.set("category", $("service-category").value);
    $("services-status").textContent = t("loading");
    try {
      const fc = await api("/api/services/nearest?" + params.toString());
      list.innerHTML = fc.features.map(function (f) {
        const full = serviceById(f.properties.id) || f;
        const extra = f.properties.reachable ? esc(t("reachable_in", { duration: fmtDuration(f.properties.duration_s) })) : esc(t("unreachable"));
        return serviceCard(full, extra);
      }).join("");
      $("services-status").textContent = t("services_count", { n: fc.features.length });
    } catch (err) { $("services-status").textContent = t("error_generic", { message: err.message }); }
  });

  $("iso-button").addEventListener("click", async function () {
    const out = $("iso-result");
    if (needFrom(out)) return;
    const minutes = $("iso-minutes").value;
    const params = new URLSearchParams({ at: state.from.lat + "," + state.from.lon, profile: profileName(), minutes: minutes });
    out.textContent = t("loading");
    try {
      const fc = await api("/api/isochrone?" + params.toString());
      groups.isochrone.clearLayers();
      const area = L.geoJSON(fc.features[0], { style: { color: "#0b5394", weight: 2, fillColor: "#0b5394", fillOpacity: 0.12 },
        interactive: false }).addTo(groups.isochrone);
      if (area.getBounds().isValid()) map.fitBounds(area.getBounds(), { padding: [20, 20] });
      out.textContent = t("isochrone_result", { minutes: minutes, n: fc.features.length - 1 });
    } catch (err) { out.textContent = t("error_generic", { message: err.message }); }
  });

  // ------------------------------------------------------------------ reports
  function setReportPoint(lat, lon) {
    $("report-lat").value = lat.toFixed(6);
    $("report-lon").value = lon.toFixed(6);
    if (state.reportPin) groups.route.removeLayer(state.reportPin);
    state.reportPin = L.marker([lat, lon], { icon: L.divIcon({ className: "", html: '<span class="lbb-icon point report-pin">!</span>',
      iconSize: [28, 28], iconAnchor: [14, 14] }), title: t("report_location"), keyboard: true }).addTo(groups.route);
  }
  $("report-centre").addEventListener("click", function () { const c = map.getCenter(); setReportPoint(c.lat, c.lng); });
  $("report-form").addEventListener("submit", async function (ev) {
    ev.preventDefault();
    const status = $("report-status");
    status.classList.remove("error");
    if (!$("report-lat").value || !$("report-lon").value) {
      status.textContent = t("report_need_location"); status.classList.add("error"); $("report-lat").focus(); return;
    }
    const data = new FormData($("report-form"));
    if (!$("report-photo").files.length) data.delete("photo");
    ["valid_until", "contact"].forEach(function (k) { if (!data.get(k)) data.delete(k); });
    status.textContent = t("loading");
    try {
      const body = await api("/api/reports", { method: "POST", body: data });
      status.textContent = t("report_thanks", { id: body.id });
      $("report-form").reset();
      if (state.reportPin) { groups.route.removeLayer(state.reportPin); state.reportPin = null; }
    } catch (err) {
      status.classList.add("error");
      status.textContent = t("error_generic", { message: err.message });
    }
  });

  // ------------------------------------------------------------------ start
  applyProfileDefaults();
  loadStaticLayers();
  refreshViewport();
  (function restoreFromUrl() {
    const q = new URLSearchParams(window.location.search);
    if (q.get("profile") && config.profiles[q.get("profile")]) { $("profile").value = q.get("profile"); applyProfileDefaults(); }
    LIMITS.forEach(function (key) { if (q.get(key) !== null) { $(key).value = q.get(key); showLimitValue(key); $("advanced").open = true; } });
    if (q.get("avoid_unknown") !== null) $("avoid_unknown").checked = q.get("avoid_unknown") === "true";
    if (q.get("allow_steps") === "true") $("allow_steps").checked = true;
    const parse = function (s) {
      const parts = (s || "").split(",").map(Number);
      return parts.length === 2 && parts.every(isFinite) ? parts : null;
    };
    const a = parse(q.get("from")), b = parse(q.get("to"));
    if (a) setPoint("from", a[0], a[1], t("point_on_map", { lat: a[0].toFixed(5), lon: a[1].toFixed(5) }));
    if (b) setPoint("to", b[0], b[1], t("point_on_map", { lat: b[0].toFixed(5), lon: b[1].toFixed(5) }));
    if (a && b) planRoute();
  })();
  window.LBB.app = { map: map, state: state, planRoute: planRoute, loadReports: loadReports };
})();
