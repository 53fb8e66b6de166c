// Small DOM helpers shared by the pages: element building, the confirm dialog, toasts, status names.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Asks the user to confirm what is about to happen; resolves true only on "Confirm".
export function confirmAction(title, text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
  });
}

let toastTimer;
export function toast(text, error = false) {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.className = 'toast' + (error ? ' error' : '');
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 6000);
}

export const GLOBAL_STATUS = ['UnKnown', 'Begin', 'Committing', 'CommitRetrying', 'Rollbacking', 'RollbackRetrying',
  'TimeoutRollbacking', 'TimeoutRollbackRetrying', 'AsyncCommitting', 'Committed', 'CommitFailed', 'Rollbacked',
  'RollbackFailed', 'TimeoutRollbacked', 'TimeoutRollbackFailed', 'Finished', 'CommitRetryTimeout',
  'RollbackRetryTimeout', 'Deleting', 'StopCommitOrCommitRetry', 'StopRollbackOrRollbackRetry'];

export const BRANCH_STATUS = ['Unknown', 'Registered', 'PhaseOne_Done', 'PhaseOne_Failed', 'PhaseOne_Timeout',
  'PhaseTwo_Committed', 'PhaseTwo_CommitFailed_Retryable', 'PhaseTwo_CommitFailed_Unretryable',
  'PhaseTwo_Rollbacked', 'PhaseTwo_RollbackFailed_Retryable', 'PhaseTwo_RollbackFailed_Unretryable',
  'PhaseTwo_CommitFailed_XAER_NOTA_Retryable', 'PhaseTwo_RollbackFailed_XAER_NOTA_Retryable', 'PhaseOne_RDONLY',
  'STOP_RETRY'];

export const statusName = (code) => GLOBAL_STATUS[code] ?? String(code);
export const branchStatusName = (code) => BRANCH_STATUS[code] ?? String(code);

export function time(ms) {
  if (ms === null || ms === undefined || ms === '') return '';
  const d = new Date(Number(ms));
  return d.toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  const s = Number(ms) / 1000;
  return s < 60 ? s.toFixed(1) + ' s' : (s / 60).toFixed(1) + ' min';
}

// A table from rows and column definitions {title, value(row) -> node|string}.
export function table(columns, rows, attrs = {}) {
  return h('table', attrs,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c.title)))),
    h('tbody', {}, rows.length === 0
      ? h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, 'nothing here'))
      : rows.map((r) => h('tr', {}, columns.map((c) => h('td', {}, c.value(r)))))));
}

// Runs an operation after the confirm dialog, reports the outcome, then calls done().
export async function confirmed(title, text, action, done) {
  if (!(await confirmAction(title, text))) return;
  try {
    await action();
    toast(title + ': done');
  } catch (e) {
    toast(title + ': ' + e.message, true);
  }
  if (done) done();
}
