// Priority walk-ins at the kiosk (issue #17): a person without a booking (elderly, with a
// disability, pregnant, with a young child) taps the welcome screen's second button, their group,
// their service, and has a number in the priority lane: three taps, nothing personal asked.
// Who may come, the ages, what is left of today's quota and every refusal come from the core
// (`walkin_state`, `walkin_issue`); this file only shows them. The result and refusal screens
// are app.js's, as after a scan.
"use strict";

const walkin = {
  // The core's `WalkinState` last read (null before the first answer, or after a failed one).
  state: null,
  // The group chosen on the first question.
  category: null,
  // Answers to older refreshes arriving late must not overwrite a newer one.
  asked: 0,
};

// The pictograms' ids in index.html (`#pict-<name>`), drawn for Hadir.
function pictogram(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 64 64");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "pict");
  const use = document.createElementNS(ns, "use");
  use.setAttribute("href", `#pict-${name}`);
  svg.append(use);
  return svg;
}

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

// A group's age, where the office has one (from the core's state; the desk passes its own).
function categoryDetail(category, state = walkin.state) {
  switch (category) {
    case "lansia": return t("walkin.category.lansia.detail", { age: state.lansia_min_age });
    case "anak": return t("walkin.category.anak.detail", { age: state.anak_under_age });
    default: return "";
  }
}

// ---- the welcome screen's button ----

function renderButton() {
  const button = document.getElementById("walkin-open");
  const state = walkin.state;
  button.hidden = !state || !state.offered;
  // Whether the core has answered, and what (tests wait for it; the page never guesses).
  button.dataset.offered = state ? String(state.offered) : "";
  if (button.hidden) {
    return;
  }
  const pictures = document.getElementById("walkin-picts");
  pictures.replaceChildren(...state.categories.map((c) => pictogram(c.category)));
  document.getElementById("walkin-who").textContent = state.categories
    .map((c) => t(`walkin.category.${c.category}.short`))
    .join(", ");
  document.getElementById("walkin-left").textContent = state.full
    ? t("walkin.button.full")
    : t("walkin.button.left", { n: state.remaining });
  // Full: it says so before anyone taps, and a tap still explains what to do next.
  button.dataset.full = String(state.full);
  button.dataset.remaining = String(state.remaining);
}

// Asks the core what is left today (the welcome screen is shown, a walk-in was issued).
async function refresh() {
  const asked = ++walkin.asked;
  let state = null;
  try {
    state = await window.backend.call("walkin_state");
  } catch (error) {
    // No figures, no promise: the button waits for the next answer.
    console.error("walkin_state failed", error);
  }
  if (asked === walkin.asked) {
    walkin.state = state;
    renderButton();
  }
  return state;
}

async function open() {
  if (kiosk.busy) {
    return;
  }
  // The figures on the button may be a while old: a freed place counts, a taken one too.
  const state = (walkin.state && walkin.state.full) ? await refresh() : walkin.state;
  if (!state || !state.offered) {
    return;
  }
  if (state.full) {
    showRefusal(state.full_refusal, {});
    return;
  }
  showGroups();
}

// ---- first question (with who may come): which group ----

function showGroups() {
  walkin.category = null;
  renderGroups();
  show("walkin-group");
}

function choiceButton(pict, name, detail, full) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "choice";
  button.dataset.full = String(full);
  button.append(pictogram(pict), span("choice-name", name));
  if (detail) {
    button.append(span("choice-detail", detail));
  }
  if (full) {
    button.append(span("choice-full", t("walkin.full")));
  }
  return button;
}

function renderGroups() {
  const list = document.getElementById("walkin-groups");
  list.replaceChildren();
  for (const group of walkin.state ? walkin.state.categories : []) {
    const button = choiceButton(group.category, t(`walkin.category.${group.category}.name`),
      categoryDetail(group.category), group.full);
    button.dataset.category = group.category;
    button.addEventListener("click", () => chooseGroup(group));
    list.append(button);
  }
}

function chooseGroup(group) {
  if (group.full) {
    showRefusal(walkin.state.full_refusal, {});
    return;
  }
  walkin.category = group.category;
  // One service offered: nothing to ask.
  if (group.services.length === 1) {
    issue(group.services[0].service);
    return;
  }
  renderServices();
  show("walkin-service");
}

// ---- second question: which service ----

function renderServices() {
  const group = walkin.state.categories.find((c) => c.category === walkin.category);
  const chosen = document.getElementById("walkin-chosen");
  const detail = categoryDetail(group.category);
  chosen.textContent = t("walkin.service.chosen", {
    group: t(`walkin.category.${group.category}.name`) + (detail ? ` (${detail})` : ""),
  });
  const list = document.getElementById("walkin-services");
  list.replaceChildren();
  for (const offered of group.services) {
    const button = choiceButton(`service-${offered.service}`, t(`service.${offered.service}`), "", offered.full);
    button.dataset.service = offered.service;
    // A full service is still asked for: the core refuses it with its next step, or issues it
    // if a place was freed meanwhile.
    button.addEventListener("click", () => issue(offered.service));
    list.append(button);
  }
}

async function issue(service) {
  if (kiosk.busy) {
    return; // one tap at a time: a second tap must not take a second place
  }
  kiosk.busy = true;
  kiosk.typedCode = "";
  show("working");
  try {
    const choice = { category: walkin.category, service };
    // The ticket is printed in the language the applicant is reading now.
    const result = await window.backend.call("walkin_issue", { choice, language: window.i18n.lang });
    walkin.state = result.state;
    renderButton();
    if (result.admits) {
      showResult(result);
      // showResult has just shown the result screen (which hides this block): a walk-in's.
      document.getElementById("result-walkin").hidden = false;
    } else {
      showRefusal(result.code, {});
    }
  } catch (error) {
    showRefusal(error.code || "backend_failed", {});
  } finally {
    kiosk.busy = false;
  }
}

// ---- wiring ----

function renderAll() {
  renderButton();
  if (kiosk.screen === "walkin-group") {
    renderGroups();
  } else if (kiosk.screen === "walkin-service" && walkin.state) {
    renderServices();
  }
}

function init() {
  document.getElementById("walkin-open").addEventListener("click", open);
  document.getElementById("walkin-back").addEventListener("click", showGroups);
  // A companion with the same need: the same questions for a ticket of their own.
  document.getElementById("walkin-companion").addEventListener("click", open);
  document.addEventListener("kiosk:screen", (event) => {
    // Every result screen starts without the walk-in block; `issue` shows it for its own.
    document.getElementById("result-walkin").hidden = true;
    if (event.detail.name === "welcome") {
      refresh();
    }
  });
  // The texts built here follow the language toggle like every `data-i18n` text.
  document.addEventListener("i18n:loaded", renderAll);
}

// The desk's walk-in panel (staff_walkin.js) draws its buttons with the same parts.
window.walkin = { refresh, pictogram, span, categoryDetail };

document.addEventListener("DOMContentLoaded", init);
