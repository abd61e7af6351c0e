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

counters();
threadParts();
actions();
