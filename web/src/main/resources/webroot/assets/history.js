// History tab: route changes of one (agent, destination, method) over a time window, the route at a chosen time,
// and side-by-side diffs of two routes.
import {get} from './api.js';
import {el, $, clear, fmtTime, localToIso, isoToLocal, hopList, hopKey, hopText, stopText, fillOptions,
  hoursAgoIso} from './dom.js';
import {navigate, replaceParams} from './router.js';

let routeKeys = [];

export function init() {
  $('history-form').addEventListener('submit', e => {
    e.preventDefault();
    run();
  });
  $('history-at-run').addEventListener('click', () => routeAt());
  $('history-diff-run').addEventListener('click', () => diffTimes());
  $('history-agent').addEventListener('change', () => fillDestinations());
}

export async function show(params) {
  if (params.agent) $('history-agent').value = params.agent;
  if (params.destination) $('history-destination').value = params.destination;
  if (params.method) $('history-method').value = params.method;
  if (params.from) $('history-from').value = isoToLocal(params.from);
  if (params.to) $('history-to').value = isoToLocal(params.to);
  await loadKeys();
  if ($('history-agent').value && $('history-destination').value) await run();
}

export function refresh() {
  if ($('history-agent').value && $('history-destination').value) return run(true);
  return loadKeys();
}

async function loadKeys() {
  try {
    const body = await get('/api/v1/routes', {limit: 10000}, {quiet: true});
    routeKeys = body.routes || [];
  } catch (e) {
    routeKeys = [];
  }
  fillOptions($('history-agents-list'), [...new Set(routeKeys.map(r => r.agent_id))].sort());
  fillDestinations();
}

function fillDestinations() {
  const agent = $('history-agent').value;
  const keys = agent ? routeKeys.filter(r => r.agent_id === agent) : routeKeys;
  fillOptions($('history-destinations-list'), [...new Set(keys.map(r => r.destination))].sort(compareAddresses));
}

function compareAddresses(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

function key() {
  return {
    agent: $('history-agent').value.trim(),
    destination: $('history-destination').value.trim(),
    method: $('history-method').value,
  };
}

async function run(quiet) {
  const k = key();
  const from = localToIso($('history-from').value) || hoursAgoIso(24 * 7);
  const to = localToIso($('history-to').value) || new Date().toISOString().slice(0, 19) + 'Z';
  replaceParams('history', {...k, from: $('history-from').value ? from : '', to: $('history-to').value ? to : ''});
  const status = $('history-status');
  status.textContent = 'loading…';
  let body;
  try {
    body = await get('/api/v1/routes/history', {...k, from, to}, {quiet});
  } catch (e) {
    status.textContent = e.message;
    return;
  }
  status.textContent = `${body.periods.length} route period(s), ${body.changes.length} change(s) between `
    + `${fmtTime(body.from)} and ${fmtTime(body.to)}`;
  renderChanges(body);
  renderPeriods(body);
}

function renderChanges(body) {
  const list = clear($('history-changes'));
  if (!body.changes.length) {
    list.append(el('p', {class: 'muted'}, 'No route change in this window.'));
    return;
  }
  for (const change of [...body.changes].reverse()) {
    const d = change.divergence || {};
    const item = el('div', {class: 'change-event', tabindex: 0},
      el('div', {class: 'change-head'},
        el('span', {class: 'time mono'}, fmtTime(change.time)),
        el('span', {class: 'badge'}, d.ttl ? `diverges at TTL ${d.ttl}` : 'changed'),
        d.last_common_hop ? el('span', {class: 'muted mono'}, `after ${d.last_common_hop.join(' ')} (TTL ${d.last_common_ttl})`)
          : el('span', {class: 'muted'}, 'no common hop before')),
      el('div', {class: 'change-summary mono'}, summary(change.old_route, d.ttl), el('span', {class: 'arrow'}, ' → '),
        summary(change.new_route, d.ttl)));
    const open = () => {
      for (const other of list.querySelectorAll('.change-event.open')) other.classList.remove('open');
      item.classList.add('open');
      renderDiff(change.old_route, change.new_route, `before ${fmtTime(change.time)}`, `from ${fmtTime(change.time)}`);
    };
    item.addEventListener('click', open);
    item.addEventListener('keydown', e => { if (e.key === 'Enter') open(); });
    list.append(item);
  }
}

/** The hops from the divergence TTL on, shortened: "10.0.0.1 → 10.0.1.1 → * → …". */
function summary(hops, fromTtl) {
  const after = (hops || []).filter(h => !fromTtl || h.ttl >= fromTtl).slice(0, 4).map(hopText);
  const more = (hops || []).filter(h => !fromTtl || h.ttl >= fromTtl).length > 4 ? ' …' : '';
  return el('span', null, after.join(' › ') + more || '(none)');
}

function renderPeriods(body) {
  const table = clear($('history-periods'));
  table.append(el('tr', null, el('th', null, 'From'), el('th', null, 'To'), el('th', null, 'Hops'),
    el('th', null, 'Stop'), el('th', null, 'Observations')));
  for (const p of body.periods) {
    const tr = el('tr', {class: 'clickable'},
      el('td', {class: 'mono'}, fmtTime(p.start)), el('td', {class: 'mono'}, fmtTime(p.end)),
      el('td', null, String(p.route.hops.length)), el('td', null, stopText(p.route)),
      el('td', null, String(p.route.observations ?? '')));
    tr.addEventListener('click', () => showRoute(p.route, `route from ${fmtTime(p.start)}`));
    table.append(tr);
  }
}

async function routeAt() {
  const time = localToIso($('history-at-time').value);
  if (!time) {
    $('history-at-time').focus();
    return;
  }
  try {
    const route = await get('/api/v1/routes/at', {...key(), time});
    showRoute(route, `route at ${fmtTime(time)}`);
  } catch (e) {
    clear($('history-route')).append(el('p', {class: 'muted'}, e.message));
  }
}

function showRoute(route, title) {
  const box = clear($('history-route'));
  const k = key();
  box.append(el('h4', null, title),
    el('p', {class: 'muted'}, `seen ${fmtTime(route.first_seen)} – ${fmtTime(route.last_seen)}`
      + (route.replaced_at ? `, replaced ${fmtTime(route.replaced_at)}` : ' (current)')),
    hopList(route.hops, route, null, hop => navigate('rtt', {...k, address: hop.addresses[0]})),
    el('p', {class: 'stop'}, stopText(route)),
    el('button', {type: 'button', onclick: () => navigate('rtt', k)}, 'RTT chart to the destination'));
}

async function diffTimes() {
  const a = localToIso($('history-diff-a').value);
  const b = localToIso($('history-diff-b').value);
  if (!a || !b) return;
  try {
    const [ra, rb] = await Promise.all([get('/api/v1/routes/at', {...key(), time: a}),
      get('/api/v1/routes/at', {...key(), time: b})]);
    renderDiff(ra.hops, rb.hops, `at ${fmtTime(a)}`, `at ${fmtTime(b)}`, ra, rb);
  } catch (e) {
    clear($('history-diff')).append(el('p', {class: 'muted'}, e.message));
  }
}

/** Two hop lists side by side, the TTLs whose hops differ highlighted on both sides. */
function renderDiff(oldHops, newHops, oldTitle, newTitle, oldRoute, newRoute) {
  const changed = new Set();
  const max = Math.max(...oldHops.map(h => h.ttl), ...newHops.map(h => h.ttl), 0);
  const byTtl = hops => new Map(hops.map(h => [h.ttl, h]));
  const a = byTtl(oldHops);
  const b = byTtl(newHops);
  for (let ttl = 1; ttl <= max; ttl++) {
    if (hopKey(a.get(ttl)) !== hopKey(b.get(ttl)) || a.has(ttl) !== b.has(ttl)) changed.add(ttl);
  }
  const box = clear($('history-diff'));
  box.append(el('div', {class: 'diff'},
    el('div', {class: 'diff-side', id: 'history-diff-old'}, el('h4', null, oldTitle), hopList(oldHops, oldRoute, changed),
      oldRoute ? el('p', {class: 'stop'}, stopText(oldRoute)) : null),
    el('div', {class: 'diff-side', id: 'history-diff-new'}, el('h4', null, newTitle), hopList(newHops, newRoute, changed),
      newRoute ? el('p', {class: 'stop'}, stopText(newRoute)) : null)));
}
