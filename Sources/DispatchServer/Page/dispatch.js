// The dispatcher's page: the live case board (Server-Sent Events from /v1/views/case-board/stream),
// countdowns to each deadline, the responder board, one case with its recommendations, and the
// actions a dispatch desk takes. Plain JavaScript, no build step; everything it shows comes from the
// daemon's API, and every action is a command (POST /v1/commands/NAME) with an Idempotency-Key.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  token: null, me: null, board: null, selected: null, rosterTimer: null, roster: [],
  // Each showCase call's number: only the latest one draws the case (see showCase).
  shown: 0,
  // The daemon's clock: what it read at `local` (this browser's clock), and how fast it runs (a demo
  // daemon runs faster than the wall clock: GET /v1/clock).
  clock: { server: Date.now(), local: Date.now(), rate: 1 },
};

function serverNow() {
  return state.clock.server + (Date.now() - state.clock.local) * state.clock.rate;
}

// ---- the token: from the URL's fragment once (never sent to a server), then this tab's storage ----
function takeToken() {
  const match = location.hash.match(/token=([^&]+)/);
  if (match) {
    sessionStorage.setItem("vigil.token", decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem("vigil.token");
}

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: "Bearer " + state.token }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401) { signOut("That token is not valid (any more): sign in again."); throw new Error("401"); }
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const error = new Error(body && body.detail ? body.detail : response.status + " " + response.statusText);
    error.status = response.status;
    throw error;
  }
  return body;
}

// An Idempotency-Key: a UUIDv7 (RFC 9562), 48 bits of Unix milliseconds and then random bits, so the
// command's events get time-ordered ids, which the log's id index stores at its edge (README, Event ids).
function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  let ms = Date.now();
  for (let i = 5; i >= 0; i--) { b[i] = ms % 256; ms = Math.floor(ms / 256); }
  b[6] = (b[6] & 0x0f) | 0x70; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function command(name, fields, button) {
  if (button) button.disabled = true;
  try {
    const answer = await api("/v1/commands/" + name, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": uuid() },
      body: JSON.stringify(fields),
    });
    toast(name + ": done");
    // Read the case as it stands after this command: the views answer once they have folded it.
    const written = Math.max(0, ...answer.events.map((e) => e.position));
    if (state.selected) showCase(state.selected, written);
  } catch (error) {
    if (error.message !== "401") toast(name + ": " + error.message, true);
  } finally {
    if (button) button.disabled = false;
  }
}

function toast(text, isError) {
  const t = $("toast");
  t.textContent = text;
  t.className = isError ? "error" : "";
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, isError ? 8000 : 3000);
}

// ---- Server-Sent Events over fetch (EventSource cannot send the bearer token) ----
async function follow(path, onEvent, onStatus) {
  let lastId = null;
  for (;;) {
    try {
      const headers = { Authorization: "Bearer " + state.token };
      if (lastId !== null) headers["Last-Event-ID"] = lastId;
      const response = await fetch(path, { headers });
      if (response.status === 401) { signOut("That token is not valid (any more): sign in again."); return; }
      if (!response.ok) throw new Error(String(response.status));
      onStatus("live");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = "message", data = [], id = null;
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "id") id = text;
            else if (field === "event") event = text;
            else if (field === "data") data.push(text);
          }
          if (id !== null) lastId = id;
          if (data.length) onEvent(event, data.join("\n"));
        }
      }
    } catch (error) {
      // fall through: reconnect
    }
    if (!state.token) return;
    onStatus("reconnecting");
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

// ---- rendering helpers ----
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clockTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function formatLeft(ms) {
  const negative = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  const text = (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(s).padStart(2, "0");
  return negative ? "−" + text + " over" : text + " left";
}

function countdown(deadline, atRisk) {
  return el("span", { class: "countdown" + (atRisk ? " risk" : ""), dataset: { deadline } }, "");
}

function tick() {
  const now = serverNow();
  $("now").textContent = new Date(now).toLocaleString([], { weekday: "short", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit" });
  for (const node of document.querySelectorAll(".countdown[data-deadline]")) {
    const left = Date.parse(node.dataset.deadline) - now;
    node.textContent = formatLeft(left);
    node.classList.toggle("breach", left < 0);
  }
}

const clockNames = {
  "ADVOCATE-ON-SCENE": "advocate on scene", "AGENCY-ON-SCENE": "agency on scene", "ACKNOWLEDGE": "acknowledge",
  "HEALTH-72": "health 72 h", "PROTOCOL-72": "protocol 72 h", "HOTLINE-IMMEDIATE": "hotline 24 h",
};

// ---- the case board ----
function renderBoard(board) {
  const entry = (b) => b && JSON.stringify(b.cases.find((c) => c.caseId === state.selected) || null);
  const selectedChanged = state.selected && entry(state.board) !== entry(board);
  state.board = board;
  state.clock.server = Date.parse(board.now);
  state.clock.local = Date.now();
  const cases = [...board.cases].sort((a, b) => Number(b.atRisk) - Number(a.atRisk));
  const breached = cases.filter((c) => c.clocks.some((k) => k.status === "breached")).length;
  $("board-counts").textContent =
    `${cases.length} open · ${board.atRisk} at risk · ${breached} breached · log ${board.position}` +
    (board.lag ? ` (views ${board.lag} behind)` : "");
  $("board-empty").hidden = cases.length > 0;
  const list = $("board");
  list.replaceChildren(...cases.map(caseCard));
  tick();
  // The case on screen changed (or closed): show it as it is now, at least as of this board.
  if (selectedChanged) showCase(state.selected, board.position);
}

function caseCard(c) {
  const breached = c.clocks.some((k) => k.status === "breached");
  const open = () => showCase(c.caseId);
  return el("li", {
      class: "card" + (c.atRisk ? " at-risk" : "") + (breached ? " breached" : "") +
        (state.selected === c.caseId ? " selected" : ""),
      tabindex: "0", dataset: { case: c.caseId }, onclick: open,
      onkeydown: (e) => { if (e.key === "Enter") open(); },
    },
    el("div", { class: "top" }, el("span", {}, c.caseId),
      el("span", {}, c.atRisk ? el("span", { class: "badge risk" }, "at risk") : null, " ",
        breached ? el("span", { class: "badge breach" }, "breached") : null, " ",
        el("span", { class: "badge" }, c.phase))),
    el("div", { class: "meta" }, `${c.agency} · ${c.station} · ${c.area} · youth ${c.youthRef} · contact ${clockTime(c.contactAt)}`),
    c.requests.map((r) => el("div", { class: "meta", dataset: { request: r.requestId } },
      `${r.role}: `, r.responderId ? `${r.responderId} (${r.responderStatus})` : el("strong", {}, "no responder"),
      r.escalationLevel ? ` · escalated ${r.escalationLevel}×` : "")),
    el("div", { class: "clocks" }, c.clocks.map((k) => el("span", {},
      `${clockNames[k.serviceLevel] || k.serviceLevel} `, countdown(k.deadlineAt, k.atRisk)))));
}

// ---- one case ----
// Called after a command and again when the board shows the case changed, so two calls can be in
// flight. Each reads the views as of at least `position` (?minPosition: the command's events, or
// the board it follows), so neither shows the case from before the command; and only the latest
// call draws, or one that finished last (it also waits for the recommendation) would leave an older
// panel on screen (an assignment made, the panel still offering to assign).
async function showCase(caseId, position) {
  const call = ++state.shown;
  const stale = () => call !== state.shown || state.selected !== caseId;
  state.selected = caseId;
  for (const card of document.querySelectorAll(".card")) card.classList.toggle("selected", card.dataset.case === caseId);
  $("case-section").hidden = false;
  $("case-title").textContent = "Case " + caseId;
  let file;
  try {
    file = await api("/v1/cases/" + encodeURIComponent(caseId) + (position ? "?minPosition=" + position : ""));
  } catch (error) {
    if (!stale() && error.message !== "401") $("case").replaceChildren(el("p", { class: "empty" }, error.message));
    return;
  }
  if (stale()) return;
  const record = file.case;
  const boardEntry = state.board && state.board.cases.find((c) => c.caseId === caseId);
  const parts = [
    el("p", { class: "meta" }, `${record.lifecycle.phase} · ${record.agency} · ${record.station} · ${record.area} · ` +
      `${record.context} · youth ${record.youthRef}` + (record.ageAtContact ? ` · age ${record.ageAtContact}` : "") +
      (record.language ? ` · speaks ${record.language}` : "")),
  ];
  for (const request of record.requests) {
    const onBoard = boardEntry && boardEntry.requests.find((r) => r.requestId === request.requestId);
    parts.push(await requestBlock(record, request, onBoard, file.decisions));
  }
  if (stale()) return;
  if (!record.requests.length) parts.push(el("p", { class: "empty" }, "No responder requested yet."));
  $("case").replaceChildren(...parts);
  tick();
}

async function requestBlock(record, request, onBoard, decisions) {
  const current = request.assignments.length && (request.phase === "dispatched" || request.phase === "on-scene")
    ? request.assignments[request.assignments.length - 1] : null;
  const deadline = new Date(request.deadlineAt / 1000).toISOString();
  const block = el("div", { class: "request", dataset: { request: request.requestId } },
    el("h3", {}, `${request.role} · ${request.requestId} · ${request.phase}`),
    el("p", { class: "meta" }, "on scene by ", clockTime(deadline), " · ",
      request.phase === "awaiting" || request.phase === "dispatched" ? countdown(deadline, onBoard && onBoard.atRisk) : "",
      current ? ` · ${current.responderId} (${onBoard && onBoard.responderStatus || request.phase})` : ""));
  const fields = { caseId: record.caseId, requestId: request.requestId };
  const canDispatch = state.me && ["dispatcher", "supervisor"].includes(state.me.role);
  if (request.phase === "awaiting" && canDispatch) {
    let recommendation = null;
    try {
      recommendation = await api(`/v1/cases/${encodeURIComponent(record.caseId)}/requests/${encodeURIComponent(request.requestId)}/recommendation`);
    } catch (error) {
      if (error.message !== "401") block.append(el("p", { class: "empty" }, "No recommendation: " + error.message));
    }
    if (recommendation) block.append(recommendationTable(recommendation, "Recommended now (policy v" + recommendation.policyVersion + ")"));
    const first = recommendation && recommendation.candidates[0];
    block.append(el("div", { class: "actions" },
      el("button", { type: "button", "data-action": "assign-by-policy",
        onclick: (e) => command("assign-by-policy", fields, e.target) },
        first ? `Assign ${first.responderId} (policy)` : "Assign by policy"),
    ));
    block.append(overrideForm(fields, recommendation));
  } else if (request.phase === "dispatched" && current) {
    const who = Object.assign({ responderId: current.responderId }, fields);
    const status = onBoard && onBoard.responderStatus;
    block.append(el("div", { class: "actions" },
      status === "notified" ? el("button", { type: "button", "data-action": "acknowledge",
        onclick: (e) => command("acknowledge", who, e.target) }, "Acknowledge") : null,
      status !== "en-route" ? el("button", { type: "button", class: "secondary", "data-action": "en-route",
        onclick: (e) => command("en-route", who, e.target) }, "En route") : null,
      el("button", { type: "button", "data-action": "arrive", onclick: (e) => command("arrive", who, e.target) },
        "Arrived")));
    if (canDispatch) block.append(overrideForm(fields, null));
  }
  const recorded = decisions.filter((d) => d.data.requestId === request.requestId);
  for (const decision of recorded.slice(-2)) {
    block.append(recommendationTable(decision.data,
      `Decision recorded at ${clockTime(decision.occurredAt)} by ${decision.actor} (policy v${decision.data.policyVersion}, read log ${decision.data.decidedAtPosition})`));
  }
  return block;
}

function recommendationTable(r, title) {
  return el("div", { class: "recommendation" },
    el("h3", {}, title),
    r.candidates.length ? el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, "#"), el("th", {}, "Candidate"), el("th", {}, "Score"), el("th", {}, "Why"))),
      el("tbody", {}, r.candidates.map((c) => el("tr", {},
        el("td", { class: "num" }, c.rank), el("td", {}, c.responderId), el("td", { class: "num" }, c.score.toFixed(2)),
        el("td", { class: "reasons" }, c.reasons.join(", "))))))
      : el("p", { class: "empty" }, "No candidate."),
    r.exclusions.length ? el("details", {}, el("summary", {}, `${r.exclusions.length} excluded`),
      el("table", {}, el("tbody", {}, r.exclusions.map((x) => el("tr", {},
        el("td", {}, x.responderId), el("td", { class: "reasons" }, x.reasonCode + (x.reason ? ": " + x.reason : "")))))))
      : null);
}

function overrideForm(fields, recommendation) {
  const names = new Set();
  if (recommendation) {
    for (const c of recommendation.candidates) names.add(c.responderId);
    for (const x of recommendation.exclusions) names.add(x.responderId);
  }
  for (const row of state.roster || []) names.add(row.responderId);
  const select = el("select", { name: "responderId", required: true },
    el("option", { value: "" }, "Choose a responder…"), [...names].sort().map((n) => el("option", { value: n }, n)));
  const reason = el("textarea", { name: "overrideReason", required: true, rows: "2", maxlength: "500",
    placeholder: "Why override the policy (required; never the youth's name)" });
  const form = el("form", { class: "override", "data-action": "assign-manually" },
    el("strong", {}, "Override: assign someone else"), select, reason,
    el("button", { type: "submit", class: "secondary" }, "Assign with this reason"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!select.value || !reason.value.trim()) { toast("An override needs a responder and a reason.", true); return; }
    command("assign-manually", Object.assign({ responderId: select.value, overrideReason: reason.value.trim() }, fields),
      form.querySelector("button"));
  });
  return form;
}

// ---- the responder board ----
async function refreshRoster() {
  let roster;
  try { roster = await api("/v1/views/roster"); } catch (error) { return; }
  state.roster = roster.responders;
  const c = roster.counts;
  $("roster-counts").textContent = `${c.onShift} on shift · ${c.available} available · ${c.committed} committed`;
  $("roster").tBodies[0].replaceChildren(...roster.responders.filter((r) => r.shift !== "off-shift" || r.activeCase)
    .map((r) => el("tr", { dataset: { responder: r.responderId } },
      el("td", {}, r.responderId), el("td", {}, r.role), el("td", {}, el("span", { class: "badge" }, r.status)),
      el("td", {}, clockTime(r.since)), el("td", {}, r.shift + (r.shiftEndsAt ? " to " + clockTime(r.shiftEndsAt) : "")),
      el("td", {}, r.activeCase || ""))));
}

function scheduleRoster() {
  clearTimeout(state.rosterTimer);
  state.rosterTimer = setTimeout(refreshRoster, 300);
}

// ---- start ----
function setConnection(status) {
  const node = $("connection");
  node.textContent = status === "live" ? "live" : status;
  node.className = "connection " + (status === "live" ? "live" : "down");
}

function signOut(message) {
  state.token = null;
  sessionStorage.removeItem("vigil.token");
  $("app").hidden = true;
  $("signin").hidden = false;
  if (message) toast(message, true);
}

async function start() {
  state.token = takeToken();
  if (!state.token) { signOut(); return; }
  try {
    state.me = await api("/v1/me");
  } catch (error) {
    if (error.message !== "401") toast("Cannot reach the daemon: " + error.message, true);
    return;
  }
  $("who").textContent = `${state.me.actor} · ${state.me.role}`;
  try {
    const clock = await api("/v1/clock");
    state.clock = { server: Date.parse(clock.now), local: Date.now(), rate: clock.rate };
    if (clock.rate !== 1) $("who").textContent += ` · demo clock ×${clock.rate}`;
  } catch (error) {
    // The wall clock, then.
  }
  $("signin").hidden = true;
  $("app").hidden = false;
  refreshRoster();
  follow("/v1/views/case-board/stream", (event, data) => {
    if (event !== "board") return;
    renderBoard(JSON.parse(data));
    scheduleRoster();
    document.body.dataset.position = state.board.position;
  }, setConnection);
}

$("signin").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem("vigil.token", $("token").value.trim());
  $("token").value = "";
  start();
});
$("case-close").addEventListener("click", () => {
  state.selected = null;
  $("case-section").hidden = true;
  for (const card of document.querySelectorAll(".card")) card.classList.remove("selected");
});
setInterval(tick, 1000);
start();
