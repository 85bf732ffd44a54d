/**
 * The API documentation page (/api/docs): loads Swagger UI (served by the app from the
 * swagger-ui-bundle-v2 package; a classic script that defines a global) and starts it on the app's
 * own OpenAPI document. No inline script, nothing from another host.
 */

/** Load a classic script from this origin; resolves when it has run. */
export function loadScript(src) {
  return new Promise((resolve, reject) => {
    const el = document.createElement("script");
    el.src = src;
    el.onload = resolve;
    el.onerror = reject;
    document.head.append(el);
  });
}

/** Start Swagger UI in `root` (its data-spec and data-bundle name the document and the bundle). */
export async function start(root) {
  await loadScript(root.dataset.bundle);
  window.SwaggerUIBundle({ url: root.dataset.spec, domNode: root, deepLinking: true });
}

start(document.getElementById("swagger-ui"));
