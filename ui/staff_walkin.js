// Priority walk-ins at the front desk (issue #17): staff issue a walk-in ticket for the person in
// front of them (a group and a service, large buttons with the kiosk's pictograms), issue one
// anyway past a full quota with a reason, and turn one away at the counter (asked first). Who may
// come, what is left of today's quota, whether the quota may be exceeded (`may_override`) and
// whether a turned-away place goes back (`frees_place`) are the core's answers; the officer's
// words about each action come from the core too (`staff_message`). Uses staff.js's `call`,
// `say` and `askFirst`; kept in its own scope, beside the kiosk's walkin.js.
"use strict";

(() => {
  const REASON_PRESETS = ["urgent", "supervisor", "wrong_category", "has_booking"];

  const desk = {
    // The core's `WalkinState` last read, and today's walk-ins (`WalkinTicket`s).
    state: null,
    walkins: [],
    category: null,
    service: null,
    // The choice the core refused with `may_override`: "issue anyway" issues that one.
    refused: null,
  };

  const byId = (id) => document.getElementById(id);
  const pick = (both) => window.i18n.pick(both);
  const clock = (rfc3339) => (rfc3339 || "").slice(11, 16);

  // The kiosk's pictograms and text parts (ui/walkin.js, loaded after this file: looked up
  // when first drawn).
  const pictogram = (name) => window.walkin.pictogram(name);
  const span = (className, text) => window.walkin.span(className, text);

  function reasonText() {
    return byId("desk-walkin-reason").value.trim();
  }

  // ---- what is left, and the two choices ----

  function renderQuota() {
    const state = desk.state;
    const line = byId("desk-walkin-quota");
    line.dataset.full = String(state.full);
    line.dataset.remaining = String(state.remaining);
    line.textContent = state.full
      ? t("staff.walkin.quota_full")
      : t(state.source === "offline" ? "staff.walkin.quota_offline" : "staff.walkin.quota_left", { n: state.remaining });
  }

  function choiceButton(pict, name, remaining, full, chosen) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "desk-choice";
    button.dataset.full = String(full);
    button.dataset.chosen = String(chosen);
    button.setAttribute("aria-pressed", String(chosen));
    button.append(pictogram(pict), span("desk-choice-name", name));
    if (remaining !== null) {
      button.append(span("desk-choice-left", full ? t("staff.walkin.full") : t("staff.walkin.left", { n: remaining })));
    }
    return button;
  }

  function categoryName(category) {
    const detail = window.walkin.categoryDetail(category, desk.state);
    const name = t(`walkin.category.${category}.name`);
    return detail ? `${name} (${detail})` : name;
  }

  function renderChoices() {
    const state = desk.state;
    const groups = byId("desk-walkin-categories");
    groups.replaceChildren();
    for (const group of state.categories) {
      const button = choiceButton(group.category, categoryName(group.category), group.remaining, group.full,
        group.category === desk.category);
      button.dataset.category = group.category;
      button.addEventListener("click", () => choose(group.category, desk.service));
      groups.append(button);
    }
    // The services of the chosen group (each offered group has the same ones; figures differ
    // by group when the quota is counted per group, so none are shown before a group is chosen).
    const chosen = state.categories.find((c) => c.category === desk.category);
    const group = chosen || state.categories[0];
    const services = byId("desk-walkin-services");
    services.replaceChildren();
    for (const offered of group ? group.services : []) {
      const button = choiceButton(`service-${offered.service}`, t(`service.${offered.service}`),
        chosen ? offered.remaining : null, chosen ? offered.full : false, offered.service === desk.service);
      button.dataset.service = offered.service;
      button.addEventListener("click", () => choose(desk.category, offered.service));
      services.append(button);
    }
  }

  function choose(category, service) {
    desk.category = category;
    desk.service = service;
    // "Issue anyway" belongs to the refusal of one choice.
    desk.refused = null;
    byId("desk-walkin-override").hidden = true;
    renderChoices();
  }

  // ---- issue, and issue anyway ----

  async function issue(overriding) {
    const feedback = byId("desk-walkin-feedback");
    say("", "", feedback);
    const choice = overriding ? desk.refused : { category: desk.category, service: desk.service };
    if (!choice || !choice.category || !choice.service) {
      say(t("staff.walkin.choose_first"), "failed", feedback);
      return;
    }
    const result = await call("staff_walkin_issue", {
      choice, overrideReason: overriding ? reasonText() : null,
    }, feedback);
    if (!result) {
      return; // said beside the button (a missing reason: what to write)
    }
    feedback.dataset.code = result.code;
    desk.state = result.state;
    renderQuota();
    if (result.admits) {
      say(pick(result.staff_message), "done", feedback);
      byId("desk-walkin-reason").value = "";
      desk.refused = null;
      byId("desk-walkin-override").hidden = true;
      // The next person starts with nothing chosen.
      desk.category = null;
      desk.service = null;
      renderChoices();
      loadFailedPrints();
      await loadList();
      return;
    }
    say(pick(result.staff_message), "failed", feedback);
    renderChoices();
    // The core says when staff may issue it anyway (the quota is full), with a reason.
    desk.refused = result.may_override ? choice : null;
    byId("desk-walkin-override").hidden = !result.may_override;
  }

  // ---- today's walk-ins, and turning one away ----

  function fillRow(item, walkin, feedback) {
    item.dataset.ticket = walkin.ticket_id;
    item.dataset.label = walkin.label;
    item.dataset.turnedAway = String(!!walkin.turned_away_at);
    const marks = [t(walkin.by_staff ? "staff.walkin.row.by_staff" : "staff.walkin.row.at_kiosk")];
    if (walkin.over_quota) {
      marks.push(t("staff.walkin.row.over_quota"));
    }
    const facts = document.createElement("p");
    facts.textContent = t("staff.walkin.row", {
      label: walkin.label, time: clock(walkin.issued_at), category: t(`walkin.category.${walkin.category}.name`),
      service: t(`service.${walkin.service}`), how: marks.join(", "),
    });
    const parts = [facts];
    if (walkin.turned_away_at) {
      const gone = document.createElement("p");
      gone.className = "desk-walkin-gone";
      gone.dataset.freesPlace = String(walkin.frees_place);
      gone.textContent = t(walkin.frees_place ? "staff.walkin.row.turned_away_freed" : "staff.walkin.row.turned_away_kept",
        { time: clock(walkin.turned_away_at) });
      parts.push(gone);
    } else {
      const away = document.createElement("button");
      away.type = "button";
      away.className = "secondary";
      away.dataset.action = "turn-away";
      away.textContent = t("staff.walkin.turn_away");
      away.addEventListener("click", () => askFirst((box) => feedback.before(box),
        t("staff.walkin.turn_away_confirm", { label: walkin.label }), t("staff.walkin.turn_away_yes"),
        () => turnAway(walkin, item, feedback)));
      parts.push(away);
    }
    item.replaceChildren(...parts, feedback);
  }

  function row(walkin) {
    const item = document.createElement("li");
    const feedback = document.createElement("p");
    feedback.className = "note message feedback";
    feedback.setAttribute("role", "status");
    feedback.setAttribute("aria-live", "polite");
    fillRow(item, walkin, feedback);
    return item;
  }

  function renderList() {
    const list = byId("desk-walkin-list");
    list.replaceChildren();
    // Newest first: the person just sent to the desk is at the top.
    for (const walkin of [...desk.walkins].reverse()) {
      list.append(row(walkin));
    }
    if (desk.walkins.length === 0) {
      const item = document.createElement("li");
      item.textContent = t("staff.walkin.none");
      list.append(item);
    }
  }

  async function turnAway(walkin, item, feedback) {
    say("", "", feedback);
    const turned = await call("staff_walkin_turn_away", { ticket: walkin.ticket_id, reason: reasonText() }, feedback);
    if (!turned) {
      return;
    }
    byId("desk-walkin-reason").value = "";
    desk.state = turned.state;
    desk.walkins = desk.walkins.map((w) => (w.ticket_id === turned.walkin.ticket_id ? turned.walkin : w));
    renderQuota();
    renderChoices();
    fillRow(item, turned.walkin, feedback);
    say(pick(turned.staff_message), turned.already ? "info" : "done", feedback);
  }

  // The quota and the list as the core has them now.
  async function loadList() {
    const desk_now = await call("staff_walkins_today", undefined, "desk-walkin-feedback");
    if (!desk_now) {
      return;
    }
    desk.state = desk_now.state;
    desk.walkins = desk_now.walkins;
    render();
  }

  function render() {
    const panel = byId("desk-walkin");
    panel.hidden = !desk.state || !desk.state.offered;
    if (panel.hidden) {
      return;
    }
    renderQuota();
    renderChoices();
    renderList();
  }

  // Staff mode opened: nothing chosen, no reason, the figures read anew.
  function open() {
    desk.category = null;
    desk.service = null;
    desk.refused = null;
    byId("desk-walkin-override").hidden = true;
    const reason = byId("desk-walkin-reason");
    reason.value = "";
    const limits = kiosk.info.staff_inputs;
    if (limits) {
      reason.dataset.touchMax = String(limits.reason_chars);
      reason.maxLength = limits.reason_chars;
    }
    return loadList();
  }

  function buildReasonPresets() {
    const presets = byId("desk-walkin-reason-presets");
    for (const preset of REASON_PRESETS) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "chip";
      button.dataset.preset = preset;
      button.dataset.i18n = `staff.walkin.reason.${preset}`;
      button.textContent = t(button.dataset.i18n);
      button.addEventListener("click", () => {
        byId("desk-walkin-reason").value = button.textContent;
      });
      presets.append(button);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    buildReasonPresets();
    byId("desk-walkin-issue").addEventListener("click", () => issue(false));
    byId("desk-walkin-override").addEventListener("click", () => issue(true));
    // Texts built here follow the language, like every `data-i18n` text.
    document.addEventListener("i18n:loaded", () => {
      if (kiosk.screen === "staff" && desk.state) {
        render();
      }
    });
  });

  window.staffWalkin = { open, refresh: loadList };
})();
