// Shared by every console page: the REST API client, the page frame, and small DOM helpers.
// The console is a client of the public REST API only: every call below can be made with curl.

/** Creates an element: el('p', {class: 'x'}, 'text', child). Text is always set as text, never as HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * Calls the REST API with the console's session. Resolves to {status, ok, body}; body is the parsed JSON (a problem
 * document for errors). A lost session sends the person to the sign-in page.
 */
export async function api(path, {method = 'GET', body} = {}) {
  const headers = {'Accept': 'application/json, application/problem+json', 'X-Conduit-Console': '1'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch('/api/' + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin'});
  } catch (e) {
    return {status: 0, ok: false, body: {title: 'Conduit could not be reached', detail: 'Check your connection and try again.'}};
  }
  if (response.status === 401) {
    location.assign('/console/login.html?next=' + encodeURIComponent(location.pathname + location.search));
    return new Promise(() => {});
  }
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = {detail: 'Unexpected answer (HTTP ' + response.status + ').'}; }
  return {status: response.status, ok: response.ok, body: parsed};
}

/** One line a person can act on: the problem's detail and hint, never a stack trace. */
export function problemText(problem) {
  if (!problem) return 'Something went wrong.';
  const parts = [problem.detail || problem.title || 'Something went wrong.'];
  if (problem.error_description) parts.push('Provider: ' + problem.error + ' - ' + problem.error_description);
  else if (problem.error) parts.push('Provider: ' + problem.error);
  if (problem.hint) parts.push(problem.hint);
  return parts.join(' ');
}

let meCache;
/** Who is signed in: {name, roles, session}. */
export async function me() {
  meCache = meCache || api('me').then(r => r.body);
  return meCache;
}

export function isAdmin(who) {
  return who && who.roles && who.roles.includes('conduit-admin');
}

const PAGES = [
  {href: '/console/', label: 'My connections', id: 'connections'},
  {href: '/console/systems.html', label: 'Connected systems', id: 'systems', admin: true},
  {href: '/console/system.html', label: 'New system', id: 'new', admin: true},
  {href: '/console/transfer.html', label: 'Import / export', id: 'transfer', admin: true},
  {href: '/console/audit.html', label: 'Audit', id: 'audit', admin: true, optional: 'audit'},
];

/** Builds the page frame (skip link, navigation for the caller's roles, sign-out); returns the caller. */
export async function frame(active) {
  const who = await me();
  const admin = isAdmin(who);
  let auditAvailable = false;
  if (admin) {
    const audit = await api('audit?size=1');
    auditAvailable = audit.ok;
  }
  const links = PAGES.filter(p => (!p.admin || admin) && (!p.optional || auditAvailable)).map(p =>
    el('li', {}, el('a', {href: p.href, 'aria-current': p.id === active ? 'page' : null}, p.label)));
  const signOut = el('button', {type: 'button', onclick: signOutNow}, 'Sign out');
  const header = el('header', {class: 'top'},
    el('a', {class: 'skip', href: '#main'}, 'Skip to content'),
    el('span', {class: 'brand'}, 'Conduit'),
    el('nav', {'aria-label': 'Console'}, el('ul', {}, links)),
    el('div', {class: 'who'}, el('span', {}, 'Signed in as ', el('strong', {id: 'who'}, who ? who.name : '?')),
      who && who.session ? signOut : null));
  document.body.prepend(header);
  return who;
}

async function signOutNow() {
  await fetch('/console/logout', {method: 'POST', headers: {'X-Conduit-Console': '1'}, credentials: 'same-origin'});
  location.assign('/console/login.html?signedOut');
}

/** Shows a message in the page's live region and moves focus to it when it is an error. */
export function say(target, text, kind = 'error') {
  target.textContent = text;
  target.className = kind === 'error' ? 'error-summary' : kind === 'ok' ? 'outcome ok' : 'notice';
  target.hidden = !text;
  if (text && kind === 'error') {
    target.setAttribute('tabindex', '-1');
    target.focus();
  }
}

/** Asks for confirmation in a modal dialog; resolves to true when confirmed. */
export function confirmDialog(title, text, confirmLabel) {
  return new Promise(resolve => {
    const dialog = el('dialog', {'aria-labelledby': 'confirm-title'},
      el('h2', {id: 'confirm-title'}, title), el('p', {}, text));
    const cancel = el('button', {type: 'button', onclick: () => { dialog.close(); resolve(false); }}, 'Cancel');
    const ok = el('button', {type: 'button', class: 'primary', id: 'confirm-ok',
      onclick: () => { dialog.close(); resolve(true); }}, confirmLabel);
    dialog.append(el('p', {class: 'actions'}, ok, ' ', cancel));
    dialog.addEventListener('cancel', () => resolve(false));
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
}

/**
 * Starts the caller's authorization of a system in a pop-up: the window opens at once (in the click, so no pop-up
 * blocker stops it), then goes to a fresh authorization link. Resolves with the callback page's message
 * {status, code} when it posts one; when the pop-up was blocked, resolves with {blocked: true, url} so the page can
 * offer the link instead.
 */
export async function authorizeInPopup(system) {
  const popup = window.open('about:blank', 'conduit-authorize', 'popup,width=520,height=680');
  const link = await api('connected-systems/' + encodeURIComponent(system) + '/authorization-link', {method: 'POST'});
  if (!link.ok) {
    if (popup) popup.close();
    return {failed: link.body};
  }
  if (!popup || popup.closed) return {blocked: true, url: link.body.url};
  popup.location.href = link.body.url;
  return new Promise(resolve => {
    function onMessage(event) {
      if (event.origin !== location.origin || !event.data || event.data.type !== 'conduit-authorization'
          || event.data.system !== system) return;
      window.removeEventListener('message', onMessage);
      clearInterval(watch);
      try { popup.close(); } catch (e) { /* the person may have closed it already */ }
      resolve(event.data);
    }
    window.addEventListener('message', onMessage);
    const watch = setInterval(() => {
      if (popup.closed) {
        clearInterval(watch);
        window.removeEventListener('message', onMessage);
        resolve({closed: true});
      }
    }, 500);
  });
}

/** Status badge: colour AND text. */
export function statusBadge(status) {
  const labels = {OK: 'OK', ERROR: 'Error', AUTHORIZED: 'Authorized', AUTHORIZATION_REQUIRED: 'Authorization required'};
  const kind = status === 'OK' || status === 'AUTHORIZED' ? 'ok' : status === 'ERROR' ? 'error' : 'pending';
  return el('span', {class: 'status ' + kind}, labels[status] || status || 'Unknown');
}
