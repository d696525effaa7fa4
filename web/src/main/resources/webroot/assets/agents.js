// Agents tab: every vantage point from its latest heartbeat.
import {get} from './api.js';
import {el, $, clear, fmtTime, fmtCount} from './dom.js';

export function init() {
  $('agents-reload').addEventListener('click', () => refresh());
}

export function show() {
  return refresh();
}

export async function refresh(quiet) {
  let body;
  try {
    body = await get('/api/v1/agents', null, {quiet});
  } catch (e) {
    $('agents-status').textContent = e.message;
    return;
  }
  const agents = body.agents || [];
  const online = agents.filter(a => a.online).length;
  $('agents-status').textContent = `${online} of ${agents.length} online`;
  const table = clear($('agents-table'));
  table.append(el('thead', null, el('tr', null, ['Agent', 'Status', 'Last heartbeat', 'Version', 'Site', 'Addresses',
    'Methods', 'Probe rate', 'Measurements', 'Counters'].map(h => el('th', null, h)))));
  const tbody = el('tbody');
  for (const a of agents.sort((x, y) => x.agent_id.localeCompare(y.agent_id))) {
    tbody.append(el('tr', {dataset: {agent: a.agent_id}},
      el('td', {class: 'mono strong'}, a.agent_id),
      el('td', null, el('span', {class: a.online ? 'badge online' : 'badge offline'}, a.online ? 'online' : 'offline'),
        a.problem ? el('div', {class: 'problem'}, a.problem) : null),
      el('td', {class: 'mono'}, fmtTime(a.last_heartbeat)),
      el('td', {class: 'mono'}, a.version || '—'),
      el('td', null, a.site || '—'),
      el('td', {class: 'mono'}, (a.addresses || []).join(' ') || '—'),
      el('td', null, (a.methods || []).join(', ')),
      el('td', {class: 'num'}, a.probe_rate ?? '—'),
      el('td', {class: 'mono'}, Array.isArray(a.measurements) ? a.measurements.join(' ') : (a.measurements ?? '—')),
      el('td', null, counters(a.counters))));
  }
  table.append(tbody);
}

function counters(c) {
  const entries = Object.entries(c || {});
  if (!entries.length) return '—';
  return el('details', null, el('summary', null, `${entries.length} counters`),
    el('table', {class: 'kv small'}, entries.map(([k, v]) => el('tr', null, el('th', null, k.replaceAll('_', ' ')),
      el('td', {class: 'num mono'}, typeof v === 'number' ? fmtCount(v) : String(v))))));
}
