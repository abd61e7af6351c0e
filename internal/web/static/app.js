// weft's web app: progressive enhancement only. Every form works without
// this file; with it, the composer counts characters and adds thread parts
// in place, and actions (like, boost, bookmark) update without a reload.
"use strict";

function counters() {
  for (const area of document.querySelectorAll("textarea[data-max]")) {
    const out = document.getElementById(area.getAttribute("aria-describedby"));
    if (!out) continue;
    const max = Number(area.dataset.max);
    const update = () => {
      const left = max - [...area.value].length;
      out.textContent = `${left} characters left`;
      out.classList.toggle("over", left < 0);
    };
    area.addEventListener("input", update);
    update();
  }
}

// The "add to the thread" button posts the form back for one more part;
// here it adds the part in place.
function threadParts() {
  for (const form of document.querySelectorAll("form.composer")) {
    const add = form.querySelector("button[name=add_part]");
    if (!add) continue;
    add.addEventListener("click", (ev) => {
      ev.preventDefault();
      const parts = form.querySelectorAll("fieldset.part");
      const last = parts[parts.length - 1];
      const next = last.cloneNode(true);
      const n = parts.length + 1;
      next.querySelector("legend").textContent = `Part ${n}`;
      const area = next.querySelector("textarea");
      area.value = "";
      area.id = `part-${n}`;
      area.setAttribute("aria-describedby", `count-${n}`);
      next.querySelector("label").setAttribute("for", area.id);
      next.querySelector(".counter").id = `count-${n}`;
      // The new part starts with nothing attached.
      next.querySelector("ul.attached")?.remove();
      const row = next.querySelector(".attach");
      if (row) {
        row.hidden = false;
        const file = row.querySelector("input[type=file]");
        file.value = "";
        file.id = file.name = `file-${n}`;
        row.querySelector("label").setAttribute("for", file.id);
      }
      last.after(next);
      counters();
      area.focus();
    });
  }
}

// Action buttons (like, boost, bookmark) submit in the background and swap
// their own state; on any failure the browser's normal submit happens.
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
      btn.querySelector(".count").textContent = state.count > 0 ? String(state.count) : "";
      form.action = state.next;
    } catch {
      form.submit();
    }
  });
}

// The home feed listens for new posts (Server-Sent Events from the same
// event bus as the streaming API) and shows a button to load them.
function livePosts() {
  const box = document.querySelector("[data-live]");
  if (!box || !window.EventSource) return;
  const seen = new Set([...document.querySelectorAll("article.post")].map((a) => a.id.replace("post-", "")));
  let count = 0;
  const events = new EventSource(box.dataset.live);
  events.addEventListener("update", (ev) => {
    if (seen.has(ev.data)) return;
    seen.add(ev.data);
    count++;
    box.querySelector("a").textContent = count === 1 ? "1 new post — show it" : `${count} new posts — show them`;
    box.classList.remove("hidden");
  });
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

counters();
threadParts();
actions();
livePosts();
autocomplete();
attachOnChoose();
