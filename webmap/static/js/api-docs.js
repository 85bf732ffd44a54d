/**
 * Starts Swagger UI (served by the app from the swagger-ui-bundle-v2 package) on /api/docs over the
 * app's own OpenAPI document. A classic script, not a module: Swagger UI's bundle defines a global.
 */
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.spec, domNode: root, deepLinking: true });
});
