// weft's web app: progressive enhancement only. Every form works without
// this file; with it, the composer counts characters and adds thread parts
// in place, and actions (like, boost, bookmark) update without a reload.
"use strict";

// postLength counts a post as the server does (internal/text/length.go,
// after Mastodon): code points, except that every http(s) link counts as 23
// and a mention @user@domain as @user. The link and mention rules are the
// server's, rule for rule (internal/text/link.go, mention.go);
// TestCounterMatchesServer checks the two agree.
const URL_LENGTH = 23;
const isHostAlnum = (c) => /[\p{L}\p{Nd}\p{M}]/u.test(c);
const isWord = (c) => /[\p{L}\p{M}\p{Nd}\p{Pc}]/u.test(c);
const isASCIIAlnum = (c) => c !== undefined && /^[A-Za-z0-9]$/.test(c);
const isASCIIWord = (c) => c === "_" || isASCIIAlnum(c);
const isDigit = (c) => c !== undefined && c >= "0" && c <= "9";
const isSpace = (c) => /\p{White_Space}/u.test(c);

function isURLUChar(c) {
  const r = c.codePointAt(0);
  if (r < 0xa0 || isSpace(c)) return false;
  if (r >= 0x10000) return (r & 0xffff) <= 0xfffd && !(r >> 16 === 0xe && r < 0xe1000);
  return r <= 0xd7ff || (r >= 0xe000 && r <= 0xf8ff) || (r >= 0xf900 && r <= 0xfdcf) || (r >= 0xfdf0 && r <= 0xffef);
}
const isPathChar = (c) => c !== undefined && !/[\p{Cc}\p{White_Space}]/u.test(c) && !"<>()?".includes(c);
const isPathEnding = (c) => !"!*\"'「」<>;:=,.$%[]~&|@".includes(c);
const isQueryChar = (c) => isASCIIAlnum(c) || "!?*'();:&=+$/%#[]-_.,~|@^".includes(c) || isURLUChar(c);
const isQueryEnding = (c) => isASCIIAlnum(c) || "_&=#/-".includes(c) || isURLUChar(c);

function hostEnd(cs, p) {
  let end = p;
  for (let i = p; ; ) {
    let le = i;
    for (let j = i; j < cs.length; ) {
      if (isHostAlnum(cs[j])) le = ++j;
      else if ((cs[j] === "-" || cs[j] === "_") && j > i) j++;
      else break;
    }
    if (le === i) return end;
    end = le;
    if (le >= cs.length || cs[le] !== ".") return end;
    i = le + 1;
  }
}

function pathRun(cs, i) {
  while (i < cs.length && isPathChar(cs[i])) i++;
  return i;
}

function balancedEnd(cs, i) {
  const j = pathRun(cs, i + 1);
  if (cs[j] === ")" && j > i + 1) return j + 1;
  if (cs[j] === "(") {
    const k = pathRun(cs, j + 1);
    if (k > j + 1 && cs[k] === ")") {
      const m = pathRun(cs, k + 1);
      if (cs[m] === ")") return m + 1;
    }
  }
  return i;
}

function pathEnd(cs, p) {
  let good = p;
  for (let i = p; i < cs.length; ) {
    if (cs[i] === "(") {
      const e = balancedEnd(cs, i);
      if (e === i) break;
      i = good = e;
      continue;
    }
    const c = cs[i];
    if (!isPathChar(c)) break;
    i++;
    if (isPathEnding(c)) good = i;
  }
  return good;
}

function queryEnd(cs, q) {
  let good = q;
  for (let i = q + 1; i < cs.length; ) {
    const c = cs[i];
    if (!isQueryChar(c)) break;
    i++;
    if (isQueryEnding(c)) good = i;
  }
  return good;
}

function linkEnd(cs, p) {
  let end = hostEnd(cs, p);
  if (end === p) return p;
  if (cs[end] === ":") {
    let j = end + 1;
    while (isDigit(cs[j])) j++;
    if (j > end + 1) end = j;
  }
  if (cs[end] === "/") end = pathEnd(cs, end + 1);
  if (cs[end] === "?") end = queryEnd(cs, end);
  return end;
}

function scanLinks(cs) {
  const out = [];
  for (let i = 0; i < cs.length; i++) {
    if (cs[i] !== "h" && cs[i] !== "H") continue;
    const head = cs.slice(i, i + 8).join("").toLowerCase();
    const n = head.startsWith("https://") ? 8 : head.startsWith("http://") ? 7 : 0;
    const prev = cs[i - 1];
    const mayStart = prev === undefined || (!"@＠$#＃\ufffe\ufeff\uffff".includes(prev) && !isASCIIAlnum(prev));
    if (n === 0 || !mayStart) continue;
    const end = linkEnd(cs, i + n);
    if (end === i + n) continue;
    out.push({ link: true, start: i, end });
    i = end - 1;
  }
  return out;
}

function dottedRun(cs, i, word) {
  let end = i;
  for (let j = i; j < cs.length; ) {
    if (word(cs[j])) end = ++j;
    else if ((cs[j] === "." || cs[j] === "-") && j > i) j++;
    else return end;
  }
  return end;
}

function portEnd(cs, i) {
  if (cs[i] !== ":") return i;
  let j = i + 1;
  while (isDigit(cs[j])) j++;
  if (j === i + 1 || j - i - 1 > 5) return i;
  if (j < cs.length && isWord(cs[j])) return i;
  return j;
}

// twitter-text's LATIN_ACCENTS: a mention glued to one is no mention.
const LATIN_ACCENTS = [[0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0x24f], [0x253, 0x254], [0x256, 0x257], [0x259, 0x259], [0x25b, 0x25b],
  [0x263, 0x263], [0x268, 0x268], [0x26f, 0x26f], [0x272, 0x272], [0x289, 0x289], [0x28b, 0x28b], [0x2bb, 0x2bb], [0x300, 0x36f], [0x1e00, 0x1eff]];
const isLatinAccent = (c) => c !== undefined && LATIN_ACCENTS.some(([lo, hi]) => c.codePointAt(0) >= lo && c.codePointAt(0) <= hi);

function scanMentions(cs) {
  const out = [];
  let pos = 0;
  while (pos < cs.length) {
    const at = cs.indexOf("@", pos);
    if (at < 0) break;
    const prev = cs[at - 1];
    if (prev === "=" || prev === "/" || (prev !== undefined && isWord(prev))) {
      pos = at + 1;
      continue;
    }
    const uEnd = dottedRun(cs, at + 1, isASCIIWord);
    if (uEnd === at + 1) {
      pos = at + 1;
      continue;
    }
    let end = uEnd;
    let host = "";
    if (cs[end] === "@") {
      const dEnd = dottedRun(cs, end + 1, isWord);
      if (dEnd > end + 1) {
        const dStart = end + 1;
        end = portEnd(cs, dEnd);
        host = cs.slice(dStart, end).join("").split(":")[0];
      }
    }
    pos = end;
    const after = cs[end];
    if (after === "@" || after === "＠" || (after === ":" && cs[end + 1] === "/" && cs[end + 2] === "/") || isLatinAccent(after)) continue;
    if ([...host].length > 253) continue;
    out.push({ link: false, start: at, end, user: uEnd - at - 1 });
  }
  return out;
}

function postLength(src) {
  const cs = [...src];
  if (cs.every(isSpace)) return 0;
  const ents = scanLinks(cs).concat(scanMentions(cs)).sort((a, b) => a.start - b.start);
  let n = 0;
  let last = 0;
  for (const e of ents) {
    if (e.start < last) continue; // overlaps the one before
    n += e.start - last + (e.link ? URL_LENGTH : 1 + e.user);
    last = e.end;
  }
  return n + cs.length - last;
}

// The composer's counters; Post waits while a part is over the limit.
function counters() {
  for (const area of document.querySelectorAll("textarea[data-max]")) {
    if (area.dataset.counted) continue;
    area.dataset.counted = "1";
    const update = () => {
      const out = document.getElementById(area.getAttribute("aria-describedby"));
      if (!out) return;
      const left = Number(area.dataset.max) - postLength(area.value);
      out.textContent = left >= 0 ? `${left} ${left === 1 ? "character" : "characters"} left`
        : `${-left} ${left === -1 ? "character" : "characters"} over the limit: shorten it to post`;
      out.classList.toggle("over", left < 0);
      area.setAttribute("aria-invalid", left < 0 ? "true" : "false");
      postButtons(area.form);
    };
    area.addEventListener("input", update);
    update();
  }
}

// postButtons disables Post (and Post without descriptions) while any part
// of the form is over the limit.
function postButtons(form) {
  if (!form) return;
  const over = [...form.querySelectorAll("textarea[data-max]")].some((a) => a.getAttribute("aria-invalid") === "true");
  for (const b of form.querySelectorAll("button.primary, button[name=alt_ok]")) b.disabled = over;
}

// The "add to the thread" and "remove this part" buttons post the form back
// for one more part or one less; here they act in place, and the parts are
// numbered again (the server reads file-N and "N:ID" by position).
function threadParts(root = document) {
  for (const form of root.querySelectorAll("form.composer")) {
    const add = form.querySelector("button[name=add_part]");
    if (!add) continue;
    add.addEventListener("click", (ev) => {
      ev.preventDefault();
      const parts = form.querySelectorAll("fieldset.part");
      const next = parts[parts.length - 1].cloneNode(true);
      const area = next.querySelector("textarea[data-max]");
      area.value = "";
      area.placeholder = "Say more";
      delete area.dataset.counted; // a new part gets its own counter
      area.removeAttribute("aria-invalid");
      // The new part starts with nothing attached.
      next.querySelector("ul.attached")?.remove();
      const row = next.querySelector(".attach");
      if (row) {
        row.hidden = false;
        row.querySelector("input[type=file]").value = "";
      }
      const cw = next.querySelector("details.cw");
      if (cw) {
        cw.open = false;
        cw.querySelector("input").value = "";
      }
      parts[parts.length - 1].after(next);
      renumberParts(form);
      counters();
      area.focus();
    });
    form.addEventListener("click", (ev) => {
      const remove = ev.target.closest("button[name=remove_part]");
      const up = ev.target.closest("button[name=move_up]");
      if (remove) {
        ev.preventDefault();
        remove.closest("fieldset.part").remove();
        renumberParts(form);
        postButtons(form);
        add.focus();
      } else if (up) {
        ev.preventDefault();
        const part = up.closest("fieldset.part");
        part.previousElementSibling?.before(part);
        renumberParts(form);
        part.querySelector("textarea").focus();
      }
    });
  }
}

function renumberParts(form) {
  const pre = form.dataset.idPrefix || ""; // a form in the sheet keeps its ids apart from the page's
  form.querySelectorAll("fieldset.part").forEach((part, i) => {
    const n = i + 1;
    const area = part.querySelector("textarea[data-max]");
    area.id = `${pre}part-${n}`;
    area.setAttribute("aria-describedby", `${pre}count-${n}`);
    part.querySelector(`label[for*="part-"]`)?.setAttribute("for", area.id);
    part.querySelector(".counter").id = `${pre}count-${n}`;
    const file = part.querySelector(".attach input[type=file]");
    if (file) {
      file.id = `${pre}file-${n}`;
      file.name = `file-${n}`;
      part.querySelector(".attach label").setAttribute("for", file.id);
    }
    for (const m of part.querySelectorAll("input[name=media]")) m.value = `${n}:${m.value.split(":")[1]}`;
    const cw = part.querySelector("details.cw input");
    if (cw) {
      cw.id = `${pre}cw-${n}`;
      part.querySelector("details.cw label").htmlFor = cw.id;
    }
    const reply = form.querySelector("input[name=in_reply_to_id]");
    part.querySelector("legend").textContent = n > 1 ? `Part ${n}` : reply ? "Your reply" : "New post";
    area.placeholder = n > 1 ? "Say more" : reply ? "Write your reply" : "What's new?";
    // The first part can be neither moved up nor removed; the others can.
    let tools = part.querySelector(".part-tools");
    if (n === 1) tools?.remove();
    else if (!tools) {
      tools = document.createElement("p");
      tools.className = "row part-tools";
      for (const [name, label, cls] of [["move_up", "Move up", ""], ["remove_part", "Remove this part", "danger"]]) {
        const b = document.createElement("button");
        b.type = "submit";
        b.name = name;
        b.textContent = label;
        if (cls) b.className = cls;
        tools.append(b);
      }
      part.append(tools);
    }
    for (const b of part.querySelectorAll(".part-tools button")) b.value = String(n);
  });
}

// Action buttons (like, boost, bookmark) submit in the background and swap
// their own state; on any failure the browser's normal submit happens. A
// boost is an item of the repost menu, whose button carries the count.
function actions() {
  document.addEventListener("submit", async (ev) => {
    const form = ev.target;
    if (!form.matches("form[data-toggle]")) return;
    ev.preventDefault();
    try {
      const res = await fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!res.ok) throw new Error(String(res.status));
      const state = await res.json();
      const btn = form.querySelector("button");
      btn.setAttribute("aria-pressed", String(state.on));
      btn.querySelector(".label").textContent = state.label;
      const menu = form.closest("details.repost");
      const count = menu ? menu.querySelector("summary .count") : btn.querySelector(".count");
      if (count) count.textContent = state.count > 0 ? String(state.count) : "";
      if (menu) {
        menu.toggleAttribute("data-boosted", state.on);
        const noun = menu.querySelector("summary .count-noun");
        if (noun) noun.textContent = state.count === 1 ? " boost" : state.count > 1 ? " boosts" : "";
      }
      form.action = state.next;
      const open = form.closest("details.menu");
      if (open) open.open = false;
    } catch {
      form.submit();
    }
  });
}

// The live events of a signed-in page (Server-Sent Events from the same
// bus as the streaming API): new notifications raise the Activity badge;
// on the home feed, new posts show a button that loads them.
function liveEvents() {
  const url = document.body.dataset.events;
  if (!url || !window.EventSource) return;
  const events = new EventSource(url);
  const badge = document.querySelector("[data-unread]");
  if (badge) {
    let unread = Number.parseInt(badge.textContent, 10) || 0;
    events.addEventListener("notification", () => {
      if (document.querySelector(".main-nav a[href='/notifications'][aria-current=page]")) return; // read here
      unread++;
      // An empty badge holds only its " unread" for screen readers: the
      // number goes before it.
      let count = badge.firstChild;
      if (!count || count.nodeType !== Node.TEXT_NODE) {
        count = document.createTextNode("");
        badge.prepend(count);
      }
      count.textContent = unread > 99 ? "99+" : String(unread);
      badge.hidden = false;
    });
  }
  const box = document.querySelector("[data-live]");
  if (!box) return;
  const seen = new Set([...document.querySelectorAll("article.post")].map((a) => a.id.replace("post-", "")));
  let count = 0;
  events.addEventListener("update", (ev) => {
    if (seen.has(ev.data)) return;
    seen.add(ev.data);
    count++;
    box.querySelector("a").textContent = count === 1 ? "1 new post — show it" : `${count} new posts — show them`;
    box.classList.remove("hidden");
  });
}

// Menus (<details>): one open at a time, closed by a click outside or
// Escape, which gives the focus back to the menu's button.
function menus() {
  document.addEventListener("click", (ev) => {
    for (const d of document.querySelectorAll("details.menu[open]")) {
      if (!d.contains(ev.target)) d.open = false;
    }
  });
  document.addEventListener("toggle", (ev) => {
    const d = ev.target;
    if (!(d instanceof HTMLDetailsElement) || !d.matches(".menu") || !d.open) return;
    for (const other of document.querySelectorAll("details.menu[open]")) {
      if (other !== d && !other.contains(d)) other.open = false;
    }
  }, true);
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape") return;
    const d = document.activeElement?.closest("details.menu[open]") || document.querySelector("details.menu[open]");
    if (!d) return;
    d.open = false;
    d.querySelector("summary").focus();
  });
}

// toast says briefly what just happened ("Link copied").
function toast(text) {
  document.querySelector(".toast")?.remove();
  const p = document.createElement("p");
  p.className = "toast";
  p.setAttribute("role", "status");
  p.textContent = text;
  document.body.append(p);
  setTimeout(() => p.remove(), 3000);
}

// Share: the system's share sheet where there is one (phones), else the
// link is copied. "Copy link" in the overflow menu copies. Without
// JavaScript, Share is a link to the post and Copy link stays hidden.
function sharing() {
  for (const b of document.querySelectorAll("button[data-copy]")) b.hidden = false;
  const copy = async (url) => {
    try {
      await navigator.clipboard.writeText(url);
      toast("Link copied");
    } catch {
      window.prompt("Copy this link", url);
    }
  };
  document.addEventListener("click", async (ev) => {
    const share = ev.target.closest("a[data-share]");
    const copyBtn = ev.target.closest("button[data-copy]");
    if (share) {
      ev.preventDefault();
      if (navigator.share) {
        try { await navigator.share({ url: share.href }); } catch { /* dismissed */ }
      } else {
        await copy(share.href);
      }
    } else if (copyBtn) {
      copyBtn.closest("details.menu").open = false;
      await copy(copyBtn.dataset.copy);
    }
  });
}

// New post opens the composer in a sheet over the page (the /compose
// page's own form); posting comes back to this page. Without JavaScript,
// or if the form cannot be had, the link goes to /compose.
function composeSheet() {
  const link = document.querySelector("a[data-compose]");
  if (!link || !window.HTMLDialogElement) return;
  let sheet;
  link.addEventListener("click", async (ev) => {
    if (ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    ev.preventDefault();
    if (!sheet) {
      try {
        const res = await fetch(link.href, { credentials: "same-origin" });
        if (!res.ok) throw new Error(String(res.status));
        const doc = new DOMParser().parseFromString(await res.text(), "text/html");
        const form = doc.querySelector("form.composer");
        if (!form) throw new Error("no composer");
        sheet = document.createElement("dialog");
        sheet.className = "sheet";
        sheet.setAttribute("aria-labelledby", "sheet-title");
        const head = document.createElement("div");
        head.className = "sheet-head";
        const h = document.createElement("h2");
        h.id = "sheet-title";
        h.textContent = "New post";
        const close = document.createElement("button");
        close.type = "button";
        close.setAttribute("aria-label", "Close");
        const x = doc.querySelector(".cancel svg");
        if (x) close.append(document.adoptNode(x));
        else close.textContent = "Close";
        close.addEventListener("click", () => sheet.close());
        head.append(h, close);
        const back = form.querySelector("input[name=return_to]");
        if (back) back.value = location.pathname + location.search;
        form.removeAttribute("id");
        // Its icons draw from the page's sprite: bring the drawings this
        // page lacks from the fetched page's.
        const sprite = document.querySelector("svg.sprite");
        for (const use of [...form.querySelectorAll("use"), ...close.querySelectorAll("use")]) {
          const id = use.getAttribute("href").slice(1);
          const symbol = doc.getElementById(id);
          if (sprite && symbol && !document.getElementById(id)) sprite.append(document.adoptNode(symbol));
        }
        // The page may have a composer of its own: the sheet's ids differ.
        form.dataset.idPrefix = "sheet-";
        for (const el of form.querySelectorAll("[id]")) el.id = `sheet-${el.id}`;
        for (const el of form.querySelectorAll("label[for]")) el.htmlFor = `sheet-${el.htmlFor}`;
        for (const el of form.querySelectorAll("[aria-describedby]")) {
          el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").split(" ").map((id) => `sheet-${id}`).join(" "));
        }
        sheet.append(head, document.adoptNode(form));
        document.body.append(sheet);
        sheet.addEventListener("click", (e) => { if (e.target === sheet) sheet.close(); }); // the backdrop
        counters();
        threadParts(sheet);
      } catch {
        location.href = link.href;
        return;
      }
    }
    sheet.showModal();
    sheet.querySelector("textarea")?.focus();
  });
}

// Photos: the focal point the author chose decides what a cropped
// preview keeps (a style set here: the page's CSP allows no inline style),
// and a click opens the photo large over the page — arrow keys move
// between the photos of a post, Escape closes. Without JavaScript the
// link opens the file.
function photos() {
  // focus crops img around "x,y" (each -1…1, Mastodon's focal point).
  const focus = (img, point) => {
    const [x, y] = point.split(",").map(Number);
    if (Number.isFinite(x) && Number.isFinite(y)) img.style.objectPosition = `${((x + 1) / 2) * 100}% ${((1 - y) / 2) * 100}%`;
  };
  for (const img of document.querySelectorAll("img[data-focus]")) focus(img, img.dataset.focus);
  // In the composer, a click on a photo's preview chooses the point that
  // cropped previews keep (Mastodon's focal point): the preview shows the
  // crop at once, and the choice goes in the photo's "Keep in view" list.
  document.addEventListener("click", (ev) => {
    const img = ev.target.closest("img[data-focus-picker]");
    const select = img && document.getElementById(img.dataset.focusPicker);
    if (!select) return;
    const r = img.getBoundingClientRect();
    const x = (((ev.clientX - r.left) / r.width) * 2 - 1).toFixed(2);
    const y = (1 - ((ev.clientY - r.top) / r.height) * 2).toFixed(2);
    let chosen = [...select.options].find((o) => o.dataset.chosen);
    if (!chosen) {
      chosen = new Option("The point you chose");
      chosen.dataset.chosen = "1";
      select.prepend(chosen);
    }
    chosen.value = `${x},${y}`;
    select.value = chosen.value;
    focus(img, chosen.value);
  });
  document.addEventListener("change", (ev) => {
    const select = ev.target;
    if (!(select instanceof HTMLSelectElement) || !select.id.startsWith("focus-")) return;
    const img = document.querySelector(`img[data-focus-picker="${select.id}"]`);
    if (img) focus(img, select.value);
  });
  if (!window.HTMLDialogElement) return;
  let box, shown, index;
  const button = (cls, label, text, fn) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.setAttribute("aria-label", label);
    b.textContent = text;
    b.addEventListener("click", fn);
    return b;
  };
  const show = (i) => {
    index = (i + shown.length) % shown.length;
    const link = shown[index];
    const img = link.querySelector("img");
    const figure = box.querySelector("figure");
    figure.replaceChildren();
    const large = document.createElement("img");
    large.src = link.href;
    large.alt = img.alt;
    figure.append(large);
    if (img.alt) {
      const cap = document.createElement("figcaption");
      cap.textContent = img.alt;
      figure.append(cap);
    }
    for (const b of box.querySelectorAll(".prev, .next")) b.hidden = shown.length < 2;
  };
  document.addEventListener("click", (ev) => {
    const link = ev.target.closest("a[data-lightbox]");
    if (!link || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    if (!box) {
      box = document.createElement("dialog");
      box.className = "lightbox";
      box.setAttribute("aria-label", "Photo");
      box.append(document.createElement("figure"),
        button("close", "Close", "✕", () => box.close()),
        button("prev", "Previous photo", "‹", () => show(index - 1)),
        button("next", "Next photo", "›", () => show(index + 1)));
      box.addEventListener("keydown", (e) => {
        if (e.key === "ArrowLeft") show(index - 1);
        else if (e.key === "ArrowRight") show(index + 1);
      });
      box.addEventListener("click", (e) => { if (e.target === box || e.target.tagName === "FIGURE") box.close(); });
      document.body.append(box);
    }
    shown = [...link.closest(".media").querySelectorAll("a[data-lightbox]")];
    show(shown.indexOf(link));
    box.showModal();
    box.querySelector(".close").focus();
  });
}

// The home composer opens out on first use and stays open.
function composerOpens() {
  for (const form of document.querySelectorAll("form.composer.compact")) {
    form.addEventListener("focusin", () => form.classList.add("open"));
  }
}

// Mentions and hashtags: suggestions under the text box while typing
// @name or #tag; arrow keys choose, Enter or Tab inserts, Escape closes.
function autocomplete() {
  let list, area, items = [], active = -1, timer;
  const close = () => { if (list) list.remove(); list = null; items = []; active = -1; };
  const word = (a) => {
    const before = a.value.slice(0, a.selectionStart);
    const m = before.match(/(^|\s)([@#][\w.@:-]{1,60})$/u);
    return m ? { text: m[2], start: a.selectionStart - m[2].length } : null;
  };
  const insert = (i) => {
    const w = word(area);
    if (!w || !items[i]) return close();
    const text = items[i].insert + " ";
    area.value = area.value.slice(0, w.start) + text + area.value.slice(area.selectionStart);
    area.selectionStart = area.selectionEnd = w.start + text.length;
    area.dispatchEvent(new Event("input"));
    close();
  };
  const show = (a, found) => {
    close();
    if (found.length === 0) return;
    area = a; items = found;
    list = document.createElement("ul");
    list.setAttribute("role", "listbox");
    list.className = "suggestions";
    found.forEach((s, i) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = `suggestion-${i}`;
      li.textContent = s.label;
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); insert(i); });
      list.append(li);
    });
    a.after(list);
  };
  const highlight = (i) => {
    active = (i + items.length) % items.length;
    list.querySelectorAll("li").forEach((li, j) => li.setAttribute("aria-selected", String(j === active)));
    area.setAttribute("aria-activedescendant", `suggestion-${active}`);
  };
  document.addEventListener("input", (ev) => {
    const a = ev.target;
    if (!a.matches("form.composer textarea")) return;
    clearTimeout(timer);
    const w = word(a);
    if (!w) return close();
    timer = setTimeout(async () => {
      try {
        const res = await fetch(`/autocomplete?q=${encodeURIComponent(w.text)}`, { credentials: "same-origin" });
        if (res.ok) show(a, await res.json());
      } catch { close(); }
    }, 150);
  });
  document.addEventListener("keydown", (ev) => {
    if (!list || ev.target !== area) return;
    if (ev.key === "ArrowDown") { ev.preventDefault(); highlight(active + 1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); highlight(active - 1); }
    else if ((ev.key === "Enter" || ev.key === "Tab") && active >= 0) { ev.preventDefault(); insert(active); }
    else if (ev.key === "Escape") close();
  });
}

// Choosing files attaches them at once: the form goes to the server, which
// uploads them and shows their previews, each with a description field.
function attachOnChoose() {
  document.addEventListener("change", (ev) => {
    const input = ev.target;
    if (!(input instanceof HTMLInputElement) || !input.matches("input[type=file][data-attach]") || input.files.length === 0) return;
    const button = input.closest(".attach")?.querySelector("button[name=attach]");
    if (button) input.form.requestSubmit(button);
  });
}

// Reply (a link to the post's #reply) puts the cursor in the reply box.
function focusReply() {
  const go = () => {
    if (location.hash === "#reply") document.querySelector("#reply textarea")?.focus();
  };
  // After load: the browser's own move to #reply comes after this script
  // and would leave the focus where it was.
  window.addEventListener("load", go);
  window.addEventListener("hashchange", go);
}

document.documentElement.classList.add("js");
counters();
threadParts();
actions();
liveEvents();
menus();
sharing();
composeSheet();
composerOpens();
photos();
autocomplete();
attachOnChoose();
focusReply();
