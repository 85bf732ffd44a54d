/* Liberec bez bariér — a search combobox (WAI-ARIA combobox with a listbox popup): type, pick a suggestion with
 * the arrow keys, Enter chooses, Escape closes. */

import { el } from "./dom.js";
import { t } from "./i18n.js";

/**
 * Wire the combobox `#{name}-input` with its listbox `#{name}-list`. `search(q)` resolves to suggestions
 * `{label, detail, disabled}`; `choose(r)` is called with the chosen one (a disabled one too: it says why it
 * cannot be used); `edited()` when the text changes.
 */
export function initCombobox(name, { search, choose, edited }) {
  const input = document.getElementById(`${name}-input`);
  const list = document.getElementById(`${name}-list`);
  let results = [];
  let active = -1;
  let timer = null;
  let requestNo = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  const highlight = (i) => {
    active = i;
    Array.from(list.children).forEach((li, j) => li.setAttribute("aria-selected", j === i ? "true" : "false"));
    const option = i >= 0 ? list.children[i] : null;
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  const pick = (i) => {
    const r = results[i];
    if (!r) return;
    close();
    choose(r);
  };

  const render = () => {
    if (!results.length) {
      list.replaceChildren(el("li", { role: "option", id: `${name}-none`, "aria-disabled": "true",
        "aria-selected": "false" }, t("ui.no_suggestions")));
    } else {
      list.replaceChildren(...results.map((r, i) => el("li", { role: "option", id: `${name}-opt-${i}`,
        "aria-selected": "false", "aria-disabled": r.disabled ? "true" : null },
      r.label, r.detail ? el("span", { class: "detail" }, r.detail) : null)));
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  const lookUp = async () => {
    const q = input.value.trim();
    if (q.length < 2) {
      results = [];
      close();
      return;
    }
    const mine = (requestNo += 1);
    try {
      const found = await search(q);
      if (mine !== requestNo) return;
      results = found;
      render();
    } catch {
      results = [];
      close();
    }
  };

  input.addEventListener("input", () => {
    edited();
    clearTimeout(timer);
    timer = setTimeout(lookUp, 150);
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      if (list.hidden) lookUp();
      else if (results.length) highlight(Math.min(active + 1, results.length - 1));
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      if (results.length) highlight(Math.max(active - 1, 0));
    } else if (ev.key === "Enter") {
      if (!list.hidden && results.length) {
        ev.preventDefault();
        pick(active >= 0 ? active : 0);
      }
    } else if (ev.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  list.addEventListener("mousedown", (ev) => {
    const option = ev.target.closest(`li[id^="${name}-opt-"]`);
    if (!option) return;
    ev.preventDefault();
    pick(Number(option.id.split("-").pop()));
  });
}
