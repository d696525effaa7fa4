// Small DOM and formatting helpers shared by every view. No framework: elements are built with el().

/** Creates an element: el('td', {class: 'addr', title: 'x'}, 'text', childNode, [more]). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
      else if (v === true) node.setAttribute(k, '');
      else node.setAttribute(k, String(v));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function $(id) {
  return document.getElementById(id);
}

/** An ISO instant as "2026-11-23 16:55:02Z" (UTC, seconds), or "—". */
export function fmtTime(iso) {
  if (!iso) return '—';
  const s = String(iso);
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(s);
  return m ? `${m[1]} ${m[2]}Z` : s;
}

/** Milliseconds with three significant decimals at most ("12.3 ms"), or "—". */
export function fmtMs(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  const v = Number(x);
  return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + ' ms';
}

export function fmtCount(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US');
}

/** A datetime-local value, read as UTC, to an ISO instant; '' stays ''. */
export function localToIso(value) {
  if (!value) return '';
  return value.length === 16 ? `${value}:00Z` : `${value}Z`;
}

/** An ISO instant to a datetime-local value in UTC. */
export function isoToLocal(iso) {
  if (!iso) return '';
  return String(iso).slice(0, 19);
}

export function hoursAgoIso(hours) {
  return new Date(Date.now() - hours * 3600_000).toISOString().slice(0, 19) + 'Z';
}

/** The traceroute annotation after the last hop of a route that stopped on an ICMP unreachable. */
export function unreachableAnnotation(code, mtu) {
  switch (code) {
    case 0: case 6: case 11: return '!N';
    case 1: case 7: case 12: return '!H';
    case 2: return '!P';
    case 3: return '';
    case 4: return '!F' + (mtu ? mtu : '');
    case 5: return '!S';
    case 9: case 10: case 13: return '!X';
    case 14: return '!V';
    case 15: return '!C';
    default: return code === null || code === undefined ? '' : '!' + code;
  }
}

/** What a route's stop reason means, for the line under the hop list. */
export function stopText(route) {
  if (!route || !route.stop_reason) return '';
  switch (route.stop_reason) {
    case 'completed': return 'reached the destination';
    case 'unreachable': return `unreachable ${unreachableAnnotation(route.stop_icmp_code)} (ICMP code ${route.stop_icmp_code})`;
    case 'gap_limit': return 'stopped: too many silent hops (gap limit)';
    case 'loop': return 'stopped: routing loop';
    case 'max_ttl': return 'stopped: maximum TTL reached';
    default: return route.stop_reason;
  }
}

/** The text of one hop: its addresses, or "*" for a silent TTL. */
export function hopText(hop) {
  if (!hop || hop.silent || !hop.addresses || hop.addresses.length === 0) return '*';
  return hop.addresses.join(' ');
}

/** A key comparing hops by what answered (order of addresses ignored). */
export function hopKey(hop) {
  if (!hop || hop.silent || !hop.addresses || hop.addresses.length === 0) return '*';
  return [...hop.addresses].sort().join(',');
}

/**
 * A traceroute-like hop list: " 3  198.18.0.1" per TTL, "*" for silent hops, the unreachable annotation on the
 * last hop. changed: optional Set of TTLs to highlight. onHop: optional (hop) => void when a hop is clicked.
 */
export function hopList(hops, route, changed, onHop) {
  const list = el('ol', {class: 'hops'});
  const last = hops.length ? hops[hops.length - 1] : null;
  for (const hop of hops) {
    const silent = hopText(hop) === '*';
    const note = route && route.stop_reason === 'unreachable' && hop === last
      ? unreachableAnnotation(route.stop_icmp_code) : '';
    const li = el('li', {class: 'hop' + (silent ? ' silent' : '') + (changed && changed.has(hop.ttl) ? ' changed' : ''),
      dataset: {ttl: hop.ttl}},
      el('span', {class: 'ttl'}, String(hop.ttl).padStart(2, ' ')),
      el('span', {class: 'addr'}, hopText(hop)),
      note ? el('span', {class: 'note'}, ' ' + note) : null);
    if (onHop && !silent) {
      li.classList.add('clickable');
      li.title = 'RTT chart of this hop';
      li.addEventListener('click', () => onHop(hop));
    }
    list.append(li);
  }
  return list;
}

/** Fills a <datalist> or <select> with options (values; a select keeps the current value if present). */
export function fillOptions(node, values, keepSelected) {
  const selected = new Set(keepSelected || Array.from(node.selectedOptions || []).map(o => o.value));
  clear(node);
  for (const v of values) {
    const o = el('option', {value: v}, node.tagName === 'DATALIST' ? null : v);
    if (selected.has(v)) o.selected = true;
    node.append(o);
  }
}

export function selectedValues(select) {
  return Array.from(select.selectedOptions).map(o => o.value);
}

/** Calls fn at most once per wait ms, the last call winning (trailing debounce with a minimum gap). */
export function throttle(fn, wait) {
  let last = 0;
  let timer = null;
  return () => {
    if (timer) return;
    const delay = Math.max(0, last + wait - Date.now());
    timer = setTimeout(() => {
      timer = null;
      last = Date.now();
      fn();
    }, delay);
  };
}
