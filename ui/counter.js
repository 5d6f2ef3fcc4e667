// The counter machine's page (config role = "counter"): sign in (name, then PIN on the
// on-screen number pad), choose the counter and services, then work: the ticket in hand, the
// big buttons, who waits. Every rule (PIN lockout, idle sign-out, who is next, when a no-show
// may be marked) is the backend's; this page shows what it answers and asks before a no-show
// or a transfer.
"use strict";

(() => {
  const t = (key, params) => window.i18n.t(key, params);
  const REFRESH_MS = 4000;
  const TOUCH_EVERY_MS = 10000;
  const page = {
    info: null,
    name: "",
    session: null,
    counter: null,
    services: new Set(),
    screen: null,
    refresh: null,
    idle: null,
    lastTouch: 0,
    confirmed: null,
  };

  const $ = (id) => document.getElementById(id);

  function show(name) {
    for (const screen of document.querySelectorAll(".counter-screen")) {
      screen.hidden = screen.dataset.screen !== name;
    }
    document.body.dataset.screen = name;
  }

  // An error's words: what happened (`error.<code>.title`) and what to do (its next step).
  function say(place, error) {
    const title = window.i18n.has(`error.${error.code}.title`) ? t(`error.${error.code}.title`) : error.code;
    const next = window.i18n.pick(error.next_step);
    place.textContent = next ? `${title}. ${next}` : title;
    place.dataset.tone = "refusal";
    place.dataset.code = error.code;
  }

  function note(place, text) {
    place.textContent = text;
    place.dataset.tone = "info";
    delete place.dataset.code;
  }

  // ---- sign-in ----

  async function openSignIn(message) {
    stopRefresh();
    page.session = null;
    page.name = "";
    $("counter-who").textContent = "";
    $("counter-pin-entry").hidden = true;
    $("counter-pin").value = "";
    const place = $("counter-sign-in-message");
    note(place, message || "");
    show("sign-in");
    try {
      page.info = await window.backend.call("counter_info");
    } catch (error) {
      say(place, error);
      return;
    }
    const list = $("counter-names");
    list.replaceChildren();
    $("counter-names-hint").textContent = t(page.info.staff.length ? "counter.sign_in.choose_name" : "counter.sign_in.no_staff");
    for (const account of page.info.staff) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.dataset.name = account.name;
      button.textContent = account.name;
      button.addEventListener("click", () => pickName(account.name));
      item.append(button);
      list.append(item);
    }
  }

  function pickName(name) {
    page.name = name;
    for (const button of document.querySelectorAll("#counter-names button")) {
      button.dataset.chosen = String(button.dataset.name === name);
    }
    $("counter-pin-entry").hidden = false;
    $("counter-pin-label").textContent = t("counter.sign_in.pin", { name });
    $("counter-pin").value = "";
    $("counter-pin").click();
  }

  async function signIn() {
    const pin = $("counter-pin").value;
    $("counter-pin").value = "";
    if (!page.name || !pin) {
      return;
    }
    window.touchKeys.close();
    const place = $("counter-sign-in-message");
    let result;
    try {
      result = await window.backend.call("counter_sign_in", { name: page.name, pin });
    } catch (error) {
      say(place, error);
      return;
    }
    place.dataset.code = result.code;
    if (result.code === "signed_in") {
      page.session = result.session;
      openSetup();
    } else if (result.code === "wrong_pin") {
      place.textContent = t("counter.sign_in.wrong_pin", { left: result.left });
      place.dataset.tone = "refusal";
    } else {
      place.textContent = t("counter.sign_in.locked", { until: result.until_local });
      place.dataset.tone = "refusal";
    }
  }

  async function signOut(why) {
    stopRefresh();
    try {
      await window.backend.call("counter_sign_out", { why });
    } catch (error) {
      // Signed out already (idle on the backend too): the sign-in screen is right either way.
    }
    openSignIn();
  }

  // ---- counter and services ----

  function openSetup() {
    $("counter-who").textContent = t("counter.work.staff", { name: page.session.name });
    note($("counter-setup-message"), "");
    const numbers = $("counter-numbers");
    numbers.replaceChildren();
    for (let n = 1; n <= page.info.counters; n += 1) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.dataset.counter = String(n);
      button.textContent = String(n);
      button.setAttribute("aria-pressed", String(page.counter === n));
      button.addEventListener("click", () => {
        page.counter = n;
        for (const other of numbers.querySelectorAll("button")) {
          other.setAttribute("aria-pressed", String(other === button));
        }
        setupReady();
      });
      numbers.append(button);
    }
    const services = $("counter-services");
    services.replaceChildren();
    for (const service of page.info.services) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.dataset.service = service;
      button.textContent = t(`service.${service}`);
      button.setAttribute("aria-pressed", String(page.services.has(service)));
      button.addEventListener("click", () => {
        if (page.services.has(service)) {
          page.services.delete(service);
        } else {
          page.services.add(service);
        }
        button.setAttribute("aria-pressed", String(page.services.has(service)));
        setupReady();
      });
      services.append(button);
    }
    setupReady();
    show("setup");
  }

  function setupReady() {
    $("counter-setup-go").disabled = page.counter === null || page.services.size === 0;
  }

  async function choose() {
    // In the order the office lists them.
    const services = page.info.services.filter((s) => page.services.has(s));
    try {
      page.screen = await window.backend.call("counter_choose", { counter: page.counter, services });
    } catch (error) {
      if (sessionEnded(error)) {
        return;
      }
      say($("counter-setup-message"), error);
      return;
    }
    note($("counter-message"), "");
    render();
    show("work");
    startRefresh();
  }

  // ---- work ----

  function render() {
    const screen = page.screen;
    if (!screen) {
      return;
    }
    $("counter-heading").textContent = t("counter.work.heading", { counter: screen.counter });
    $("counter-who").textContent = t("counter.work.staff", { name: screen.staff });
    const ticket = screen.ticket;
    const card = $("counter-ticket");
    card.dataset.state = ticket ? ticket.state : "none";
    if (ticket) {
      $("counter-ticket-label").textContent = ticket.label;
      $("counter-ticket-service").textContent = t(`service.${ticket.service}`);
      $("counter-ticket-name").textContent = ticket.masked_name || t("counter.work.no_name");
      $("counter-ticket-state").textContent = t(`counter.state.${ticket.state}`);
      $("counter-ticket-recalls").textContent = t("counter.work.recalls", {
        recalls: ticket.recalls,
        needed: screen.recalls_needed,
      });
    }
    const body = $("counter-waiting").querySelector("tbody");
    body.replaceChildren();
    for (const queue of screen.waiting) {
      const row = document.createElement("tr");
      row.dataset.service = queue.service;
      const name = document.createElement("td");
      name.textContent = t(`service.${queue.service}`);
      const priority = document.createElement("td");
      priority.className = "count";
      priority.dataset.lane = "priority";
      priority.textContent = String(queue.priority);
      const regular = document.createElement("td");
      regular.className = "count";
      regular.dataset.lane = "regular";
      regular.textContent = String(queue.regular);
      row.append(name, priority, regular);
      body.append(row);
    }
  }

  async function act(action, to) {
    closeChoices();
    const place = $("counter-message");
    let acted;
    try {
      acted = await window.backend.call("counter_act", to ? { action, to } : { action });
    } catch (error) {
      if (!sessionEnded(error)) {
        say(place, error);
        refreshNow();
      }
      return;
    }
    page.screen = acted.screen;
    note(place, t(`counter.done.${acted.action}`, {
      label: acted.label,
      service: t(`service.${acted.service}`),
    }));
    place.dataset.action = acted.action;
    render();
  }

  // No-show and transfer ask first.
  function confirm(text, onYes) {
    closeChoices();
    $("counter-confirm-text").textContent = text;
    page.confirmed = onYes;
    $("counter-confirm").hidden = false;
  }

  function closeChoices() {
    $("counter-confirm").hidden = true;
    $("counter-transfer-to").hidden = true;
    page.confirmed = null;
  }

  function label() {
    return page.screen && page.screen.ticket ? page.screen.ticket.label : "";
  }

  function askNoShow() {
    confirm(t("counter.confirm.no_show", { label: label() }), () => act("no_show"));
  }

  function askTransfer() {
    closeChoices();
    const current = page.screen && page.screen.ticket ? page.screen.ticket.service : null;
    $("counter-transfer-label").textContent = t("counter.transfer.choose", { label: label() });
    const list = $("counter-transfer-services");
    list.replaceChildren();
    for (const service of page.info.services.filter((s) => s !== current)) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.dataset.service = service;
      button.textContent = t(`service.${service}`);
      button.addEventListener("click", () =>
        confirm(t("counter.confirm.transfer", { label: label(), service: t(`service.${service}`) }),
          () => act("transfer", service)));
      list.append(button);
    }
    $("counter-transfer-to").hidden = false;
  }

  // The waiting counts (and a ticket in hand after a restart) every few seconds: no activity,
  // so a counter left alone still signs out.
  async function refreshNow() {
    try {
      page.screen = await window.backend.call("counter_screen");
      render();
    } catch (error) {
      if (!sessionEnded(error)) {
        say($("counter-message"), error);
      }
    }
  }

  function startRefresh() {
    stopRefresh();
    page.refresh = setInterval(refreshNow, REFRESH_MS);
    armIdle();
  }

  function stopRefresh() {
    if (page.refresh) {
      clearInterval(page.refresh);
      page.refresh = null;
    }
    if (page.idle) {
      clearTimeout(page.idle);
      page.idle = null;
    }
  }

  // The session ended on the backend (idle, account changed): back to the sign-in screen.
  function sessionEnded(error) {
    if (error.code === "staff_session_expired" || error.code === "staff_not_signed_in") {
      const title = t(`error.${error.code}.title`);
      openSignIn(title);
      return true;
    }
    return false;
  }

  // The screen's idle timer, as staff mode's: a touch re-arms it and, at most every 10 s,
  // tells the backend (whose own timer ends the session anyway).
  function armIdle() {
    if (!page.session) {
      return;
    }
    if (page.idle) {
      clearTimeout(page.idle);
    }
    page.idle = setTimeout(() => signOut("idle"), page.info.idle_logout_seconds * 1000);
  }

  function touched() {
    if (!page.session) {
      return;
    }
    armIdle();
    if (performance.now() - page.lastTouch > TOUCH_EVERY_MS) {
      page.lastTouch = performance.now();
      window.backend.call("counter_touch").catch((error) => sessionEnded(error));
    }
  }

  async function toggleLanguage() {
    await window.i18n.load(window.i18n.lang === "id" ? "en" : "id");
  }

  async function start() {
    document.addEventListener("pointerdown", touched, true);
    $("counter-language").addEventListener("click", toggleLanguage);
    $("counter-pin-go").addEventListener("click", signIn);
    $("counter-pin-back").addEventListener("click", () => openSignIn());
    $("counter-setup-go").addEventListener("click", choose);
    for (const button of document.querySelectorAll("[data-action='sign-out']")) {
      button.addEventListener("click", () => signOut("done"));
    }
    for (const button of document.querySelectorAll("[data-act]")) {
      button.addEventListener("click", () => act(button.dataset.act));
    }
    $("counter-no-show").addEventListener("click", askNoShow);
    $("counter-transfer").addEventListener("click", askTransfer);
    $("counter-confirm-yes").addEventListener("click", () => {
      const onYes = page.confirmed;
      closeChoices();
      if (onYes) {
        onYes();
      }
    });
    for (const button of document.querySelectorAll("[data-action='cancel']")) {
      button.addEventListener("click", closeChoices);
    }
    // Texts built here are built again in the new language.
    document.addEventListener("i18n:loaded", () => {
      render();
      if (!$("counter-setup").hidden) {
        openSetup();
      }
    });
    let language = "id";
    try {
      page.info = await window.backend.call("counter_info");
      language = page.info.language === "en" ? "en" : "id";
    } catch (error) {
      // Shown by openSignIn below.
    }
    await window.i18n.load(language);
    await openSignIn();
    // The window is up and answering (tests wait for this).
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", start);
})();
