// Transactions: Seata's filters and paging over /api/v1/console/globalSession/query, and a detail view of one
// transaction with its branches and the operations on both (confirmed, logged-in users only).
import { get, operate, canOperate } from '../api.js';
import { h, table, time, statusName, branchStatusName, confirmed, GLOBAL_STATUS } from '../ui.js';

/** How often a transaction's page asks for it again while shown. */
const DETAIL_POLL_MS = 2000;

const QUERY = '/api/v1/console/globalSession/query';
let lastFilters = { pageNum: 1, pageSize: 20 };

export async function show(main, xid) {
  return xid ? detail(main, xid) : list(main);
}

function field(name, label, attrs = {}) {
  return h('label', {}, label, h('input', { name, id: 'tx-' + name, value: lastFilters[name] ?? '', ...attrs }));
}

function toMillis(local) {
  return local ? String(new Date(local).getTime()) : '';
}

async function list(main) {
  const status = h('select', { name: 'status', id: 'tx-status' }, h('option', { value: '' }, 'any'),
    GLOBAL_STATUS.map((s, i) => h('option', { value: String(i), selected: String(lastFilters.status) === String(i) },
      i + ' ' + s)));
  const withBranch = h('input', { type: 'checkbox', name: 'withBranch', id: 'tx-withBranch',
    checked: lastFilters.withBranch === 'true' });
  const results = h('div', { id: 'tx-results' });
  const form = h('form', { class: 'filters', id: 'tx-filters', onsubmit: (e) => {
    e.preventDefault();
    lastFilters = read(form, 1);
    load();
  } },
  field('xid', 'XID', { size: 36 }), field('applicationId', 'Application id'), field('transactionName', 'Transaction name'),
  h('label', {}, 'Status', status),
  h('label', {}, 'Began from', h('input', { type: 'datetime-local', name: 'from', id: 'tx-from', value: lastFilters.from ?? '' })),
  h('label', {}, 'to', h('input', { type: 'datetime-local', name: 'to', id: 'tx-to', value: lastFilters.to ?? '' })),
  h('label', {}, 'With branches', withBranch),
  h('label', {}, 'Page size', h('select', { name: 'pageSize', id: 'tx-pageSize' },
    [10, 20, 50, 100].map((n) => h('option', { value: n, selected: Number(lastFilters.pageSize) === n }, n)))),
  h('button', { type: 'submit', id: 'tx-search' }, 'Search'));

  function read(f, page) {
    const d = new FormData(f);
    return { xid: d.get('xid'), applicationId: d.get('applicationId'), transactionName: d.get('transactionName'),
      status: d.get('status'), from: d.get('from'), to: d.get('to'), withBranch: d.get('withBranch') ? 'true' : '',
      pageSize: d.get('pageSize'), pageNum: page };
  }

  async function load() {
    const p = lastFilters;
    const page = await get(QUERY, { xid: p.xid, applicationId: p.applicationId, transactionName: p.transactionName,
      status: p.status, timeStart: toMillis(p.from), timeEnd: toMillis(p.to), withBranch: p.withBranch,
      pageNum: p.pageNum, pageSize: p.pageSize });
    const pages = Math.max(1, page.pages || 1);
    results.replaceChildren(
      table([
        { title: 'XID', value: (s) => h('a', { href: '#/transactions/' + encodeURIComponent(s.xid), class: 'mono tx-link' }, s.xid) },
        { title: 'Status', value: (s) => statusName(s.status) },
        { title: 'Application', value: (s) => s.applicationId },
        { title: 'Group', value: (s) => s.transactionServiceGroup },
        { title: 'Name', value: (s) => s.transactionName },
        { title: 'Began', value: (s) => time(s.beginTime) },
        { title: 'Timeout', value: (s) => (Number(s.timeout) / 1000) + ' s' },
        { title: 'Branches', value: (s) => s.branchSessionVOs ? s.branchSessionVOs.map((b) =>
          h('div', { class: 'mono' }, b.branchId + ' ' + b.branchType + ' ' + branchStatusName(b.status))) : '' },
      ], page.data || [], { id: 'tx-table' }),
      h('div', { class: 'pager' },
        h('button', { class: 'secondary small', disabled: p.pageNum <= 1, onclick: () => { lastFilters.pageNum--; load(); } }, '‹ Previous'),
        h('span', { id: 'tx-total' }, `page ${p.pageNum} of ${pages} · ${page.total} transaction(s)`),
        h('button', { class: 'secondary small', disabled: p.pageNum >= pages, onclick: () => { lastFilters.pageNum++; load(); } }, 'Next ›')));
  }

  main.append(h('h2', {}, 'Transactions'), h('p', { class: 'muted' },
    'Live global transactions of every fragment (ended ones are gone). Filters match by "contains".'), form, results);
  await load();
  return {};
}

async function detail(main, xid) {
  const box = h('div', { id: 'tx-detail' });
  main.append(h('p', {}, h('a', { href: '#/transactions' }, '‹ Transactions')), box);
  let shown; // the transaction as last drawn: the page is redrawn only when it changed (polling keeps it current)
  async function load() {
    const page = await get(QUERY, { xid, withBranch: 'true', pageNum: 1, pageSize: 10 });
    const s = (page.data || []).find((x) => x.xid === xid);
    const drawn = JSON.stringify(s ?? null);
    if (drawn === shown) return;
    shown = drawn;
    if (!s) {
      box.replaceChildren(h('h2', {}, 'Transaction ' + xid),
        h('p', { id: 'tx-gone', class: 'muted' }, 'Not live any more: it ended (or never existed).'));
      return;
    }
    const again = () => load();
    const g = (title, path, method, text) => h('button', { class: 'small' + (method === 'DELETE' ? ' danger' : ''),
      'data-op': path, onclick: () => confirmed(title, text + '\n' + xid, () => operate(method, path, { xid }), again) }, title);
    const ops = canOperate() ? h('div', { class: 'ops', id: 'tx-ops' },
      g('Stop retrying', 'globalSession/stopGlobalSession', 'PUT', 'Stop phase-two retries of this transaction?'),
      g('Start retrying', 'globalSession/startGlobalSession', 'PUT', 'Start phase-two retries again?'),
      g('Send commit/rollback now', 'globalSession/sendCommitOrRollback', 'PUT', 'Call phase two now?'),
      g('Change status', 'globalSession/changeGlobalStatus', 'PUT', 'Turn a failed status back into retrying?'),
      g('Delete', 'globalSession/deleteGlobalSession', 'DELETE', 'End this transaction as Finished without calling its resources?'),
      g('Force delete', 'globalSession/forceDeleteGlobalSession', 'DELETE', 'Force-end this transaction, whatever its status?'))
      : h('p', { class: 'muted', id: 'tx-ops-none' }, 'Operations need a logged-in user.');
    const b = (title, path, method, branch) => h('button', { class: 'small' + (method === 'DELETE' ? ' danger' : ''),
      'data-op': path, onclick: () => confirmed(title, title + ' of branch ' + branch.branchId + '?',
        () => operate(method, path, { xid, branchId: branch.branchId }), again) }, title);
    box.replaceChildren(
      h('h2', {}, 'Transaction'),
      h('div', { class: 'card' }, h('dl', { class: 'fields' },
        h('dt', {}, 'XID'), h('dd', { class: 'mono', id: 'tx-xid' }, s.xid),
        h('dt', {}, 'Status'), h('dd', { id: 'tx-status-value' }, statusName(s.status) + ' (' + s.status + ')'),
        h('dt', {}, 'Application'), h('dd', {}, s.applicationId ?? ''),
        h('dt', {}, 'Group'), h('dd', {}, s.transactionServiceGroup ?? ''),
        h('dt', {}, 'Name'), h('dd', {}, s.transactionName ?? ''),
        h('dt', {}, 'Began'), h('dd', {}, time(s.beginTime)),
        h('dt', {}, 'Timeout'), h('dd', {}, (Number(s.timeout) / 1000) + ' s')), ops),
      h('h3', {}, 'Branches'),
      table([
        { title: 'Branch id', value: (x) => h('span', { class: 'mono' }, x.branchId) },
        { title: 'Type', value: (x) => x.branchType },
        { title: 'Status', value: (x) => branchStatusName(x.status) },
        { title: 'Resource', value: (x) => h('span', { class: 'mono' }, x.resourceId) },
        { title: 'Client', value: (x) => x.clientId ?? '' },
        { title: 'Operations', value: (x) => canOperate() ? [
          b('Stop retrying', 'branchSession/stopBranchSession', 'PUT', x),
          b('Start retrying', 'branchSession/startBranchSession', 'PUT', x),
          b('Delete', 'branchSession/deleteBranchSession', 'DELETE', x),
          b('Force delete', 'branchSession/forceDeleteBranchSession', 'DELETE', x)] : '' },
      ], s.branchSessionVOs || [], { id: 'branch-table' }));
  }
  await load();
  // a phase two that retries, or ends, shows without a reload
  const timer = setInterval(() => load().catch(() => {}), DETAIL_POLL_MS);
  return { stop: () => clearInterval(timer) };
}
