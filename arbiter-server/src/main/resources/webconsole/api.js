// The REST calls of the console, with the login token kept in sessionStorage.
const TOKEN = 'arbiter.console.token';

export class AuthRequired extends Error {}

export const auth = {
  token: () => sessionStorage.getItem(TOKEN),
  set: (t) => sessionStorage.setItem(TOKEN, t),
  clear: () => sessionStorage.removeItem(TOKEN),
  // 'enabled' once known: true when the node has console credentials (a login is needed), false when it has none
  enabled: null,
};

function headers() {
  const t = auth.token();
  return t ? { Authorization: t } : {};
}

async function call(method, path, params) {
  const query = params ? '?' + new URLSearchParams(clean(params)) : '';
  const res = await fetch(path + query, { method, headers: headers() });
  if (res.status === 401) {
    auth.clear();
    throw new AuthRequired('log in first');
  }
  let body;
  try { body = await res.json(); } catch (e) { body = { message: res.statusText }; }
  if (!res.ok) {
    throw new Error(body.message || body.error || ('HTTP ' + res.status));
  }
  return body;
}

function clean(params) {
  const out = {};
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') out[k] = v;
  }
  return out;
}

export const get = (path, params) => call('GET', path, params);
export const put = (path, params) => call('PUT', path, params);
export const del = (path, params) => call('DELETE', path, params);

export async function post(path, params) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { ...headers(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(clean(params)),
  });
  if (res.status === 401) { auth.clear(); throw new AuthRequired('log in first'); }
  let body;
  try { body = await res.json(); } catch (e) { body = {}; }
  if (!res.ok) throw new Error(body.message || body.error || ('HTTP ' + res.status));
  return body;
}

// Whether this node wants a login: the metadata API (no Raft read behind it) answers 401 to a request without a
// valid token when console credentials are configured, and 200 to anyone when none are.
export async function probeAuth() {
  const res = await fetch('/metadata/v1/cluster', { headers: headers() });
  if (res.status === 401) {
    auth.clear();
    auth.enabled = true;
    return { enabled: true, loggedIn: false };
  }
  // a token that still works means credentials exist; without a token a 200 means none are configured
  auth.enabled = !!auth.token();
  return { enabled: auth.enabled, loggedIn: auth.enabled };
}

export async function login(username, password) {
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  if (!body.success || !body.data) throw new Error(body.success ? 'no console user is configured' : 'Login failed');
  auth.set(body.data);
  auth.enabled = true;
}

// Operations need a logged-in user: true only with a token on a node that has console credentials.
export const canOperate = () => auth.enabled === true && !!auth.token();

// A Seata console operation: SingleResult with success/message.
export async function operate(method, path, params) {
  const body = await call(method, '/api/v1/console/' + path, params);
  if (!body.success) throw new Error(body.message || 'refused');
  return body;
}
