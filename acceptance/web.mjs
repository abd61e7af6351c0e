// Browser checks of weft's web app in a real headless Chromium, driven with
// playwright-core (no browser download: Debian's chromium package). Run by
// web_test.go (TestWebApp), which starts two weft servers that federate over
// loopback and creates one member with the admin command:
//
//   ACCEPT_URL, ACCEPT_URL_B   the two servers, http://127.0.0.1:PORT
//   ACCEPT_PASSWORD            the password of every account
//   ACCEPT_MEMBER              a member of A made by `weft admin user create`
//   ACCEPT_CHROMIUM            the browser (default /usr/bin/chromium)
//   ACCEPT_SCREENSHOTS         where the screenshots go (default acceptance/screenshots)
//
// With JavaScript on: alice and bob sign up on A through the form, the
// composer's counter is checked against the server's way of counting,
// alice posts a two-part thread and a photo with its description, bob
// follows her, sees it in his home feed, likes
// it in place (and unlikes and likes again), replies, signs out and in
// again; alice sees the reply and the notifications, turns fediverse
// sharing on, finds carol (who signed up on B) with the search, follows her
// and sees carol's new post arrive; bob, whose sharing is off, is sent to
// the switch instead. With JavaScript off the member signs in and does the
// core flow with plain form round trips: a thread, a follow, a like, a
// reply, sign out. No page visited with JavaScript on may log an error or a
// CSP violation. Last, screenshots of the main pages at phone and desktop
// widths, whose controls must all have labels and images alt texts.
//
// Elements are found by role and accessible name (getByRole, getByLabel),
// so a missing or wrong label fails a check. Every check prints "ok" or
// "FAIL"; the first failure exits 1 (ACCEPT_KEEP_GOING=1 runs all).

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { assert, check, env, equal, finish, png, sleep } from "./lib.mjs";

const urlA = env("ACCEPT_URL");
const urlB = env("ACCEPT_URL_B");
const password = env("ACCEPT_PASSWORD");
const member = env("ACCEPT_MEMBER");
const hostB = new URL(urlB).host; // carol's server, as in @carol@127.0.0.1:PORT
const shots = process.env.ACCEPT_SCREENSHOTS || join(dirname(fileURLToPath(import.meta.url)), "screenshots");
const tag = Date.now().toString(36); // marks this run's posts
// axe-core (npm) checks accessibility in the page; it is evaluated through
// the DevTools protocol, which the page's CSP does not apply to.
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// Screenshots of failures of an earlier run would mislead.
for (const f of existsSync(shots) ? readdirSync(shots) : []) if (/^failure-\d+\.png$/.test(f)) rmSync(join(shots, f));

const phone = { width: 390, height: 844 };
const desktop = { width: 1440, height: 900 };
const stepTimeout = 10000; // one action or wait
const federationTimeout = 20000; // a post from B arriving on A

const browser = await check("launch headless Chromium", () =>
  chromium.launch({ executablePath: process.env.ACCEPT_CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] }),
);

// ---------- console errors and CSP violations ----------

// Every page of a JavaScript-on context reports what it logs as an error,
// its uncaught exceptions and the Content-Security-Policy violations it
// sees; the last check lists them all.
const problems = [];
const faviconMissing = new Set();
// The pages open now, for a failure's screenshots.
const open = new Set();

async function newContext({ js = true, viewport = desktop, storageState, mobile = false } = {}) {
  const ctx = await browser.newContext({
    javaScriptEnabled: js,
    viewport,
    storageState,
    isMobile: mobile,
    hasTouch: mobile,
    deviceScaleFactor: mobile ? 2 : 1,
    locale: "en-GB",
    timezoneId: "Europe/Berlin",
  });
  ctx.setDefaultTimeout(stepTimeout);
  ctx.on("page", (page) => {
    open.add(page);
    page.on("close", () => open.delete(page));
  });
  if (js) {
    // Playwright's init scripts are not subject to the page's CSP.
    await ctx.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile || "?"}:${e.lineNumber})`),
      );
    });
    ctx.on("page", watch);
  }
  return ctx;
}

function watch(page) {
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const where = msg.location()?.url;
    // The server has no favicon yet: Chromium's own request for one fails
    // on every page. Cosmetic, so noted once instead of failing the run.
    if (where && new URL(where).pathname === "/favicon.ico") {
      faviconMissing.add(new URL(where).origin);
      return;
    }
    // A page's own HTTP status (the 422 of a refused form, say) is logged
    // too; the checks judge the page itself. Its resources must all load.
    if (where === page.url() && msg.text().startsWith("Failed to load resource")) return;
    problems.push(`${page.url()}: console error: ${msg.text()}${where && where !== page.url() ? ` (${where})` : ""}`);
  });
  page.on("pageerror", (err) => problems.push(`${page.url()}: uncaught ${err.name}: ${err.message}`));
}

/** navigations counts a page's top-level navigations (a reload, a form post). */
function countNavigations(page) {
  const n = { count: 0 };
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) n.count++;
  });
  return n;
}

// ---------- helpers ----------

/**
 * step is check with a record of the browser on failure: each open page's
 * URL, the start of its text, and a screenshot (failure-N.png).
 */
let failures = 0;
function step(name, fn) {
  return check(name, async () => {
    try {
      return await fn();
    } catch (e) {
      for (const page of open) {
        try {
          const file = join(shots, `failure-${++failures}.png`);
          mkdirSync(shots, { recursive: true });
          await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
          const text = (await page.locator("body").innerText({ timeout: 2000 })).replace(/\s+/g, " ").slice(0, 300);
          console.log(`      open page ${page.url()} (screenshot ${file}): ${text}`);
        } catch {}
      }
      throw e;
    }
  });
}

const path = (page) => new URL(page.url()).pathname;
/** at waits until the page is at pathname (after a click on a link). */
const at = (page, pathname) => page.waitForURL((u) => u.pathname === pathname);
const escapeRE = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** post is the article of a post on the page, found by its text. */
const post = (scope, text) => scope.getByRole("article").filter({ hasText: text });

async function signUp(page, base, username) {
  await page.goto(base + "/");
  await page.getByRole("link", { name: "Create an account" }).click();
  await at(page, "/auth/sign_up");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(`${username}@example.com`);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Password again").fill(password);
  await page.getByRole("checkbox", { name: /I accept the rules/ }).check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL((u) => u.pathname === "/settings/fediverse");
  equal(new URL(page.url()).search, "?welcome=1", "the sign-up lands on the welcome page with");
  await page.getByText("Welcome! One choice before you start").waitFor();
  await page.getByRole("heading", { name: "Fediverse sharing is off" }).waitFor();
}

async function signIn(page, base, login) {
  await page.goto(base + "/");
  await page.getByRole("link", { name: "Sign in", exact: true }).first().click();
  await at(page, "/auth/sign_in");
  await page.getByLabel("Email or username").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await at(page, "/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home", exact: true }).waitFor();
}

/**
 * menu opens the More menu of the layout (Fediverse, Saved, Settings, Sign
 * out…): a <details> that works with JavaScript off too.
 */
async function more(page) {
  const menu = page.locator("details.more-menu");
  if (!(await menu.evaluate((d) => d.open))) await menu.locator("summary").click();
  return menu;
}

async function signOut(page) {
  await (await more(page)).getByRole("button", { name: "Sign out" }).click();
}

/** fillPart writes text into the composer's part whose legend is given. */
async function fillPart(page, legend, text) {
  await page.getByRole("group", { name: legend, exact: true }).getByLabel("Text", { exact: true }).fill(text);
}

/** turnSharingOn presses the switch on /settings/fediverse. */
async function turnSharingOn(page) {
  if (path(page) !== "/settings/fediverse") await page.goto(new URL("/settings/fediverse", page.url()).href);
  await page.getByRole("button", { name: "Turn fediverse sharing on" }).click();
  await page.getByText("Saved. Fediverse sharing is on.").waitFor();
  await page.getByRole("heading", { name: "Fediverse sharing is on" }).waitFor();
  await page.getByRole("button", { name: "Turn fediverse sharing off" }).waitFor();
}

/**
 * untilVisible reloads the page until locator shows (for what federation
 * delivers in the background), at most timeout ms.
 */
async function untilVisible(page, locator, what, timeout = federationTimeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await locator.first().isVisible()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not there after ${timeout / 1000} s of reloading ${page.url()}`);
    await sleep(500);
    await page.reload();
  }
}

// ---------- (a) JavaScript on: instance A ----------

const aliceCtx = await newContext();
const alice = await aliceCtx.newPage();
const bobCtx = await newContext();
await bobCtx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: urlA });
const bob = await bobCtx.newPage();

await step("the landing page shows visitors how to join (links Create an account, Sign in), under a strict CSP", async () => {
  const res = await alice.goto(urlA + "/");
  const csp = res.headers()["content-security-policy"] ?? "";
  assert(/script-src 'self'(;|$)/.test(csp), `Content-Security-Policy ${JSON.stringify(csp)}: want script-src 'self' only`);
  await alice.getByRole("link", { name: "Create an account" }).waitFor();
  await alice.getByRole("link", { name: "Sign in", exact: true }).first().waitFor();
  await alice.getByRole("heading", { name: "Latest public posts" }).waitFor();
});

await step("alice signs up through the form and lands on the fediverse-sharing welcome", () => signUp(alice, urlA, "alice"));

await step("alice goes on to her home feed (Not now), which is empty and has the composer", async () => {
  await alice.getByRole("link", { name: /Not now/ }).click();
  await at(alice, "/");
  await alice.getByRole("form", { name: "New post" }).waitFor();
  // The home composer is one line ("What's new?") until it is used.
  assert(!(await alice.getByLabel("Who can see it").isVisible()), "the folded composer shows its options");
  await alice.getByPlaceholder("What's new?").click();
  await alice.getByLabel("Who can see it").waitFor();
  await alice.getByText("Nothing here yet.").waitFor();
});

await step("the counter counts as the server does (a link is 23 characters) and Post waits while a post is too long", async () => {
  const area = alice.getByRole("group", { name: "New post", exact: true }).getByLabel("Text", { exact: true });
  const link = "https://example.com/" + "a".repeat(100); // 120 characters, counted as 23
  const words = "w".repeat(494 - 23 - 1);
  await area.fill(`${words} ${link}`);
  await alice.getByText("6 characters left").waitFor();
  const postButton = alice.getByRole("button", { name: "Post", exact: true });
  assert(await postButton.isEnabled(), "Post is disabled under the limit");
  await area.fill(`${words}xxxxxxxxxxxxxxx ${link}`);
  await alice.getByText("9 characters over the limit: shorten it to post").waitFor();
  assert(await postButton.isDisabled(), "Post is enabled over the limit");
  await area.fill("");
  assert(await postButton.isEnabled(), "Post stays disabled once the text is short again");
});

const part1 = `The first part of alice's thread ${tag}`;
const part2 = `And the second part ${tag}`;
const thread = await step("alice posts a two-part thread (Add to thread adds Part 2 in place, no page load)", async () => {
  const navs = countNavigations(alice);
  await fillPart(alice, "New post", part1);
  await alice.getByRole("button", { name: "Add to thread" }).click();
  await alice.getByRole("group", { name: "Part 2", exact: true }).waitFor();
  equal(navs.count, 0, "page loads when adding a part");
  equal(path(alice), "/", "the page after Add to thread");
  // The new part's textarea has the focus and its own label and counter.
  const area = alice.getByRole("group", { name: "Part 2", exact: true }).getByLabel("Text", { exact: true });
  assert(await area.evaluate((el) => el === document.activeElement), "Part 2's text box does not have the focus");
  // A part can go again: add a third, remove the second; the third becomes Part 2.
  await alice.getByRole("group", { name: "Part 2", exact: true }).getByLabel("Text", { exact: true }).fill("a part that goes");
  await alice.getByRole("button", { name: "Add to thread" }).click();
  await alice.getByRole("group", { name: "Part 3", exact: true }).waitFor();
  await alice.getByRole("group", { name: "Part 2", exact: true }).getByRole("button", { name: "Remove this part" }).click();
  equal(await alice.getByRole("group", { name: "Part 3", exact: true }).count(), 0, "parts named Part 3 after removing one of three");
  equal(await alice.getByRole("group", { name: "Part 2", exact: true }).getByLabel("Text", { exact: true }).inputValue(), "", "Part 2 after removing the one before");
  equal(await alice.locator("input[type=file][name=file-2]").count(), 1, "file fields numbered again");
  equal(navs.count, 0, "page loads when removing a part");
  await fillPart(alice, "Part 2", part2);
  // Move up swaps a part with the one before it, in place, each keeping its text.
  await alice.getByRole("button", { name: "Add to thread" }).click();
  await fillPart(alice, "Part 3", "a part that moves");
  await alice.getByRole("group", { name: "Part 3", exact: true }).getByRole("button", { name: "Move up" }).click();
  equal(await alice.getByRole("group", { name: "Part 2", exact: true }).getByLabel("Text", { exact: true }).inputValue(), "a part that moves", "Part 2 after moving Part 3 up");
  equal(await alice.getByRole("group", { name: "Part 3", exact: true }).getByLabel("Text", { exact: true }).inputValue(), part2, "Part 3 after moving Part 3 up");
  await alice.getByRole("group", { name: "Part 2", exact: true }).getByRole("button", { name: "Remove this part" }).click();
  equal(await alice.getByRole("group", { name: "Part 2", exact: true }).getByLabel("Text", { exact: true }).inputValue(), part2, "Part 2 after removing the moved part");
  equal(navs.count, 0, "page loads when moving a part");
  await alice.getByRole("group", { name: "Part 2", exact: true }).getByText(`${500 - [...part2].length} characters left`).waitFor();
  await alice.getByRole("button", { name: "Post", exact: true }).click();
  await alice.waitForURL(/\/@alice\/\d+$/);
  await post(alice, part1).first().waitFor();
  // The second part answers the first: it follows it in one column, with
  // no "Replying to" line, not among the replies.
  const rest = alice.getByRole("region", { name: "The rest of the thread" });
  await post(rest, part2).waitFor();
  equal(await post(rest, part2).getByText("Replying to").count(), 0, "Replying to lines on the thread's second part");
  return alice.url();
});

await step("alice adds a photo in the composer: choosing it uploads it and shows its preview; Post asks for a description; with one it posts; ALT shows it, a click opens the photo large", async () => {
  await alice.goto(urlA + "/");
  const text = `A photo of the harbour ${tag}`;
  await alice.getByRole("form", { name: "New post" }).getByLabel("Text", { exact: true }).first().fill(text);
  await alice.getByLabel("Photos or video").first().setInputFiles({ name: "harbour.png", mimeType: "image/png", buffer: png(64, 48, [30, 90, 200]) });
  const describe = alice.getByLabel("Description for people who cannot see it");
  await describe.waitFor();
  equal(await alice.getByRole("form", { name: "New post" }).getByLabel("Text", { exact: true }).first().inputValue(), text, "the text after attaching");
  await alice.getByRole("button", { name: "Post", exact: true }).click();
  await alice.getByText("Some photos have no description").waitFor();
  await describe.fill("Blue water under a grey sky");
  // A click on the preview chooses what cropped previews keep in view.
  await alice.locator("img[data-focus-picker]").first().click({ position: { x: 4, y: 4 } });
  const focus = alice.getByLabel("Keep in view when cropped");
  equal(await focus.evaluate((s) => s.selectedOptions[0].textContent), "The point you chose", "the focal point chosen by a click");
  assert(/^-0\.\d\d,0\.\d\d$/.test(await focus.inputValue()), `the point near the top left: ${await focus.inputValue()}`);
  await alice.getByRole("button", { name: "Post", exact: true }).click();
  await at(alice, "/");
  await post(alice, text).getByRole("img", { name: "Blue water under a grey sky" }).waitFor();
  // The ALT badge shows the description; a click on the photo opens it
  // large over the page, Escape closes it.
  const p = post(alice, text);
  assert(!(await p.getByText("Blue water under a grey sky", { exact: true }).isVisible()), "the description shows before ALT is pressed");
  await p.locator("details.alt summary").click();
  await p.getByText("Blue water under a grey sky", { exact: true }).waitFor();
  const navs = countNavigations(alice);
  await p.getByRole("img", { name: "Blue water under a grey sky" }).click();
  const box = alice.getByRole("dialog", { name: "Photo" });
  await box.getByRole("img", { name: "Blue water under a grey sky" }).waitFor();
  equal(await box.getByRole("button", { name: "Next photo" }).isVisible(), false, "Next photo for a post of one photo");
  await alice.keyboard.press("Escape");
  await box.waitFor({ state: "hidden" });
  equal(navs.count, 0, "page loads when opening the photo");
});

await step("bob signs up in another browser context", () => signUp(bob, urlA, "bob"));

await step("bob follows alice from her profile (Follow turns to Unfollow)", async () => {
  await bob.goto(urlA + "/@alice");
  await bob.getByRole("heading", { name: "alice", level: 1 }).waitFor();
  await bob.getByRole("link", { name: "Posts", exact: true }).waitFor();
  await bob.getByRole("link", { name: "Replies", exact: true }).waitFor();
  await bob.getByRole("link", { name: "Media", exact: true }).waitFor();
  await post(bob, part1).waitFor();
  await bob.getByRole("button", { name: "Follow", exact: true }).click();
  await bob.getByRole("button", { name: "Unfollow" }).waitFor();
  equal(path(bob), "/@alice", "back on the profile");
  // Mute, Block and Report wait in the profile's menu.
  const menu = bob.locator("details.profile-menu");
  await menu.locator("summary").click();
  await menu.getByRole("link", { name: "Mute @alice" }).waitFor();
  await menu.getByRole("link", { name: "Block @alice" }).waitFor();
  await menu.getByRole("link", { name: "Report @alice" }).waitFor();
  await bob.keyboard.press("Escape");
});

await step("bob sees alice's thread in his home feed", async () => {
  await bob.getByRole("link", { name: "Home", exact: true }).click();
  await at(bob, "/");
  await untilVisible(bob, post(bob, part1), "alice's thread in bob's home feed", 15000);
});

await step("bob likes it: the button turns to Liked with the count, without a page load", async () => {
  const navs = countNavigations(bob);
  const before = bob.url();
  const p = post(bob, part1);
  await p.getByRole("button", { name: /^Like( \d+)?$/ }).click();
  const liked = p.getByRole("button", { name: /^Liked/ });
  await liked.waitFor();
  equal(await liked.getAttribute("aria-pressed"), "true", "aria-pressed of the Liked button");
  equal((await liked.innerText()).replace(/\s+/g, " ").trim(), "Liked 1", "the button's text");
  equal(bob.url(), before, "the URL after liking");
  // The button now posts to unlike, and back again.
  await liked.click();
  const like = p.getByRole("button", { name: /^Like( \d+)?$/ });
  await like.waitFor();
  equal(await like.getAttribute("aria-pressed"), "false", "aria-pressed after unliking");
  equal((await like.innerText()).trim(), "Like", "the button's text after unliking");
  await like.click();
  await liked.waitFor();
  equal(navs.count, 0, "page loads when liking, unliking and liking again");
  // The server keeps it: after a reload it still says Liked 1.
  await bob.reload();
  equal((await post(bob, part1).getByRole("button", { name: /^Liked/ }).innerText()).replace(/\s+/g, " ").trim(), "Liked 1", "after a reload");
});

const reply = `bob answers alice ${tag}`;
await step("bob replies on the post page (Reply link puts the cursor in Your reply, Post)", async () => {
  await post(bob, part1).getByRole("link", { name: /^Reply/ }).click();
  await bob.waitForURL((u) => u.href.split("#")[0] === thread);
  const box = bob.getByRole("group", { name: "Your reply" }).getByLabel("Text", { exact: true });
  await box.waitFor();
  await bob.waitForFunction(() => document.activeElement?.closest("#reply") !== null && document.activeElement.tagName === "TEXTAREA");
  await fillPart(bob, "Your reply", reply);
  await bob.getByRole("button", { name: "Post", exact: true }).click();
  await bob.waitForURL((u) => u.href.split("#")[0] === thread);
  await post(bob.getByRole("region", { name: "Replies" }), reply).waitFor();
});

await step("bob boosts alice's thread from the Repost menu: the count turns 1 in place, and alice's Activity badge counts it live", async () => {
  await alice.goto(urlA + "/settings/profile");
  const badge = alice.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Activity/ });
  const unread = async () => {
    const m = (await badge.textContent()).match(/(\d+)\+? unread/);
    return m && (await badge.locator("[data-unread]").isVisible()) ? Number(m[1]) : 0;
  };
  const before = await unread();
  const aliceNavs = countNavigations(alice);
  await bob.goto(thread);
  const navs = countNavigations(bob);
  const p = post(bob, part1).first();
  const repost = p.getByRole("group", { name: "Actions on this post" }).locator("details.repost");
  await repost.locator("summary").click();
  await repost.getByRole("link", { name: "Quote" }).waitFor();
  await repost.getByRole("button", { name: "Boost" }).click();
  await repost.locator("summary", { hasText: "1" }).waitFor();
  equal((await repost.locator("summary").innerText()).replace(/\s+/g, " ").trim(), "Repost 1 boost", "the Repost button's text");
  assert(!(await repost.evaluate((d) => d.open)), "the Repost menu stays open after boosting");
  equal(navs.count, 0, "page loads when boosting");
  await alice.waitForFunction((n) => {
    const b = document.querySelector("[data-unread]");
    return b && !b.hidden && Number.parseInt(b.textContent, 10) === n + 1;
  }, before, { timeout: federationTimeout });
  equal(await unread(), before + 1, "alice's unread count after bob's boost");
  equal(aliceNavs.count, 0, "alice's page loads while the badge went up");
});

await step("bob copies a post's link from its More actions menu (Share would do the same without a share sheet), and mutes alice from it (a confirmation, a notice) and unmutes her", async () => {
  const p = post(bob, part1).first();
  const menu = p.locator("details.overflow");
  await menu.locator("summary", { hasText: "" }).and(bob.getByLabel("More actions")).click();
  await menu.getByRole("button", { name: "Save" }).waitFor();
  await menu.getByRole("button", { name: "Copy link" }).click();
  await bob.getByRole("status").filter({ hasText: "Link copied" }).waitFor();
  const copied = await bob.evaluate(() => navigator.clipboard.readText());
  equal(copied, thread, "the copied link");
  // Someone else's post: mute, block and report, no edit or delete.
  await menu.locator("summary").click();
  await menu.getByRole("link", { name: "Block @alice" }).waitFor();
  await menu.getByRole("link", { name: "Report" }).waitFor();
  equal(await menu.getByRole("link", { name: "Edit" }).count(), 0, "Edit on someone else's post");
  await bob.keyboard.press("Escape");
  assert(!(await menu.evaluate((d) => d.open)), "Escape leaves the menu open");
  // Mute asks first (as Mastodon does), then comes back with a notice;
  // Unmute on the profile undoes it.
  const back = bob.url();
  await menu.locator("summary").click();
  await menu.getByRole("link", { name: "Mute @alice" }).click();
  await bob.getByRole("heading", { name: "Mute @alice?" }).waitFor();
  await bob.getByRole("button", { name: "Mute", exact: true }).click();
  await bob.waitForURL((u) => u.pathname === new URL(back).pathname);
  await bob.getByRole("status").filter({ hasText: "Muted." }).waitFor();
  await bob.goto(urlA + "/@alice");
  await bob.getByRole("button", { name: "Unmute" }).click();
  await bob.locator("details.profile-menu summary").click();
  await bob.locator("details.profile-menu").getByRole("link", { name: "Mute @alice" }).waitFor();
  await bob.keyboard.press("Escape");
});

const sheetText = `written in the compose sheet ${tag}`;
await step("New post opens the composer in a sheet over the page; posting from it comes back to the same page", async () => {
  await alice.goto(urlA + "/@alice");
  const navs = countNavigations(alice);
  await alice.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New post" }).click();
  const sheet = alice.getByRole("dialog", { name: "New post" });
  await sheet.waitFor();
  equal(navs.count, 0, "page loads when opening the sheet");
  // Its icons are drawn: the page's sprite got the ones it lacked.
  for (const use of await sheet.locator("use").evaluateAll((us) => us.map((u) => u.getAttribute("href")))) {
    assert(await alice.evaluate((id) => document.querySelector(id) !== null, use), `the sheet's icon ${use} has no drawing on the page`);
  }
  const box = sheet.getByLabel("Text", { exact: true });
  assert(await box.evaluate((el) => el === document.activeElement), "the sheet's text box does not have the focus");
  await box.fill(sheetText);
  await sheet.getByText(`${500 - [...sheetText].length} characters left`).waitFor();
  await sheet.getByRole("button", { name: "Post", exact: true }).click();
  await at(alice, "/@alice");
  await post(alice, sheetText).waitFor();
  // Close (the cross) shuts it again.
  await alice.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New post" }).click();
  await sheet.waitFor();
  await sheet.getByRole("button", { name: "Close" }).click();
  await sheet.waitFor({ state: "hidden" });
});

await step("alice deletes that post from its More actions menu: a confirmation first, a notice after", async () => {
  const p = post(alice, sheetText).first();
  await p.locator("details.overflow summary").click();
  await p.getByRole("link", { name: "Edit" }).waitFor();
  await p.getByRole("link", { name: "Delete" }).click();
  await alice.getByRole("heading", { name: "Delete this post?" }).waitFor();
  await alice.getByRole("button", { name: "Delete", exact: true }).click();
  await at(alice, "/@alice");
  await alice.getByRole("status").filter({ hasText: "Your post was deleted" }).waitFor();
  equal(await post(alice, sheetText).count(), 0, "the deleted post on the profile");
});

await step("the composer suggests accounts while typing @al (arrow down, Enter inserts @alice)", async () => {
  await bob.goto(`${urlA}/`);
  const box = bob.getByRole("group", { name: "New post" }).getByLabel("Text", { exact: true });
  await box.click();
  await box.pressSequentially("hello @al", { delay: 20 });
  const option = bob.getByRole("option", { name: /alice/ });
  await option.waitFor({ timeout: 5000 });
  await box.press("ArrowDown");
  await box.press("Enter");
  const value = await box.inputValue();
  if (!value.startsWith("hello @alice ")) throw new Error(`after choosing the suggestion the text is ${JSON.stringify(value)}`);
});

await step("bob signs out, opens a members' page, signs in there and comes back to it", async () => {
  await signOut(bob);
  await bob.getByRole("link", { name: "Create an account" }).waitFor();
  await bob.goto(urlA + "/notifications");
  await at(bob, "/auth/sign_in");
  await bob.getByLabel("Email or username").fill("bob");
  await bob.getByLabel("Password").fill(password);
  await bob.getByRole("button", { name: "Sign in" }).click();
  await at(bob, "/notifications");
  await bob.getByRole("heading", { name: "Activity", level: 1 }).waitFor();
});

await step("alice sees bob's reply under her post", async () => {
  await alice.goto(thread);
  const r = post(alice.getByRole("region", { name: "Replies" }), reply);
  await r.waitFor();
  await r.getByText("Replying to @alice@").waitFor();
  await post(alice, part1).first().getByRole("link", { name: "Reply 2 replies" }).waitFor();
});

await step("alice's notifications: bob followed her, liked her post, replied to her", async () => {
  await alice.getByRole("link", { name: /^Activity( \d+\+? unread)?$/ }).click();
  await at(alice, "/notifications");
  for (const what of ["bob followed you", "bob liked your post", "bob replied to you"]) {
    const n = alice.getByRole("region", { name: what });
    await n.first().waitFor();
    await n.first().getByRole("link", { name: "bob" }).first().waitFor();
  }
});

const bobListed = `bob posts for the lists ${tag}`;
await step("alice follows bob back, makes a list from the More menu (a blank name is refused in words), adds bob and sees his new post in its feed", async () => {
  await alice.goto(urlA + "/@bob");
  await alice.getByRole("button", { name: "Follow", exact: true }).click();
  await alice.getByRole("button", { name: "Unfollow" }).waitFor();
  await (await more(alice)).getByRole("link", { name: "Lists", exact: true }).click();
  await at(alice, "/lists");
  await alice.getByRole("button", { name: "Create list" }).click(); // required: the browser stops it
  equal(path(alice), "/lists", "the page after submitting no name");
  await alice.getByLabel("New list").fill("   ");
  await alice.getByRole("button", { name: "Create list" }).click();
  await alice.getByText("Give the list a name.").waitFor();
  equal(await alice.getByLabel("New list").getAttribute("aria-invalid"), "true", "aria-invalid of the refused name");
  await alice.getByLabel("New list").fill("Friends");
  await alice.getByRole("button", { name: "Create list" }).click();
  await alice.waitForURL(/\/lists\/\d+\/edit$/);
  await alice.getByRole("button", { name: "Add bob to the list" }).click();
  await alice.getByRole("button", { name: "Remove bob from the list" }).waitFor();
  await alice.getByRole("link", { name: "See the list" }).click();
  await alice.getByRole("heading", { name: "Friends", level: 1 }).waitFor();
  // What bob posts now comes into the list's feed.
  await bob.goto(urlA + "/");
  await fillPart(bob, "New post", bobListed);
  await bob.getByRole("button", { name: "Post", exact: true }).click();
  await bob.waitForURL((u) => u.pathname === "/");
  await untilVisible(alice, post(alice, bobListed), "bob's new post in alice's list", 15000);
});

// ---------- (a) JavaScript on: following across servers ----------

await step("alice turns fediverse sharing on", () => turnSharingOn(alice));

const carolCtx = await newContext();
const carol = await carolCtx.newPage();
const carolFirst = `carol on the other server, before anyone follows ${tag}`;
await step("carol signs up on instance B, turns sharing on and posts", async () => {
  await signUp(carol, urlB, "carol");
  await turnSharingOn(carol);
  await carol.getByRole("link", { name: "Home", exact: true }).click();
  await at(carol, "/");
  await fillPart(carol, "New post", carolFirst);
  await carol.getByRole("button", { name: "Post", exact: true }).click();
  await carol.waitForURL((u) => u.pathname === "/");
  await post(carol, carolFirst).waitFor();
});

await step(`alice finds @carol@${hostB} with the search and opens her profile`, async () => {
  await alice.getByRole("link", { name: "Search", exact: true }).click();
  await at(alice, "/search");
  await alice.getByLabel("People, posts, hashtags — or @user@server and post links from other servers").fill(`@carol@${hostB}`);
  await alice.getByRole("button", { name: "Search" }).click();
  await alice.getByRole("heading", { name: "People" }).waitFor();
  await alice.getByRole("link", { name: "carol", exact: true }).click();
  await alice.waitForURL((u) => decodeURIComponent(u.pathname) === `/@carol@${hostB}`);
  await alice.getByRole("heading", { name: "carol", level: 1 }).waitFor();
  await alice.getByText(`@carol@${hostB}`).first().waitFor();
});

await step("bob, whose fediverse sharing is off, is told to turn it on to follow carol, with a link to the switch", async () => {
  await bob.goto(`${urlA}/@carol@${hostB}`);
  await bob.getByRole("button", { name: "Follow", exact: true }).click();
  await bob.getByRole("heading", { name: "Turn on fediverse sharing", level: 1 }).waitFor();
  await bob.getByRole("link", { name: "Fediverse sharing settings" }).waitFor();
  await bob.getByRole("link", { name: "Back" }).click();
  await bob.waitForURL((u) => decodeURIComponent(u.pathname) === `/@carol@${hostB}`);
  await bob.getByRole("button", { name: "Follow", exact: true }).waitFor();
});

await step("alice follows carol; carol's server accepts (Unfollow after reloads)", async () => {
  await alice.getByRole("button", { name: "Follow", exact: true }).click();
  await alice.getByRole("button", { name: /^(Unfollow|Cancel follow request)$/ }).waitFor();
  await untilVisible(alice, alice.getByRole("button", { name: "Unfollow", exact: true }), "the Accept from B");
});

const carolSecond = `carol again, now alice follows her ${tag}`;
await step("carol posts again on B", async () => {
  await carol.goto(urlB + "/");
  await fillPart(carol, "New post", carolSecond);
  await carol.getByRole("button", { name: "Post", exact: true }).click();
  await carol.waitForURL((u) => u.pathname === "/");
  await post(carol, carolSecond).waitFor();
});

await step("carol's post arrives in alice's home feed (via B)", async () => {
  await alice.goto(urlA + "/");
  const p = post(alice, carolSecond);
  await untilVisible(alice, p, "carol's post in alice's home feed");
  await p.getByText(`via ${hostB}`).waitFor();
});

await step("and in alice's Fediverse feed, which shows only posts from other servers", async () => {
  await (await more(alice)).getByRole("link", { name: "Fediverse", exact: true }).click();
  await at(alice, "/fediverse");
  await post(alice, carolSecond).waitFor();
  equal(await post(alice, part1).count(), 0, "alice's own posts in the Fediverse feed");
});

await step("the console watch works: it sees the CSP block an inline script", async () => {
  const isCSP = (p) => /Content Security Policy|CSP violation/.test(p);
  const seen = problems.length;
  await alice.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.weftInlineRan = true";
    document.body.append(s);
  });
  assert(!(await alice.evaluate(() => window.weftInlineRan)), "an inline script ran: the page's CSP allows it");
  for (let i = 0; i < 40 && !problems.slice(seen).some(isCSP); i++) await sleep(50);
  const added = problems.splice(seen);
  problems.push(...added.filter((p) => !isCSP(p)));
  assert(added.some(isCSP), "no console error about the blocked inline script: the watch would miss CSP violations");
});

// ---------- (b) JavaScript off: the core flow with form round trips ----------

const plainCtx = await newContext({ js: false });
const plain = await plainCtx.newPage();
const plainNavs = countNavigations(plain);

await step(`JS off: ${member} (made by the admin command) signs in through the form`, () => signIn(plain, urlA, member));

const plain1 = `${member} writes without JavaScript ${tag}`;
const plain2 = `part two, still without JavaScript ${tag}`;
await step("JS off: a two-part thread via Add to thread (the form comes back with Part 2)", async () => {
  await fillPart(plain, "New post", plain1);
  const before = plainNavs.count;
  await plain.getByRole("button", { name: "Add to thread" }).click();
  await plain.getByRole("group", { name: "Part 2", exact: true }).waitFor();
  assert(plainNavs.count > before, "Add to thread did not load a page");
  equal(await plain.getByRole("group", { name: "New post" }).getByLabel("Text", { exact: true }).inputValue(), plain1, "the first part after the round trip");
  await fillPart(plain, "Part 2", plain2);
  await plain.getByRole("button", { name: "Post", exact: true }).click();
  await plain.waitForURL(new RegExp(`/@${escapeRE(member)}/\\d+$`));
  await post(plain, plain1).first().waitFor();
  await post(plain.getByRole("region", { name: "The rest of the thread" }), plain2).waitFor();
});

await step("JS off: follow alice from her profile", async () => {
  await plain.goto(urlA + "/@alice");
  await plain.getByRole("button", { name: "Follow", exact: true }).click();
  await plain.getByRole("button", { name: "Unfollow" }).waitFor();
  equal(path(plain), "/@alice", "back on the profile");
});

await step("JS off: like alice's thread in the home feed (a page load, then Liked 2)", async () => {
  await plain.getByRole("link", { name: "Home", exact: true }).click();
  await at(plain, "/");
  const p = post(plain, part1);
  // The follow brings recent posts into the home feed in a job: reload
  // until it has run (under CI's race detector it can take a moment).
  await untilVisible(plain, p, "alice's thread in dave's home feed", 15000);
  const before = plainNavs.count;
  await p.getByRole("button", { name: /^Like( \d+)?$/ }).click();
  const liked = post(plain, part1).getByRole("button", { name: /^Liked/ });
  await liked.waitFor();
  assert(plainNavs.count > before, "liking did not load a page");
  equal(path(plain), "/", "back on");
  equal((await liked.innerText()).replace(/\s+/g, " ").trim(), "Liked 2", "the button's text");
});

const plainReply = `${member} replies without JavaScript ${tag}`;
await step("JS off: reply to alice's thread on its page", async () => {
  await post(plain, part1).getByRole("link", { name: /^Reply/ }).click();
  await plain.waitForURL((u) => u.href.split("#")[0] === thread);
  await fillPart(plain, "Your reply", plainReply);
  await plain.getByRole("button", { name: "Post", exact: true }).click();
  await plain.waitForURL((u) => u.href.split("#")[0] === thread);
  await post(plain.getByRole("region", { name: "Replies" }), plainReply).waitFor();
});

const plainPage = `${member} posts from the New post page ${tag}`;
await step("JS off: New post is a page of its own (/compose); posting goes back to where it was opened", async () => {
  await plain.goto(urlA + "/search");
  await plain.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New post" }).click();
  await at(plain, "/compose");
  await plain.getByRole("heading", { name: "New post", level: 1 }).waitFor();
  await fillPart(plain, "New post", plainPage);
  await plain.getByRole("button", { name: "Post", exact: true }).click();
  await at(plain, "/");
  await post(plain, plainPage).waitFor();
});

await step("JS off: sign out", async () => {
  await signOut(plain);
  await plain.waitForURL((u) => u.pathname === "/");
  await plain.getByRole("link", { name: "Create an account" }).waitFor();
});

await plainCtx.close();

// ---------- screenshots ----------

const aliceState = await aliceCtx.storageState();
const shotList = [];
const layoutNotes = [];
const overflowing = [];
const axeProblems = new Set();
const unlabeled = new Set();
await step(`screenshots of the main pages at phone and desktop widths in ${shots}`, async () => {
  mkdirSync(shots, { recursive: true });
  const pages = [
    ["home", urlA + "/"],
    ["post", thread],
    ["profile", urlA + "/@alice"],
    ["profile-remote", `${urlA}/@carol@${hostB}`],
    ["settings", urlA + "/settings/fediverse"],
    ["settings-sessions", urlA + "/settings/sessions"],
    ["notifications", urlA + "/notifications"],
    ["compose", urlA + "/compose"],
    ["saved", urlA + "/bookmarks"],
    ["search", urlA + "/search?q=alice"],
    ["explore", urlA + "/explore"],
    ["lists", urlA + "/lists"],
    ["follow-remote", urlA + "/remote_follow?acct=alice", { signedOut: true }],
    ["landing", urlA + "/", { signedOut: true }],
    ["sign-up", urlA + "/auth/sign_up", { signedOut: true }],
  ];
  const sizes = [
    ["phone", phone],
    ["desktop", desktop],
  ];
  // Both sizes at once, each with two pages: one with alice's cookies, one without.
  await Promise.all(
    sizes.map(async ([size, viewport]) => {
      const mobile = size === "phone";
      const signedIn = await (await newContext({ viewport, storageState: aliceState, mobile })).newPage();
      const signedOut = await (await newContext({ viewport, mobile })).newPage();
      for (const [name, url, opts] of pages) {
        const page = opts?.signedOut ? signedOut : signedIn;
        const res = await page.goto(url, { waitUntil: "load" });
        equal(res.status(), 200, `status of ${url}`);
        // A page wider than the screen scrolls sideways: noted (cosmetic).
        const wide = await page.evaluate(() => {
          const w = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= w) return null;
          const culprits = [...document.querySelectorAll("main *, header *")]
            .filter((e) => e.getBoundingClientRect().right > w + 1)
            .map((e) => e.tagName.toLowerCase() + [...e.classList].map((c) => "." + c).join("") + (e.textContent.trim() ? ` "${e.textContent.trim().replace(/\s+/g, " ").slice(0, 30)}"` : ""));
          return `${document.documentElement.scrollWidth} px wide in a ${w} px window (${culprits.slice(-3).join(", ")})`;
        });
        if (wide) layoutNotes.push(`${name} at ${size} width (${viewport.width} px): ${wide}`);
        if (wide && mobile) overflowing.push(`${name}: ${wide}`);
        // Signed in on a phone, the five destinations sit in a bar at the
        // bottom of the screen; on a desktop, in a rail on the left.
        if (!opts?.signedOut) {
          const bar = await page.getByRole("navigation", { name: "Main" }).boundingBox();
          const links = await page.getByRole("navigation", { name: "Main" }).getByRole("link").count();
          equal(links, 5, `links in the main navigation of ${name}`);
          if (mobile) assert(Math.abs(bar.y + bar.height - viewport.height) < 2 && bar.width === viewport.width, `${name}: the tab bar is not at the bottom: ${JSON.stringify(bar)}`);
          else assert(bar.x < 100 && bar.width < 300, `${name}: the rail is not on the left: ${JSON.stringify(bar)}`);
        }
        // Every control has a name a screen reader can say, every image an alt.
        for (const u of await page.evaluate(() => [
          ...[...document.querySelectorAll("input:not([type=hidden]), textarea, select, button")]
            .filter((e) => !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby") && !e.labels?.length && !e.textContent.trim() && !e.title)
            .map((e) => `no label: ${e.outerHTML.slice(0, 120)}`),
          ...[...document.querySelectorAll("img:not([alt])")].map((e) => `no alt: ${e.outerHTML.slice(0, 120)}`),
        ]))
          unlabeled.add(`${name}: ${u}`);
        const file = join(shots, `${name}-${size}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shotList.push(file);
        // Accessibility in both colour schemes: no serious or critical
        // violation (contrast, names, roles, landmarks…).
        for (const scheme of ["light", "dark"]) {
          await page.emulateMedia({ colorScheme: scheme });
          if (scheme === "dark") {
            const dark = join(shots, `${name}-${size}-dark.png`);
            await page.screenshot({ path: dark, fullPage: true });
            shotList.push(dark);
          }
          await page.evaluate(axeSource);
          const found = await page.evaluate(async () => {
            const r = await window.axe.run(document, { resultTypes: ["violations"] });
            return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
          });
          for (const v of found) axeProblems.add(`${name} ${size} ${scheme}: ${v}`);
        }
        await page.emulateMedia({ colorScheme: "light" });
      }
      await signedIn.context().close();
      await signedOut.context().close();
    }),
  );
});
console.log(`      ${shotList.length} screenshots: ${shotList.map((f) => f.split("/").pop()).sort().join(", ")}`);
for (const n of layoutNotes) console.log(`      note: ${n}`);

await step("axe-core finds no serious or critical accessibility problem on those pages, light and dark", async () => {
  assert(axeProblems.size === 0, `${axeProblems.size} problems:\n  ${[...axeProblems].join("\n  ")}`);
});

await step("no page scrolls sideways at 390 px", async () => {
  assert(overflowing.length === 0, overflowing.join("\n  "));
});

await step("every form control on those pages has a label, every image an alt text", async () => {
  assert(unlabeled.size === 0, `${unlabeled.size} problems:\n  ${[...unlabeled].join("\n  ")}`);
});

// ---------- the console ----------

await step("no console errors, uncaught exceptions or CSP violations on the pages visited with JavaScript on", async () => {
  assert(problems.length === 0, `${problems.length} problems:\n  ${problems.join("\n  ")}`);
});

if (faviconMissing.size > 0) console.log(`      note: GET /favicon.ico answers 404 (${[...faviconMissing].join(", ")}); not counted as a console error`);

await browser.close();
finish("web.mjs");
