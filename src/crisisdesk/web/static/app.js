// crisisdesk review page: open the figure editor in place and send reviews
// through the API (with the page's CSRF token). Without this file every
// link and form still works; the server renders the same editor.
"use strict";

(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";
  const panel = document.getElementById("editor");
  if (!panel) return;

  function markSelected(id) {
    document.querySelectorAll("mark.fig.selected, .factlist li.selected").forEach((el) => el.classList.remove("selected"));
    document.querySelectorAll('mark.fig').forEach((m) => {
      if ((m.dataset.factIds || "").split(" ").includes(id)) m.classList.add("selected");
    });
    const item = document.querySelector('.factlist a[data-fact-id="' + CSS.escape(id) + '"]');
    if (item) item.parentElement.classList.add("selected");
  }

  // Underline, in the document text, the words the selected figure's period, source and
  // places were read from (listed in the editor with their offsets into the text).
  const doctext = document.getElementById("doctext");

  function clearEvidence() {
    if (!doctext) return;
    doctext.querySelectorAll("span.ev").forEach((span) => {
      span.replaceWith(...span.childNodes);
    });
    doctext.normalize();
  }

  function wrapRange(start, end, field) {
    const walker = document.createTreeWalker(doctext, NodeFilter.SHOW_TEXT);
    const pieces = [];
    let pos = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const len = node.data.length;
      const a = Math.max(start, pos), b = Math.min(end, pos + len);
      if (a < b) pieces.push([node, a - pos, b - pos]);
      pos += len;
      if (pos >= end) break;
    }
    let first = null;
    for (const [node, a, b] of pieces) {
      const range = document.createRange();
      range.setStart(node, a);
      range.setEnd(node, b);
      const span = document.createElement("span");
      span.className = "ev ev-" + field;
      range.surroundContents(span);
      if (!first) first = span;
    }
    return first;
  }

  function showEvidence() {
    clearEvidence();
    if (!doctext) return;
    panel.querySelectorAll(".readfrom li[data-start]").forEach((li) => {
      const field = li.className.replace("ev-", "");
      wrapRange(Number(li.dataset.start), Number(li.dataset.end), field);
    });
  }

  async function openFact(id, push) {
    const resp = await fetch("/facts/" + encodeURIComponent(id) + "/editor", { credentials: "same-origin" });
    if (!resp.ok) { window.location = "?fact=" + encodeURIComponent(id) + "#editor"; return; }
    panel.innerHTML = await resp.text();
    markSelected(id);
    showEvidence();
    if (push) history.replaceState(null, "", "?fact=" + encodeURIComponent(id) + "#editor");
  }

  function setStatus(id, status) {
    document.querySelectorAll("mark.fig").forEach((m) => {
      if (m.dataset.factId === id) m.className = m.className.replace(/st-\w+/, "st-" + status);
    });
    const pill = document.querySelector('.factlist a[data-fact-id="' + CSS.escape(id) + '"] .pill');
    if (pill) { pill.className = "pill st-" + status; pill.textContent = status; }
  }

  function formChanges(form) {
    const data = new FormData(form);
    const body = {};
    for (const key of ["value", "value_high"]) {
      const v = String(data.get(key) || "").replace(/,/g, "").trim();
      body[key] = v === "" ? null : Number(v);
    }
    for (const key of ["value_text", "date_start", "date_end", "source"]) {
      const v = String(data.get(key) || "").trim();
      body[key] = v === "" ? null : v;
    }
    for (const key of ["qualifier", "unit", "category", "subject"]) body[key] = String(data.get(key) || "").trim();
    body.places = String(data.get("places") || "").split(";").map((s) => s.trim()).filter(Boolean);
    body.is_total = data.get("is_total") === "on";
    const note = String(data.get("note") || "").trim();
    if (note) body.note = note;
    return body;
  }

  async function submitReview(form, action) {
    const id = form.closest(".editor").dataset.factId;
    const base = "/api/facts/" + encodeURIComponent(id);
    const note = String(new FormData(form).get("note") || "").trim();
    let url = base, method = "PATCH", body = formChanges(form);
    if (action === "verify" || action === "reject") {
      url = base + "/" + action; method = "POST"; body = note ? { note: note } : {};
    }
    const resp = await fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    });
    const answer = await resp.json().catch(() => ({ error: "the server sent no answer" }));
    if (!resp.ok) {
      showError(answer.error || ("error " + resp.status));
      return;
    }
    setStatus(id, answer.fact.status);
    const strong = document.querySelector('.factlist a[data-fact-id="' + CSS.escape(id) + '"] strong');
    if (strong) {
      const f = answer.fact;
      strong.textContent = f.value === null ? (f.value_text || "?") : f.value.toLocaleString("en");
    }
    await openFact(id, false);
  }

  function showError(message) {
    let box = panel.querySelector("p.error");
    if (!box) {
      box = document.createElement("p");
      box.className = "error";
      box.setAttribute("role", "alert");
      panel.prepend(box);
    }
    box.textContent = message;
  }

  showEvidence();

  document.addEventListener("click", (ev) => {
    const link = ev.target.closest("mark.fig a, .factlist a[data-fact-id]");
    if (!link) return;
    const holder = link.closest("[data-fact-id]");
    ev.preventDefault();
    openFact(holder.dataset.factId, true);
  });

  panel.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (!form.matches("#factform")) return;
    ev.preventDefault();
    const action = ev.submitter ? ev.submitter.value : "save";
    submitReview(form, action);
  });
})();
