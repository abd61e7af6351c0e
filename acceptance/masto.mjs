// Acceptance checks with masto.js (the client library of Elk and Phanpy),
// driven against a running weft the way an app uses it. Run by
// acceptance_test.go, which starts the server and creates the accounts:
//
//   ACCEPT_URL               base URL, e.g. http://127.0.0.1:PORT
//   ACCEPT_USER, ACCEPT_PASSWORD   the account that signs in through OAuth
//   ACCEPT_BOB, ACCEPT_BOB_TOKEN     a second account and its token
//   ACCEPT_CAROL, ACCEPT_CAROL_TOKEN a third one
//
// Every check prints "ok" or "FAIL" with the request and the server's
// answer; the first failure exits 1 (ACCEPT_KEEP_GOING=1 runs all).

import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient } from "masto";
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
  pkce,
  png,
  probeWebSocket,
  randomState,
  signInAndConsent,
  sleep,
  warmUp,
  withTimeout,
} from "./lib.mjs";

const url = env("ACCEPT_URL");
const user = env("ACCEPT_USER");
const password = env("ACCEPT_PASSWORD");
const bobName = env("ACCEPT_BOB");
const carolName = env("ACCEPT_CAROL");
const bob = createRestAPIClient({ url, accessToken: env("ACCEPT_BOB_TOKEN"), timeout: 20000 });
const carol = createRestAPIClient({ url, accessToken: env("ACCEPT_CAROL_TOKEN"), timeout: 20000 });
const anon = createRestAPIClient({ url, timeout: 20000 });

const redirectUri = "org.weft.acceptance.masto://oauth-callback";
const scopes = "read write follow";
const tag = `m${Date.now().toString(36)}`; // marks this run's posts

// ---------- 1. app, sign-in, token ----------

const instance = await check("GET /api/v2/instance (masto v2.instance.fetch)", async () => {
  const i = await anon.v2.instance.fetch();
  assert(i.configuration?.urls?.streaming, `no configuration.urls.streaming in ${JSON.stringify(i).slice(0, 300)}`);
  return i;
});

const app = await check("register an app (v1.apps.create, custom-scheme redirect URI)", async () => {
  const a = await anon.v1.apps.create({
    clientName: "weft acceptance (masto.js)",
    redirectUris: redirectUri,
    scopes,
    website: "https://example.org/acceptance",
  });
  assert(a.clientId && a.clientSecret, `no client_id/client_secret in ${JSON.stringify(a)}`);
  return a;
});

const { verifier, challenge } = pkce();
const state = randomState();
const code = await check("authorize: sign in and consent in the browser pages (code + PKCE S256)", async () => {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scope: scopes,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const back = new URL(await signInAndConsent(url, `${url}/oauth/authorize?${q}`, { login: user, password, redirectUri }));
  equal(back.href.split("?")[0], redirectUri, "redirect target");
  equal(back.searchParams.get("state"), state, "state in the redirect");
  const c = back.searchParams.get("code");
  assert(c, `no code in ${back}`);
  return c;
});

const token = await check("exchange the code for a token (createOAuthAPIClient token.create with code_verifier)", async () => {
  const oauth = createOAuthAPIClient({ url, timeout: 20000 });
  const t = await oauth.token.create({
    grantType: "authorization_code",
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri,
    code,
    codeVerifier: verifier, // sent as code_verifier
    scope: scopes,
  });
  assert(t.accessToken, `no access_token in ${JSON.stringify(t)}`);
  equal(t.tokenType, "Bearer", "token_type");
  return t;
});

const masto = createRestAPIClient({ url, accessToken: token?.accessToken, timeout: 20000 });

const me = await check("verify_credentials with the new token", async () => {
  const a = await masto.v1.accounts.verifyCredentials();
  equal(a.username, user, "username");
  assert(a.id, "no id");
  return a;
});

const [bobMe, carolMe] = await check("the other accounts' tokens work (verify_credentials)", async () => {
  const b = await bob.v1.accounts.verifyCredentials();
  const c = await carol.v1.accounts.verifyCredentials();
  equal(b.username, bobName, "bob's username");
  equal(c.username, carolName, "carol's username");
  return [b, c];
}) ?? [];

// ---------- 2. posting, a thread, boost, like, bookmark, timelines ----------

const post = await check("post a status (v1.statuses.create)", async () => {
  const s = await masto.v1.statuses.create({ status: `Hello from masto.js #${tag}`, visibility: "public" });
  assert(s.content.includes("Hello from masto.js"), `content: ${s.content}`);
  equal(s.account.id, me.id, "author");
  equal(s.visibility, "public", "visibility");
  return s;
});

const reply = await check("reply to it (in_reply_to_id)", async () => {
  const s = await masto.v1.statuses.create({ status: `Replying to myself ${tag}`, inReplyToId: post.id });
  equal(s.inReplyToId, post.id, "in_reply_to_id");
  equal(s.inReplyToAccountId, me.id, "in_reply_to_account_id");
  return s;
});

await check("follow bob (accounts/:id/follow)", async () => {
  const r = await masto.v1.accounts.$select(bobMe.id).follow();
  equal(r.id, bobMe.id, "relationship id");
  assert(r.following === true, `following: ${JSON.stringify(r)}`);
});

await check("relationships show the follow", async () => {
  const rs = await masto.v1.accounts.relationships.fetch({ id: [bobMe.id] });
  const r = includes(rs, (x) => x.id === bobMe.id, "relationship with bob");
  equal(r.following, true, "following");
});

const bobPost = await check("bob posts (with bob's token)", async () => {
  return bob.v1.statuses.create({ status: `Bob says hi ${tag}`, visibility: "public" });
});

await check("boost bob's post (reblog)", async () => {
  const s = await masto.v1.statuses.$select(bobPost.id).reblog();
  assert(s.reblog, `response is not a boost: ${JSON.stringify(s).slice(0, 300)}`);
  equal(s.reblog.id, bobPost.id, "boosted status");
  equal(s.reblog.reblogged, true, "reblog.reblogged");
  equal(s.account.id, me.id, "booster");
});

await check("like bob's post (favourite)", async () => {
  const s = await masto.v1.statuses.$select(bobPost.id).favourite();
  equal(s.id, bobPost.id, "status");
  equal(s.favourited, true, "favourited");
  assert(s.favouritesCount >= 1, `favourites_count ${s.favouritesCount}`);
});

await check("bookmark bob's post", async () => {
  const s = await masto.v1.statuses.$select(bobPost.id).bookmark();
  equal(s.bookmarked, true, "bookmarked");
});

await check("the post now shows reblogged, favourited, bookmarked", async () => {
  const s = await masto.v1.statuses.$select(bobPost.id).fetch();
  equal(s.reblogged, true, "reblogged");
  equal(s.favourited, true, "favourited");
  equal(s.bookmarked, true, "bookmarked");
  assert(s.reblogsCount >= 1, `reblogs_count ${s.reblogsCount}`);
});

await check("bookmarks and favourites lists hold it", async () => {
  includes(await masto.v1.bookmarks.list({ limit: 20 }), (s) => s.id === bobPost.id, "bookmarks");
  includes(await masto.v1.favourites.list({ limit: 20 }), (s) => s.id === bobPost.id, "favourites");
});

const more = await check("post 5 more statuses for pagination", async () => {
  const out = [];
  for (let i = 1; i <= 5; i++) out.push(await masto.v1.statuses.create({ status: `page filler ${i} ${tag}` }));
  return out;
});

/** collect walks a masto.js paginator page by page. */
async function collect(paginator, maxPages = 30) {
  const pages = [];
  for await (const page of paginator) {
    pages.push(page);
    if (page.length === 0 || pages.length >= maxPages) break;
  }
  return pages;
}

await check("home timeline, paginated 3 at a time (masto paginator follows Link headers)", async () => {
  const want = [post.id, reply.id, bobPost.id, ...more.map((s) => s.id)];
  await eventually(async () => {
    const pages = await collect(masto.v1.timelines.home.list({ limit: 3 }));
    const ids = pages.flat().map((s) => s.id);
    for (const [i, p] of pages.entries()) assert(p.length <= 3, `page ${i} has ${p.length} entries (limit 3)`);
    assert(pages.length >= 3, `only ${pages.length} page(s) for ${ids.length} statuses`);
    assertNewestFirst(ids, "home timeline");
    for (const id of want) assert(ids.includes(id), `home timeline lacks status ${id} (has ${ids.join(",")})`);
  });
});

await check("home timeline with max_id", async () => {
  const first = await masto.v1.timelines.home.list({ limit: 2 });
  equal(first.length, 2, "first page size");
  const next = await masto.v1.timelines.home.list({ limit: 2, maxId: first[1].id });
  assert(next.length > 0, "second page is empty");
  for (const s of next) assert(BigInt(s.id) < BigInt(first[1].id), `max_id page has ${s.id} ≥ ${first[1].id}`);
});

await check("public timeline (local), paginated", async () => {
  const pages = await collect(masto.v1.timelines.public.list({ limit: 4, local: true }));
  const statuses = pages.flat();
  assertNewestFirst(statuses.map((s) => s.id), "public timeline");
  for (const id of [post.id, bobPost.id, more[4].id]) includes(statuses, (s) => s.id === id, `public timeline status ${id}`);
  for (const s of statuses) assert(s.visibility === "public", `public timeline has a ${s.visibility} status ${s.id}`);
});

const bobReply = await check("bob replies in the thread, mentioning me", async () => {
  const s = await bob.v1.statuses.create({ status: `@${user} nice thread ${tag}`, inReplyToId: reply.id });
  includes(s.mentions, (m) => m.id === me.id, "mentions");
  return s;
});

await check("context of a thread (ancestors and descendants)", async () => {
  const c = await masto.v1.statuses.$select(reply.id).context.fetch();
  includes(c.ancestors, (s) => s.id === post.id, "ancestors of the reply");
  includes(c.descendants, (s) => s.id === bobReply.id, "descendants of the reply");
  const top = await masto.v1.statuses.$select(post.id).context.fetch();
  equal(top.ancestors.length, 0, "ancestors of the first post");
  const ids = top.descendants.map((s) => s.id);
  assert(ids.indexOf(reply.id) >= 0 && ids.indexOf(reply.id) < ids.indexOf(bobReply.id), `descendants in thread order: ${ids}`);
});

// ---------- 3. follow, unfollow, relationships, locked accounts ----------

await check("unfollow bob, relationship says not following", async () => {
  const r = await masto.v1.accounts.$select(bobMe.id).unfollow();
  equal(r.following, false, "following after unfollow");
  const [rel] = await masto.v1.accounts.relationships.fetch({ id: [bobMe.id] });
  equal(rel.following, false, "relationships after unfollow");
});

await check("follow bob again", async () => {
  const r = await masto.v1.accounts.$select(bobMe.id).follow();
  equal(r.following, true, "following");
});

await check("bob follows me, likes my post (for notifications)", async () => {
  const r = await bob.v1.accounts.$select(me.id).follow();
  equal(r.following, true, "bob following me");
  const s = await bob.v1.statuses.$select(post.id).favourite();
  equal(s.favourited, true, "bob's like");
  const [rel] = await masto.v1.accounts.relationships.fetch({ id: [bobMe.id] });
  equal(rel.followedBy, true, "followed_by");
});

await check("lock my account (update_credentials locked=true)", async () => {
  const a = await masto.v1.accounts.updateCredentials({ locked: true });
  equal(a.locked, true, "locked");
  const again = await masto.v1.accounts.verifyCredentials();
  equal(again.locked, true, "locked after reload");
});

await check("carol follows my locked account → a request", async () => {
  const r = await carol.v1.accounts.$select(me.id).follow();
  equal(r.following, false, "following before approval");
  equal(r.requested, true, "requested");
});

await check("follow_requests lists carol, a follow_request notification says so; authorize", async () => {
  const isRequest = (n) => n.type === "follow_request" && n.account.id === carolMe.id;
  await eventually(async () => includes(await masto.v1.notifications.list({ limit: 40 }), isRequest, "follow_request notification"));
  const reqs = await masto.v1.followRequests.list();
  includes(reqs, (a) => a.id === carolMe.id, "follow requests");
  const r = await masto.v1.followRequests.$select(carolMe.id).authorize();
  equal(r.followedBy, true, "followed_by after authorize");
  const [rel] = await carol.v1.accounts.relationships.fetch({ id: [me.id] });
  equal(rel.following, true, "carol following after approval");
  equal(rel.requested, false, "carol requested after approval");
  const left = await masto.v1.followRequests.list();
  assert(!left.some((a) => a.id === carolMe.id), "request still listed after authorize");
  // As on Mastodon, the request's notification goes with the request.
  const ns = await masto.v1.notifications.list({ limit: 40 });
  assert(!ns.some(isRequest), "follow_request notification still there after authorize");
});

// ---------- 4. edit, history, delete and redraft ----------

await check("edit a status (PUT) and read its history", async () => {
  const e = await masto.v1.statuses.$select(post.id).update({ status: `Hello from masto.js, edited #${tag}` });
  equal(e.id, post.id, "id");
  assert(e.content.includes("edited"), `content after edit: ${e.content}`);
  assert(e.editedAt, "edited_at not set");
  const history = await masto.v1.statuses.$select(post.id).history.list();
  assert(history.length >= 2, `history has ${history.length} entries`);
  assert(history[0].content.includes("Hello from masto.js") && !history[0].content.includes("edited"), `first version: ${history[0].content}`);
  assert(history.at(-1).content.includes("edited"), `last version: ${history.at(-1).content}`);
  const src = await masto.v1.statuses.$select(post.id).source.fetch();
  equal(src.text, `Hello from masto.js, edited #${tag}`, "source text");
});

await check("delete a status; the response carries text for redraft; then 404", async () => {
  const text = `Delete me, then redraft ${tag}`;
  const s = await masto.v1.statuses.create({ status: text });
  const d = await masto.v1.statuses.$select(s.id).remove();
  equal(d.id, s.id, "deleted id");
  equal(d.text, text, "text for redraft");
  let status = 0;
  try {
    await masto.v1.statuses.$select(s.id).fetch();
  } catch (e) {
    status = e.statusCode;
  }
  equal(status, 404, "status of fetching a deleted post");
});

// ---------- 4b. media: upload with alt text, attach, edit, redraft ----------

const media = await check("upload an image with alt text and focus (v2.media.create)", async () => {
  const m = await masto.v2.media.create({
    file: new Blob([png(900, 600, [30, 120, 200])], { type: "image/png" }),
    description: "a blue rectangle",
    focus: "0.1,-0.2",
  });
  equal(m.type, "image", "type");
  equal(m.description, "a blue rectangle", "description");
  equal(m.meta?.original?.width, 900, "meta.original.width");
  equal(m.meta?.small?.width, 640, "meta.small.width");
  assert(m.blurhash, "no blurhash");
  assert(m.url && m.previewUrl, `url ${m.url}, preview_url ${m.previewUrl}`);
  const file = await fetch(m.url);
  equal(file.status, 200, "GET of the file");
  equal(file.headers.get("content-type"), "image/png", "the file's Content-Type");
  return m;
});

await check("update its alt text (v1.media.update), then post it (media_ids)", async () => {
  const m = await masto.v1.media.$select(media.id).update({ description: "a blue rectangle, edited" });
  equal(m.description, "a blue rectangle, edited", "description after update");
  const s = await masto.v1.statuses.create({ status: `With a picture ${tag}`, mediaIds: [media.id] });
  equal(s.mediaAttachments.length, 1, "attachments");
  equal(s.mediaAttachments[0].id, media.id, "attachment id");
  equal(s.mediaAttachments[0].description, "a blue rectangle, edited", "alt text on the post");
  const seen = await bob.v1.statuses.$select(s.id).fetch();
  equal(seen.mediaAttachments[0]?.url, s.mediaAttachments[0].url, "bob sees the same file");
  const e = await masto.v1.statuses.$select(s.id).update({ status: `With a picture, edited ${tag}`, mediaIds: [media.id],
    mediaAttributes: [{ id: media.id, description: "alt text changed in an edit" }] });
  equal(e.mediaAttachments[0]?.description, "alt text changed in an edit", "alt text after the edit");
  const d = await masto.v1.statuses.$select(s.id).remove();
  equal(d.mediaAttachments[0]?.id, media.id, "the deleted post's media, for redraft");
  const again = await masto.v1.statuses.create({ status: `Redrafted ${tag}`, mediaIds: [media.id] });
  equal(again.mediaAttachments[0]?.id, media.id, "the media re-used by the redraft");
});

await check("an avatar through update_credentials", async () => {
  const a = await masto.v1.accounts.updateCredentials({ avatar: new Blob([png(500, 500, [200, 40, 40])], { type: "image/png" }) });
  assert(!a.avatar.endsWith("missing.png"), `avatar ${a.avatar}`);
  equal((await fetch(a.avatar)).status, 200, "GET of the avatar");
});

await check("a file that is not an image is refused with 422 and a reason", async () => {
  let status = 0, message = "";
  try {
    await masto.v2.media.create({ file: new Blob(["just text"], { type: "image/png" }) });
  } catch (e) {
    status = e.statusCode;
    message = e.message;
  }
  equal(status, 422, "status");
  assert(/type/.test(message), `message: ${message}`);
});

// ---------- 5. notifications ----------

await check("notifications: mention, favourite, follow", async () => {
  await eventually(async () => {
    const ns = await masto.v1.notifications.list({ limit: 40 });
    includes(ns, (n) => n.type === "mention" && n.status?.id === bobReply.id && n.account.id === bobMe.id, "mention notification");
    includes(ns, (n) => n.type === "favourite" && n.status?.id === post.id && n.account.id === bobMe.id, "favourite notification");
    includes(ns, (n) => n.type === "follow" && n.account.id === bobMe.id, "follow notification");
    assertNewestFirst(ns.map((n) => n.id), "notifications");
  });
  const only = await masto.v1.notifications.list({ types: ["mention"] });
  assert(only.length > 0 && only.every((n) => n.type === "mention"), `types[]=mention gave ${only.map((n) => n.type)}`);
});

// ---------- 6. streaming over WebSocket ----------

// One WebSocket, two subscriptions on it (masto.js multiplexes them), as
// Elk and Phanpy keep the home and local timelines live.
const streaming = createStreamingAPIClient({
  streamingApiUrl: instance.configuration.urls.streaming,
  accessToken: token?.accessToken, // sent as Sec-WebSocket-Protocol, as masto.js does
  retry: 3,
});
const streamErrors = [];
function readInto(sub, box) {
  return (async () => {
    try {
      for await (const ev of sub) box.push(ev);
    } catch (e) {
      streamErrors.push(e.message);
    }
  })();
}
const userBox = new EventBox();
const localBox = new EventBox();
const userSub = streaming.user.subscribe();
const localSub = streaming.public.local.subscribe();
const readers = [readInto(userSub, userBox), readInto(localSub, localBox)];
/** streamCheck is check, adding what the stream reported to a failure. */
const streamCheck = (name, fn) =>
  check(name, async () => {
    try {
      return await fn();
    } catch (e) {
      if (streamErrors.length > 0) e.message += `; the stream said: ${streamErrors.join("; ")}`;
      throw e;
    }
  });

await check("streaming: WebSocket connects, subscribes to user and public:local", async () => {
  const wsURL = `${instance.configuration.urls.streaming}/api/v1/streaming`;
  try {
    await withTimeout(streaming.prepare(), 10000, `WebSocket connection to ${wsURL}`);
  } catch (e) {
    const probe = await probeWebSocket(wsURL, { "Sec-WebSocket-Protocol": token.accessToken });
    throw new Error(`${e.message}; a handshake by hand: ${probe}`);
  }
  assert(streamErrors.length === 0, `stream errors: ${streamErrors.join("; ")}`);
  // bob's public posts reach both: the user stream (I follow bob) and public:local.
  const n = await warmUp(async (i) => (await bob.v1.statuses.create({ status: `warm-up ${i} ${tag}`, visibility: "public" })).id, [userBox, localBox]);
  if (n > 1) console.log(`      (the subscriptions delivered from warm-up post ${n} on)`);
});

await streamCheck("streaming: user stream delivers an update (a followed account posts) and a notification (a mention)", async () => {
  const s = await bob.v1.statuses.create({ status: `Streamed to followers ${tag}` });
  const up = await userBox.waitFor((e) => e.event === "update" && e.payload?.id === s.id, 15000, "update event for bob's new post");
  assert(up.stream.includes("user"), `stream of the update: ${up.stream}`);
  equal(up.payload.account.id, bobMe.id, "update author");
  const m = await bob.v1.statuses.create({ status: `@${user} are you streaming? ${tag}` });
  const n = await userBox.waitFor((e) => e.event === "notification" && e.payload?.status?.id === m.id, 15000, "notification event for the mention");
  equal(n.payload.type, "mention", "notification type");
  equal(n.payload.account.id, bobMe.id, "notification account");
});

await streamCheck("streaming: public:local on the same socket delivers carol's public post, then its delete", async () => {
  const s = await carol.v1.statuses.create({ status: `Local and public ${tag}`, visibility: "public" });
  const up = await localBox.waitFor((e) => e.event === "update" && e.payload?.id === s.id, 15000, "update event on public:local");
  assert(up.stream.includes("public:local"), `stream of the update: ${up.stream}`);
  await carol.v1.statuses.$select(s.id).remove();
  await localBox.waitFor((e) => e.event === "delete" && e.payload === s.id, 15000, "delete event on public:local");
});

userSub.unsubscribe();
localSub.unsubscribe();
streaming.close();
await Promise.race([Promise.all(readers), sleep(1000)]);

finish("masto.js");
