// Shared helpers of the acceptance scripts: the check runner, assertions, a
// cookie-keeping "browser" for the OAuth sign-in and consent pages, and a
// record of the last failed HTTP exchange so a failure names the request
// and the server's answer; and a one-colour PNG for uploads. Only Node's
// standard library is used here; the client libraries under test do the
// API calls themselves.

import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import zlib from "node:zlib";

// ---------- configuration ----------

/** env returns a required environment variable or stops with a message. */
export function env(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`acceptance: environment variable ${name} is not set (acceptance_test.go sets it)`);
    process.exit(2);
  }
  return v;
}

// ACCEPT_KEEP_GOING=1 runs every check even after one failed (for a full
// picture while endpoints are missing); by default the first failure stops
// the script.
const keepGoing = process.env.ACCEPT_KEEP_GOING === "1";

// ---------- the last failed HTTP exchange ----------

// Both fetch (masto.js, the browser below) and axios (megalodon) are watched:
// fetch by wrapping it, axios through the error it throws.
let lastHTTPFailure = null;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const req = input instanceof Request ? input : null;
  const method = (init?.method ?? req?.method ?? "GET").toUpperCase();
  const url = req ? req.url : String(input);
  let res;
  try {
    res = await realFetch(input, init);
  } catch (e) {
    lastHTTPFailure = `${method} ${url} → network error: ${e?.cause?.message ?? e.message}`;
    throw e;
  }
  if (res.status >= 400) {
    let body = "";
    try {
      body = await res.clone().text();
    } catch {}
    lastHTTPFailure = `${method} ${url} → ${res.status} ${truncate(body)}`;
  }
  return res;
};

function truncate(s, n = 600) {
  s = String(s ?? "").replace(/\s+/g, " ").trim();
  return s.length > n ? s.slice(0, n) + "…" : s;
}

/** describe turns an error of masto.js, megalodon (axios) or an assertion into one line. */
export function describe(e) {
  if (e == null) return String(e);
  // axios (megalodon)
  if (e.isAxiosError || (e.config && (e.response || e.request))) {
    const method = (e.config?.method ?? "?").toUpperCase();
    let url = e.config?.url ?? "?";
    if (e.config?.baseURL && !/^[a-z]+:/.test(url)) url = e.config.baseURL + url;
    if (e.config?.params && Object.keys(e.config.params).length > 0) url += ` (params ${JSON.stringify(e.config.params)})`;
    if (e.response) {
      const data = typeof e.response.data === "string" ? e.response.data : JSON.stringify(e.response.data);
      return `${method} ${url} → ${e.response.status} ${truncate(data)}`;
    }
    return `${method} ${url} → ${e.code ?? "no response"}: ${e.message}`;
  }
  // masto.js
  if (e.constructor?.name === "MastoHttpError" || e.statusCode !== undefined) {
    const where = lastHTTPFailure ? lastHTTPFailure : `HTTP ${e.statusCode}`;
    return `${where} (masto.js ${e.constructor?.name}: ${e.message}${e.description ? " — " + e.description : ""})`;
  }
  let msg = e.message ?? String(e);
  if (e.name && e.name !== "Error" && e.name !== "AssertionError") msg = `${e.name}: ${msg}`;
  if (lastHTTPFailure) msg += ` [last failed request: ${lastHTTPFailure}]`;
  return msg;
}

// ---------- the check runner ----------

const results = { passed: 0, failed: [] };
const startedAt = performance.now();

/**
 * check runs one named check. On failure it prints the reason and exits 1
 * (or, with ACCEPT_KEEP_GOING=1, records it and returns undefined).
 */
export async function check(name, fn) {
  lastHTTPFailure = null;
  const t0 = performance.now();
  try {
    const out = await fn();
    console.log(`ok    ${name} (${Math.round(performance.now() - t0)} ms)`);
    results.passed++;
    return out;
  } catch (e) {
    console.log(`FAIL  ${name}: ${describe(e)}`);
    if (process.env.ACCEPT_DEBUG === "1" && e?.stack) console.log(e.stack);
    results.failed.push(name);
    if (!keepGoing) {
      console.log(`stopped at the first failure (${results.passed} checks passed before it)`);
      process.exit(1);
    }
    return undefined;
  }
}

/** finish prints the summary and exits. */
export function finish(label) {
  const secs = ((performance.now() - startedAt) / 1000).toFixed(1);
  if (results.failed.length > 0) {
    console.log(`${label}: ${results.failed.length} of ${results.passed + results.failed.length} checks FAILED in ${secs}s: ${results.failed.join("; ")}`);
    process.exit(1);
  }
  console.log(`${label}: all ${results.passed} checks passed in ${secs}s`);
  process.exit(0);
}

// ---------- assertions ----------

export class AssertionError extends Error {
  name = "AssertionError";
}

export function assert(cond, msg) {
  if (!cond) throw new AssertionError(msg);
}

export function equal(got, want, what) {
  if (got !== want) throw new AssertionError(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

/** includes checks that list holds an element matching pred. */
export function includes(list, pred, what) {
  assert(Array.isArray(list), `${what}: not a list but ${JSON.stringify(list)?.slice(0, 200)}`);
  const hit = list.find(pred);
  assert(hit !== undefined, `${what}: not found among ${list.length} entries`);
  return hit;
}

/** Descending by snowflake ID (decimal strings), no duplicates. */
export function assertNewestFirst(ids, what) {
  const seen = new Set();
  for (let i = 0; i < ids.length; i++) {
    assert(!seen.has(ids[i]), `${what}: ID ${ids[i]} appears twice`);
    seen.add(ids[i]);
    if (i > 0) assert(BigInt(ids[i - 1]) > BigInt(ids[i]), `${what}: ${ids[i - 1]} is followed by ${ids[i]} (not newest first)`);
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * eventually retries fn until it returns without throwing, for effects of
 * background jobs (fan-out, notifications). The last error is rethrown.
 */
export async function eventually(fn, { timeout = 20000, interval = 150 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await sleep(interval);
  }
}

/** withTimeout rejects if p takes longer than ms. */
export function withTimeout(p, ms, what) {
  let timer;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new AssertionError(`${what}: nothing within ${ms} ms`)), ms);
    }),
  ]);
}

/**
 * EventBox collects events from a stream and lets a check wait for the
 * first one matching a predicate (including ones that came before).
 */
export class EventBox {
  events = [];
  waiters = [];
  push(ev) {
    this.events.push(ev);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(ev)) return true;
      w.resolve(ev);
      return false;
    });
  }
  waitFor(pred, ms, what) {
    const hit = this.events.find(pred);
    if (hit) return Promise.resolve(hit);
    const p = new Promise((resolve) => this.waiters.push({ pred, resolve }));
    return withTimeout(p, ms, `${what} (events seen: ${this.summary()})`);
  }
  summary() {
    if (this.events.length === 0) return "none";
    return this.events.map((e) => e.event ?? e.kind ?? "?").join(", ");
  }
}

/**
 * warmUp makes sure fresh subscriptions deliver before the checks proper:
 * the streaming protocol does not acknowledge a subscription, so post (with
 * post(i), which returns the new status's ID) until one post's update
 * arrives in every box. The checks after it then wait for their own events
 * with a plain timeout.
 */
export async function warmUp(post, boxes, { tries = 10, wait = 1500 } = {}) {
  for (let i = 0; i < tries; i++) {
    const id = await post(i);
    try {
      await Promise.all(boxes.map((b) => b.waitFor((e) => e.event === "update" && e.payload?.id === id, wait, "warm-up")));
      return i + 1;
    } catch {}
  }
  throw new AssertionError(`none of ${tries} warm-up posts arrived on every subscription (events seen: ${boxes.map((b) => b.summary()).join(" | ")})`);
}

// ---------- OAuth helpers ----------

export function base64url(buf) {
  return Buffer.from(buf).toString("base64url");
}

/** pkce returns a fresh code verifier and its S256 challenge (RFC 7636). */
export function pkce() {
  const verifier = base64url(randomBytes(48)); // 64 characters
  const challenge = base64url(createHash("sha256").update(verifier).digest());
  return { verifier, challenge };
}

export const randomState = () => base64url(randomBytes(12));

// ---------- the browser ----------

const entities = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'", "#34": '"' };
function unescapeHTML(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, name) => {
    if (entities[name.toLowerCase()] !== undefined) return entities[name.toLowerCase()];
    if (name[0] === "#") return String.fromCodePoint(name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    return m;
  });
}

function attrs(tag) {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out[m[1].toLowerCase()] = unescapeHTML(m[2] ?? m[3] ?? m[4] ?? "");
  }
  return out;
}

/**
 * parseForms finds the forms of a page with their fields (inputs, textareas)
 * and submit buttons, as a browser would see them.
 */
export function parseForms(html) {
  const forms = [];
  for (const fm of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attrs(fm[1]);
    const form = { action: a.action ?? "", method: (a.method ?? "get").toLowerCase(), fields: [], buttons: [] };
    for (const im of fm[2].matchAll(/<(input|button|textarea)\b([^>]*)>/gi)) {
      const t = attrs(im[2]);
      const kind = im[1].toLowerCase();
      if (kind === "button" || (kind === "input" && ["submit", "image"].includes((t.type ?? "").toLowerCase()))) {
        if ((t.type ?? "submit").toLowerCase() === "submit") form.buttons.push({ name: t.name, value: t.value ?? "", label: t.name });
        continue;
      }
      if (!t.name) continue;
      const type = (t.type ?? "text").toLowerCase();
      if ((type === "checkbox" || type === "radio") && !("checked" in t)) continue;
      form.fields.push({ name: t.name, value: t.value ?? (type === "checkbox" ? "on" : ""), type });
    }
    forms.push(form);
  }
  return forms;
}

/**
 * Browser keeps cookies (by name and path) and does not follow redirects,
 * so each step of the sign-in flow is visible, like an app's web view.
 */
export class Browser {
  constructor(base) {
    this.base = base;
    this.cookies = new Map(); // name|path → {name, value, path}
  }
  cookieHeader(url) {
    const path = new URL(url).pathname;
    return [...this.cookies.values()]
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith("/") ? c.path : c.path + "/"))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }
  keep(res, url) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...opts] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = new URL(url).pathname.replace(/\/[^/]*$/, "") || "/";
      let expired = false;
      for (const o of opts) {
        const [k, v = ""] = o.split("=");
        const key = k.trim().toLowerCase();
        if (key === "path") path = v.trim() || "/";
        if (key === "max-age" && Number(v) <= 0) expired = true;
        if (key === "expires" && Date.parse(v) < Date.now()) expired = true;
      }
      const id = `${name}|${path}`;
      if (expired || value === "") this.cookies.delete(id);
      else this.cookies.set(id, { name, value, path });
    }
  }
  async request(method, url, form) {
    url = new URL(url, this.base).toString();
    const headers = { Accept: "text/html" };
    const cookie = this.cookieHeader(url);
    if (cookie) headers.Cookie = cookie;
    let body;
    if (form) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(url, { method, headers, body, redirect: "manual" });
    this.keep(res, url);
    const text = await res.text();
    return { status: res.status, location: res.headers.get("location"), text, url };
  }
  get(url) {
    return this.request("GET", url);
  }
  /**
   * submit fills a page's form (the one whose action matches, or the only
   * one) with values and presses the button named by button ({name, value}).
   */
  async submit(page, { action, values = {}, button } = {}) {
    const forms = parseForms(page.text);
    const form = forms.find((f) => (action ? f.action.split("?")[0] === action : true));
    assert(form, `no form${action ? " posting to " + action : ""} on ${page.url} (status ${page.status}): ${truncate(page.text, 300)}`);
    const data = [];
    const filled = new Set();
    for (const f of form.fields) {
      if (f.name in values) {
        data.push([f.name, values[f.name]]);
        filled.add(f.name);
      } else data.push([f.name, f.value]);
    }
    for (const [k, v] of Object.entries(values)) if (!filled.has(k)) throw new AssertionError(`form on ${page.url} has no field ${k}`);
    if (button) {
      const b = form.buttons.find((x) => x.name === button.name && x.value === button.value);
      assert(b, `form on ${page.url} has no button ${button.name}=${button.value} (has ${JSON.stringify(form.buttons)})`);
      data.push([b.name, b.value]);
    }
    const target = new URL(form.action || page.url, page.url).toString();
    return this.request(form.method.toUpperCase(), target, data);
  }
}

/**
 * signInAndConsent drives the pages behind an authorization URL as a
 * person in a browser does: the server sends a signed-out visitor to its
 * sign-in page; sign in; come back to the consent page; press Authorize;
 * the server redirects to the app's redirect URI. Returns that URL.
 */
export async function signInAndConsent(base, authorizeURL, { login, password, redirectUri }) {
  const b = new Browser(base);
  let page = await b.get(authorizeURL);
  assert(page.status >= 300 && page.status < 400 && page.location, `GET /oauth/authorize when signed out: want a redirect to sign in, got ${page.status} ${truncate(page.text, 300)}`);
  page = await b.get(page.location);
  equal(page.status, 200, `sign-in page ${page.url}`);
  page = await b.submit(page, { values: { login, password } });
  assert(page.status >= 300 && page.status < 400 && page.location, `POST sign-in: want a redirect back, got ${page.status} ${truncate(page.text, 300)}`);
  // Follow redirects (back to /oauth/authorize) until the consent page.
  for (let i = 0; i < 5 && page.status >= 300 && page.status < 400; i++) {
    if (redirectUri && page.location.startsWith(redirectUri)) return page.location; // consent remembered
    page = await b.get(page.location);
  }
  equal(page.status, 200, `consent page ${page.url}`);
  page = await b.submit(page, { button: { name: "decision", value: "approve" } });
  assert(page.status >= 300 && page.status < 400 && page.location, `POST consent: want a redirect to the app, got ${page.status} ${truncate(page.text, 300)}`);
  return page.location;
}

/**
 * probeWebSocket tries a WebSocket handshake by hand and says how the
 * server answered, for a failure message (the WebSocket clients do not
 * tell the HTTP status of a refused handshake).
 */
export function probeWebSocket(wsURL, headers = {}) {
  const u = new URL(wsURL);
  u.protocol = u.protocol === "wss:" ? "https:" : "http:";
  const mod = u.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const req = mod.get(u, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        ...headers,
      },
      timeout: 5000,
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(`GET ${wsURL} → ${res.statusCode} (the handshake itself works)`);
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve(`GET ${wsURL} → ${res.statusCode} ${truncate(body, 300)}`));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", (e) => resolve(`GET ${wsURL} → ${e.message}`));
  });
}

// ---------- images ----------

/** png makes a w×h PNG of one colour, by hand (no image library here), for uploads. */
export function png(w, h, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([r, g, b], y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}
