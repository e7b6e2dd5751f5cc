// crisisdesk review keys and the walk through a queue, on the document page and the
// queue page: j/k next and previous, v verify, r reject, e edit, u undo, / search,
// ? help. On the document page a verify or reject opens the next figure of the queue
// the page was opened from (its filters ride along as ?queue=...), and selecting a
// number in the text offers to add a figure the extractor missed.
"use strict";

(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";
  const help = document.getElementById("keys");
  let lastUndo = null; // {items: [...], id}

  function typing(ev) {
    const t = ev.target;
    return t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName));
  }

  function showHelp() {
    if (help && !help.open) help.showModal();
  }
  document.querySelectorAll(".help-open").forEach((b) => b.addEventListener("click", showHelp));

  async function post(url, body) {
    const resp = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
    });
    const answer = await resp.json().catch(() => ({ error: "the server sent no answer" }));
    return { resp: resp, answer: answer };
  }

  function toast(text, undoable) {
    let bar = document.getElementById("toast");
    if (!bar) {
      bar = document.createElement("div");
      bar.id = "toast";
      bar.className = "toast";
      bar.setAttribute("role", "status");
      document.body.append(bar);
    }
    bar.textContent = text;
    if (undoable) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "small";
      b.textContent = "Undo (u)";
      b.addEventListener("click", undo);
      bar.append(" ", b);
    }
    bar.hidden = false;
  }

  // undo walks back the user's own history on the server (GET /api/undo lists it):
  // the newest action first, then the one before, and so on
  async function undo() {
    const back = lastUndo;
    lastUndo = null;
    const { resp, answer } = await post("/api/undo", {});
    if (!resp.ok) {
      toast("Nothing undone: " + (answer.error || resp.status), false);
      return;
    }
    let text = "Undone: " + answer.undone.label + ".";
    if (answer.skipped && answer.skipped.length) {
      text += " Left as they were: " + answer.skipped.map((s) => s.why).join("; ") + ".";
    }
    if (answer.next) text += " Next undo (u): " + answer.next.label + ".";
    toast(text, false);
    const bar = document.getElementById("undo-next");
    if (bar) bar.textContent = answer.next ? answer.next.label : "nothing";
    // the step undone was the one this page did last: its own way back; else the
    // figures put back are shown as they now are
    const mine = back && answer.done.some((id) => back.items.some((i) => i.id === id));
    if (mine && back.after) await back.after();
    else if (window.crisisdeskEditor && answer.done.length) await window.crisisdeskEditor.refresh(answer.done);
    else if (answer.done.length) await redrawRows(answer.done);
  }

  // On the queue page: the rows of the figures an undo put back, as the store now
  // has them (status, version, value and the fields a correction may have changed).
  async function redrawRows(ids) {
    const table = document.getElementById("bulk");
    if (!table) return;
    for (const id of ids) {
      const row = table.querySelector('tbody tr[data-fact-id="' + CSS.escape(id) + '"]');
      if (!row) continue;
      const resp = await fetch("/api/facts/" + encodeURIComponent(id), { credentials: "same-origin" });
      if (!resp.ok) continue;
      const f = (await resp.json()).fact;
      row.classList.remove("gone");
      row.dataset.version = String(f.version);
      const box = row.querySelector('input[name="ids"]');
      if (box) box.value = id + "@" + f.version;
      row.querySelectorAll("td.act button[name=row]").forEach((b) => {
        b.value = b.value.split(":")[0] + ":" + id + "@" + f.version;
      });
      const pill = row.querySelector(".pill");
      if (pill) { pill.className = "pill st-" + f.status; pill.textContent = f.status; }
      const strong = row.querySelector(".as-written strong");
      if (strong) strong.textContent = f.value === null ? (f.value_text || "?") : f.value.toLocaleString("en");
      const recorded = row.querySelector(".as-written .recorded");
      if (recorded) recorded.remove();
      const what = row.querySelector(".what");
      if (what) what.textContent = f.unit + " · " + f.category.replace(/_/g, " ");
      const meta = row.querySelectorAll("td.meta span");
      const period = !f.date_start ? "—"
        : f.date_start + (f.date_end && f.date_end !== f.date_start ? " – " + f.date_end : "");
      const fields = [f.source || "—", period, (f.places || []).join("; ") || "—"];
      meta.forEach((span, i) => {
        const label = span.querySelector("b");
        if (label && i < fields.length) span.replaceChildren(label, " " + fields[i]);
      });
    }
  }

  // -- the document page --------------------------------------------------------
  const walkNav = document.querySelector("nav.walk");
  const editor = () => window.crisisdeskEditor;

  if (walkNav) {
    const queue = walkNav.dataset.queue || "";
    const docId = walkNav.dataset.docId;
    let order = []; // [[fact id, doc id], ...] in the queue's order
    const loaded = fetch("/api/facts/ids?" + queue, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : { items: [] }))
      .then((a) => { order = a.items || []; position(); });

    function currentId() {
      const ed = document.querySelector(".editor[data-fact-id]");
      return ed ? ed.dataset.factId : null;
    }

    function position() {
      const id = currentId();
      const at = order.findIndex((x) => x[0] === id);
      const pos = document.getElementById("walk-pos");
      if (pos) {
        const n = order.length;
        pos.textContent = !n ? "" : at >= 0 ? at + 1 + " of " + n + " in this queue"
          : n + " figure" + (n > 1 ? "s" : "") + " in this queue (j opens the first)";
      }
      return at;
    }

    async function go(step, from) {
      await loaded;
      let at = order.findIndex((x) => x[0] === (from || currentId()));
      if (at < 0 && step < 0) at = order.length;
      const next = order[at + step];
      if (!next) { toast(step > 0 ? "End of the queue." : "Start of the queue.", false); return; }
      const [id, doc] = next;
      if (doc === docId && editor()) {
        await editor().openFact(id, true);
        position();
      } else {
        window.location = "/documents/" + encodeURIComponent(doc) + "?fact=" + encodeURIComponent(id) +
          (queue ? "&queue=" + encodeURIComponent(queue) : "") + "#editor";
      }
    }

    window.crisisdeskWalk = {
      reviewed: async function (id, action, before, fact) {
        lastUndo = {
          items: [{ id: id, status: before, version: fact.version }],
          after: () => editor().openFact(id, true),
        };
        toast(action === "reopen" ? "Reopened." : (action === "verify" ? "Verified" : "Rejected") + " — next figure.", true);
        if (action === "reopen") { await editor().openFact(id, false); return; }
        await go(1, id);
      },
      saved: function () {
        lastUndo = null;
        toast("Correction saved.", true);
      },
    };

    document.getElementById("next-fact").addEventListener("click", () => go(1));
    document.getElementById("prev-fact").addEventListener("click", () => go(-1));

    document.addEventListener("keydown", (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev)) return;
      const form = document.getElementById("factform");
      const click = (value) => {
        const b = form && form.querySelector('button[value="' + value + '"]');
        if (b) { ev.preventDefault(); b.click(); }
      };
      switch (ev.key) {
        case "j": ev.preventDefault(); go(1); break;
        case "k": ev.preventDefault(); go(-1); break;
        case "v": click("verify"); break;
        case "r": click("reject"); break;
        case "e": if (form) { ev.preventDefault(); form.querySelector('input[name="value"]').focus(); } break;
        case "u": ev.preventDefault(); undo(); break;
        case "/": ev.preventDefault(); window.location = "/queue?" + queue + "#search"; break;
        case "?": ev.preventDefault(); showHelp(); break;
      }
    });

    // -- add a figure the extractor missed: select its number in the text -----------
    const doctext = document.getElementById("doctext");
    const template = document.getElementById("add-figure");
    const panel = document.getElementById("editor");

    function offsetOf(node, offset) {
      const walker = document.createTreeWalker(doctext, NodeFilter.SHOW_TEXT);
      let pos = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n === node) return pos + offset;
        pos += n.data.length;
      }
      return -1;
    }

    function selectedNumber() {
      const sel = window.getSelection();
      if (!sel || sel.isCollapsed || !doctext.contains(sel.anchorNode)) return null;
      const range = sel.getRangeAt(0);
      let start = offsetOf(range.startContainer, range.startOffset);
      let end = offsetOf(range.endContainer, range.endOffset);
      if (start < 0 || end <= start) return null;
      const text = doctext.textContent;
      const picked = text.slice(start, end);
      // the number inside the words selected: its digits (with separators), else all
      const m = picked.match(/[0-9\u0660-\u0669\u06F0-\u06F9][0-9\u0660-\u0669\u06F0-\u06F9,.\u066B\u066C]*/);
      if (m) { start += m.index; end = start + m[0].replace(/[.,]$/, "").length; }
      return { start: start, end: end, text: text };
    }

    let offer = null;
    function hideOffer() { if (offer) { offer.remove(); offer = null; } }

    if (template && doctext) {
      doctext.addEventListener("mouseup", () => {
        hideOffer();
        const pick = selectedNumber();
        if (!pick) return;
        offer = document.createElement("button");
        offer.type = "button";
        offer.className = "primary add-offer";
        offer.textContent = "+ Add figure “" + pick.text.slice(pick.start, pick.end) + "”";
        offer.addEventListener("click", () => { hideOffer(); openAdd(pick); });
        walkNav.append(offer);
      });
    }

    function openAdd(pick) {
      panel.innerHTML = "";
      panel.append(template.content.cloneNode(true));
      const form = panel.querySelector("#addform");
      const number = pick.text.slice(pick.start, pick.end);
      form.querySelector(".sel-before").textContent = pick.text.slice(Math.max(0, pick.start - 80), pick.start);
      form.querySelector("mark").textContent = number;
      form.querySelector(".sel-after").textContent = pick.text.slice(pick.end, pick.end + 80);
      form.querySelector(".sel-span").textContent = pick.start + "–" + pick.end;
      form.elements.value.value = number;
      form.elements.value.focus();
      form.querySelector(".cancel").addEventListener("click", () => window.location.reload());
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const data = new FormData(form);
        const body = { doc: docId, span: [pick.start, pick.end] };
        for (const [k, v] of data.entries()) {
          const s = String(v).trim();
          if (k === "is_total") body.is_total = true;
          else if (k === "places") body.places = s.split(";").map((x) => x.trim()).filter(Boolean);
          else if (s !== "") body[k] = s;
        }
        const { resp, answer } = await post("/api/facts", body);
        if (!resp.ok) {
          let box = form.querySelector("p.error");
          if (!box) { box = document.createElement("p"); box.className = "error"; box.setAttribute("role", "alert"); form.prepend(box); }
          box.textContent = answer.error || "error " + resp.status;
          return;
        }
        window.location = "/documents/" + encodeURIComponent(docId) + "?fact=" + encodeURIComponent(answer.fact.id) + "#editor";
      });
    }
  }

  // -- the queue page -----------------------------------------------------------------
  const bulk = document.getElementById("bulk");
  if (bulk) {
    const rows = () => Array.from(bulk.querySelectorAll("tbody tr[data-fact-id]"));
    const boxes = () => Array.from(bulk.querySelectorAll('input[name="ids"]'));
    const picked = document.getElementById("picked");
    const all = document.getElementById("select-all");

    function count() {
      const n = boxes().filter((b) => b.checked).length;
      if (picked) picked.textContent = n ? n + " selected" : "none selected";
      return n;
    }
    bulk.addEventListener("change", count);
    if (all) all.addEventListener("change", () => { boxes().forEach((b) => { b.checked = all.checked; }); count(); });

    // one confirmation for a bulk action
    bulk.addEventListener("submit", (ev) => {
      const button = ev.submitter;
      if (!button || !button.classList.contains("bulk-act")) return;
      const n = count();
      if (!n) { ev.preventDefault(); toast("Select figures first (x, or the boxes).", false); return; }
      const who = button.value === "assign" ? " to " + (bulk.elements.assignee.value || "nobody") : "";
      if (!window.confirm(button.textContent.replace(" selected", "") + " " + n + " figure" + (n > 1 ? "s" : "") + who + "?")) ev.preventDefault();
    });

    function current() { return bulk.querySelector("tbody tr.current") || rows()[0]; }
    function move(step) {
      const list = rows();
      const at = list.indexOf(current());
      const next = list[Math.min(list.length - 1, Math.max(0, at + step))];
      if (!next) return;
      list.forEach((r) => r.classList.remove("current"));
      next.classList.add("current");
      next.scrollIntoView({ block: "nearest" });
    }

    async function act(action) {
      const row = current();
      if (!row || row.classList.contains("gone")) return;
      const id = row.dataset.factId;
      const versions = {};
      versions[id] = Number(row.dataset.version);
      const { resp, answer } = await post("/api/facts/bulk", { action: action, ids: [id], versions: versions });
      if (!resp.ok || !answer.done.length) {
        toast("Not done: " + (answer.error || (answer.skipped[0] || {}).why || resp.status), false);
        return;
      }
      const pill = row.querySelector(".pill");
      const status = action === "verify" ? "verified" : "rejected";
      if (pill) { pill.className = "pill st-" + status; pill.textContent = status; }
      row.classList.add("gone");
      lastUndo = {
        items: answer.undo,
        after: async () => {
          row.classList.remove("gone");
          if (pill) { pill.className = "pill st-" + answer.undo[0].status; pill.textContent = answer.undo[0].status; }
          row.dataset.version = String(answer.undo[0].version + 1);
        },
      };
      toast((action === "verify" ? "Verified" : "Rejected") + ".", true);
      move(1);
    }

    document.addEventListener("keydown", (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev)) return;
      const row = current();
      switch (ev.key) {
        case "j": ev.preventDefault(); move(1); break;
        case "k": ev.preventDefault(); move(-1); break;
        case "Enter": case "o": if (row) { ev.preventDefault(); window.location = row.dataset.href; } break;
        case "v": ev.preventDefault(); act("verify"); break;
        case "r": ev.preventDefault(); act("reject"); break;
        case "e": if (row) { ev.preventDefault(); window.location = row.dataset.href; } break;
        case "x": {
          const box = row && row.querySelector('input[name="ids"]');
          if (box) { ev.preventDefault(); box.checked = !box.checked; count(); }
          break;
        }
        case "u": ev.preventDefault(); undo(); break;
        case "/": ev.preventDefault(); openFilters(); document.getElementById("search").focus(); break;
        case "?": ev.preventDefault(); showHelp(); break;
      }
    });
    rows().forEach((r) => r.addEventListener("click", (ev) => {
      if (ev.target.closest("a, button, input")) return;
      rows().forEach((x) => x.classList.remove("current"));
      r.classList.add("current");
    }));
    // phones: the filters folded under their summary, the rows on the first screen
    const filterBox = document.getElementById("filter-box");
    function openFilters() { if (filterBox) filterBox.open = true; }
    if (filterBox && window.matchMedia("(max-width: 700px)").matches) filterBox.open = false;
    if (window.location.hash === "#search") { openFilters(); document.getElementById("search").focus(); }
  }
})();
