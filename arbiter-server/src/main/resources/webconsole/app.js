// The console's shell: login state, the hash router and the page modules.
import { auth, probeAuth, login, AuthRequired, canOperate } from './api.js';
import { h, toast } from './ui.js';
import * as overview from './pages/overview.js';
import * as transactions from './pages/transactions.js';
import * as locks from './pages/locks.js';
import * as cluster from './pages/cluster.js';

const PAGES = { overview, transactions, locks, cluster };
let current = null; // the page shown, with its stop() to end polling

function route() {
  const [, name = 'overview', ...rest] = location.hash.replace(/^#/, '').split('/');
  return { name: PAGES[name] ? name : 'overview', arg: rest.map(decodeURIComponent).join('/') };
}

async function render() {
  if (current && current.stop) current.stop();
  current = null;
  const main = document.getElementById('page');
  const state = await probeAuth();
  showUser(state);
  if (state.enabled && !state.loggedIn) {
    main.replaceChildren(loginForm());
    return;
  }
  const { name, arg } = route();
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === name));
  main.replaceChildren();
  try {
    current = await PAGES[name].show(main, arg);
  } catch (e) {
    if (e instanceof AuthRequired) { render(); return; }
    main.append(h('p', { class: 'error' }, e.message));
  }
}

function showUser(state) {
  const user = document.getElementById('user');
  const banner = document.getElementById('banner');
  user.replaceChildren();
  banner.hidden = true;
  if (canOperate()) {
    user.append('logged in ', h('button', { id: 'logout', onclick: () => { auth.clear(); render(); } }, 'Log out'));
  } else if (!state.enabled) {
    banner.hidden = false;
    banner.textContent = 'Read-only: this node has no console user (console.user.username / console.user.password),'
      + ' so anyone may look but nobody may run operations.';
  }
}

function loginForm() {
  const name = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', required: true,
    autocomplete: 'current-password' });
  const error = h('p', { class: 'error', id: 'login-error' });
  const form = h('form', {
    class: 'login', id: 'login-form', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await login(name.value, pass.value);
        render();
      } catch (err) {
        error.textContent = err.message;
      }
    },
  },
  h('h2', {}, 'Log in'),
  h('p', { class: 'muted' }, 'The console user of this cluster (Seata\'s console.user.username / password).'),
  h('label', {}, 'User', name), h('label', {}, 'Password', pass),
  h('button', { type: 'submit', id: 'login-submit' }, 'Log in'), error);
  return form;
}

window.addEventListener('hashchange', render);
window.addEventListener('unhandledrejection', (e) => {
  if (e.reason instanceof AuthRequired) render();
  else toast(String(e.reason && e.reason.message || e.reason), true);
});
render();
