// Locks: Seata's lock filters over /api/v1/console/globalLock/query, deletion of a lock (confirmed, logged-in
// users only) and the most contended rows (/api/v1/console/locks/contended).
import { get, operate, canOperate } from '../api.js';
import { h, table, time, duration, confirmed } from '../ui.js';

const FILTERS = [['xid', 'XID'], ['tableName', 'Table'], ['pk', 'Primary key'], ['resourceId', 'Resource id'],
  ['branchId', 'Branch id']];
let lastFilters = { pageNum: 1, pageSize: 20 };

export async function show(main) {
  const results = h('div', { id: 'lock-results' });
  const contended = h('div', { id: 'lock-contended' });
  const form = h('form', { class: 'filters', id: 'lock-filters', onsubmit: (e) => {
    e.preventDefault();
    const d = new FormData(form);
    lastFilters = { pageNum: 1, pageSize: d.get('pageSize') };
    FILTERS.forEach(([k]) => { lastFilters[k] = d.get(k); });
    load();
  } },
  FILTERS.map(([k, label]) => h('label', {}, label, h('input', { name: k, id: 'lock-' + k, value: lastFilters[k] ?? '' }))),
  h('label', {}, 'Page size', h('select', { name: 'pageSize' },
    [10, 20, 50, 100].map((n) => h('option', { value: n, selected: Number(lastFilters.pageSize) === n }, n)))),
  h('button', { type: 'submit', id: 'lock-search' }, 'Search'));

  async function load() {
    const p = lastFilters;
    const page = await get('/api/v1/console/globalLock/query', { ...p });
    const pages = Math.max(1, page.pages || 1);
    results.replaceChildren(table([
      { title: 'Table', value: (l) => l.tableName },
      { title: 'Primary key', value: (l) => h('span', { class: 'mono' }, l.pk) },
      { title: 'Resource', value: (l) => h('span', { class: 'mono' }, l.resourceId) },
      { title: 'XID', value: (l) => h('a', { class: 'mono', href: '#/transactions/' + encodeURIComponent(l.xid) }, l.xid) },
      { title: 'Branch id', value: (l) => h('span', { class: 'mono' }, l.branchId) },
      { title: 'Operations', value: (l) => canOperate() ? h('button', { class: 'small danger', 'data-op': 'globalLock/delete',
        onclick: () => confirmed('Delete lock', `Release row ${l.tableName}:${l.pk} held by ${l.xid}?`,
          () => operate('DELETE', 'globalLock/delete', { xid: l.xid, branchId: l.branchId, resourceId: l.resourceId,
            tableName: l.tableName, pk: l.pk }), load) }, 'Delete') : '' },
    ], page.data || [], { id: 'lock-table' }),
    h('div', { class: 'pager' },
      h('button', { class: 'secondary small', disabled: p.pageNum <= 1, onclick: () => { lastFilters.pageNum--; load(); } }, '‹ Previous'),
      h('span', {}, `page ${p.pageNum} of ${pages} · ${page.total} lock(s)`),
      h('button', { class: 'secondary small', disabled: p.pageNum >= pages, onclick: () => { lastFilters.pageNum++; load(); } }, 'Next ›')));
    const c = (await get('/api/v1/console/locks/contended', { limit: 20 })).data;
    contended.replaceChildren(
      h('h3', {}, 'Most contended rows'),
      h('p', { class: 'muted' }, 'Lock requests refused (LockKeyConflict) since each fragment replica started.'),
      table([
        { title: 'Table', value: (r) => r.tableName },
        { title: 'Primary key', value: (r) => h('span', { class: 'mono' }, r.pk) },
        { title: 'Conflicts', value: (r) => String(r.conflicts) },
        { title: 'Held by', value: (r) => r.holderXid ? h('a', { class: 'mono', href: '#/transactions/' + encodeURIComponent(r.holderXid) }, r.holderXid) : h('span', { class: 'muted' }, 'free') },
        { title: 'Held since', value: (r) => time(r.heldSince) },
        { title: 'Held for', value: (r) => duration(r.heldForMillis) },
      ], c.rows || [], { id: 'contended-rows' }),
      h('h3', {}, 'Conflicts per table'),
      table([
        { title: 'Table', value: (t) => t.tableName },
        { title: 'Resource', value: (t) => h('span', { class: 'mono' }, t.resourceId) },
        { title: 'Conflicts', value: (t) => String(t.conflicts) },
      ], c.tables || [], { id: 'contended-tables' }));
  }

  main.append(h('h2', {}, 'Locks'), h('p', { class: 'muted' }, 'Row locks held by live transactions.'), form, results, contended);
  await load();
  return {};
}
