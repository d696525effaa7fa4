// Login page: posts the credentials to /api/v1/login; the server sets the session cookie. Then on to the map
// (or to the view named in the hash the visitor came with).
const form = document.getElementById('login-form');
const error = document.getElementById('login-error');
const submit = document.getElementById('login-submit');

function fail(message) {
  error.textContent = message;
  error.hidden = false;
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  error.hidden = true;
  submit.disabled = true;
  try {
    const response = await fetch('/api/v1/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-Requested-With': 'tracemesh', 'Accept': 'application/json'},
      body: JSON.stringify({user: document.getElementById('login-user').value,
        password: document.getElementById('login-password').value}),
    });
    if (response.ok) {
      // back to the view the visitor was sent here from (the redirect keeps the hash), else the map
      window.location.assign(/^#\/[a-z]+/.test(window.location.hash) ? '/' + window.location.hash : '/#/map');
      return;
    }
    let message = `HTTP ${response.status}`;
    try {
      const body = await response.json();
      if (body && body.message) message = body.message;
    } catch (e) {
      // not JSON: keep the status
    }
    if (response.status === 401) message = 'Wrong user name or password.';
    if (response.status === 429) {
      const wait = response.headers.get('Retry-After');
      message = `Too many failed attempts; try again${wait ? ` in ${wait} s` : ' later'}.`;
    }
    fail(message);
  } catch (e) {
    fail('The server cannot be reached: ' + e.message);
  } finally {
    submit.disabled = false;
  }
});
