// New / edit connected system (administrators). The form is built from GET /api/connected-systems/schema: its groups,
// fields, types, required flags, help, defaults and values; only the chosen grant type's fields are shown.
import {api, authorizeInPopup, el, formatTime, frame, problemText, say} from './console.js';

await frame(new URLSearchParams(location.search).get('name') ? 'systems' : 'new');
const editing = new URLSearchParams(location.search).get('name');
const form = document.getElementById('system');
const groupsBox = document.getElementById('groups');
const summary = document.getElementById('summary');
const outcome = document.getElementById('outcome');
const authorizePanel = document.getElementById('authorize-panel');
const authorizeState = document.getElementById('authorize-state');
const inputs = new Map(); // field name -> {field, input, box}
let stored = null;        // the system as read, when editing
let savedName = editing;

function get(object, dotted) {
  return dotted.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), object);
}

function set(object, dotted, value) {
  const keys = dotted.split('.');
  let o = object;
  keys.slice(0, -1).forEach(k => { o = o[k] = o[k] || {}; });
  o[keys[keys.length - 1]] = value;
}

function idFor(name) {
  return 'f-' + name.replace(/[^A-Za-z0-9_-]/g, '-');
}

function control(field) {
  const id = idFor(field.name);
  const common = {id, name: field.name, 'aria-describedby': id + '-help ' + id + '-error', 'data-field': field.name};
  switch (field.type) {
    case 'boolean':
      return el('input', {...common, type: 'checkbox'});
    case 'integer':
    case 'duration':
      return el('input', {...common, type: 'number', inputmode: 'numeric', min: '0', step: '1'});
    case 'enum': {
      const select = el('select', common, field.required ? null : el('option', {value: ''}, '(default)'));
      for (const v of field.values || []) select.append(el('option', {value: v}, v));
      return select;
    }
    case 'map':
      return el('textarea', {...common, rows: '3', placeholder: '{"key": "value"}', spellcheck: 'false'});
    case 'secret':
      return el('input', {...common, type: 'password', autocomplete: 'new-password', spellcheck: 'false'});
    case 'url':
      return el('input', {...common, type: 'url', inputmode: 'url', spellcheck: 'false'});
    default:
      return el('input', {...common, type: 'text', spellcheck: 'false'});
  }
}

function fieldBox(field) {
  const input = control(field);
  const id = input.id;
  const label = el('label', {for: id}, field.label, field.required ? el('span', {'aria-hidden': 'true'}, ' *') : null,
    field.required ? el('span', {class: 'skip'}, ' (required)') : null);
  let widget = input;
  if (field.name === 'issuer') {
    widget = el('span', {class: 'inline'}, input, el('button', {type: 'button', id: 'discover', onclick: discover}, 'Discover'));
  }
  const help = el('p', {class: 'help', id: id + '-help'}, field.help || '');
  const error = el('p', {class: 'field-error', id: id + '-error', hidden: true});
  const box = field.type === 'boolean'
    ? el('div', {class: 'field checkbox', 'data-box': field.name}, input, label, help, error)
    : el('div', {class: 'field', 'data-box': field.name}, label, widget, help, error);
  if (field.required) input.setAttribute('aria-required', 'true');
  inputs.set(field.name, {field, input, box, error});
  return box;
}

function redirectUriBox(value) {
  const input = el('input', {id: 'redirect-uri', readonly: true, value});
  const copy = el('button', {type: 'button', id: 'copy-redirect', onclick: async () => {
    input.select();
    try { await navigator.clipboard.writeText(input.value); } catch (e) { document.execCommand('copy'); }
    copied.textContent = 'Copied.';
  }}, 'Copy');
  const copied = el('span', {role: 'status', 'aria-live': 'polite', class: 'muted'});
  return el('div', {class: 'field', id: 'redirect-box'}, el('label', {for: 'redirect-uri'}, 'Redirect URI'),
    el('span', {class: 'inline'}, input, copy, copied),
    el('p', {class: 'help'}, 'Register exactly this URI at the provider as the client\'s redirect URI.'));
}

function grantType() {
  const g = inputs.get('grantType');
  return g ? g.input.value : '';
}

function applyGrantType() {
  const chosen = grantType();
  for (const {field, box} of inputs.values()) {
    box.hidden = !!(field.grantTypes && !field.grantTypes.includes(chosen));
  }
  for (const fieldset of groupsBox.querySelectorAll('fieldset')) {
    fieldset.hidden = [...fieldset.querySelectorAll('[data-box]')].every(b => b.hidden);
  }
  const redirect = document.getElementById('redirect-box');
  if (redirect) redirect.hidden = chosen !== 'authorization_code';
}

function fill(system) {
  for (const {field, input} of inputs.values()) {
    const value = get(system, field.name);
    if (field.type === 'secret') {
      input.value = '';
      const isSet = system[field.name + 'Set'];
      input.placeholder = isSet ? 'set; leave empty to keep' : 'not set';
      continue;
    }
    if (value === undefined || value === null) continue;
    if (field.type === 'boolean') input.checked = !!value;
    else if (field.type === 'map') input.value = Object.keys(value).length ? JSON.stringify(value, null, 1) : '';
    else if (field.type === 'list') input.value = value.join(', ');
    else input.value = value;
  }
  applyGrantType();
}

function applyDefaults() {
  for (const {field, input} of inputs.values()) {
    if (field.default === null || field.default === undefined || field.default === '') continue;
    if (field.type === 'boolean') input.checked = !!field.default;
    else if (field.type === 'list') input.value = [].concat(field.default).join(', ');
    else if (field.type !== 'map') input.value = field.default;
  }
}

function clearErrors() {
  for (const {box, error} of inputs.values()) {
    box.classList.remove('invalid');
    error.hidden = true;
    error.textContent = '';
    box.querySelector('[data-field]').removeAttribute('aria-invalid');
  }
  say(summary, '');
}

function fieldError(name, text) {
  const entry = inputs.get(name) || inputs.get(name.split('.')[0]);
  if (!entry || entry.box.hidden) return null;
  entry.box.classList.add('invalid');
  entry.error.textContent = text;
  entry.error.hidden = false;
  entry.input.setAttribute('aria-invalid', 'true');
  return entry.input;
}

function collect() {
  const body = {};
  const errors = [];
  for (const {field, input, box} of inputs.values()) {
    if (box.hidden) continue;
    let value;
    if (field.type === 'boolean') value = input.checked;
    else {
      const text = input.value.trim();
      if (text === '') {
        if (field.required && !(editing && field.name === 'name')) errors.push([field.name, field.label + ' is required.']);
        continue;
      }
      if (field.type === 'integer' || field.type === 'duration') {
        value = Number(text);
        if (!Number.isInteger(value)) { errors.push([field.name, field.label + ' must be a whole number.']); continue; }
      } else if (field.type === 'map') {
        try { value = JSON.parse(text); } catch (e) { errors.push([field.name, field.label + ' must be a JSON object, e.g. {"key": "value"}.']); continue; }
      } else if (field.type === 'list') {
        value = text.split(',').map(v => v.trim()).filter(Boolean).map(v => (/^\d+$/.test(v) ? Number(v) : v));
      } else value = field.type === 'secret' ? input.value : text;
    }
    set(body, field.name, value);
  }
  if (stored && stored.version !== undefined) body.version = stored.version;
  return {body, errors};
}

async function discover() {
  clearErrors();
  const issuer = inputs.get('issuer').input.value.trim();
  if (!issuer) {
    fieldError('issuer', 'Enter the issuer URL first.').focus();
    return;
  }
  say(outcome, 'Reading the issuer\'s metadata...', 'notice');
  const result = await api('connected-systems/discovery', {method: 'POST', body: {issuer}});
  if (!result.ok) {
    say(outcome, '');
    showProblem(result.body);
    return;
  }
  const found = [];
  for (const [key, value] of Object.entries(result.body)) {
    const entry = inputs.get(key);
    if (!entry || entry.field.type === 'secret') continue;
    if (entry.field.type === 'boolean') entry.input.checked = !!value;
    else entry.input.value = value;
    found.push(entry.field.label);
  }
  if (result.body.redirectUri) document.getElementById('redirect-uri').value = result.body.redirectUri;
  say(outcome, 'Filled from ' + result.body.issuer + ': ' + found.join(', ') + '.', 'ok');
}

function showProblem(problem) {
  const text = problemText(problem);
  const target = problem && problem.field ? fieldError(problem.field, text) : null;
  if (target) {
    say(summary, 'The system was not saved: correct the field marked below.');
    target.focus();
  } else {
    say(summary, text);
  }
}

function showTokenTest(test) {
  if (!test) return;
  if (test.ok) {
    say(outcome, 'Token test succeeded: scope ' + (test.scope || '(none)') + ', expires at ' + formatTime(test.expiresAt) + '.', 'ok');
  } else {
    const provider = test.error ? ' The provider answered ' + test.error + (test.error_description ? ': ' + test.error_description : '') + '.' : '';
    say(outcome, 'Saved, but the token test failed: ' + (test.message || test.code) + provider + ' ' + (test.hint || ''));
    outcome.className = 'outcome error';
  }
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  clearErrors();
  const {body, errors} = collect();
  if (errors.length) {
    const first = errors.map(([name, text]) => fieldError(name, text)).find(Boolean);
    say(summary, 'The system was not saved: ' + errors.length + ' field(s) need attention.');
    if (first) first.focus();
    return;
  }
  const name = editing || body.name;
  const result = editing
    ? await api('connected-systems/' + encodeURIComponent(editing), {method: 'PUT', body})
    : await api('connected-systems', {method: 'POST', body});
  if (!result.ok) {
    showProblem(result.body);
    return;
  }
  stored = result.body;
  savedName = name;
  fill(stored);
  say(outcome, name + ' was saved.', 'ok');
  showTokenTest(result.body.tokenTest);
  if (!editing) history.replaceState(null, '', 'system.html?name=' + encodeURIComponent(name));
  showAuthorize();
  outcome.focus && outcome.setAttribute('tabindex', '-1');
});

function showAuthorize() {
  authorizePanel.hidden = !(stored && stored.tokenScope === 'PER_USER');
}

document.getElementById('authorize').addEventListener('click', async () => {
  authorizeState.textContent = 'Waiting for the provider in the pop-up window...';
  const result = await authorizeInPopup(savedName);
  if (result.failed) {
    authorizeState.textContent = problemText(result.failed);
  } else if (result.blocked) {
    authorizeState.replaceChildren('Your browser blocked the pop-up. ',
      el('a', {href: result.url, target: '_blank', rel: 'opener', id: 'authorize-link'}, 'Open the provider\'s sign-in'),
      ', then come back here.');
  } else if (result.status === 'AUTHORIZED') {
    const status = await api('connected-systems/' + encodeURIComponent(savedName) + '/authorization');
    authorizeState.replaceChildren(el('strong', {class: 'status ok', id: 'authorized'}, 'Done'), ' Authorized as ',
      el('code', {}, status.body.scope || '(no scope)'), ', expires at ' + formatTime(status.body.expiresAt) + '.');
  } else if (result.status === 'ERROR') {
    authorizeState.textContent = 'The authorization was not completed (' + (result.code || 'error') + ').';
  } else {
    authorizeState.textContent = 'The window was closed before the authorization completed.';
  }
});

// build the form
const schema = await api('connected-systems/schema');
if (!schema.ok || !schema.body || !Array.isArray(schema.body.groups)) {
  say(summary, 'This server does not describe the fields of a connected system (GET /api/connected-systems/schema), '
    + 'so the form cannot be shown. Use the REST API.');
} else {
  for (const group of schema.body.groups) {
    const fieldset = el('fieldset', {'data-group': group.name}, el('legend', {}, group.label));
    for (const field of group.fields) fieldset.append(fieldBox(field));
    if (group.fields.some(f => f.name === 'authorizationEndpoint' || f.name === 'tokenEndpoint')) {
      fieldset.append(redirectUriBox(location.origin + '/oauth/callback'));
    }
    groupsBox.append(fieldset);
  }
  const grant = inputs.get('grantType');
  if (grant) grant.input.addEventListener('change', applyGrantType);
  if (editing) {
    document.getElementById('title').textContent = 'Edit ' + editing;
    const read = await api('connected-systems/' + encodeURIComponent(editing));
    if (!read.ok) {
      say(summary, problemText(read.body));
    } else {
      stored = read.body;
      fill(stored);
      const nameInput = inputs.get('name');
      if (nameInput) nameInput.input.readOnly = true;
      if (stored.redirectUri) document.getElementById('redirect-uri').value = stored.redirectUri;
      showAuthorize();
    }
  } else {
    applyDefaults();
    applyGrantType();
  }
  form.hidden = false;
}
