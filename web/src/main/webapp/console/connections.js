// My connections: the caller's standing with every per-user system; Connect in a pop-up, Disconnect after confirming.
// An integration that got AUTHORIZATION_REQUIRED can send a person here: /console/?connect=<system>.
import {api, authorizeInPopup, confirmDialog, el, formatTime, frame, problemText, say, statusBadge} from './console.js';

await frame('connections');
const message = document.getElementById('message');
const table = document.getElementById('connections');
const body = table.querySelector('tbody');
const wanted = new URLSearchParams(location.search).get('connect');

async function load() {
  const result = await api('authorizations');
  if (!result.ok) {
    say(message, problemText(result.body));
    return;
  }
  body.replaceChildren(...result.body.map(row));
  table.hidden = result.body.length === 0;
  document.getElementById('empty').hidden = result.body.length !== 0;
  if (wanted) {
    const button = document.querySelector(`button[data-connect="${CSS.escape(wanted)}"]`);
    if (button) button.focus();
  }
}

function details(c) {
  if (c.status === 'AUTHORIZED') {
    return el('span', {}, 'Scope ', el('code', {}, c.scope || '(none)'), ', access until ' + formatTime(c.expiresAt));
  }
  return el('span', {}, el('span', {class: 'reason'}, c.reason || ''), c.hint ? el('p', {class: 'hint'}, c.hint) : null);
}

function row(c) {
  const actions = el('div', {class: 'actions'});
  const connect = el('button', {type: 'button', class: c.status === 'AUTHORIZED' ? '' : 'primary',
    'data-connect': c.system, onclick: () => connectNow(c.system, actions)},
    c.status === 'AUTHORIZED' ? 'Connect again' : 'Connect');
  actions.append(connect);
  if (c.status === 'AUTHORIZED') {
    actions.append(el('button', {type: 'button', class: 'danger', 'data-disconnect': c.system,
      onclick: () => disconnect(c.system)}, 'Disconnect'));
  }
  return el('tr', {'data-system': c.system},
    el('td', {'data-label': 'System'}, el('strong', {}, c.system), c.description ? el('p', {class: 'hint'}, c.description) : null),
    el('td', {'data-label': 'Status', class: 'status-cell'}, statusBadge(c.status)),
    el('td', {'data-label': 'Details'}, details(c)),
    el('td', {'data-label': 'Actions'}, actions));
}

async function connectNow(system, actions) {
  say(message, 'Sign in at the provider in the window that opened.', 'notice');
  const outcome = await authorizeInPopup(system);
  if (outcome.failed) {
    say(message, problemText(outcome.failed));
  } else if (outcome.blocked) {
    say(message, 'Your browser blocked the pop-up window. Use the link instead:', 'notice');
    message.append(' ', el('a', {href: outcome.url, target: '_blank', rel: 'opener'}, 'Authorize ' + system));
  } else if (outcome.status === 'AUTHORIZED') {
    say(message, 'Connected to ' + system + '.', 'ok');
  } else if (outcome.status === 'ERROR') {
    say(message, 'The authorization was not completed (' + (outcome.code || 'error') + '). Try again.');
  } else {
    say(message, '', 'notice');
  }
  await load();
}

async function disconnect(system) {
  const sure = await confirmDialog('Disconnect ' + system + '?',
    'Conduit revokes your access at the provider and forgets it. Integrations cannot act for you in ' + system
    + ' until you connect again.', 'Disconnect');
  if (!sure) return;
  const result = await api('connected-systems/' + encodeURIComponent(system) + '/authorization', {method: 'DELETE'});
  if (result.ok) say(message, 'Disconnected from ' + system + '.', 'ok');
  else say(message, problemText(result.body));
  await load();
}

await load();
