// The sign-in page: password form against the server's registry and/or the organisation's identity provider.
const params = new URLSearchParams(location.search);
const next = params.get('next') && params.get('next').startsWith('/console/') && !params.get('next').startsWith('//')
  ? params.get('next') : '/console/';
const error = document.getElementById('error');

function showError(text) {
  error.textContent = text;
  error.hidden = false;
  error.focus();
}

const options = await fetch('login', {headers: {'Accept': 'application/json'}}).then(r => r.json())
  .catch(() => ({password: true, oidc: false}));
if (options.oidc) {
  document.getElementById('oidc').hidden = false;
  document.getElementById('oidc-link').href = 'oidc/start?next=' + encodeURIComponent(next);
}
const form = document.getElementById('login');
if (options.password) {
  form.hidden = false;
  document.getElementById('username').focus();
}
if (params.get('signedOut') !== null) {
  error.textContent = 'You are signed out.';
  error.classList.add('notice');
  error.hidden = false;
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    showError('Enter your user name and password.');
    (username ? form.password : form.username).focus();
    return;
  }
  let response;
  try {
    response = await fetch('login', {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'X-Conduit-Console': '1'},
      body: JSON.stringify({username, password}),
    });
  } catch (e) {
    showError('Conduit could not be reached. Check your connection and try again.');
    return;
  }
  if (response.status === 204) {
    location.assign(next);
    return;
  }
  const problem = await response.json().catch(() => ({}));
  form.password.value = '';
  showError((problem.detail || 'Sign-in failed.') + (problem.hint ? ' ' + problem.hint : ''));
});
