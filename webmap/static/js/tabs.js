/* Liberec bez bariér — the panel's tabs (WAI-ARIA tabs pattern: arrow keys, Home and End move between tabs). */

import { $ } from "./dom.js";

const listeners = [];
let tabs = [];

/** Call `listener(tab)` whenever a tab is selected. */
export function onTabSelect(listener) {
  listeners.push(listener);
}

/** Show `tab`'s panel (and focus the tab when `focus`). */
export function selectTab(tab, focus = false) {
  for (const other of tabs) {
    const on = other === tab;
    other.setAttribute("aria-selected", on ? "true" : "false");
    other.tabIndex = on ? 0 : -1;
    $(other.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  listeners.forEach((listener) => listener(tab));
}

/** Wire the tabs of the page (every [role=tab]). */
export function initTabs() {
  tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (ev) => {
      const next = { ArrowRight: (i + 1) % tabs.length, ArrowLeft: (i - 1 + tabs.length) % tabs.length,
        Home: 0, End: tabs.length - 1 }[ev.key];
      if (next === undefined) return;
      ev.preventDefault();
      selectTab(tabs[next], true);
    });
  });
}
