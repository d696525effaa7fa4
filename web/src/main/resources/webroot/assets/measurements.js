// Measurements tab: the scheduled measurements; admins create, edit, pause, resume and delete them.
import {get, post, put, del, toast} from './api.js';
import {el, $, clear, fmtTime, localToIso, isoToLocal} from './dom.js';
import {session} from './session.js';

let definitions = [];
/** The definition being edited (its JSON keeps the fields the form does not show), or null when creating. */
let editing = null;

export function init() {
  $('measurement-form').addEventListener('submit', e => {
    e.preventDefault();
    save();
  });
  $('measurement-cancel').addEventListener('click', () => resetForm());
  $('measurement-new').addEventListener('click', () => {
    resetForm();
    $('measurement-form').hidden = false;
    $('m-id').focus();
  });
  $('m-agents-all').addEventListener('change', () => agentFieldsState());
  $('m-method').addEventListener('change', () => methodFieldsState());
}

export function show() {
  return refresh();
}

export async function refresh(quiet) {
  try {
    const body = await get('/api/v1/measurements', null, {quiet});
    definitions = body.measurements || [];
  } catch (e) {
    $('measurements-status').textContent = e.message;
    return;
  }
  $('measurements-status').textContent = `${definitions.length} measurement(s)`;
  render();
}

function isAdmin() {
  return session.role === 'admin';
}

function render() {
  const admin = isAdmin();
  $('measurement-new').hidden = !admin;
  const table = clear($('measurements-table'));
  table.append(el('thead', null, el('tr', null, ['Id', 'Method', 'Targets', 'Interval', 'Agents', 'State', 'Window', '']
    .map(h => el('th', null, h)))));
  const tbody = el('tbody');
  for (const d of [...definitions].sort((a, b) => a.id.localeCompare(b.id))) {
    tbody.append(el('tr', {dataset: {measurement: d.id}, class: d.paused ? 'paused' : null},
      el('td', {class: 'mono strong', title: d.description || ''}, d.id),
      el('td', null, d.method),
      el('td', {class: 'mono'}, d.targets.length > 4 ? `${d.targets.slice(0, 4).join(' ')} … (${d.targets.length})` : d.targets.join(' ')),
      el('td', {class: 'num'}, `${d.interval_s} s` + (d.jitter_s ? ` ±${d.jitter_s}` : '')),
      el('td', {class: 'mono'}, agentText(d.agents)),
      el('td', null, el('span', {class: d.paused ? 'badge offline' : 'badge online'}, d.paused ? 'paused' : 'active')),
      el('td', {class: 'small'}, d.start || d.stop ? `${fmtTime(d.start)} – ${fmtTime(d.stop)}` : 'always'),
      el('td', {class: 'actions'}, admin ? [
        el('button', {type: 'button', class: 'small', onclick: () => edit(d)}, 'Edit'),
        el('button', {type: 'button', class: 'small', onclick: () => pause(d)}, d.paused ? 'Resume' : 'Pause'),
        el('button', {type: 'button', class: 'small danger', onclick: () => remove(d)}, 'Delete'),
      ] : el('span', {class: 'muted small'}, 'read only'))));
  }
  table.append(tbody);
}

function agentText(a) {
  if (!a) return '—';
  if (a.all) return 'all';
  return [...(a.ids || []), ...(a.labels || []).map(l => `site:${l}`)].join(' ');
}

function list(text) {
  return text.split(/[\s,]+/).map(s => s.trim()).filter(Boolean);
}

function resetForm() {
  editing = null;
  $('measurement-form').reset();
  $('measurement-form').hidden = true;
  $('m-id').readOnly = false;
  $('measurement-form-title').textContent = 'New measurement';
  clear($('measurement-error'));
  agentFieldsState();
  methodFieldsState();
}

function agentFieldsState() {
  const all = $('m-agents-all').checked;
  $('m-agents').disabled = all;
  $('m-labels').disabled = all;
}

function methodFieldsState() {
  const ping = $('m-method').value === 'ping';
  $('m-trace-fields').hidden = ping;
}

function edit(d) {
  resetForm();
  editing = d;
  $('measurement-form').hidden = false;
  $('measurement-form-title').textContent = `Edit ${d.id}`;
  $('m-id').value = d.id;
  $('m-id').readOnly = true;
  $('m-description').value = d.description || '';
  $('m-method').value = d.method;
  $('m-targets').value = d.targets.join('\n');
  $('m-interval').value = d.interval_s;
  $('m-jitter').value = d.jitter_s ?? '';
  $('m-start').value = isoToLocal(d.start);
  $('m-stop').value = isoToLocal(d.stop);
  $('m-paused').checked = Boolean(d.paused);
  $('m-agents-all').checked = Boolean(d.agents && d.agents.all);
  $('m-agents').value = ((d.agents && d.agents.ids) || []).join(' ');
  $('m-labels').value = ((d.agents && d.agents.labels) || []).join(', ');
  if (d.trace) {
    $('m-max-ttl').value = d.trace.max_ttl ?? '';
    $('m-probes').value = d.trace.probes_per_hop ?? '';
  }
  agentFieldsState();
  methodFieldsState();
  $('measurement-form').scrollIntoView({block: 'nearest'});
}

/** The definition JSON from the form, on top of the edited definition so fields the form lacks survive. */
function definitionFromForm() {
  const d = editing ? structuredClone(editing) : {schema: 1};
  d.id = $('m-id').value.trim();
  const description = $('m-description').value.trim();
  if (description) d.description = description; else delete d.description;
  const method = $('m-method').value;
  if (editing && (editing.method === 'ping') !== (method === 'ping')) {
    delete d.trace;
    delete d.ping;
  }
  d.method = method;
  d.targets = list($('m-targets').value);
  d.interval_s = Number($('m-interval').value);
  const jitter = $('m-jitter').value;
  if (jitter !== '') d.jitter_s = Number(jitter); else delete d.jitter_s;
  const start = localToIso($('m-start').value);
  const stop = localToIso($('m-stop').value);
  if (start) d.start = start; else delete d.start;
  if (stop) d.stop = stop; else delete d.stop;
  d.paused = $('m-paused').checked;
  if ($('m-agents-all').checked) {
    d.agents = {all: true};
  } else {
    d.agents = {};
    const ids = list($('m-agents').value);
    const labels = $('m-labels').value.split(',').map(s => s.trim()).filter(Boolean);
    if (ids.length) d.agents.ids = ids;
    if (labels.length) d.agents.labels = labels;
  }
  if (method !== 'ping') {
    const maxTtl = $('m-max-ttl').value;
    const probes = $('m-probes').value;
    if (maxTtl !== '' || probes !== '') {
      d.trace = d.trace || {};
      if (maxTtl !== '') d.trace.max_ttl = Number(maxTtl);
      if (probes !== '') d.trace.probes_per_hop = Number(probes);
    }
  }
  return d;
}

async function save() {
  const box = clear($('measurement-error'));
  const d = definitionFromForm();
  try {
    if (editing) {
      await put(`/api/v1/measurements/${encodeURIComponent(d.id)}`, d, {quiet: true});
      toast(`measurement ${d.id} updated`);
    } else {
      await post('/api/v1/measurements', d, {quiet: true});
      toast(`measurement ${d.id} created`);
    }
    resetForm();
    await refresh();
  } catch (e) {
    box.append(el('p', {class: 'error', role: 'alert'}, e.field ? `${e.field}: ${e.message}` : e.message));
  }
}

async function pause(d) {
  const action = d.paused ? 'resume' : 'pause';
  try {
    await post(`/api/v1/measurements/${encodeURIComponent(d.id)}/${action}`);
    toast(`measurement ${d.id} ${d.paused ? 'resumed' : 'paused'}`);
  } catch (e) {
    // the wrapper showed the server's message
  }
  await refresh(true);
}

async function remove(d) {
  if (!window.confirm(`Delete measurement ${d.id}? Agents stop running it.`)) return;
  try {
    await del(`/api/v1/measurements/${encodeURIComponent(d.id)}`);
    toast(`measurement ${d.id} deleted`);
  } catch (e) {
    // the wrapper showed the server's message
  }
  await refresh(true);
}
