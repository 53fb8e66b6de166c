// Cluster: the nodes (from /metadata/v1/cluster, reachability from /health) and the fragments with their replicas
// and leaders (/api/v1/fragments); leader transfer and replica changes for logged-in users, each confirmed.
// Placement (/api/v1/cluster, from the meta leader): per node replicas, leaders, CPU and draining (drain / undrain
// for logged-in users), and the placement operators running and recent.
import { get, post, canOperate } from '../api.js';
import { h, table, confirmed } from '../ui.js';

const POLL_MS = 3000;
const nodeId = (internal) => internal.host.replaceAll(':', '_') + '_' + internal.port;

async function health() {
  const res = await fetch('/health');
  return res.json();
}

export async function show(main) {
  const nodesBox = h('div', { id: 'cluster-nodes' });
  const fragmentsBox = h('div', { id: 'cluster-fragments' });
  const placementBox = h('div', { id: 'cluster-placement' });
  main.append(h('h2', {}, 'Cluster'), nodesBox, fragmentsBox, placementBox);
  let busy = false;

  async function load() {
    // an open dialog, a running operation or a choice being made: do not redraw under it
    if (busy || (document.activeElement && document.activeElement.tagName === 'SELECT')) return;
    const [meta, frags, here] = await Promise.all([get('/metadata/v1/cluster'), get('/api/v1/fragments'), health()]);
    const unreachable = new Set(here.unreachable || []);
    const nodes = (meta.nodes || []).map((n) => {
      const id = n.internal ? nodeId(n.internal) : n.transaction.host + ':' + n.transaction.port;
      return { id, n, leads: frags.fragments.filter((f) => f.leader === id).map((f) => f.id),
        holds: frags.fragments.filter((f) => f.replicas.includes(id)).map((f) => f.id) };
    });
    nodesBox.replaceChildren(h('h3', {}, 'Nodes'), table([
      { title: 'Node', value: (x) => h('span', { class: 'mono' }, x.id + (x.id === frags.node ? ' (this node)' : '')) },
      { title: 'Reachable', value: (x) => h('span', { class: 'pill ' + (unreachable.has(x.id) ? 'bad' : 'ok') },
        unreachable.has(x.id) ? 'unreachable' : 'reachable') },
      { title: 'Role', value: (x) => h('span', { class: 'pill' + (x.leads.length ? ' lead' : '') },
        x.leads.length ? 'leads ' + x.leads.length + ' fragment(s)' : 'follower') },
      { title: 'Seata port', value: (x) => x.n.transaction.host + ':' + x.n.transaction.port },
      { title: 'HTTP', value: (x) => x.n.control.host + ':' + x.n.control.port },
      { title: 'Replicas of fragments', value: (x) => x.holds.join(', ') },
      { title: 'Clients told', value: (x) => x.n.role },
    ], nodes, { id: 'nodes-table' }),
    h('p', { class: 'muted' }, `map epoch ${frags.epoch}${frags.replicated ? '' : ' (not replicated yet)'}; `
      + `this node is ${here.status === 'UP' ? 'serving' : 'not serving'}`));
    const ids = nodes.map((x) => x.id);
    fragmentsBox.replaceChildren(h('h3', {}, 'Fragments'), table([
      { title: 'Fragment', value: (f) => String(f.id) },
      { title: 'Leader', value: (f) => !f.leader ? h('span', { class: 'pill bad' }, 'none')
        : unreachable.has(f.leader) ? [h('span', { class: 'mono' }, f.leader), ' ', h('span', { class: 'pill bad' }, 'unreachable: election due')]
          : h('span', { class: 'mono' }, f.leader) },
      { title: 'Replicas', value: (f) => f.replicas.map((r) => h('div', { class: 'mono' }, r + (r === f.leader ? ' ★' : ''))) },
      { title: 'Takes begins', value: (f) => f.acceptsBegins ? 'yes' : 'no' },
      { title: 'Lock slots', value: (f) => String(f.lockSlots) },
      { title: 'Live tx / locks here', value: (f) => f.transactions !== undefined ? f.transactions + ' / ' + f.locks : '' },
      { title: 'Actions', value: (f) => canOperate() ? actions(f, ids) : '' },
    ], frags.fragments, { id: 'fragments-table' }));
    await loadPlacement();
  }

  async function loadPlacement() {
    let doc;
    try {
      doc = await get('/api/v1/cluster');
    } catch (e) {
      placementBox.replaceChildren(h('h3', {}, 'Placement'), h('p', { class: 'muted', id: 'placement-off' }, e.message));
      return;
    }
    placementBox.replaceChildren(h('h3', {}, 'Placement'),
      h('p', { class: 'muted' }, 'run by ' + doc.metaLeader + ' (the meta group\'s leader)'),
      table([
        { title: 'Node', value: (n) => h('span', { class: 'mono' }, n.id) },
        { title: 'State', value: (n) => h('span', { class: 'pill ' + (!n.reachable ? 'bad' : n.draining ? 'warn' : 'ok') },
          !n.reachable ? 'down' : n.draining ? 'draining' : 'up') },
        { title: 'Replicas', value: (n) => String(n.replicas) },
        { title: 'Leaders', value: (n) => String(n.leaders) },
        { title: 'CPU', value: (n) => Math.round(n.cpu * 100) + ' %' },
        { title: 'Actions', value: (n) => canOperate() ? drainButton(n) : '' },
      ], doc.nodes, { id: 'placement-nodes-table' }),
      h('h3', {}, 'Placement operators (running and recent)'),
      table([
        { title: '#', value: (o) => String(o.id) },
        { title: 'Outcome', value: (o) => h('span', { class: 'pill ' + ({ SUCCEEDED: 'ok', RUNNING: 'lead' }[o.outcome] || 'bad') }, o.outcome) },
        { title: 'Kind', value: (o) => o.kind },
        { title: 'Fragment', value: (o) => o.fragment < 0 ? 'new' : String(o.fragment) },
        { title: 'Steps', value: (o) => o.steps.map((s, i) => h('div', { class: 'mono' + (i < o.stepsDone ? ' muted' : '') }, s)) },
        { title: 'Why', value: (o) => o.reason + (o.detail ? ' — ' + o.detail : '') },
        { title: 'Started', value: (o) => new Date(o.startedAt).toLocaleTimeString() },
      ], doc.operators, { id: 'operators-table' }));
  }

  function drainButton(n) {
    const action = n.draining ? 'undrain' : 'drain';
    const raft = n.id.replace(/_(\d+)$/, ':$1');
    return h('button', { class: 'small' + (n.draining ? '' : ' danger'), 'data-op': action, onclick: async () => {
      busy = true;
      await confirmed(n.draining ? 'Undrain' : 'Drain', n.draining ? `Let ${n.id} take replicas and leaders again?`
        : `Move every replica and leader off ${n.id}?`, () => post('/api/v1/nodes/' + action, { node: raft }), null);
      busy = false;
      load();
    } }, n.draining ? 'Undrain' : 'Drain');
  }

  function actions(f, ids) {
    const op = (label, path, choices, text, cls = '') => {
      if (choices.length === 0) return null;
      const select = h('select', { 'data-for': path }, choices.map((c) => h('option', { value: c }, c)));
      return h('div', {}, select, ' ', h('button', { class: 'small ' + cls, 'data-op': path, onclick: async () => {
        busy = true;
        await confirmed(label, text(select.value), () => post('/api/v1/fragments/' + path,
          { fragment: f.id, node: select.value }), null);
        busy = false;
        load();
      } }, label));
    };
    return [
      op('Transfer leader', 'transfer-leader', f.replicas.filter((r) => r !== f.leader),
        (n) => `Move the leadership of fragment ${f.id} to ${n}?`),
      op('Add replica', 'add-replica', ids.filter((n) => !f.replicas.includes(n)),
        (n) => `Add a replica of fragment ${f.id} on ${n} (it catches up from a snapshot)?`),
      op('Remove replica', 'remove-replica', f.replicas.length > 1 ? f.replicas : [],
        (n) => `Remove the replica of fragment ${f.id} on ${n}?`, 'danger'),
    ];
  }

  await load();
  const timer = setInterval(() => load().catch(() => {}), POLL_MS);
  return { stop: () => clearInterval(timer) };
}
