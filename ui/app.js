// Screens of the applicant's kiosk. Every decision comes from the backend; this file only shows it.
"use strict";

const RESET_AFTER_MS = 15000;
let resetTimer = null;
let busy = false;

function show(name) {
  for (const screen of document.querySelectorAll(".screen")) {
    screen.hidden = screen.dataset.screen !== name;
  }
  document.body.dataset.screen = name;
  clearTimeout(resetTimer);
  if (name !== "welcome" && name !== "working") {
    resetTimer = setTimeout(() => show("welcome"), RESET_AFTER_MS);
  }
}

function showResult(result) {
  const t = window.i18n.t.bind(window.i18n);
  document.getElementById("result-title").textContent = t(`verdict.${result.code}.title`);
  const list = document.getElementById("result-tickets");
  list.replaceChildren();
  for (const ticket of result.tickets) {
    const item = document.createElement("li");
    const number = document.createElement("span");
    number.className = "ticket-number";
    number.textContent = ticket.label;
    const service = document.createElement("span");
    service.className = "ticket-service";
    service.textContent = t(`service.${ticket.service}`);
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
    list.append(item);
  }
  const failed = result.prints.some((p) => p.outcome === "failed");
  const printState = result.code === "ok" ? (failed ? "print.failed" : "print.done") : "print.existing";
  document.getElementById("result-print").textContent = t(printState);
  document.getElementById("screen-result").dataset.code = result.code;
  show("result");
}

function showRefusal(code, params) {
  const t = window.i18n.t.bind(window.i18n);
  const known = window.i18n.strings[`verdict.${code}.title`] !== undefined;
  const key = known ? code : "error";
  document.getElementById("refusal-title").textContent = t(`verdict.${key}.title`, params);
  document.getElementById("refusal-next").textContent = t(`verdict.${key}.next`, params);
  document.getElementById("screen-refusal").dataset.code = code;
  show("refusal");
}

async function onScan(text) {
  if (busy) {
    return; // one scan at a time; a repeat while busy is the same code again
  }
  busy = true;
  show("working");
  try {
    const result = await window.backend.call("scan", { text });
    if (result.code === "ok" || result.code === "already_checked_in") {
      showResult(result);
    } else {
      showRefusal(result.code, result);
    }
  } catch (error) {
    showRefusal(error.code || "backend_failed", {});
  } finally {
    busy = false;
  }
}

async function start() {
  let info = { office_name: "", language: "id" };
  try {
    info = await window.backend.call("kiosk_info");
  } catch (error) {
    console.error("kiosk_info failed", error);
  }
  document.getElementById("office-name").textContent = info.office_name;
  document.getElementById("demo-badge").hidden = !info.demo;
  await window.i18n.load(info.language);
  document.getElementById("language-toggle").addEventListener("click", async () => {
    await window.i18n.load(window.i18n.lang === "id" ? "en" : "id");
  });
  window.scanner.listen(onScan);
  show("welcome");
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
