// Live updates: Server-Sent Events from /api/v1/events refresh the visible view (at most every few seconds)
// and announce route changes.
import {el, $, fmtTime, throttle} from './dom.js';
import {toast} from './api.js';
import {navigate} from './router.js';

/** The shortest time between two refreshes caused by events. */
const REFRESH_GAP_MS = 3000;

/** Starts listening; refresh() re-reads the visible view. Returns the EventSource. */
export function startLive(refresh) {
  const indicator = $('live-indicator');
  const refreshSoon = throttle(refresh, REFRESH_GAP_MS);
  const source = new EventSource('/api/v1/events', {withCredentials: false});
  source.addEventListener('open', () => setState(indicator, 'live', 'live: connected'));
  source.addEventListener('error', () => setState(indicator, source.readyState === EventSource.CLOSED ? 'off' : 'retry',
    source.readyState === EventSource.CLOSED ? 'live: disconnected' : 'live: reconnecting…'));
  source.addEventListener('traces', e => {
    const data = parse(e.data);
    pulse(indicator);
    if (data && data.latest) indicator.title = `latest merged trace ${fmtTime(data.latest)}`;
    refreshSoon();
  });
  source.addEventListener('agents', e => {
    const data = parse(e.data);
    if (data) $('live-agents').textContent = `${data.online}/${data.total} agents online`;
    refreshSoon();
  });
  source.addEventListener('route-change', e => {
    const c = parse(e.data);
    if (c) {
      const link = el('a', {href: '#', class: 'mono'}, `${c.agent_id} → ${c.destination}`);
      link.addEventListener('click', ev => {
        ev.preventDefault();
        navigate('history', {agent: c.agent_id, destination: c.destination, method: c.method});
      });
      toast(el('span', null, 'route change ', link, c.divergence_ttl ? ` at TTL ${c.divergence_ttl}` : ''), 'change');
    }
    refreshSoon();
  });
  return source;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}

function setState(indicator, state, text) {
  indicator.dataset.state = state;
  indicator.textContent = text.startsWith('live: connected') ? 'live' : text.replace('live: ', '');
  indicator.title = text;
}

function pulse(indicator) {
  indicator.classList.remove('pulse');
  void indicator.offsetWidth;
  indicator.classList.add('pulse');
}
