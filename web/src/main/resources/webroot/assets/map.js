// Map tab: the merged topology (GET /api/v1/topology) drawn with cytoscape in a layered preset layout.
import {get, apiUrl, toast} from './api.js';
import {el, $, clear, fmtTime, fmtMs, fmtCount, localToIso, fillOptions, selectedValues} from './dom.js';
import {layeredLayout} from './layout.js';
import {navigate} from './router.js';

/** Above this many elements the map trades looks for speed (straight haystack edges, no labels when zoomed out). */
const BIG_GRAPH = 1500;
const DEFAULT_LIMIT = 2000;
const FIT_PADDING = 30;
const MIN_ZOOM = 0.02;
const MAX_ZOOM = 4;
/** The zoom a found node is shown at. */
const SEARCH_ZOOM = 1.2;

const STYLE = [
  {selector: 'node', style: {
    'width': 12, 'height': 12, 'background-color': '#64748b', 'label': 'data(label)',
    'font-family': 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', 'font-size': 9, 'color': '#1e293b',
    'text-valign': 'bottom', 'text-margin-y': 2, 'min-zoomed-font-size': 7}},
  {selector: 'node.agent', style: {
    'shape': 'round-rectangle', 'width': 26, 'height': 18, 'background-color': '#2563eb', 'font-weight': 'bold',
    'font-size': 10, 'color': '#1d4ed8'}},
  {selector: 'node.destination', style: {
    'shape': 'diamond', 'width': 18, 'height': 18, 'background-color': '#16a34a', 'color': '#15803d'}},
  {selector: 'node.anonymous', style: {
    'width': 8, 'height': 8, 'background-color': '#cbd5e1', 'opacity': 0.45, 'color': '#94a3b8'}},
  {selector: 'edge', style: {
    'width': 1, 'line-color': '#94a3b8', 'curve-style': 'straight', 'target-arrow-shape': 'none'}},
  {selector: 'edge.indirect', style: {'line-style': 'dashed', 'line-dash-pattern': [4, 3]}},
  {selector: 'edge.placeholder', style: {'line-style': 'dashed', 'line-dash-pattern': [2, 3], 'opacity': 0.45}},
  {selector: 'node:selected, node.highlight', style: {
    'border-width': 3, 'border-color': '#f97316', 'z-index': 10}},
  {selector: 'edge:selected', style: {'line-color': '#f97316', 'width': 3}},
  {selector: 'node.faded, edge.faded', style: {'opacity': 0.12}},
];

/**
 * Big graphs: haystack edges (no endpoint geometry), and labels only on vantage points and destinations until
 * the user zooms in far enough to read them (measuring thousands of labels costs seconds on the first frame).
 */
const BIG_STYLE = [
  {selector: 'edge', style: {'curve-style': 'haystack', 'haystack-radius': 0}},
  {selector: 'node', style: {'label': '', 'min-zoomed-font-size': 11}},
  {selector: 'node.agent, node.destination, node.highlight, node:selected', style: {'label': 'data(label)'}},
];
const LABEL_ALL = [{selector: 'node', style: {'label': 'data(label)'}}];
/** The zoom from which every node of a big graph shows its label. */
const BIG_LABEL_ZOOM = 0.9;

let cy = null;
let lastGraph = null;
let filtersLoaded = false;

export function init() {
  $('map-apply').addEventListener('click', () => load());
  $('map-search-form').addEventListener('submit', e => {
    e.preventDefault();
    search($('map-search').value.trim());
  });
  $('map-fit').addEventListener('click', () => cy && cy.fit(undefined, FIT_PADDING));
  $('map-limit').value = DEFAULT_LIMIT;
  for (const id of ['map-prefix', 'map-from', 'map-to', 'map-limit']) {
    $(id).addEventListener('keydown', e => { if (e.key === 'Enter') load(); });
  }
  updateExportLinks();
  // Test and console hook: render a topology JSON without the API (window.tracemeshMap.render(json)).
  window.tracemeshMap = {render: json => render(json), cy: () => cy};
}

export async function show(params) {
  if (params.prefix) $('map-prefix').value = params.prefix;
  if (params.address) $('map-search').value = params.address;
  if (!filtersLoaded) {
    filtersLoaded = true;
    loadAgents();
  }
  await load();
  if (params.address) search(params.address);
}

/** Live refreshes redraw the whole graph, so they come at most this often (the user may be reading it). */
const LIVE_REFRESH_GAP_MS = 15000;
let lastLiveRefresh = 0;

export function refresh() {
  if (Date.now() - lastLiveRefresh < LIVE_REFRESH_GAP_MS) return null;
  lastLiveRefresh = Date.now();
  return load(true);
}

async function loadAgents() {
  try {
    const body = await get('/api/v1/agents', null, {quiet: true});
    fillOptions($('map-agents'), body.agents.map(a => a.agent_id).sort());
  } catch (e) {
    // the map works without the agent list; the filter just stays empty
  }
}

function filters() {
  return {
    agent: selectedValues($('map-agents')),
    prefix: $('map-prefix').value.trim(),
    from: localToIso($('map-from').value),
    to: localToIso($('map-to').value),
    limit: $('map-limit').value.trim() || DEFAULT_LIMIT,
  };
}

function updateExportLinks() {
  for (const format of ['dot', 'graphml', 'json']) {
    $(`map-export-${format}`).href = apiUrl('/api/v1/topology/export', {...filters(), format});
  }
}

async function load(quiet) {
  updateExportLinks();
  $('map-status').textContent = 'loading…';
  try {
    const graph = await get('/api/v1/topology', filters(), {quiet});
    render(graph, quiet);
  } catch (e) {
    $('map-status').textContent = e.message;
  }
}

/** Draws a topology (the /api/v1/topology JSON); resolves once cytoscape has laid it out. */
export function render(graph, keepViewport) {
  const started = performance.now();
  lastGraph = graph;
  const nodes = graph.nodes || [];
  const links = graph.links || [];
  const positions = layeredLayout(nodes, links);
  const layoutMs = performance.now() - started;
  const known = new Set(nodes.map(n => n.id));
  const elements = [];
  for (const n of nodes) {
    const classes = [n.kind];
    if (n.destination) classes.push('destination');
    elements.push({group: 'nodes', data: {id: n.id, label: nodeLabel(n)}, position: positions.get(n.id) || {x: 0, y: 0},
      classes: classes.join(' ')});
  }
  for (const [i, l] of links.entries()) {
    if (!known.has(l.from) || !known.has(l.to)) continue;
    elements.push({group: 'edges', data: {id: l.id || `link${i}`, source: l.from, target: l.to, index: i}, classes: l.kind});
  }
  const big = elements.length > BIG_GRAPH;
  const kept = keepViewport && cy ? {zoom: cy.zoom(), pan: cy.pan()} : null;
  // Fitting a big graph through cytoscape measures every label first (seconds for thousands of nodes); the
  // positions are known here, so the viewport is computed from them instead.
  const viewport = kept || (big ? fitted(positions) : null);
  if (cy) cy.destroy();
  const style = big ? STYLE.concat(BIG_STYLE) : STYLE;
  return new Promise(resolve => {
    cy = window.cytoscape({
      container: $('map-canvas'),
      elements,
      style,
      layout: {name: 'preset', fit: !viewport, padding: FIT_PADDING,
        stop: () => {
          const total = performance.now() - started;
          $('map-canvas').dataset.layoutMs = total.toFixed(0);
          resolve({layoutMs, totalMs: total, nodes: nodes.length, links: links.length});
        }},
      zoom: viewport ? viewport.zoom : 1,
      pan: viewport ? viewport.pan : {x: 0, y: 0},
      textureOnViewport: big,
      hideEdgesOnViewport: big,
      hideLabelsOnViewport: big,
      motionBlur: false,
      pixelRatio: big ? 1 : 'auto',
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
    });
    if (big) {
      let labelled = false;
      cy.on('zoom', () => {
        const want = cy.zoom() >= BIG_LABEL_ZOOM;
        if (want !== labelled) {
          labelled = want;
          cy.style().fromJson(want ? style.concat(LABEL_ALL) : style).update();
        }
      });
    }
    cy.on('tap', 'node', e => showNode(nodes.find(n => n.id === e.target.id())));
    cy.on('tap', 'edge', e => showLink(links[e.target.data('index')]));
    cy.on('tap', e => { if (e.target === cy) clearDetails(); });
    updateCount(graph);
  });
}

/** The zoom and pan that show every position in the canvas, or null when the canvas has no size yet. */
function fitted(positions) {
  const canvas = $('map-canvas');
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (!width || !height || !positions.size) return null;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const p of positions.values()) {
    x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x);
    y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
  }
  const zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, (width - 2 * FIT_PADDING) / Math.max(1, x1 - x0),
    (height - 2 * FIT_PADDING) / Math.max(1, y1 - y0)));
  return {zoom, pan: {x: width / 2 - zoom * (x0 + x1) / 2, y: height / 2 - zoom * (y0 + y1) / 2}};
}

function nodeLabel(n) {
  if (n.kind === 'agent') return n.agent_id || n.id.replace(/^agent:/, '');
  if (n.kind === 'anonymous') return '*';
  return n.address || n.id;
}

function updateCount(graph) {
  const shown = (graph.nodes || []).length;
  const matched = graph.matched_nodes ?? shown;
  const text = graph.truncated || matched > shown
    ? `showing ${fmtCount(shown)} of ${fmtCount(matched)} nodes (limited)`
    : `showing ${fmtCount(shown)} of ${fmtCount(matched)} nodes`;
  const count = $('map-node-count');
  count.textContent = text;
  count.classList.toggle('limited', Boolean(graph.truncated || matched > shown));
  $('map-status').textContent = `${fmtCount((graph.links || []).length)} links`;
}

function search(query) {
  if (!cy || !query) return;
  cy.elements().removeClass('highlight faded');
  let hit = cy.getElementById(query);
  if (hit.empty()) hit = cy.getElementById('agent:' + query);
  if (hit.empty()) hit = cy.nodes().filter(n => n.data('label').startsWith(query));
  if (hit.empty()) {
    toast(`${query} is not on the map (with these filters)`, 'error');
    return;
  }
  const first = hit.first();
  hit.addClass('highlight');
  cy.elements().not(first.closedNeighborhood()).not(hit).addClass('faded');
  cy.animate({zoom: SEARCH_ZOOM, center: {eles: first}}, {duration: 300});
  cy.$(':selected').unselect();
  first.select();
  showNode(lastGraph.nodes.find(n => n.id === first.id()));
}

function clearDetails() {
  if (cy) cy.elements().removeClass('highlight faded');
  const panel = clear($('node-details'));
  panel.append(el('p', {class: 'muted'}, 'Click a node or a link for its details.'));
}

function row(label, value) {
  return el('tr', null, el('th', null, label), el('td', null, value));
}

function rttRows(rtt) {
  if (!rtt) return [row('RTT', '—')];
  return [row('RTT min / median / last',
    el('span', {class: 'mono'}, `${fmtMs(rtt.min_ms)} / ${fmtMs(rtt.median_ms)} / ${fmtMs(rtt.last_ms)}`))];
}

function agentsList(agents) {
  const entries = Object.entries(agents || {}).sort((a, b) => b[1] - a[1]);
  if (!entries.length) return '—';
  return el('ul', {class: 'plain'}, entries.map(([a, c]) => el('li', null, el('span', {class: 'mono'}, a), ` × ${fmtCount(c)}`)));
}

function mplsText(stacks) {
  if (!stacks || !stacks.length) return '—';
  return el('ul', {class: 'plain mono'}, stacks.map(stack => el('li', null,
    stack.map(l => `L=${l.label} TC=${l.tc} S=${l.s ? 1 : 0} TTL=${l.ttl}`).join(' | '))));
}

function showNode(n) {
  if (!n) return;
  const panel = clear($('node-details'));
  const kind = n.kind === 'agent' ? 'vantage point' : n.kind === 'anonymous' ? 'silent hop (placeholder)'
    : n.destination ? 'destination' : 'router interface';
  panel.append(
    el('h3', {class: 'mono'}, nodeLabel(n)),
    el('p', {class: 'muted'}, kind + (n.hop_distance ? ` · first seen at TTL ${n.hop_distance}` : '')),
    el('table', {class: 'kv'},
      row('Address', el('span', {class: 'mono'}, n.address || (n.kind === 'agent' ? n.agent_id : '*'))),
      rttRows(n.rtt),
      row('Seen by', agentsList(n.agents)),
      row('Observations', fmtCount(n.observations)),
      row('First seen', fmtTime(n.first_seen)),
      row('Last seen', fmtTime(n.last_seen)),
      row('Reply types', (n.reply_types || []).join(', ') || '—'),
      row('MPLS', mplsText(n.mpls)),
      row('Min MTU', n.min_mtu ?? '—')));
  if (n.address) {
    const agent = Object.entries(n.agents || {}).sort((a, b) => b[1] - a[1]).map(e => e[0])[0] || '';
    panel.append(el('div', {class: 'actions'},
      el('button', {type: 'button', id: 'node-rtt', onclick: () => navigate('rtt', {address: n.address, agent})}, 'RTT chart'),
      n.destination ? el('button', {type: 'button', id: 'node-history',
        onclick: () => navigate('history', {destination: n.address, agent})}, 'Route history') : null));
  }
}

function showLink(l) {
  if (!l) return;
  const panel = clear($('node-details'));
  panel.append(
    el('h3', {class: 'mono'}, `${l.from} → ${l.to}`),
    el('p', {class: 'muted'}, l.kind === 'direct' ? 'direct link (adjacent TTLs)'
      : l.kind === 'indirect' ? 'indirect link (silent hops between)' : 'link through a silent hop'),
    el('table', {class: 'kv'},
      rttRows(l.rtt),
      row('Seen by', agentsList(l.agents)),
      row('Observations', fmtCount(l.observations)),
      row('First seen', fmtTime(l.first_seen)),
      row('Last seen', fmtTime(l.last_seen)),
      row('MTU', l.mtu ?? '—')));
}
