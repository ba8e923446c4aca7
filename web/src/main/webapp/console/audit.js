// Audit trail (administrators): GET /api/audit with filters and paging.
import {api, el, formatTime, frame, problemText, say} from './console.js';

await frame('audit');
const message = document.getElementById('message');
const form = document.getElementById('filters');
const body = document.querySelector('#audit tbody');
let page = 0;
const size = 25;

function details(value) {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value).map(([k, v]) => k + ': ' + (typeof v === 'object' ? JSON.stringify(v) : v)).join('; ');
}

async function load() {
  const query = new URLSearchParams({page: String(page), size: String(size)});
  for (const name of ['system', 'actor', 'action']) {
    const v = form.elements[name].value.trim();
    if (v) query.set(name, v);
  }
  for (const name of ['from', 'to']) {
    const v = form.elements[name].value;
    if (v) query.set(name, new Date(v).toISOString());
  }
  const result = await api('audit?' + query);
  if (!result.ok) {
    say(message, problemText(result.body));
    return;
  }
  say(message, '');
  const {items = [], total = 0} = result.body;
  body.replaceChildren(...items.map(i => el('tr', {},
    el('td', {'data-label': 'When'}, formatTime(i.at)),
    el('td', {'data-label': 'Who'}, i.actor || ''),
    el('td', {'data-label': 'Action'}, i.action || ''),
    el('td', {'data-label': 'System'}, i.system || ''),
    el('td', {'data-label': 'Outcome'}, i.outcome || ''),
    el('td', {'data-label': 'Details'}, details(i.details)))));
  const pages = Math.max(1, Math.ceil(total / size));
  document.getElementById('page').textContent = 'Page ' + (page + 1) + ' of ' + pages + ' (' + total + ' records)';
  document.getElementById('previous').disabled = page === 0;
  document.getElementById('next').disabled = page + 1 >= pages;
}

form.addEventListener('submit', e => { e.preventDefault(); page = 0; load(); });
document.getElementById('previous').addEventListener('click', () => { page = Math.max(0, page - 1); load(); });
document.getElementById('next').addEventListener('click', () => { page += 1; load(); });
await load();
