// tracemesh browser UI: a single page with hash routing (#/map, #/history?agent=..&destination=.., #/compare,
// #/rtt, #/agents, #/measurements). Plain ES modules, no build step; cytoscape and Chart.js are loaded by
// index.html from WebJars as window.cytoscape and window.Chart.
//
// Stable element ids (for end-to-end tests; do not rename):
//   login.html:   #login-form #login-user #login-password #login-submit #login-error
//   header:       #nav (links .tab[data-view]) #user-name #logout #live-indicator #live-agents #toast-area
//                 (toasts: .toast, .toast-error, .toast-change)
//   views:        #view-map #view-history #view-compare #view-rtt #view-agents #view-measurements
//                 (the visible one has class "active")
//   map:          #map-canvas (data-layout-ms after a render) #map-node-count (class "limited" when truncated)
//                 #map-status #map-agents #map-prefix #map-from #map-to #map-limit #map-apply
//                 #map-search-form #map-search #map-fit #map-export-dot #map-export-graphml #map-export-json
//                 #map-legend #node-details (#node-rtt, #node-history buttons for a clicked address)
//   history:      #history-form #history-agent #history-destination #history-method #history-from #history-to
//                 #history-run #history-status #history-changes (one .change-event per change)
//                 #history-periods #history-at-time #history-at-run #history-route
//                 #history-diff-a #history-diff-b #history-diff-run #history-diff (#history-diff-old,
//                 #history-diff-new; changed hops li.hop.changed)
//   compare:      #compare-form #compare-destination #compare-method #compare-agents #compare-time #compare-run
//                 #compare-status #compare-table (td.shared for shared hops, tr.convergence for the
//                 convergence point, td.convergence-hop its cells)
//   rtt:          #rtt-form #rtt-agent #rtt-destination #rtt-method #rtt-address #rtt-from #rtt-to #rtt-run
//                 #rtt-status #rtt-chart #rtt-losses
//   agents:       #agents-table (tr[data-agent]) #agents-status #agents-reload
//   measurements: #measurements-table (tr[data-measurement]) #measurements-status #measurement-new
//                 #measurement-form #measurement-form-title #m-id #m-description #m-method #m-targets
//                 #m-interval #m-jitter #m-start #m-stop #m-paused #m-agents-all #m-agents #m-labels
//                 #m-trace-fields #m-max-ttl #m-probes #measurement-submit #measurement-cancel #measurement-error
// Test hook: window.tracemeshMap.render(topologyJson) draws a topology without the API and returns a promise of
// {layoutMs, totalMs, nodes, links}; window.tracemeshMap.cy() is the cytoscape instance.
import {post} from './api.js';
import {$} from './dom.js';
import {currentRoute} from './router.js';
import {loadSession, session} from './session.js';
import {startLive} from './live.js';
import * as map from './map.js';
import * as historyView from './history.js';
import * as compare from './compare.js';
import * as rtt from './rtt.js';
import * as agents from './agents.js';
import * as measurements from './measurements.js';

const VIEWS = {map, history: historyView, compare, rtt, agents, measurements};
let visible = null;

function route() {
  const {view, params} = currentRoute();
  const name = VIEWS[view] ? view : 'map';
  for (const key of Object.keys(VIEWS)) {
    $(`view-${key}`).classList.toggle('active', key === name);
    $(`view-${key}`).hidden = key !== name;
  }
  for (const tab of document.querySelectorAll('#nav .tab')) {
    tab.classList.toggle('active', tab.dataset.view === name);
  }
  visible = name;
  document.title = `${name} · tracemesh`;
  Promise.resolve(VIEWS[name].show(params)).catch(e => console.warn('tracemesh: view failed', e));
}

function refreshVisible() {
  if (visible && !document.hidden) {
    Promise.resolve(VIEWS[visible].refresh(true)).catch(e => console.warn('tracemesh: refresh failed', e));
  }
}

async function boot() {
  for (const view of Object.values(VIEWS)) view.init();
  $('logout').addEventListener('click', async () => {
    try {
      await post('/api/v1/logout', undefined, {quiet: true, noRedirect: true});
    } catch (e) {
      // logged out anyway
    }
    window.location.assign('/login.html');
  });
  window.addEventListener('hashchange', route);
  route();
  await loadSession();
  $('user-name').textContent = session.user ? `${session.user} (${session.role})` : '';
  if (visible === 'measurements') measurements.refresh(true);
  if (!window.tracemeshNoLive) startLive(refreshVisible);
}

boot();
