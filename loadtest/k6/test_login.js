// TenantHawk login load test for k6: a port of the original template's test/test_login.js.
//
// k6 is not installable on the project's build machine, so this file is not run by CI or by
// `make load` (that is Locust: loadtest/run_load.py). With k6 installed (https://k6.io):
//
//   make demo                                   # in another terminal: http://127.0.0.1:8000
//   k6 run loadtest/k6/test_login.js            # 700 VUs for 30 s, the original's baseline
//   k6 run --vus 10 --duration 10s loadtest/k6/test_login.js   # light run while developing
//   k6 run -e BASE_URL=http://127.0.0.1:8000 -e EMAIL=owner@acme.example \
//          -e PASSWORD=Demo-pass-2026 --out json=result.json loadtest/k6/test_login.js
//
// Only ever point it at a machine you own. Argon2 password hashing costs ~120 ms per login, so
// two cores serve ~12 logins/s: 700 VUs measure the queue in front of the hasher. allauth also
// limits logins to 30 per minute per client IP, and every VU shares yours: for more than a smoke
// test run the server with DJANGO_SETTINGS_MODULE=loadtest.settings and set CLIENT_IP_HEADER=1
// so each VU presents its own address (see loadtest/settings.py).

import http from 'k6/http'
import { check, sleep } from 'k6'

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:8000'
const EMAIL = __ENV.EMAIL || 'owner@acme.example'
const PASSWORD = __ENV.PASSWORD || 'Demo-pass-2026'
const DASHBOARD = __ENV.DASHBOARD || '/t/acme/'
const SEND_CLIENT_IP = __ENV.CLIENT_IP_HEADER === '1'

export const options = {
  vus: 700,
  duration: '30s',
  // The original guide's "good" thresholds.
  thresholds: {
    http_req_duration: ['p(95)<300', 'p(99)<1000'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
}

function clientHeaders() {
  if (!SEND_CLIENT_IP) return {}
  const n = __VU
  return { 'X-Loadtest-Client-IP': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` }
}

export default function () {
  const jar = http.cookieJar()
  jar.clear(BASE_URL)
  const headers = clientHeaders()

  // 1. The login page: sets the csrftoken cookie and carries the token in the form.
  const page = http.get(`${BASE_URL}/accounts/login/`, { headers, tags: { name: 'login page' } })
  const match = page.body ? page.body.match(/name="csrfmiddlewaretoken"\s+value="([^"]+)"/) : null
  check(page, {
    'login page 200': (r) => r.status === 200,
    'csrf token found': () => match !== null,
  })
  if (!match) {
    sleep(1)
    return
  }

  // 2. POST the credentials; allauth answers 302 on success, 200 with the form on failure.
  const login = http.post(
    `${BASE_URL}/accounts/login/`,
    { login: EMAIL, password: PASSWORD, csrfmiddlewaretoken: match[1] },
    {
      headers: Object.assign({ Referer: `${BASE_URL}/accounts/login/` }, headers),
      redirects: 0,
      tags: { name: 'login submit' },
    },
  )
  check(login, {
    'login redirects (302)': (r) => r.status === 302,
  })

  // 3. The tenant dashboard with the new session.
  const dashboard = http.get(`${BASE_URL}${DASHBOARD}`, {
    headers,
    redirects: 0,
    tags: { name: 'dashboard' },
  })
  check(dashboard, {
    'dashboard 200': (r) => r.status === 200,
    'dashboard is html': (r) => (r.headers['Content-Type'] || '').includes('text/html'),
  })

  sleep(1)
}
