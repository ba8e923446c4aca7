// Import / export (administrators): GET /api/export and POST /api/import, all or nothing.
import {api, el, frame, problemText, say} from './console.js';

await frame('transfer');
const exportMessage = document.getElementById('export-message');
const importMessage = document.getElementById('import-message');
const customization = document.getElementById('customization');
const missingBox = document.getElementById('missing-box');
const missingList = document.getElementById('missing');
let packageDocument = null;

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const a = el('a', {href: url, download: name, hidden: true});
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
}

async function exported() {
  const result = await api('export');
  if (!result.ok) {
    say(exportMessage, problemText(result.body));
    return null;
  }
  return result.body;
}

document.getElementById('export-package').addEventListener('click', async () => {
  const doc = await exported();
  if (!doc) return;
  download('conduit-export.json', 'application/json', JSON.stringify(doc, null, 2));
  const skipped = (doc.notExported || []).length;
  say(exportMessage, 'Package downloaded: ' + (doc.package.systems || []).length + ' system(s)'
    + (skipped ? ', ' + skipped + ' declared in configuration and not exported.' : '.'), 'ok');
});

document.getElementById('export-customization').addEventListener('click', async () => {
  const doc = await exported();
  if (!doc) return;
  download('customization.properties', 'text/plain', doc.customization);
  say(exportMessage, 'Customization file downloaded: fill in the secrets before importing it.', 'ok');
});

document.getElementById('package-file').addEventListener('change', async event => {
  const file = event.target.files[0];
  packageDocument = null;
  if (!file) return;
  try {
    const json = JSON.parse(await file.text());
    packageDocument = json.package || json;
    if (!customization.value && typeof json.customization === 'string') customization.value = json.customization;
    say(importMessage, 'Package read: ' + (packageDocument.systems || []).length + ' system(s).', 'notice');
  } catch (e) {
    say(importMessage, 'This file is not a Conduit export (JSON): ' + file.name);
  }
});

document.getElementById('customization-file').addEventListener('change', async event => {
  const file = event.target.files[0];
  if (file) customization.value = await file.text();
});

document.getElementById('import').addEventListener('submit', async event => {
  event.preventDefault();
  missingBox.hidden = true;
  if (!packageDocument) {
    say(importMessage, 'Choose the package file first.');
    document.getElementById('package-file').focus();
    return;
  }
  const result = await api('import', {method: 'POST', body: {package: packageDocument, customization: customization.value}});
  if (result.ok) {
    const names = (result.body.imported || result.body.systems || []).map(s => s.name || s);
    say(importMessage, 'Imported' + (names.length ? ': ' + names.join(', ') : '') + '.', 'ok');
    return;
  }
  if (result.body && Array.isArray(result.body.missingKeys)) {
    missingList.replaceChildren(...result.body.missingKeys.map(k => el('li', {}, el('code', {}, k))));
    missingBox.hidden = false;
    say(importMessage, 'Nothing was imported: fill in the ' + result.body.missingKeys.length
      + ' missing value(s) listed below in the customization, then import again.');
    return;
  }
  say(importMessage, 'Nothing was imported. ' + problemText(result.body));
});
