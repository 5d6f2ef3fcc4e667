// Screens of the applicant's kiosk. Every decision comes from the backend; this file only shows
// it, in the texts of i18n/<lang>.json.
"use strict";

const KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const STAFF_PRESS_MS = 3000;
// A stuck scanner repeats the same code: ignore a repeat this soon after it was answered.
const REPEAT_IGNORE_MS = 5000;
// Screens with their own input: a scanner burst there is not a check-in.
const OWN_INPUT_SCREENS = ["manual", "staff", "staff-login", "survey", "survey-comment"];

const kiosk = {
  // The core's facts for the screens (`kiosk_info`: idle times, limits, language, build), read
  // at start before anything is shown; the page keeps no copy of them.
  info: null,
  screen: "welcome",
  busy: false,
  resetTimer: null,
  lastScan: { text: "", at: 0 },
  manualCode: "",
  // The code typed on the on-screen keyboard for the scan under way ("" for a scanner's code):
  // a refusal of a typo offers to correct it instead of typing it all again.
  typedCode: "",
};

// How a refusal looks is the page's choice (the core decides the verdict, and whether it
// admits): refusals a typing slip can cause offer "Perbaiki kode" after a typed code.
const TYPO_REFUSALS = ["not_found", "malformed"];
// Answers that are not a fault but information (come back at the slot's time, already rated,
// rate after being served): shown calmly, with an "i" and no alarm red or refusal cue.
// A walk-in quota used up is not the applicant's fault either.
const CALM_REFUSALS = ["too_early", "already_rated", "too_soon", "walkin_quota_full", "walkin_offline_limit"];

const t = (key, params) => window.i18n.t(key, params);

function show(name) {
  // Every return to welcome is for the next applicant: back to the office's language, whatever
  // the last one chose (the toggle on the welcome screen itself does not come through here).
  if (name === "welcome" && kiosk.screen !== "welcome" && window.i18n.lang !== kiosk.info.language) {
    setLanguage(kiosk.info.language);
  }
  for (const screen of document.querySelectorAll(".screen")) {
    screen.hidden = screen.dataset.screen !== name;
  }
  // A text field of a screen just hidden (staff mode) would keep the focus for a moment and
  // swallow the first keys of the next scan, which the scanner leaves to fields.
  const focused = document.activeElement;
  if (focused && focused !== document.body && focused.closest(".screen[hidden]")) {
    focused.blur();
  }
  kiosk.screen = name;
  document.body.dataset.screen = name;
  armIdleReset();
  // Screens kept by other files (walkin.js) hear of it: the welcome button's quota is read anew.
  document.dispatchEvent(new CustomEvent("kiosk:screen", { detail: { name } }));
}

function idleSeconds(screen) {
  switch (screen) {
    // The walk-in questions are read and answered like a typed code: the same time.
    case "manual": case "walkin-group": case "walkin-service": return kiosk.info.manual_reset_seconds;
    case "staff": case "staff-login": return kiosk.info.staff_idle_seconds;
    case "survey": case "survey-comment": return kiosk.info.survey_reset_seconds;
    default: return kiosk.info.result_reset_seconds;
  }
}

// Every screen but welcome returns to welcome on its own; staff mode also signs out.
function armIdleReset() {
  clearTimeout(kiosk.resetTimer);
  if (kiosk.screen === "staff") {
    window.staffMode.touched();
  }
  if (kiosk.screen !== "welcome" && kiosk.screen !== "working") {
    const screen = kiosk.screen;
    kiosk.resetTimer = setTimeout(() => {
      if (screen === "staff") {
        window.staffMode.signOut("idle");
      }
      if (screen === "survey-comment") {
        window.survey.timedOut(); // the faces were answered: keep them, without a comment
        return;
      }
      show("welcome");
    }, idleSeconds(screen) * 1000);
  }
}

// One player per cue, made once and rewound, instead of a new media element (a GStreamer
// pipeline in WebKitGTK) for every scan waiting for the garbage collector.
const players = {};

function play(name) {
  if (kiosk.info.sound_volume <= 0) {
    return;
  }
  if (!players[name]) {
    players[name] = new Audio(`sounds/${name}.wav`);
  }
  const audio = players[name];
  audio.volume = Math.min(1, kiosk.info.sound_volume);
  audio.currentTime = 0;
  audio.play().catch(() => {}); // no audio device: the screen still says it all
}

function setPrinterProblem(problem) {
  document.getElementById("status-printer").hidden = !problem;
}

function showResult(result) {
  document.getElementById("result-title").textContent = t(`verdict.${result.code}.title`);
  const list = document.getElementById("result-tickets");
  list.replaceChildren();
  list.dataset.count = String(result.tickets.length); // groups get a tighter layout
  for (const ticket of result.tickets) {
    const item = document.createElement("li");
    const number = document.createElement("span");
    number.className = "ticket-number";
    number.textContent = ticket.label;
    const service = document.createElement("span");
    service.className = "ticket-service";
    service.textContent = t(`service.${ticket.service}`) + (ticket.express ? ` · ${t("service.express")}` : "");
    if (ticket.priority) {
      // Called in the priority lane: said here as on the printed ticket.
      const priority = document.createElement("strong");
      priority.className = "ticket-priority";
      priority.textContent = t("ticket.priority");
      service.append(" · ", priority);
    }
    item.append(number, service);
    if (ticket.group_size > 1 || ticket.applicant_masked) {
      const who = document.createElement("span");
      who.className = "ticket-who";
      const position = ticket.group_size > 1
        ? t("result.applicant", { pos: ticket.group_pos, size: ticket.group_size })
        : "";
      who.textContent = [ticket.applicant_masked, position].filter(Boolean).join(" · ");
      item.append(who);
    }
    // People ahead and the estimate, worded by the backend from the office hub's queue; a
    // kiosk without the hub gets none (docs/scaling.md says why).
    for (const line of ticket.ahead_lines || []) {
      const ahead = document.createElement("span");
      ahead.className = "ticket-ahead";
      ahead.textContent = line[window.i18n.lang] ?? line.id;
      item.append(ahead);
    }
    list.append(item);
  }
  // A family sees how many tickets to take from the printer.
  const count = document.getElementById("result-count");
  count.hidden = !(result.printing && result.tickets.length > 1);
  count.textContent = count.hidden ? "" : t("result.count", { n: result.tickets.length });
  document.getElementById("screen-result").dataset.code = result.code;
  show("result");
  if (result.printing) {
    setPrintState("print.printing", "printing");
    printPending(result.tickets.map((ticket) => ticket.ticket_id));
  } else {
    setPrintState("print.existing", "ok");
    play("ok");
  }
}

function setPrintState(key, state) {
  const line = document.getElementById("result-print");
  line.textContent = t(key);
  line.dataset.state = state;
}

// The number is already on screen (and committed); now the printer works.
async function printPending(ticketIds) {
  let failed = true;
  try {
    const outcomes = await window.backend.call("print_pending", { ticketIds });
    failed = outcomes.length !== ticketIds.length || outcomes.some((p) => p.outcome === "failed");
  } catch (error) {
    console.error("print_pending failed", error);
  }
  setPrinterProblem(failed);
  if (kiosk.screen === "result") {
    if (failed) {
      document.getElementById("result-count").hidden = true; // no ticket will come out now
    }
    setPrintState(failed ? "print.failed" : "print.done", failed ? "failed" : "ok");
    armIdleReset(); // the applicant gets the full time to read the outcome
  }
  play(failed ? "refusal" : "ok");
}

function showRefusal(code, params) {
  const known = window.i18n.has(`verdict.${code}.title`);
  const key = known ? code : "error";
  document.getElementById("refusal-title").textContent = t(`verdict.${key}.title`, params);
  document.getElementById("refusal-next").textContent = t(`verdict.${key}.next`, params);
  const screen = document.getElementById("screen-refusal");
  screen.dataset.code = code;
  const calm = CALM_REFUSALS.includes(code);
  screen.dataset.tone = calm ? "info" : "alarm";
  screen.querySelector(".refusal-mark").textContent = calm ? "i" : "!";
  document.getElementById("refusal-fix").hidden = !(kiosk.typedCode && TYPO_REFUSALS.includes(code));
  show("refusal");
  if (!calm) {
    play("refusal");
  }
}

// Latency of the last answered scan, from its first key and from its Enter to the painted
// screen, and how many scans were answered: staff health and the benchmark read them. The
// breakdown splits Enter -> painted into the backend's own time (decide, number, commit), the
// rest of the round trip (IPC), the DOM update and the two frames until it is on screen.
function recordLatency(startedAt, enterAt, answeredAt, backendMs) {
  const updatedAt = performance.now();
  requestAnimationFrame(() => {
    const firstFrame = performance.now();
    requestAnimationFrame(() => {
      const painted = performance.now();
      const body = document.body.dataset;
      body.lastScanMs = (painted - startedAt).toFixed(1);
      body.lastAnswerMs = (painted - enterAt).toFixed(1);
      body.lastBreakdown = JSON.stringify({
        backend: backendMs,
        ipc: answeredAt - enterAt - (backendMs || 0),
        dom: updatedAt - answeredAt,
        first_frame: firstFrame - updatedAt,
        second_frame: painted - firstFrame,
      });
      body.scans = String(Number(body.scans || 0) + 1);
    });
  });
}

async function submit(text, startedAt = performance.now()) {
  const enterAt = performance.now();
  const now = performance.now();
  const repeat = text === kiosk.lastScan.text && now - kiosk.lastScan.at < REPEAT_IGNORE_MS;
  if (kiosk.busy || repeat) {
    return; // one scan at a time; a stuck scanner's repeats are dropped, not queued
  }
  kiosk.busy = true;
  show("working");
  let answeredAt = null;
  let backendMs = null;
  try {
    // The tickets are printed in the language the applicant is reading now.
    const result = await window.backend.call("scan", { text, language: window.i18n.lang });
    answeredAt = performance.now();
    backendMs = result.backend_ms;
    if (result.screen === "survey") {
      window.survey.open(result);
    } else if (result.admits) {
      showResult(result);
    } else {
      showRefusal(result.code, result);
    }
  } catch (error) {
    answeredAt = performance.now();
    showRefusal(error.code || "backend_failed", {});
  } finally {
    kiosk.lastScan = { text, at: performance.now() };
    kiosk.busy = false;
    recordLatency(startedAt, enterAt, answeredAt, backendMs);
  }
}

function onScannerInput(text, startedAt) {
  if (OWN_INPUT_SCREENS.includes(kiosk.screen)) {
    return; // those screens have their own input
  }
  kiosk.typedCode = "";
  submit(text, startedAt);
}

// The camera fallback: decoded codes take the scanner's path; only the welcome screen listens,
// so a code held up a moment too long does not start a second scan on the result screen.
function startCamera() {
  const video = document.getElementById("camera-preview");
  video.hidden = false;
  const hint = document.querySelector("#screen-welcome .lead");
  hint.dataset.i18n = "welcome.hint_camera";
  hint.textContent = t("welcome.hint_camera");
  document.body.dataset.cameraWanted = "true";
  window.camera.start(video, (text) => submit(text), () => kiosk.screen === "welcome" && !kiosk.busy);
}

// ---- manual entry: a large on-screen keyboard for the booking code ----

function renderManualCode() {
  const output = document.getElementById("manual-code");
  output.textContent = kiosk.manualCode || t("manual.placeholder");
  output.dataset.empty = kiosk.manualCode ? "false" : "true";
  armIdleReset();
}

function buildKeyboard() {
  const keys = document.getElementById("manual-keys");
  for (const key of KEYS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "key";
    button.textContent = key;
    button.dataset.key = key;
    button.addEventListener("click", () => {
      if (kiosk.manualCode.length < kiosk.info.booking_code_max_len) {
        kiosk.manualCode += key;
        renderManualCode();
      }
    });
    keys.append(button);
  }
  document.getElementById("manual-backspace").addEventListener("click", () => {
    kiosk.manualCode = kiosk.manualCode.slice(0, -1);
    renderManualCode();
  });
  document.getElementById("manual-ok").addEventListener("click", () => {
    const code = kiosk.manualCode;
    if (code.length > 0) {
      kiosk.manualCode = "";
      kiosk.typedCode = code;
      submit(code);
    }
  });
  document.getElementById("refusal-fix").addEventListener("click", () => {
    kiosk.manualCode = kiosk.typedCode; // the same text back, to correct the slip
    kiosk.lastScan = { text: "", at: 0 }; // the corrected code may be the same: it is a new try
    show("manual");
    renderManualCode();
  });
  document.getElementById("manual-open").addEventListener("click", () => {
    kiosk.manualCode = "";
    show("manual");
    renderManualCode();
  });
}

// ---- kiosk lock-down in the page: no context menu, no zoom, no drag, no selection ----

function lockDown() {
  document.addEventListener("contextmenu", (event) => event.preventDefault());
  document.addEventListener("dragstart", (event) => event.preventDefault());
  document.addEventListener("wheel", (event) => {
    if (event.ctrlKey) {
      event.preventDefault();
    }
  }, { passive: false });
  document.addEventListener("keydown", (event) => {
    const zoomKey = ["+", "-", "=", "0"].includes(event.key);
    if ((event.ctrlKey || event.metaKey) && zoomKey) {
      event.preventDefault();
    }
  });
}

// Staff mode: a long press on the office name, then a name and a PIN (staff.js).
function staffGesture() {
  const target = document.getElementById("office-name");
  let timer = null;
  const cancel = () => clearTimeout(timer);
  target.addEventListener("pointerdown", () => {
    cancel();
    timer = setTimeout(() => window.staffMode.openLogin(), STAFF_PRESS_MS);
  });
  for (const end of ["pointerup", "pointerleave", "pointercancel"]) {
    target.addEventListener(end, cancel);
  }
}

async function setLanguage(lang) {
  await window.i18n.load(lang);
  if (kiosk.screen === "manual") {
    renderManualCode();
  }
}

// The core's facts for the screens. Without them no screen knows its idle time or limits, so
// the page waits and asks again rather than guess.
async function loadInfo() {
  for (;;) {
    try {
      return await window.backend.call("kiosk_info");
    } catch (error) {
      console.error("kiosk_info failed", error);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function start() {
  kiosk.info = await loadInfo();
  document.getElementById("office-name").textContent = kiosk.info.office_name;
  document.getElementById("demo-badge").hidden = !kiosk.info.demo;
  await window.i18n.load(kiosk.info.language);
  document.getElementById("language-toggle").addEventListener("click", () =>
    setLanguage(window.i18n.lang === "id" ? "en" : "id"));
  for (const button of document.querySelectorAll("[data-action='welcome']")) {
    button.addEventListener("click", () => {
      kiosk.lastScan = { text: "", at: 0 }; // a person pressed Done: the next scan is new
      show("welcome");
    });
  }
  // Any touch on a screen keeps it open a little longer.
  document.addEventListener("pointerdown", armIdleReset);
  buildKeyboard();
  lockDown();
  staffGesture();
  window.staffSync.start();
  window.scanner.listen(onScannerInput);
  // A scan that came while this page loaded after its daily refresh was held by the window.
  window.scanner.takeHeldKeys(() => window.backend.call("page_started"));
  if (kiosk.info.camera) {
    startCamera();
  }
  show("welcome");
  document.body.dataset.ready = "true";
  // When the welcome screen was first painted, on the wall clock: the start-up benchmark
  // compares it with the moment it launched the kiosk.
  requestAnimationFrame(() => requestAnimationFrame(() => {
    document.body.dataset.welcomePaintedEpochMs = (performance.timeOrigin + performance.now()).toFixed(1);
  }));
}

document.addEventListener("DOMContentLoaded", start);
