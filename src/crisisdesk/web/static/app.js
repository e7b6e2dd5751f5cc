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
    remember(panel.querySelector("#factform"));
    markSelected(id);
    showEvidence();
    scrollToNumber();
    if (push) {
      const url = new URL(window.location.href);
      url.searchParams.set("fact", id);
      url.hash = "editor";
      history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
  }

  // The selected figure's number, scrolled to the middle of the (scrolling) text.
  function scrollToNumber() {
    const mark = doctext && doctext.querySelector("mark.fig.selected");
    if (mark) mark.scrollIntoView({ block: "center", inline: "nearest" });
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
    for (const key of ["value", "value_high"]) {  // as typed: the server reads "1.2k", "٤٦"
      const v = String(data.get(key) || "").trim();
      body[key] = v === "" ? null : v;
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

  // The editor sends only the fields the analyst changed, and the version of the
  // figure it showed: if someone else changed the figure meanwhile the server
  // answers 409 with the current values, shown here with a way to reapply.
  function changedFields(form) {
    const now = formChanges(form);
    const before = JSON.parse(form.dataset.initial || "{}");
    const body = {};
    for (const key of Object.keys(now)) {
      if (key === "note" || JSON.stringify(now[key]) !== JSON.stringify(before[key])) body[key] = now[key];
    }
    return body;
  }

  function remember(form) {
    if (form) form.dataset.initial = JSON.stringify(formChanges(form));
  }

  async function send(id, action, body, version) {
    const base = "/api/facts/" + encodeURIComponent(id);
    const url = action === "save" ? base : base + "/" + action;
    const resp = await fetch(url, {
      method: action === "save" ? "PATCH" : "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "If-Match": '"' + version + '"' },
      body: JSON.stringify(body),
    });
    const answer = await resp.json().catch(() => ({ error: "the server sent no answer" }));
    return { resp: resp, answer: answer };
  }

  async function submitReview(form, action) {
    const editor = form.closest(".editor");
    const id = editor.dataset.factId;
    const note = String(new FormData(form).get("note") || "").trim();
    const body = action === "save" ? changedFields(form) : (note ? { note: note } : {});
    await apply(id, action, body, Number(editor.dataset.version));
  }

  async function apply(id, action, body, version) {
    const pill = panel.querySelector("#fact-status");
    const before = pill ? pill.textContent.trim() : "unreviewed";
    const { resp, answer } = await send(id, action, body, version);
    if (resp.status === 409 && answer.current) {
      showConflict(id, action, body, answer);
      return;
    }
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
    // after a verify or a reject the next figure of the queue opens (review.js)
    const walk = window.crisisdeskWalk;
    if (action !== "save" && walk) await walk.reviewed(id, action, before, answer.fact);
    else {
      await openFact(id, false);
      if (walk && walk.saved) walk.saved();
    }
  }

  function showConflict(id, action, body, answer) {
    const current = answer.current;
    const box = document.createElement("div");
    box.className = "conflict error";
    box.setAttribute("role", "alert");
    const head = document.createElement("p");
    // the server's message names who changed it ("was changed by ada since you read it")
    head.textContent = (answer.error || "Someone changed this figure since you opened it") +
      " (now version " + current.version + ", status " + current.status + "). Your " +
      (action === "save" ? "changes were" : action + " was") + " not saved.";
    box.append(head);
    const list = document.createElement("ul");
    for (const key of Object.keys(body)) {
      if (key === "note") continue;
      const li = document.createElement("li");
      li.textContent = key + ": now " + JSON.stringify(current[key]) + ", yours " + JSON.stringify(body[key]);
      list.append(li);
    }
    box.append(list);
    const again = document.createElement("button");
    again.type = "button";
    again.className = "primary";
    again.textContent = action === "save" ? "Reapply my changes" : "Apply " + action + " anyway";
    again.addEventListener("click", () => apply(id, action, body, current.version));
    const drop = document.createElement("button");
    drop.type = "button";
    drop.textContent = "Discard mine, show the current figure";
    drop.addEventListener("click", () => openFact(id, false));
    box.append(again, drop);
    panel.querySelectorAll(".conflict, p.error").forEach((el) => el.remove());
    panel.prepend(box);
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

  // After an undo (review.js): the figures it put back, as the store now has them, in
  // the text, the list and, when it shows one of them, the editor.
  async function refresh(ids) {
    const here = ids.filter((id) => document.querySelector('.factlist a[data-fact-id="' + CSS.escape(id) + '"]'));
    for (const id of here) {
      const resp = await fetch("/api/facts/" + encodeURIComponent(id), { credentials: "same-origin" });
      if (!resp.ok) continue;
      const f = (await resp.json()).fact;
      setStatus(id, f.status);
      const strong = document.querySelector('.factlist a[data-fact-id="' + CSS.escape(id) + '"] strong');
      if (strong) strong.textContent = f.value === null ? (f.value_text || "?") : f.value.toLocaleString("en");
    }
    const ed = panel.querySelector(".editor[data-fact-id]");
    if (ed && here.includes(ed.dataset.factId)) await openFact(ed.dataset.factId, false);
  }

  showEvidence();
  remember(panel.querySelector("#factform"));
  scrollToNumber();
  window.crisisdeskEditor = { openFact: openFact, apply: apply, showError: showError, refresh: refresh, panel: panel };

  document.addEventListener("click", (ev) => {
    const link = ev.target.closest("mark.fig a, .factlist a[data-fact-id]");
    if (!link) return;
    const holder = link.closest("[data-fact-id]");
    ev.preventDefault();
    openFact(holder.dataset.factId, true);
  });

  // Enter in a field saves the correction, never verifies (without this script the
  // form's first button, an off-screen Save, does the same)
  panel.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if (ev.key !== "Enter" || !t || t.tagName !== "INPUT" || !t.closest("#factform")) return;
    if (t.type === "checkbox") return;
    ev.preventDefault();
    const save = t.form.querySelector('button[value="save"]');
    if (save) save.click();
  });

  panel.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (!form.matches("#factform")) return;
    ev.preventDefault();
    const action = ev.submitter ? ev.submitter.value : "save";
    submitReview(form, action);
  });
})();
