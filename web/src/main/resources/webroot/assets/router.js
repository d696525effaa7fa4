// Hash routing: "#/view?key=value&key=value". Views read their parameters from the hash, so links are shareable.

/** The current route: {view, params}. */
export function currentRoute() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [view, query] = hash.split('?');
  const params = {};
  for (const [k, v] of new URLSearchParams(query || '')) {
    if (k in params) params[k] = [].concat(params[k], v);
    else params[k] = v;
  }
  return {view: view || 'map', params};
}

/** Goes to a view with parameters (adds a history entry). */
export function navigate(view, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    for (const one of [].concat(v)) if (one !== undefined && one !== null && one !== '') query.append(k, one);
  }
  const qs = query.toString();
  window.location.hash = `#/${view}${qs ? '?' + qs : ''}`;
}

/** Replaces the hash parameters of the current view without reloading it. */
export function replaceParams(view, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    for (const one of [].concat(v)) if (one !== undefined && one !== null && one !== '') query.append(k, one);
  }
  const qs = query.toString();
  history.replaceState(null, '', `#/${view}${qs ? '?' + qs : ''}`);
}
