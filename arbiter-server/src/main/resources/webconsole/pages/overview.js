// Overview: live charts from /api/v1/overview/stats (cumulative counters per node and fragment, turned into rates
// and interval percentiles here), for the cluster, one node or one fragment.
import { get } from '../api.js';
import { h, table } from '../ui.js';

const POLL_MS = 2000;
const KEEP = 90; // points per chart (3 minutes)
const FAILED = ['CommitFailed', 'RollbackFailed', 'TimeoutRollbackFailed', 'CommitRetryTimeout', 'RollbackRetryTimeout'];
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

// Sums the figures of the fragments {node, fragment} that the scope selects.
function totals(doc, scope) {
  const t = { ended: 0, begun: 0, failed: 0, retries: 0, live: 0, latency: null };
  for (const n of doc.nodes) {
    if (scope.node && n.node !== scope.node) continue;
    for (const f of n.fragments || []) {
      if (scope.fragment !== undefined && f.id !== scope.fragment) continue;
      const ended = Object.values(f.ended).reduce((a, b) => a + b, 0);
      t.ended += ended;
      t.begun += f.begun;
      t.failed += FAILED.reduce((a, s) => a + (f.ended[s] || 0), 0) + f.commitFailures;
      t.retries += f.retries;
      if (f.leader) t.live += f.live; // every replica holds them: count the leader's
      t.latency = t.latency ? t.latency.map((c, i) => c + f.latency[i]) : f.latency.slice();
    }
  }
  return t;
}

// The q-quantile (0..1) of the counts between two cumulative histograms, as a bucket's upper bound in ms.
export function percentile(before, after, bounds, q) {
  if (!after) return null;
  const d = after.map((c, i) => c - (before ? before[i] : 0));
  const total = d.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  let seen = 0;
  for (let i = 0; i < d.length; i++) {
    seen += d[i];
    if (seen >= q * total) return i < bounds.length ? bounds[i] : bounds[bounds.length - 1] * 2;
  }
  return null;
}

function lineChart(id, title, series, unit) {
  const canvas = h('canvas', { id: id + '-canvas' });
  const box = h('div', { class: 'chart', id, 'data-points': '0', 'data-max': '0' },
    h('h3', {}, title), h('div', { class: 'canvas' }, canvas));
  const chart = new Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: series.map((s, i) => ({ label: s, data: [], borderColor: COLORS[i % COLORS.length],
      backgroundColor: COLORS[i % COLORS.length], pointRadius: 0, borderWidth: 2, tension: 0.2, spanGaps: true })) },
    options: { animation: false, responsive: true, maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: !!unit, text: unit } }, x: { ticks: { maxTicksLimit: 6 } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } } },
  });
  return { box, chart, push(label, values) {
    chart.data.labels.push(label);
    values.forEach((v, i) => chart.data.datasets[i].data.push(v));
    if (chart.data.labels.length > KEEP) {
      chart.data.labels.shift();
      chart.data.datasets.forEach((d) => d.data.shift());
    }
    chart.update();
    const all = chart.data.datasets.flatMap((d) => d.data).filter((v) => v !== null);
    box.dataset.points = String(chart.data.labels.length);
    box.dataset.max = String(all.length ? Math.max(...all) : 0);
  } };
}

export async function show(main) {
  const scopeSelect = h('select', { id: 'overview-scope' }, h('option', { value: 'cluster' }, 'Cluster'));
  const charts = {
    throughput: lineChart('chart-throughput', 'Throughput (transactions/s)', ['ended/s', 'begun/s'], 'tx/s'),
    latency: lineChart('chart-latency', 'Request latency (Raft commit, percentiles)', ['p50', 'p95', 'p99'], 'ms'),
    active: lineChart('chart-active', 'Active transactions', ['active'], ''),
    failures: lineChart('chart-failures', 'Failures and phase-two retries (per second)', ['failures/s', 'retries/s'], '/s'),
  };
  const nodesBox = h('div', { id: 'overview-nodes' });
  main.append(h('h2', {}, 'Overview'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Show ', scopeSelect),
      h('span', { class: 'muted' }, 'updated every 2 s; figures of a fragment come from its leader')),
    h('div', { class: 'charts' }, Object.values(charts).map((c) => c.box)), h('h3', {}, 'Nodes and fragments'), nodesBox);

  let previous = null;
  let scopeKey = 'cluster';
  scopeSelect.addEventListener('change', () => {
    scopeKey = scopeSelect.value;
    previous = null;
    Object.values(charts).forEach((c) => {
      c.chart.data.labels = [];
      c.chart.data.datasets.forEach((d) => { d.data = []; });
      c.chart.update();
    });
  });
  const known = new Set(['cluster']);

  async function tick() {
    const doc = await get('/api/v1/overview/stats');
    for (const n of doc.nodes) addOption('node:' + n.node, 'Node ' + n.node);
    const frags = [...new Set(doc.nodes.flatMap((n) => (n.fragments || []).map((f) => f.id)))].sort((a, b) => a - b);
    frags.forEach((id) => addOption('fragment:' + id, 'Fragment ' + id));
    const scope = scopeKey.startsWith('node:') ? { node: scopeKey.slice(5) }
      : scopeKey.startsWith('fragment:') ? { fragment: Number(scopeKey.slice(9)) } : {};
    const now = totals(doc, scope);
    const label = new Date(doc.time).toLocaleTimeString();
    if (previous) {
      const dt = Math.max(0.001, (doc.time - previous.time) / 1000);
      const rate = (k) => Math.max(0, (now[k] - previous.t[k]) / dt);
      charts.throughput.push(label, [rate('ended'), rate('begun')]);
      const b = doc.latencyBoundsMs;
      charts.latency.push(label, [0.5, 0.95, 0.99].map((q) => percentile(previous.t.latency, now.latency, b, q)));
      charts.active.push(label, [now.live]);
      charts.failures.push(label, [rate('failed'), rate('retries')]);
    }
    nodesBox.replaceChildren(nodesTable(doc, previous));
    previous = { time: doc.time, t: now, doc };
  }

  function addOption(value, text) {
    if (known.has(value)) return;
    known.add(value);
    scopeSelect.append(h('option', { value }, text));
  }

  await tick();
  const timer = setInterval(() => tick().catch(() => {}), POLL_MS);
  return { stop: () => { clearInterval(timer); Object.values(charts).forEach((c) => c.chart.destroy()); } };
}

function nodesTable(doc, previous) {
  const rows = [];
  for (const n of doc.nodes) {
    if (!n.reachable) {
      rows.push({ node: n.node, reachable: false });
      continue;
    }
    for (const f of n.fragments) {
      let rate = null;
      const p = previous && previous.doc.nodes.find((x) => x.node === n.node);
      const pf = p && (p.fragments || []).find((x) => x.id === f.id);
      if (pf) {
        const sum = (x) => Object.values(x.ended).reduce((a, b) => a + b, 0);
        rate = ((sum(f) - sum(pf)) / Math.max(0.001, (n.time - p.time) / 1000)).toFixed(1);
      }
      rows.push({ node: n.node, reachable: true, f, rate });
    }
  }
  return table([
    { title: 'Node', value: (r) => r.node },
    { title: 'Reachable', value: (r) => h('span', { class: 'pill ' + (r.reachable ? 'ok' : 'bad') }, r.reachable ? 'yes' : 'no') },
    { title: 'Fragment', value: (r) => r.f ? String(r.f.id) : '' },
    { title: 'Role', value: (r) => r.f ? h('span', { class: 'pill' + (r.f.leader ? ' lead' : '') }, r.f.leader ? 'leader' : 'follower') : '' },
    { title: 'Ended/s', value: (r) => r.rate ?? '' },
    { title: 'Active', value: (r) => r.f ? String(r.f.live) : '' },
    { title: 'Locks', value: (r) => r.f ? String(r.f.locks) : '' },
    { title: 'Retries', value: (r) => r.f ? String(r.f.retries) : '' },
  ], rows, { id: 'overview-table' });
}
