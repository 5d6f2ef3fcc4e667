// Staff mode: sign-in (name, then PIN), front-desk tools and the supervisor's panel. Every rule
// (PIN lockout, idle sign-out, roles, required reasons, masking) is the backend's; this file
// shows what it answers and says the next step it gives.
"use strict";

const REASON_PRESETS = ["scanner", "paper", "lost", "late", "other_desk"];

const staff = {
  name: "",
  pin: "",
  session: null,
};

const lang = () => window.i18n.lang;
const nextStep = (error) => window.i18n.pick(error.next_step);

// What an action did, said next to the button pressed: `place` is that button's feedback line
// (an element or its id), a live region, so a screen reader says it too. The line at the top
// of the panel is for answers no button asked for.
function say(text, outcome, place = "staff-message") {
  const line = typeof place === "string" ? document.getElementById(place) : place;
  line.textContent = text;
  line.dataset.outcome = outcome;
  if (text) {
    line.scrollIntoView({ block: "nearest" }); // a long answer may reach below the window
  }
}

// An error in the staff screens: its next step, and its code for the IT desk.
function sayError(error, place) {
  if (error.code === "staff_session_expired" || error.code === "staff_not_signed_in") {
    staff.session = null;
    openLogin();
    document.getElementById("staff-login-message").textContent = nextStep(error);
    return;
  }
  say(t("staff.error", { next: nextStep(error) || error.message || "", code: error.code }), "failed", place);
}

async function call(command, args, place) {
  try {
    return await window.backend.call(command, args);
  } catch (error) {
    sayError(error, place);
    return null;
  }
}

// ---- sign-in ----

async function openLogin() {
  staff.name = "";
  staff.pin = "";
  document.getElementById("staff-pin-entry").hidden = true;
  document.getElementById("staff-login-message").textContent = "";
  const list = document.getElementById("staff-names");
  list.replaceChildren();
  show("staff-login");
  let names = [];
  try {
    names = await window.backend.call("staff_names");
  } catch (error) {
    document.getElementById("staff-login-message").textContent = nextStep(error);
  }
  document.getElementById("staff-login-hint").textContent = t(names.length ? "staff.login.pick" : "staff.login.none");
  for (const account of names) {
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
  staff.name = name;
  staff.pin = "";
  for (const button of document.querySelectorAll("#staff-names button")) {
    button.dataset.chosen = String(button.dataset.name === name);
  }
  document.getElementById("staff-pin-entry").hidden = false;
  document.getElementById("staff-login-message").textContent = t("staff.login.enter_pin", { name });
  renderPin();
}

function renderPin() {
  const output = document.getElementById("staff-pin");
  output.textContent = staff.pin ? "\u25cf".repeat(staff.pin.length) : t("staff.login.pin");
  output.dataset.empty = staff.pin ? "false" : "true";
  armIdleReset();
}

async function submitPin() {
  if (!staff.name || staff.pin.length === 0) {
    return;
  }
  const pin = staff.pin;
  staff.pin = "";
  renderPin();
  const message = document.getElementById("staff-login-message");
  let result;
  try {
    result = await window.backend.call("staff_sign_in", { name: staff.name, pin });
  } catch (error) {
    message.textContent = nextStep(error);
    return;
  }
  message.dataset.code = result.code;
  if (result.code === "signed_in") {
    staff.session = result.session;
    openHome();
  } else if (result.code === "wrong_pin") {
    message.textContent = t("staff.login.wrong", { left: result.left });
  } else {
    message.textContent = t("staff.login.locked", { until: result.until_local });
  }
}

// The longest PIN the core takes.
function pinMax() {
  return kiosk.info.staff_inputs.pin_max;
}

function buildPinPad() {
  const keys = document.getElementById("pin-keys");
  for (const digit of "1234567890") {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "key";
    button.textContent = digit;
    button.dataset.key = digit;
    button.addEventListener("click", () => {
      if (staff.pin.length < pinMax()) {
        staff.pin += digit;
        renderPin();
      }
    });
    keys.append(button);
  }
  document.getElementById("pin-backspace").addEventListener("click", () => {
    staff.pin = staff.pin.slice(0, -1);
    renderPin();
  });
  document.getElementById("pin-ok").addEventListener("click", submitPin);
}

async function signOut(why) {
  if (!staff.session) {
    return;
  }
  staff.session = null;
  await window.backend.call("staff_sign_out", { why }).catch(() => {});
}

// ---- staff home ----

function openHome() {
  const session = staff.session;
  document.getElementById("staff-who").textContent = t("staff.who", {
    name: session.name, role: t(`staff.role.${session.role}`),
  });
  const build = kiosk.info.build;
  document.getElementById("staff-version").textContent = t("staff.version", {
    version: build.version, commit: build.commit, schema: build.schema_version,
  });
  document.getElementById("supervisor-panel").hidden = session.role !== "supervisor";
  document.getElementById("screen-staff").dataset.role = session.role;
  for (const id of ["staff-reason", "find-code", "find-name", "find-birth", "reprint-ticket", "export-from", "export-to",
    "staff-new-name", "staff-new-pin"]) {
    document.getElementById(id).value = "";
  }
  applyLimits(kiosk.info.staff_inputs);
  window.touchKeys.close();
  for (const line of document.querySelectorAll("#screen-staff .feedback")) {
    say("", "", line);
  }
  document.getElementById("find-results").replaceChildren();
  document.getElementById("export-dirs").replaceChildren();
  document.getElementById("export-files").replaceChildren();
  document.getElementById("purge-days").value = String(kiosk.info.retention_days);
  const logs = document.getElementById("log-folder");
  logs.textContent = t(kiosk.info.log_file_on ? "staff.logs.where" : "staff.logs.off", { folder: kiosk.info.log_folder });
  logs.dataset.on = String(kiosk.info.log_file_on);
  say("", "");
  closeConfirm();
  window.staffSync.openStaff();
  // The panel opens at its top, wherever the last visit left it.
  document.getElementById("screen-staff").scrollTop = 0;
  window.scrollTo(0, 0);
  loadFailedPrints();
  window.staffWalkin.open(); // the walk-in panel (staff_walkin.js): today's quota and list
  if (session.role === "supervisor") {
    loadAccounts();
    loadSettings();
  }
}

// Each field takes what the core allows: the on-screen keys stop at `data-touch-max`, a
// scanner (or a keyboard) at `maxLength`, longer where a code can be scanned in.
function applyLimits(inputs) {
  if (!inputs) {
    return;
  }
  const limits = {
    "find-code": [inputs.booking_code_chars, inputs.scan_chars],
    "reprint-ticket": [inputs.ticket_chars, inputs.scan_chars],
    "staff-reason": [inputs.reason_chars],
    "find-birth": [inputs.date_chars],
    "export-from": [inputs.date_chars],
    "export-to": [inputs.date_chars],
    "staff-new-name": [inputs.staff_name_chars],
    "staff-new-pin": [inputs.pin_max],
  };
  for (const [id, [keys, typed = keys]] of Object.entries(limits)) {
    const field = document.getElementById(id);
    field.dataset.touchMax = String(keys);
    field.maxLength = typed;
  }
  document.getElementById("reprint-ticket").dataset.letters = inputs.ticket_queues.join(" ");
}

function reason() {
  return document.getElementById("staff-reason").value.trim();
}

// A reason belongs to one action: once the backend recorded it, the field is empty again.
function clearReason() {
  document.getElementById("staff-reason").value = "";
}

function buildReasonPresets() {
  const presets = document.getElementById("reason-presets");
  for (const preset of REASON_PRESETS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "chip";
    button.dataset.i18n = `staff.reason.${preset}`;
    button.textContent = t(button.dataset.i18n);
    button.addEventListener("click", () => {
      document.getElementById("staff-reason").value = button.textContent;
    });
    presets.append(button);
  }
}

// ---- front desk: find, check in, override, reprint ----

// A booking's card, with a feedback line of its own for the check-in pressed on it.
function bookingItem(booking) {
  const item = document.createElement("li");
  const feedback = document.createElement("p");
  feedback.className = "note message feedback";
  feedback.setAttribute("role", "status");
  feedback.setAttribute("aria-live", "polite");
  fillCard(item, booking, feedback);
  return item;
}

// (Re)writes a card from the backend's answer; its feedback line stays the same element, so a
// screen reader hears what changes in it.
function fillCard(item, booking, feedback) {
  item.dataset.code = booking.booking_code;
  const facts = document.createElement("p");
  facts.textContent = t("staff.booking", {
    code: booking.booking_code, slot: booking.slot, service: t(`service.${booking.service}`),
  }) + (booking.cancelled ? ` · ${t("staff.booking.cancelled")}` : "");
  const lines = [facts];
  for (const applicant of booking.applicants) {
    const line = document.createElement("p");
    line.textContent = t("staff.applicant", {
      initials: applicant.initials,
      nik: applicant.nik_last4,
      ticket: applicant.ticket || t("staff.applicant.not_in"),
    });
    line.dataset.ticket = applicant.ticket || "";
    lines.push(line);
  }
  const checkIn = document.createElement("button");
  checkIn.type = "button";
  checkIn.className = "primary";
  checkIn.dataset.action = "check-in";
  checkIn.textContent = t("staff.checkin.go");
  checkIn.addEventListener("click", () => staffCheckIn(booking.booking_code, false, item));
  item.replaceChildren(...lines, checkIn, feedback);
}

async function find(query) {
  const results = document.getElementById("find-results");
  results.replaceChildren();
  say("", "", "find-feedback");
  const found = await call("find_bookings", { query }, "find-feedback");
  if (!found) {
    return;
  }
  say(found.length ? t("staff.find.count", { count: found.length }) : t("staff.find.none"),
    found.length ? "done" : "failed", "find-feedback");
  for (const booking of found) {
    results.append(bookingItem(booking));
  }
}

async function staffCheckIn(code, overrideTooLate, item) {
  const feedback = item.querySelector(".feedback");
  say("", "", feedback);
  const result = await call("staff_check_in", { code, reason: reason(), overrideTooLate }, feedback);
  if (!result) {
    return;
  }
  if (result.booking) {
    fillCard(item, result.booking, feedback); // the card as it is now: its new ticket numbers
  }
  // The core words the outcome for the officer (numbers and print, or the refusal in staff
  // wording), as it does for `hadir checkin`.
  const words = window.i18n.pick(result.staff_message);
  if (result.code === "ok") {
    say(words, "done", feedback);
    clearReason();
    loadFailedPrints();
    return;
  }
  say(words, result.code === "already_checked_in" ? "info" : "failed", feedback);
  // The core says when staff may admit a refusal anyway (`too_late`, with a reason).
  if (result.may_override && !item.querySelector("[data-action='override']")) {
    const override = document.createElement("button");
    override.type = "button";
    override.className = "secondary";
    override.dataset.action = "override";
    override.textContent = t("staff.checkin.override");
    override.addEventListener("click", () => staffCheckIn(code, true, item));
    feedback.before(override);
  }
}

async function reprint(ticket, reasonText, place) {
  say("", "", place);
  const done = await call("reprint", { ticket, reason: reasonText }, place);
  if (!done) {
    return;
  }
  const failed = done.print.outcome === "failed";
  say(t(failed ? "staff.reprint.failed" : "staff.reprint.done", { label: done.ticket.label }),
    failed ? "failed" : "done", place);
  clearReason();
  if (place === "reprint-feedback") {
    document.getElementById("reprint-ticket").value = "";
  }
  loadFailedPrints();
}

async function loadPrinterHealth() {
  const line = document.getElementById("printer-health");
  const health = await call("printer_health");
  if (!health) {
    return;
  }
  const last = health.last;
  const time = last ? last.at.slice(11, 16) : "";
  // The core names what to check, and the printer's own name (the OS queue) to look for.
  const check = t(`staff.printer.check.${health.check || "general"}`, { queue: health.printer_name });
  line.textContent = !last
    ? t("staff.printer.none", { printer: health.printer })
    : health.problem
      ? t("staff.printer.failed", { printer: health.printer, time, reason: last.reason || "", check })
      : t("staff.printer.ok", { printer: health.printer, time });
  line.dataset.check = health.check || "";
  line.dataset.problem = String(health.problem);
  setPrinterProblem(health.problem);
}

async function loadFailedPrints() {
  loadPrinterHealth();
  const list = document.getElementById("failed-prints");
  list.replaceChildren();
  const tickets = await call("failed_prints");
  for (const ticket of tickets || []) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.dataset.label = ticket.label;
    button.textContent = t("staff.failed.reprint", { label: ticket.label });
    // One tap: the reason is the failure itself, unless staff wrote another.
    button.addEventListener("click", () =>
      reprint(ticket.label, reason() || t("staff.reason.print_failed"), "failed-feedback"));
    item.append(button);
    list.append(item);
  }
  if (!tickets || tickets.length === 0) {
    const item = document.createElement("li");
    item.textContent = t("staff.failed.none");
    list.append(item);
  }
}

// ---- supervisor: export, staff accounts, purge ----

// A place an export can go to, in words: "Flashdisk KANIM", "Folder ekspor kiosk". The
// backend says what each place is (stick, drive, folder, the kiosk's own) and hides the rest.
function placeName(place) {
  return t(`supervisor.export.place.${place.kind}`, { name: place.name });
}

async function lookForExportDirs() {
  const list = document.getElementById("export-dirs");
  list.replaceChildren();
  const places = await call("export_dirs", undefined, "export-feedback");
  if (!places) {
    return;
  }
  for (const place of places) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.dataset.path = place.path;
    button.dataset.kind = place.kind;
    button.textContent = t("supervisor.export.to_dir", { name: placeName(place) });
    button.addEventListener("click", () => exportTo(place.path));
    item.append(button);
    list.append(item);
  }
  // Only the kiosk's own folder: say how to get a stick listed.
  const noStick = !places.some((place) => place.kind !== "kiosk");
  say(noStick ? t("supervisor.export.no_stick") : "", "", "export-feedback");
}

async function exportTo(path) {
  const files = document.getElementById("export-files");
  files.replaceChildren();
  say(t("supervisor.export.working"), "", "export-feedback");
  const written = await call("export_report", {
    from: document.getElementById("export-from").value.trim(),
    to: document.getElementById("export-to").value.trim(),
    dir: path,
    lang: lang(),
  }, "export-feedback");
  if (!written) {
    return;
  }
  // A stick may be pulled out once the backend has flushed the files; the kiosk's folder stays.
  const done = written.can_remove ? "supervisor.export.done_remove" : "supervisor.export.done_kept";
  say(t(done, { count: written.files.length, place: placeName(written.place) }), "done", "export-feedback");
  for (const file of written.files) {
    const item = document.createElement("li");
    item.textContent = file;
    files.append(item);
  }
}

async function loadAccounts() {
  renderAccounts(await call("staff_accounts"));
}

function renderAccounts(accounts) {
  const list = document.getElementById("staff-accounts");
  list.replaceChildren();
  for (const account of accounts || []) {
    const item = document.createElement("li");
    item.dataset.name = account.name;
    const text = document.createElement("span");
    text.textContent = t(account.active ? "supervisor.staff.account" : "supervisor.staff.account_off", {
      name: account.name, role: t(`staff.role.${account.role}`),
    });
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "secondary";
    toggle.textContent = t(account.active ? "supervisor.staff.disable" : "supervisor.staff.enable");
    toggle.dataset.action = account.active ? "disable" : "enable";
    toggle.addEventListener("click", () => {
      const change = { change: account.active ? "disable" : "enable", name: account.name };
      if (!account.active) {
        changeStaff(change, "accounts-list-feedback");
        return;
      }
      askFirst((box) => item.append(box), t("supervisor.staff.disable_confirm", { name: account.name }),
        t("supervisor.staff.disable_yes"), () => changeStaff(change, "accounts-list-feedback"));
    });
    item.append(text, toggle);
    list.append(item);
  }
}

async function changeStaff(change, place) {
  for (const id of ["accounts-list-feedback", "accounts-feedback"]) {
    say("", "", id);
  }
  const accounts = await call("change_staff", { change }, place);
  if (accounts) {
    say(t("supervisor.staff.done"), "done", place);
    document.getElementById("staff-new-pin").value = "";
    renderAccounts(accounts);
  }
}

function newAccount(role) {
  changeStaff({
    change: "add",
    name: document.getElementById("staff-new-name").value.trim(),
    role,
    pin: document.getElementById("staff-new-pin").value.trim(),
  }, "accounts-feedback");
}

function choiceText(key, choice) {
  const own = `setting.${key}.${choice}`;
  return window.i18n.has(own) ? t(own) : t(`setting.${key}.value`, { v: choice });
}

function renderSettings(rows) {
  const list = document.getElementById("kiosk-settings");
  list.replaceChildren();
  for (const row of rows) {
    const item = document.createElement("li");
    item.dataset.key = row.key;
    const label = document.createElement("p");
    label.textContent = t(`setting.${row.key}`);
    item.append(label);
    for (const choice of row.choices) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "chip";
      button.dataset.value = choice;
      const chosen = Number(choice) === Number(row.value) || choice === row.value;
      button.dataset.chosen = String(chosen);
      button.setAttribute("aria-pressed", String(chosen));
      button.textContent = choiceText(row.key, choice);
      button.addEventListener("click", () => changeSetting(row.key, choice));
      item.append(button);
    }
    list.append(item);
  }
}

async function loadSettings() {
  const rows = await call("kiosk_settings");
  if (rows) {
    renderSettings(rows);
  }
}

// A changed setting is in force at once: the screens take the new timings, sounds and
// language from `kiosk_info`, the backend the new survey.
async function changeSetting(key, value) {
  const rows = await call("change_setting", { key, value }, "settings-feedback");
  if (!rows) {
    return;
  }
  renderSettings(rows);
  say(t("supervisor.staff.done"), "done", "settings-feedback");
  window.staffWalkin.refresh(); // a quota or turn-away setting shows in the walk-in panel at once
  const info = await call("kiosk_info");
  if (info) {
    kiosk.info = info;
    if (key === "kiosk.language") {
      await setLanguage(info.language);
      openHome();
    }
  }
}

// A destructive tap (disable an account, reset a PIN, delete personal data) first asks, next
// to the button pressed: only "yes" calls the backend; "cancel" leaves everything as it was.
// `place` puts the question where it belongs; one question is open at a time.
function askFirst(place, question, yesText, onYes) {
  closeConfirm();
  const box = document.createElement("div");
  box.id = "staff-confirm";
  box.className = "confirm";
  box.setAttribute("role", "alertdialog");
  box.setAttribute("aria-labelledby", "staff-confirm-text");
  const text = document.createElement("p");
  text.id = "staff-confirm-text";
  text.textContent = question;
  const yes = document.createElement("button");
  yes.type = "button";
  yes.className = "primary";
  yes.dataset.action = "confirm";
  yes.textContent = yesText;
  yes.addEventListener("click", () => {
    closeConfirm();
    onYes();
  });
  const no = document.createElement("button");
  no.type = "button";
  no.className = "secondary";
  no.dataset.action = "cancel";
  no.textContent = t("supervisor.confirm.cancel");
  no.addEventListener("click", closeConfirm);
  box.append(text, yes, no);
  place(box);
  // The safe answer has the focus: a stray Enter cancels.
  no.focus();
}

function closeConfirm() {
  const box = document.getElementById("staff-confirm");
  if (box) {
    box.remove();
  }
}

function afterRow(id) {
  return (box) => document.getElementById(id).closest(".form-row").after(box);
}

function resetPin() {
  const name = document.getElementById("staff-new-name").value.trim();
  const pin = document.getElementById("staff-new-pin").value.trim();
  askFirst(afterRow("staff-reset-pin"), t("supervisor.staff.reset_pin_confirm", { name }),
    t("supervisor.staff.reset_pin_yes"), () => changeStaff({ change: "reset_pin", name, pin }, "accounts-feedback"));
}

function purge() {
  const days = Number(document.getElementById("purge-days").value.trim());
  askFirst(afterRow("purge-go"), t("supervisor.purge.confirm", { days }), t("supervisor.purge.yes"), async () => {
    say("", "", "purge-feedback");
    const purged = await call("purge_personal_data", { olderThanDays: days }, "purge-feedback");
    if (purged) {
      say(t("supervisor.purge.done", purged), "done", "purge-feedback");
    }
  });
}

function wire() {
  buildPinPad();
  buildReasonPresets();
  document.getElementById("staff-sign-out").addEventListener("click", async () => {
    await signOut("done");
    show("welcome");
  });
  // The staff screen's Done button also signs out.
  document.querySelector("#screen-staff .done").addEventListener("click", () => signOut("done"));
  document.getElementById("find-by-code").addEventListener("click", () =>
    find({ by: "code", code: document.getElementById("find-code").value }));
  document.getElementById("find-by-name").addEventListener("click", () => find({
    by: "applicant",
    name: document.getElementById("find-name").value,
    birth_date: document.getElementById("find-birth").value,
  }));
  document.getElementById("reprint-go").addEventListener("click", () =>
    reprint(document.getElementById("reprint-ticket").value, reason(), "reprint-feedback"));
  document.getElementById("export-look").addEventListener("click", lookForExportDirs);
  document.getElementById("staff-add-frontdesk").addEventListener("click", () => newAccount("frontdesk"));
  document.getElementById("staff-add-supervisor").addEventListener("click", () => newAccount("supervisor"));
  document.getElementById("staff-add-counter").addEventListener("click", () => newAccount("counter"));
  document.getElementById("staff-reset-pin").addEventListener("click", resetPin);
  document.getElementById("purge-go").addEventListener("click", purge);
  // Typing in a field counts as activity, like a touch.
  document.getElementById("screen-staff").addEventListener("input", armIdleReset);
}

document.addEventListener("DOMContentLoaded", wire);

// A touch or keystroke in staff mode keeps the backend's session alive too (at most every
// 10 s), so the backend and the screen agree on when staff mode ends.
const TOUCH_EVERY_MS = 10000;
let lastTouch = 0;
function touched() {
  if (staff.session && performance.now() - lastTouch > TOUCH_EVERY_MS) {
    lastTouch = performance.now();
    window.backend.call("staff_touch").catch((error) => sayError(error));
  }
}

window.staffMode = { openLogin, signOut, touched };
