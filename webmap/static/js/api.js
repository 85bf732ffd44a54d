/* Liberec bez bariér — the JSON API client. Every request asks for the page language (Accept-Language), so
 * messages in answers and errors match the page. Error bodies are {error, message, details}. */

import { lang } from "./i18n.js";

/** A failed API call: HTTP `status`, machine `code`, `details` and the server's message (page language). */
export class ApiError extends Error {
  constructor(status, body, fallback) {
    super((body && body.message) || fallback || String(status));
    this.name = "ApiError";
    this.status = status;
    this.body = body || {};
    this.code = this.body.error ?? null;
    this.details = this.body.details ?? {};
  }
}

/** `path` with query parameters (a plain object or URLSearchParams). */
export function withQuery(path, params) {
  const query = new URLSearchParams(params).toString();
  return query ? `${path}?${query}` : path;
}

/** Call the JSON API; `json` is sent as a JSON body. Resolves to the parsed body, rejects with ApiError. */
export async function api(path, { json, headers = {}, ...options } = {}) {
  const sent = { Accept: "application/json", "Accept-Language": lang, ...headers };
  if (json !== undefined) {
    sent["Content-Type"] = "application/json";
    options.body = JSON.stringify(json);
  }
  const resp = await fetch(path, { ...options, headers: sent });
  let body = null;
  try {
    body = await resp.json();
  } catch {
    body = null;
  }
  if (!resp.ok) throw new ApiError(resp.status, body, resp.statusText);
  return body;
}
