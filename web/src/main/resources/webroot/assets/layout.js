// Layered preset layout for the topology map: vantage points in column 0, every other node in the column of
// its hop distance (smallest TTL seen), rows ordered by the barycentre of their neighbours in the previous
// column (one forward and one backward sweep) so crossings stay low. Linear-ish in nodes + links: a 5,000-node
// graph lays out in a few milliseconds, where a force layout would take seconds.

/** Horizontal distance between columns, vertical distance between rows, in model pixels. */
export const COLUMN_GAP = 180;
export const ROW_GAP = 34;
/** Tall columns get wider gaps, up to this, so big graphs are about as wide as a screen relative to their height. */
export const MAX_COLUMN_GAP = 1200;
const SCREEN_ASPECT = 1.6;

/**
 * Computes positions for topology nodes.
 *
 * @param nodes [{id, kind, hop_distance}]
 * @param links [{from, to}]
 * @returns Map id -> {x, y}
 */
export function layeredLayout(nodes, links) {
  const layer = new Map();
  const neighbours = new Map();
  for (const n of nodes) {
    neighbours.set(n.id, []);
    if (n.kind === 'agent') layer.set(n.id, 0);
    else if (Number.isInteger(n.hop_distance) && n.hop_distance > 0) layer.set(n.id, n.hop_distance);
  }
  for (const l of links) {
    const a = neighbours.get(l.from);
    const b = neighbours.get(l.to);
    if (a && b) {
      a.push(l.to);
      b.push(l.from);
    }
  }
  placeUnlayered(nodes, layer, neighbours);

  const columns = [];
  for (const n of nodes) {
    const c = layer.get(n.id);
    (columns[c] || (columns[c] = [])).push(n.id);
  }
  const row = new Map();
  const byKey = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const first = columns.findIndex(c => c && c.length);
  if (first < 0) return new Map();
  setRows(columns[first].sort(byKey), row);
  sweep(columns, first + 1, columns.length, 1, layer, neighbours, row);
  sweep(columns, columns.length - 2, first - 1, -1, layer, neighbours, row);

  let tallest = 0;
  let used = 0;
  for (const col of columns) {
    if (col) {
      tallest = Math.max(tallest, col.length);
      used++;
    }
  }
  const gap = Math.min(MAX_COLUMN_GAP, Math.max(COLUMN_GAP,
    used > 1 ? (tallest * ROW_GAP * SCREEN_ASPECT) / (columns.length - 1) : COLUMN_GAP));
  const positions = new Map();
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c];
    if (!col) continue;
    const top = -((col.length - 1) * ROW_GAP) / 2;
    col.forEach((id, i) => positions.set(id, {x: c * gap, y: top + i * ROW_GAP}));
  }
  return positions;
}

/** Nodes without a hop distance go one column right of their nearest layered neighbour (BFS), else last. */
function placeUnlayered(nodes, layer, neighbours) {
  const queue = [];
  for (const n of nodes) if (layer.has(n.id)) queue.push(n.id);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    const next = layer.get(id) + 1;
    for (const m of neighbours.get(id)) {
      if (!layer.has(m)) {
        layer.set(m, next);
        queue.push(m);
      }
    }
  }
  let max = 0;
  for (const v of layer.values()) max = Math.max(max, v);
  for (const n of nodes) if (!layer.has(n.id)) layer.set(n.id, max + 1);
}

/** Orders each column by the mean row of its neighbours in earlier columns (in sweep direction), nearer ones weighing more. */
function sweep(columns, from, to, step, layer, neighbours, row) {
  for (let c = from; c !== to; c += step) {
    const col = columns[c];
    if (!col) continue;
    const weight = new Map();
    for (const id of col) {
      let sum = 0;
      let count = 0;
      for (const m of neighbours.get(id)) {
        const lm = layer.get(m);
        if ((step > 0 ? lm < c : lm > c) && row.has(m)) {
          // nearer columns weigh more than links jumping several columns back
          const w = 1 / Math.abs(c - lm);
          sum += row.get(m) * w;
          count += w;
        }
      }
      weight.set(id, count ? sum / count : (row.has(id) ? row.get(id) : Number.MAX_SAFE_INTEGER));
    }
    col.sort((a, b) => weight.get(a) - weight.get(b) || (a < b ? -1 : a > b ? 1 : 0));
    setRows(col, row);
  }
}

/** Rows are centred like the drawn columns, so barycentres compare across columns of different heights. */
function setRows(col, row) {
  const middle = (col.length - 1) / 2;
  col.forEach((id, i) => row.set(id, i - middle));
}
