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
        // endpoints left empty beside an issuer are discovered by the server
        const discovered = field.type === 'url' && inputs.has('issuer') && inputs.get('issuer').input.value.trim();
        if (field.required && !discovered && !(editing && field.name === 'name')) errors.push([field.name, field.label + ' is required.']);
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
  if (problem && problem.field && inputs.has(problem.field)) form.hidden = false;
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

// Provider templates (GET /api/templates): a template asks only for its variables, the name and the client; the
// schema form below is filled from it and can be reviewed before saving.
async function offerTemplates() {
  const list = await api('templates');
  if (!list.ok || !list.body || !Array.isArray(list.body.templates) || list.body.templates.length === 0) return;
  const select = document.getElementById('template');
  for (const t of list.body.templates) select.append(el('option', {value: t.id}, t.displayName));
  document.getElementById('template-panel').hidden = false;
  select.addEventListener('change', () => useTemplate(select.value));
}

function substitute(text, values) {
  return typeof text === 'string' ? text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (m, v) => (v in values ? values[v] : m)) : text;
}

function setField(name, value) {
  const entry = inputs.get(name);
  if (!entry || value === undefined || value === null) return;
  if (entry.field.type === 'boolean') entry.input.checked = !!value;
  else if (entry.field.type === 'map') entry.input.value = Object.keys(value).length ? JSON.stringify(value) : '';
  else if (entry.field.type === 'list') entry.input.value = [].concat(value).join(', ');
  else entry.input.value = value;
}

async function useTemplate(id) {
  const box = document.getElementById('template-form');
  box.replaceChildren();
  if (!id) {
    form.hidden = false;
    return;
  }
  const read = await api('templates/' + encodeURIComponent(id));
  if (!read.ok) {
    say(summary, problemText(read.body));
    return;
  }
  const t = read.body;
  form.hidden = true;
  const asked = [];
  const ask = (name, label, help, attributes = {}) => {
    const input = el('input', {id: 't-' + name, 'aria-describedby': 't-' + name + '-help', ...attributes});
    asked.push({name, input});
    return el('p', {class: 'field'}, el('label', {for: 't-' + name}, label), input,
      el('span', {class: 'help', id: 't-' + name + '-help'}, help || ''));
  };
  const grant = el('select', {id: 't-grantType'}, ...t.grantTypes.map(g => el('option', {value: g}, g)));
  box.append(
    t.notes && t.notes.length ? el('ul', {class: 'notice'}, ...t.notes.map(n => el('li', {}, n))) : null,
    ask('name', 'Name', 'Unique; names the system in URLs and cannot be changed.'),
    el('p', {class: 'field'}, el('label', {for: 't-grantType'}, 'Grant type'), grant),
    ...t.variables.map(v => ask('var-' + v.name, v.label, v.description || (v.example ? 'e.g. ' + v.example : ''),
      {value: v.default || '', type: v.secret ? 'password' : 'text', 'data-variable': v.name,
       'data-pattern': v.pattern, 'data-required': v.required ? 'true' : null})),
    ask('clientId', 'Client id', 'The client registered at the provider.'),
    ask('clientSecret', 'Client secret', 'Write-only.', {type: 'password', autocomplete: 'new-password'}),
    el('p', {class: 'help'}, 'Redirect URI to register at the provider: ', el('code', {}, t.redirectUri || '')),
    el('p', {class: 'toolbar'},
      el('button', {type: 'button', class: 'primary', id: 'template-save', onclick: () => fromTemplate(t, asked, grant, true)}, 'Save'),
      el('button', {type: 'button', onclick: () => { fromTemplate(t, asked, grant, false); form.hidden = false; }}, 'Review all fields')));
  asked[0].input.focus();
}

function fromTemplate(t, asked, grant, save) {
  clearErrors();
  const values = {};
  const secrets = {};
  for (const {input} of asked) {
    const variable = input.dataset.variable;
    if (!variable) continue;
    const value = input.value.trim();
    if (input.dataset.required && !value) {
      say(summary, input.labels[0].textContent + ' is required.');
      input.focus();
      return;
    }
    if (value && input.dataset.pattern && !new RegExp('^(?:' + input.dataset.pattern + ')$').test(value)) {
      say(summary, input.labels[0].textContent + ' does not have the expected form.');
      input.focus();
      return;
    }
    if (input.type === 'password') secrets[variable] = {secret: true, value};
    else values[variable] = value;
  }
  const field = name => asked.find(a => a.name === name).input.value.trim();
  setField('name', field('name'));
  setField('grantType', grant.value);
  applyGrantType();
  for (const [name, value] of Object.entries(t.endpoints || {})) {
    if (name === 'discover') setField('discover', value);
    else setField(name, substitute(value, values));
  }
  if (t.defaultScope && t.defaultScope[grant.value] !== undefined) setField('scope', t.defaultScope[grant.value]);
  if (t.clientAuthMethod) setField('clientAuthMethod', t.clientAuthMethod);
  for (const [name, value] of Object.entries(t.quirks || {})) {
    setField(name, value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, values)])) : value);
  }
  if (Object.keys(secrets).length) setField('variables', secrets);
  setField('clientId', field('clientId'));
  const secret = inputs.get('clientSecret');
  if (secret) secret.input.value = asked.find(a => a.name === 'clientSecret').input.value;
  if (save) form.requestSubmit();
}

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
    await offerTemplates();
  }
  form.hidden = false;
}
