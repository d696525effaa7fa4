// RTT tab: round-trip times of one hop (or the destination) over time, per trace, with Chart.js.
import {get} from './api.js';
import {el, $, clear, fmtTime, fmtMs, localToIso, isoToLocal, hoursAgoIso} from './dom.js';
import {replaceParams} from './router.js';

let chart = null;

export function init() {
  $('rtt-form').addEventListener('submit', e => {
    e.preventDefault();
    run();
  });
}

export async function show(params) {
  for (const f of ['agent', 'destination', 'address']) if (params[f] !== undefined) $(`rtt-${f}`).value = params[f];
  if (params.method) $('rtt-method').value = params.method;
  if (params.from) $('rtt-from').value = isoToLocal(params.from);
  if (params.to) $('rtt-to').value = isoToLocal(params.to);
  if (!$('rtt-destination').value && $('rtt-address').value) await guessDestination();
  if ($('rtt-agent').value && $('rtt-destination').value) await run();
}

export function refresh() {
  return $('rtt-agent').value && $('rtt-destination').value ? run(true) : null;
}

/** A hop clicked on the map has no destination: take the latest trace that crossed it. */
async function guessDestination() {
  try {
    const body = await get('/api/v1/traces', {address: $('rtt-address').value, limit: 100}, {quiet: true});
    const agent = $('rtt-agent').value;
    const traces = body.traces.filter(t => !agent || t.agent_id === agent);
    const latest = (traces.length ? traces : body.traces).reduce((a, b) => (!a || b.started > a.started ? b : a), null);
    if (latest) {
      $('rtt-agent').value = latest.agent_id;
      $('rtt-destination').value = latest.destination;
      $('rtt-method').value = latest.method;
    }
  } catch (e) {
    // leave the destination for the user to fill
  }
}

async function run(quiet) {
  const query = {
    agent: $('rtt-agent').value.trim(), destination: $('rtt-destination').value.trim(), method: $('rtt-method').value,
    address: $('rtt-address').value.trim(), from: localToIso($('rtt-from').value) || hoursAgoIso(24),
    to: localToIso($('rtt-to').value),
  };
  replaceParams('rtt', {...query, from: $('rtt-from').value ? query.from : ''});
  const status = $('rtt-status');
  status.textContent = 'loading…';
  try {
    const body = await get('/api/v1/rtt', query, {quiet});
    draw(body);
  } catch (e) {
    status.textContent = e.message;
  }
}

function draw(body) {
  const points = body.points || [];
  const answered = points.filter(p => p.rtt_ms !== null && p.rtt_ms !== undefined);
  const sorted = answered.map(p => p.rtt_ms).sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
  $('rtt-status').textContent = `${body.address} from ${body.agent_id} (${body.method} towards ${body.destination}): `
    + `${points.length} traces, ${points.length - answered.length} without a reply, median ${fmtMs(median)}`;
  const data = {
    labels: points.map(p => fmtTime(p.time)),
    datasets: [{
      label: `RTT to ${body.address} (ms)`, data: points.map(p => p.rtt_ms), spanGaps: false, pointRadius: 2,
      borderColor: '#2563eb', backgroundColor: '#2563eb', borderWidth: 1.5, tension: 0,
    }],
  };
  if (chart) chart.destroy();
  chart = new window.Chart($('rtt-chart'), {
    type: 'line', data,
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: {y: {title: {display: true, text: 'ms'}, beginAtZero: true},
        x: {ticks: {maxTicksLimit: 10, autoSkip: true}}},
      plugins: {tooltip: {callbacks: {afterLabel: ctx => `TTL ${points[ctx.dataIndex].ttl ?? '*'}`}},
        legend: {display: false}},
    },
  });
  const losses = clear($('rtt-losses'));
  const lost = points.filter(p => p.rtt_ms === null || p.rtt_ms === undefined).slice(-10);
  if (lost.length) {
    losses.append(el('span', {class: 'muted'}, 'latest traces without a reply: '),
      el('span', {class: 'mono'}, lost.map(p => fmtTime(p.time)).join(', ')));
  }
}
