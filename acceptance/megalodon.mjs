// Acceptance checks with megalodon (the client library of Whalebird and
// other desktop apps), driven against a running weft the way an app uses
// it. Run by acceptance_test.go, which starts the server and creates the
// accounts; the environment is the same as masto.mjs's:
//
//   ACCEPT_URL               base URL, e.g. http://127.0.0.1:PORT
//   ACCEPT_USER, ACCEPT_PASSWORD   the account that signs in through OAuth
//   ACCEPT_BOB, ACCEPT_BOB_TOKEN     a second account and its token
//   ACCEPT_CAROL, ACCEPT_CAROL_TOKEN a third one
//
// megalodon's own OAuth helpers build the authorization URL without PKCE
// and exchange the code with the client secret (fetchAccessToken has no
// code_verifier parameter), so this script covers the confidential-client
// form of the authorization-code flow; masto.mjs covers PKCE.

import generator from "megalodon";
import {
  assert,
  assertNewestFirst,
  check,
  env,
  equal,
  eventually,
  EventBox,
  finish,
  includes,
  probeWebSocket,
  signInAndConsent,
  warmUp,
  withTimeout,
} from "./lib.mjs";

const url = env("ACCEPT_URL");
const user = env("ACCEPT_USER");
const password = env("ACCEPT_PASSWORD");
const bobName = env("ACCEPT_BOB");
const carolName = env("ACCEPT_CAROL");
const bobToken = env("ACCEPT_BOB_TOKEN");
const bob = generator("mastodon", url, bobToken);
const carol = generator("mastodon", url, env("ACCEPT_CAROL_TOKEN"));
const anon = generator("mastodon", url);

const redirectUri = "org.weft.acceptance.megalodon://oauth-callback";
const scopes = ["read", "write", "follow"];
const tag = `g${Date.now().toString(36)}`;

/**
 * stopStream stops a megalodon stream. Stopping one while it reconnects
 * makes ws report "closed before the connection was established" after
 * megalodon has removed its listeners, which would crash the script with an
 * unhandled 'error' event, so the old socket gets a listener of its own.
 */
function stopStream(stream) {
  const ws = stream._client;
  stream.stop();
  ws?.on?.("error", () => {});
}

// ---------- 1. app, sign-in, token ----------

const instance = await check("GET /api/v1/instance (getInstance)", async () => {
  const { data } = await anon.getInstance();
  assert(data.urls?.streaming_api, `no urls.streaming_api in ${JSON.stringify(data).slice(0, 300)}`);
  return data;
});

const app = await check("register an app (createApp, custom-scheme redirect URI)", async () => {
  const a = await anon.createApp("weft acceptance (megalodon)", {
    redirect_uris: redirectUri,
    scopes,
    website: "https://example.org/acceptance",
  });
  assert(a.client_id && a.client_secret, `no client_id/client_secret in ${JSON.stringify(a)}`);
  return a;
});

const code = await check("authorize: generateAuthUrl, then sign in and consent in the browser pages", async () => {
  const authURL = await anon.generateAuthUrl(app.client_id, app.client_secret, { scope: scopes, redirect_uri: redirectUri });
  assert(authURL.startsWith(`${url}/oauth/authorize?`), `authorization URL: ${authURL}`);
  const back = new URL(await signInAndConsent(url, authURL, { login: user, password, redirectUri }));
  equal(back.href.split("?")[0], redirectUri, "redirect target");
  const c = back.searchParams.get("code");
  assert(c, `no code in ${back}`);
  return c;
});

const token = await check("exchange the code for a token (fetchAccessToken)", async () => {
  const t = await anon.fetchAccessToken(app.client_id, app.client_secret, code, redirectUri);
  assert(t.access_token, `no access_token in ${JSON.stringify(t)}`);
  return t;
});

const client = generator("mastodon", url, token?.access_token);

const me = await check("verifyAccountCredentials with the new token", async () => {
  const { data } = await client.verifyAccountCredentials();
  equal(data.username, user, "username");
  return data;
});

const [bobMe, carolMe] = await check("the other accounts' tokens work", async () => {
  const b = (await bob.verifyAccountCredentials()).data;
  const c = (await carol.verifyAccountCredentials()).data;
  equal(b.username, bobName, "bob's username");
  equal(c.username, carolName, "carol's username");
  return [b, c];
}) ?? [];

// ---------- 2. posting, a thread, boost, like, bookmark, timelines ----------

const post = await check("post a status (postStatus)", async () => {
  const { data } = await client.postStatus(`Hello from megalodon #${tag}`, { visibility: "public" });
  assert(data.content.includes("Hello from megalodon"), `content: ${data.content}`);
  equal(data.account.id, me.id, "author");
  return data;
});

const reply = await check("reply to it (in_reply_to_id)", async () => {
  const { data } = await client.postStatus(`Replying to myself ${tag}`, { in_reply_to_id: post.id });
  equal(data.in_reply_to_id, post.id, "in_reply_to_id");
  return data;
});

await check("follow bob (followAccount)", async () => {
  const { data } = await client.followAccount(bobMe.id);
  equal(data.following, true, "following");
});

await check("relationships show the follow (getRelationships)", async () => {
  const { data } = await client.getRelationships([bobMe.id]);
  const r = includes(data, (x) => x.id === bobMe.id, "relationship with bob");
  equal(r.following, true, "following");
});

const bobPost = await check("bob posts (with bob's token)", async () => {
  return (await bob.postStatus(`Bob says hi ${tag}`, { visibility: "public" })).data;
});

await check("boost bob's post (reblogStatus)", async () => {
  const { data } = await client.reblogStatus(bobPost.id);
  assert(data.reblog, `response is not a boost: ${JSON.stringify(data).slice(0, 300)}`);
  equal(data.reblog.id, bobPost.id, "boosted status");
  equal(data.reblog.reblogged, true, "reblog.reblogged");
});

await check("like bob's post (favouriteStatus)", async () => {
  const { data } = await client.favouriteStatus(bobPost.id);
  equal(data.favourited, true, "favourited");
});

await check("bookmark bob's post (bookmarkStatus)", async () => {
  const { data } = await client.bookmarkStatus(bobPost.id);
  equal(data.bookmarked, true, "bookmarked");
});

await check("getStatus shows reblogged, favourited, bookmarked; getBookmarks and getFavourites hold it", async () => {
  const { data } = await client.getStatus(bobPost.id);
  equal(data.reblogged, true, "reblogged");
  equal(data.favourited, true, "favourited");
  equal(data.bookmarked, true, "bookmarked");
  includes((await client.getBookmarks({ limit: 20 })).data, (s) => s.id === bobPost.id, "bookmarks");
  includes((await client.getFavourites({ limit: 20 })).data, (s) => s.id === bobPost.id, "favourites");
});

const more = await check("post 5 more statuses for pagination", async () => {
  const out = [];
  for (let i = 1; i <= 5; i++) out.push((await client.postStatus(`page filler ${i} ${tag}`, {})).data);
  return out;
});

/** pageAll pages a timeline with max_id, as megalodon apps scroll. */
async function pageAll(fetchPage, limit, maxPages = 30) {
  const pages = [];
  let maxId;
  for (let i = 0; i < maxPages; i++) {
    const res = await fetchPage(maxId ? { limit, max_id: maxId } : { limit });
    assert(res.data.length <= limit, `page ${i} has ${res.data.length} entries (limit ${limit})`);
    if (res.data.length === 0) break;
    if (i === 0) assert(/rel="next"/.test(res.headers.link ?? ""), `first page has no Link rel="next" header (${res.headers.link})`);
    pages.push(res.data);
    maxId = res.data.at(-1).id;
  }
  return pages;
}

await check("home timeline, paged with max_id (getHomeTimeline)", async () => {
  const want = [post.id, reply.id, bobPost.id, ...more.map((s) => s.id)];
  await eventually(async () => {
    const pages = await pageAll((o) => client.getHomeTimeline(o), 3);
    const ids = pages.flat().map((s) => s.id);
    assert(pages.length >= 3, `only ${pages.length} page(s) for ${ids.length} statuses`);
    assertNewestFirst(ids, "home timeline");
    for (const id of want) assert(ids.includes(id), `home timeline lacks status ${id} (has ${ids.join(",")})`);
  });
});

await check("local and public timelines, paged with max_id", async () => {
  for (const [name, fetchPage] of [
    ["local", (o) => client.getLocalTimeline(o)],
    ["public", (o) => client.getPublicTimeline(o)],
  ]) {
    const statuses = (await pageAll(fetchPage, 4)).flat();
    assertNewestFirst(statuses.map((s) => s.id), `${name} timeline`);
    for (const id of [post.id, bobPost.id, more[4].id]) includes(statuses, (s) => s.id === id, `${name} timeline status ${id}`);
  }
});

const bobReply = await check("bob replies in the thread, mentioning me", async () => {
  const { data } = await bob.postStatus(`@${user} nice thread ${tag}`, { in_reply_to_id: reply.id });
  includes(data.mentions, (m) => m.id === me.id, "mentions");
  return data;
});

await check("context of a thread (getStatusContext)", async () => {
  const { data } = await client.getStatusContext(reply.id);
  includes(data.ancestors, (s) => s.id === post.id, "ancestors of the reply");
  includes(data.descendants, (s) => s.id === bobReply.id, "descendants of the reply");
});

// ---------- 3. follow, unfollow, relationships, locked accounts ----------

await check("unfollow bob (unfollowAccount), relationship says not following", async () => {
  const { data } = await client.unfollowAccount(bobMe.id);
  equal(data.following, false, "following after unfollow");
  const rel = (await client.getRelationship(bobMe.id)).data;
  equal(rel.following, false, "getRelationship after unfollow");
});

await check("follow bob again", async () => {
  equal((await client.followAccount(bobMe.id)).data.following, true, "following");
});

await check("bob follows me and likes my post (for notifications)", async () => {
  equal((await bob.followAccount(me.id)).data.following, true, "bob following me");
  equal((await bob.favouriteStatus(post.id)).data.favourited, true, "bob's like");
});

await check("lock my account (updateCredentials locked=true)", async () => {
  const { data } = await client.updateCredentials({ locked: true });
  equal(data.locked, true, "locked");
});

await check("carol follows my locked account → a request", async () => {
  const { data } = await carol.followAccount(me.id);
  equal(data.following, false, "following before approval");
  equal(data.requested, true, "requested");
});

await check("getFollowRequests lists carol, a follow_request notification says so; acceptFollowRequest", async () => {
  const isRequest = (n) => n.type === "follow_request" && n.account.id === carolMe.id;
  await eventually(async () => includes((await client.getNotifications({ limit: 40 })).data, isRequest, "follow_request notification"));
  includes((await client.getFollowRequests()).data, (a) => a.id === carolMe.id, "follow requests");
  const { data } = await client.acceptFollowRequest(carolMe.id);
  equal(data.followed_by, true, "followed_by after accept");
  const rel = (await carol.getRelationship(me.id)).data;
  equal(rel.following, true, "carol following after approval");
  assert(!(await client.getFollowRequests()).data.some((a) => a.id === carolMe.id), "request still listed after accept");
});

// ---------- 4. edit, history, delete ----------

await check("edit a status (editStatus, PUT) and read its history and source", async () => {
  const { data } = await client.editStatus(post.id, { status: `Hello from megalodon, edited #${tag}` });
  assert(data.content.includes("edited"), `content after edit: ${data.content}`);
  assert(data.edited_at, "edited_at not set");
  // megalodon has no method for the history; its API client is what an app would use.
  const history = (await client.client.get(`/api/v1/statuses/${post.id}/history`)).data;
  assert(Array.isArray(history) && history.length >= 2, `history: ${JSON.stringify(history).slice(0, 300)}`);
  assert(history.at(-1).content.includes("edited"), `last version: ${history.at(-1).content}`);
  equal((await client.getStatusSource(post.id)).data.text, `Hello from megalodon, edited #${tag}`, "source text");
});

await check("delete a status (deleteStatus), then 404", async () => {
  const s = (await client.postStatus(`Delete me ${tag}`, {})).data;
  const { data } = await client.deleteStatus(s.id);
  equal(data.id, s.id, "deleted id");
  let status = 0;
  try {
    await client.getStatus(s.id);
  } catch (e) {
    status = e.response?.status;
  }
  equal(status, 404, "status of fetching a deleted post");
});

// ---------- 5. notifications ----------

await check("notifications: mention, favourite, follow (getNotifications)", async () => {
  await eventually(async () => {
    const ns = (await client.getNotifications({ limit: 40 })).data;
    includes(ns, (n) => n.type === "mention" && n.status?.id === bobReply.id, "mention notification");
    includes(ns, (n) => n.type === "favourite" && n.status?.id === post.id && n.account.id === bobMe.id, "favourite notification");
    includes(ns, (n) => n.type === "follow" && n.account.id === bobMe.id, "follow notification");
  });
  const ex = (await client.getNotifications({ exclude_types: ["mention", "favourite"] })).data;
  assert(ex.every((n) => n.type !== "mention" && n.type !== "favourite"), `exclude_types gave ${ex.map((n) => n.type)}`);
});

// ---------- 6. streaming ----------

await check("streaming: userStreaming delivers an update and a mention notification", async () => {
  const stream = await client.userStreaming(); // ws to urls.streaming_api + /api/v1/streaming?stream=user
  const box = new EventBox();
  const errors = [];
  const connected = new Promise((resolve) => stream.on("connect", resolve));
  stream.on("update", (s) => box.push({ event: "update", payload: s }));
  stream.on("notification", (n) => box.push({ event: "notification", payload: n }));
  stream.on("error", (e) => errors.push(e?.message ?? String(e)));
  stream.on("parser-error", (e) => errors.push(`parser: ${e?.message ?? e}`));
  try {
    try {
      await withTimeout(connected, 10000, `WebSocket connection to ${instance.urls.streaming_api}/api/v1/streaming?stream=user`);
    } catch (e) {
      const probe = await probeWebSocket(`${instance.urls.streaming_api}/api/v1/streaming?stream=user&access_token=${token.access_token}`);
      throw new Error(`${e.message} (stream errors: ${errors.join("; ") || "none"}); a handshake by hand: ${probe.replace(token.access_token, "…")}`);
    }
    await warmUp(async (i) => (await bob.postStatus(`warm-up ${i} ${tag}`, {})).data.id, [box]);
    const s = (await bob.postStatus(`Streamed to followers ${tag}`, {})).data;
    const up = await box.waitFor((e) => e.event === "update" && e.payload.id === s.id, 15000, "update event for bob's new post");
    equal(up.payload.account.id, bobMe.id, "update author");
    const m = (await bob.postStatus(`@${user} are you streaming? ${tag}`, {})).data;
    const n = await box.waitFor((e) => e.event === "notification" && e.payload.status?.id === m.id, 15000, "notification event for the mention");
    equal(n.payload.type, "mention", "notification type");
    assert(errors.length === 0, `stream errors: ${errors.join("; ")}`);
  } finally {
    stopStream(stream);
  }
});

await check("streaming: localStreaming delivers carol's public post, then its delete", async () => {
  const stream = await client.localStreaming(); // ?stream=public:local
  const box = new EventBox();
  const errors = [];
  const connected = new Promise((resolve) => stream.on("connect", resolve));
  stream.on("update", (s) => box.push({ event: "update", payload: s }));
  stream.on("delete", (id) => box.push({ event: "delete", payload: id }));
  stream.on("error", (e) => errors.push(e?.message ?? String(e)));
  stream.on("parser-error", (e) => errors.push(`parser: ${e?.message ?? e}`));
  try {
    try {
      await withTimeout(connected, 10000, `WebSocket connection to ${instance.urls.streaming_api}/api/v1/streaming?stream=public:local`);
    } catch (e) {
      throw new Error(`${e.message} (stream errors: ${errors.join("; ") || "none"})`);
    }
    await warmUp(async (i) => (await carol.postStatus(`warm-up ${i} ${tag}`, { visibility: "public" })).data.id, [box]);
    const s = (await carol.postStatus(`Local and public ${tag}`, { visibility: "public" })).data;
    await box.waitFor((e) => e.event === "update" && e.payload.id === s.id, 15000, "update event for carol's public post");
    await carol.deleteStatus(s.id);
    await box.waitFor((e) => e.event === "delete" && String(e.payload) === s.id, 15000, "delete event for carol's post");
    assert(errors.length === 0, `stream errors: ${errors.join("; ")}`);
  } finally {
    stopStream(stream);
  }
});

finish("megalodon");
