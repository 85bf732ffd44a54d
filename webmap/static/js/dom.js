/* Liberec bez bariér — small DOM helpers. Data only ever reaches the page as text (textContent, text nodes,
 * attributes); structure comes from <template> elements of the page or from these element builders. */

const SVG_NS = "http://www.w3.org/2000/svg";

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false).map((c) =>
    (c instanceof Node ? c : String(c))));
  return node;
}

/** A new HTML element with attributes and children (nodes, or strings added as text). */
export function el(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** A new SVG element with attributes and children (nodes, or strings added as text). */
export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** A text node (for Leaflet popups and tooltips: pass nodes, never HTML strings). */
export const text = (value) => document.createTextNode(String(value ?? ""));

/** A fresh copy of the first element inside <template id="…">. */
export function fromTemplate(id) {
  const template = document.getElementById(id);
  if (!template) throw new Error(`template #${id} is missing from the page`);
  return template.content.firstElementChild.cloneNode(true);
}

/**
 * Fill the `[data-slot=name]` elements of `root` with text. A null, undefined or empty value removes the
 * slot — or its closest `[data-optional]` container (e.g. a label with its value). Returns `root`.
 */
export function fill(root, slots) {
  for (const [name, value] of Object.entries(slots)) {
    const node = root.querySelector(`[data-slot="${name}"]`);
    if (!node) throw new Error(`no slot ${name} in the template`);
    if (value === null || value === undefined || value === "") {
      const part = node.closest("[data-optional]");
      (part && root.contains(part) && part !== root ? part : node).remove();
    } else {
      node.textContent = String(value);
    }
  }
  return root;
}

/** HTML-escape a text — only for Leaflet options that take HTML strings (attribution, layer-control names). */
export function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
