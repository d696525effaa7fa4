// Compare tab: the routes of several vantage points towards one destination, aligned by TTL.
import {get} from './api.js';
import {el, $, clear, fmtTime, fmtMs, hopText, localToIso, fillOptions, selectedValues} from './dom.js';
import {replaceParams} from './router.js';

export function init() {
  $('compare-form').addEventListener('submit', e => {
    e.preventDefault();
    run();
  });
}

export async function show(params) {
  await loadAgents(params.agent ? [].concat(params.agent) : null);
  if (params.destination) $('compare-destination').value = params.destination;
  if (params.method) $('compare-method').value = params.method;
  if (params.destination && params.agent) await run();
}

export function refresh() {
  return $('compare-destination').value && selectedValues($('compare-agents')).length >= 2 ? run(true) : null;
}

async function loadAgents(selected) {
  try {
    const [agents, routes] = await Promise.all([get('/api/v1/agents', null, {quiet: true}),
      get('/api/v1/routes', {limit: 10000}, {quiet: true})]);
    const ids = new Set(agents.agents.map(a => a.agent_id));
    for (const r of routes.routes) ids.add(r.agent_id);
    for (const a of selected || []) ids.add(a);
    fillOptions($('compare-agents'), [...ids].sort(), selected);
    fillOptions($('compare-destinations-list'), [...new Set(routes.routes.map(r => r.destination))].sort());
  } catch (e) {
    // without the lists, the agents named in the link are still offered
    if (selected) fillOptions($('compare-agents'), [...selected].sort(), selected);
  }
}

async function run(quiet) {
  const agents = selectedValues($('compare-agents'));
  const status = $('compare-status');
  if (agents.length < 2) {
    status.textContent = 'choose at least two agents';
    return;
  }
  const query = {destination: $('compare-destination').value.trim(), method: $('compare-method').value,
    agent: agents, time: localToIso($('compare-time').value)};
  replaceParams('compare', query);
  status.textContent = 'loading…';
  try {
    const body = await get('/api/v1/compare', query, {quiet});
    render(body);
    status.textContent = `routes at ${fmtTime(body.at)}` + (body.convergence
      ? ` · converge at ${body.convergence.addresses.join(' ')}` : ' · no convergence point');
  } catch (e) {
    status.textContent = e.message;
  }
}

function render(body) {
  const table = clear($('compare-table'));
  const agents = body.agents;
  const shared = new Set((body.shared_hops || []).map(h => h.address));
  const convergence = body.convergence;
  const convergenceAddresses = new Set(convergence ? convergence.addresses : []);
  const routeBy = new Map((body.routes || []).map(r => [r.agent_id, r]));
  table.append(el('thead', null, el('tr', null, el('th', {class: 'num'}, 'TTL'),
    agents.map(a => el('th', null, el('span', {class: 'mono'}, a),
      routeBy.get(a) ? el('div', {class: 'muted small'}, `trace ${fmtTime(routeBy.get(a).trace_started)}`) : null)),
    el('th', {class: 'num'}, 'RTT spread'))));
  const tbody = el('tbody');
  for (const row of body.rows) {
    const medians = [];
    let isConvergence = false;
    const cells = agents.map(a => {
      const hop = row.by_agent[a];
      if (!hop) return el('td', {class: 'empty'}, '');
      const text = hopText(hop);
      const isShared = !hop.silent && (hop.addresses || []).some(x => shared.has(x));
      const atConvergence = convergence && convergence.ttl_by_agent && convergence.ttl_by_agent[a] === row.ttl
        && (hop.addresses || []).some(x => convergenceAddresses.has(x));
      if (atConvergence) isConvergence = true;
      if (hop.median_rtt_ms !== null && hop.median_rtt_ms !== undefined) medians.push(hop.median_rtt_ms);
      const cls = ['hop-cell', hop.silent ? 'silent' : '', isShared ? 'shared' : '', atConvergence ? 'convergence-hop' : '']
        .filter(Boolean).join(' ');
      return el('td', {class: cls}, el('div', {class: 'mono'}, text),
        el('div', {class: 'rtt'}, hop.silent ? '' : fmtMs(hop.median_rtt_ms)));
    });
    const spread = medians.length >= 2 ? fmtMs(Math.max(...medians) - Math.min(...medians)) : '—';
    tbody.append(el('tr', {class: isConvergence ? 'convergence' : null, dataset: {ttl: row.ttl}},
      el('td', {class: 'num mono'}, String(row.ttl)), cells, el('td', {class: 'num mono'}, spread)));
  }
  table.append(tbody);
}
