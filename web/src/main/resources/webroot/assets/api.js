// The one fetch wrapper for every API call: same-origin credentials, the CSRF header the server wants on
// cookie-authenticated writes, a redirect to the login page on 401, and the server's JSON error message on 4xx.
import {el, $} from './dom.js';

/** An API error: HTTP status, the server's error code, message and the field it names. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.field = body && body.field;
  }
}

/** Builds "/api/v1/x?a=1&b=2&b=3" from a query object (arrays repeat; empty values are left out). */
export function apiUrl(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    const values = Array.isArray(v) ? v : [v];
    for (const one of values) {
      if (one !== undefined && one !== null && one !== '') params.append(k, String(one));
    }
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * Calls the API and returns the parsed JSON (null for 204). Throws ApiError on HTTP errors after showing the
 * message (unless options.quiet); on 401 goes to the login page.
 */
export async function api(method, path, options = {}) {
  const headers = {'X-Requested-With': 'tracemesh', 'Accept': 'application/json'};
  const init = {method, headers, credentials: 'same-origin'};
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(apiUrl(path, options.query), init);
  } catch (e) {
    const err = new ApiError(0, {error: 'network', message: 'the server cannot be reached: ' + e.message});
    if (!options.quiet) showError(err.message);
    throw err;
  }
  if (response.status === 401 && !options.noRedirect) {
    window.location.assign('/login.html');
    throw new ApiError(401, {error: 'unauthorized', message: 'log in again'});
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      body = {message: text.slice(0, 300)};
    }
  }
  if (!response.ok) {
    const err = new ApiError(response.status, body);
    if (!options.quiet) showError(err.field ? `${err.message}` : err.message, response.status);
    throw err;
  }
  return body;
}

export const get = (path, query, options) => api('GET', path, {...options, query});
export const post = (path, body, options) => api('POST', path, {...options, body});
export const put = (path, body, options) => api('PUT', path, {...options, body});
export const del = (path, options) => api('DELETE', path, options);

/** Shows a dismissable message in the toast area (errors stay 8 s, notes 5 s). */
export function toast(message, kind = 'note') {
  const area = $('toast-area');
  if (!area) return;
  const item = el('div', {class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status'}, message);
  item.addEventListener('click', () => item.remove());
  area.append(item);
  while (area.children.length > 5) area.firstChild.remove();
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 5000);
}

export function showError(message, status) {
  toast(status ? `${message} (HTTP ${status})` : message, 'error');
}
