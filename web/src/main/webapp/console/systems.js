// Connected systems (administrators): status with the disabled reason and hint, filter, Test / Enable / Edit / Delete.
import {api, confirmDialog, el, formatTime, frame, problemText, say, statusBadge} from './console.js';

await frame('systems');
const message = document.getElementById('message');
const body = document.querySelector('#systems tbody');
const nameFilter = document.getElementById('filter-name');
const categoryFilter = document.getElementById('filter-category');
let systems = [];

async function load() {
  const result = await api('connected-systems');
  if (!result.ok) {
    say(message, problemText(result.body));
    return;
  }
  systems = result.body;
  const chosen = categoryFilter.value;
  const categories = [...new Set(systems.map(s => s.category).filter(Boolean))].sort();
  categoryFilter.replaceChildren(el('option', {value: ''}, 'All categories'),
    ...categories.map(c => el('option', {value: c, selected: c === chosen}, c)));
  render();
}

function render() {
  const name = nameFilter.value.trim().toLowerCase();
  const category = categoryFilter.value;
  const shown = systems.filter(s => (!name || s.name.toLowerCase().includes(name))
    && (!category || s.category === category));
  body.replaceChildren(...shown.map(row));
  document.getElementById('empty').hidden = shown.length !== 0;
}

function statusCell(s) {
  const cell = el('div', {}, statusBadge(s.status));
  if (s.status !== 'OK') {
    cell.append(el('p', {class: 'reason'}, s.disabledReason || ''),
      s.hint ? el('p', {class: 'hint'}, 'What to do: ' + s.hint) : null);
  }
  return cell;
}

function row(s) {
  const encoded = encodeURIComponent(s.name);
  const actions = el('div', {class: 'actions'},
    el('button', {type: 'button', 'data-action': 'test', onclick: () => test(s)}, 'Test'),
    s.status !== 'OK' ? el('button', {type: 'button', 'data-action': 'enable', onclick: () => enable(s)}, 'Enable') : null,
    s.readOnly ? null : el('a', {class: 'button', href: 'system.html?name=' + encoded, 'data-action': 'edit'}, 'Edit'),
    s.readOnly ? el('span', {class: 'hint'}, 'Defined in configuration') :
      el('button', {type: 'button', class: 'danger', 'data-action': 'delete', onclick: () => remove(s)}, 'Delete'));
  return el('tr', {'data-system': s.name},
    el('td', {'data-label': 'Name'}, el('strong', {}, s.name), s.description ? el('p', {class: 'hint'}, s.description) : null),
    el('td', {'data-label': 'Grant type'}, el('code', {}, s.grantType)),
    el('td', {'data-label': 'Category'}, s.category || ''),
    el('td', {'data-label': 'Status', class: 'status-cell'}, statusCell(s)),
    el('td', {'data-label': 'Last token'}, s.lastTokenAt ? formatTime(s.lastTokenAt) : el('span', {class: 'muted'}, 'none')),
    el('td', {'data-label': 'Actions'}, actions));
}

async function test(s) {
  say(message, 'Testing ' + s.name + '...', 'notice');
  const result = await api('connected-systems/' + encodeURIComponent(s.name) + '/test', {method: 'POST'});
  if (!result.ok) {
    say(message, problemText(result.body));
  } else if (result.body.tokenTest) {
    const t = result.body.tokenTest;
    if (t.ok) say(message, s.name + ': token obtained, scope ' + (t.scope || '(none)') + ', expires at ' + formatTime(t.expiresAt) + '.', 'ok');
    else say(message, s.name + ': ' + tokenTestText(t));
  } else if (result.body.authorizationLink) {
    say(message, s.name + ' needs a person to authorize: use Authorize on its edit page.', 'notice');
  } else {
    say(message, s.name + ' tested.', 'ok');
  }
  await load();
}

export function tokenTestText(t) {
  const provider = t.error ? ' The provider answered ' + t.error + (t.error_description ? ': ' + t.error_description : '') + '.' : '';
  return (t.message || 'The token test failed.') + provider + (t.hint ? ' ' + t.hint : '');
}

async function enable(s) {
  const result = await api('connected-systems/' + encodeURIComponent(s.name) + '/enable', {method: 'POST'});
  say(message, result.ok ? s.name + ' is enabled again.' : problemText(result.body), result.ok ? 'ok' : 'error');
  await load();
}

async function remove(s) {
  const sure = await confirmDialog('Delete ' + s.name + '?', 'Its configuration and every stored token are removed. '
    + 'Users will have to authorize again if it is registered anew.', 'Delete');
  if (!sure) return;
  const result = await api('connected-systems/' + encodeURIComponent(s.name), {method: 'DELETE'});
  say(message, result.ok ? s.name + ' was deleted.' : problemText(result.body), result.ok ? 'ok' : 'error');
  await load();
}

nameFilter.addEventListener('input', render);
categoryFilter.addEventListener('change', render);
document.getElementById('filters').addEventListener('submit', e => e.preventDefault());
const saved = new URLSearchParams(location.search).get('saved');
if (saved) say(message, saved + ' was saved.', 'ok');
await load();
