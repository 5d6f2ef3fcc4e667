// Sync health for staff: the offline icon in the welcome screen's corner, and the staff screen's
// sync, hub and USB import panel. The backend says the state, what waits and what failed (with
// its next step); this file shows it and passes on "sync now" and the file staff chose. The
// data folder's disk is read on the same beat: the corner's disk icon, the staff screen's line.
"use strict";

// Sync health is read this often for the staff corner's offline icon (and the staff screen).
const HEALTH_POLL_MS = 5000;

function ageText(seconds) {
  if (seconds === null || seconds === undefined) {
    return t("sync.never");
  }
  if (seconds < 60) {
    return t("age.now");
  }
  if (seconds < 3600) {
    return t("age.minutes", { n: Math.floor(seconds / 60) });
  }
  if (seconds < 86400) {
    return t("age.hours", { n: Math.floor(seconds / 3600) });
  }
  return t("age.days", { n: Math.floor(seconds / 86400) });
}

// How far the kiosk's clock is off, in the largest unit that reads well.
function skewAmount(seconds) {
  const off = Math.abs(seconds);
  if (off < 120) {
    return t("sync.clock.seconds", { n: off });
  }
  if (off < 7200) {
    return t("sync.clock.minutes", { n: Math.round(off / 60) });
  }
  if (off < 172800) {
    return t("sync.clock.hours", { n: Math.round(off / 3600) });
  }
  return t("sync.clock.days", { n: Math.round(off / 86400) });
}

// The kiosk's clock against the gateway's and the hub's (the core judges it): each clock it is
// off from, and what to do while the alarm is up.
function renderClock(clock) {
  const checks = [["gateway", clock.gateway], ["hub", clock.hub]].filter(([, check]) => check);
  const off = checks.filter(([, check]) => check.beyond);
  const line = document.getElementById("sync-clock");
  line.dataset.state = clock.alarm ? "alarm" : "ok";
  line.textContent = off.length > 0
    ? off.map(([whose, check]) => t(check.skew_seconds > 0 ? "sync.clock.ahead" : "sync.clock.behind", {
      amount: skewAmount(check.skew_seconds), whose: t(`sync.clock.whose.${whose}`),
    })).join("; ")
    : t(checks.length > 0 ? "sync.clock.ok" : "sync.clock.unknown");
  const next = document.getElementById("sync-clock-next");
  next.hidden = !clock.next_step;
  next.textContent = clock.next_step ? window.i18n.pick(clock.next_step) : "";
}

function renderHealth(health) {
  const state = health.state;
  document.getElementById("sync-state").textContent = t(`sync.state.${state}`);
  document.getElementById("sync-health").dataset.state = state;
  document.getElementById("sync-cache").textContent = health.cache_age_seconds === null
    ? t("sync.cache.never", { count: health.bookings_today })
    : t("sync.cache.value", { count: health.bookings_today, age: ageText(health.cache_age_seconds) });
  document.getElementById("sync-push").textContent = health.network ? ageText(health.push_age_seconds) : t("sync.none");
  document.getElementById("sync-outbox").textContent = String(health.outbox);
  document.getElementById("sync-rejected").textContent = String(health.rejected);
  const error = health.last_error;
  document.getElementById("sync-error").textContent = error
    ? t("sync.error.value", { code: error.code, age: ageText(health.error_age_seconds) })
    : t("sync.none");
  document.getElementById("sync-now").hidden = !health.network;
  const next = document.getElementById("sync-next");
  next.hidden = !error;
  next.textContent = error ? window.i18n.pick(error.next_step) : "";
  renderClock(health.clock);
  // What the gateway refused and what the last feed could not use, for staff to pass on.
  const problems = document.getElementById("sync-problems");
  problems.replaceChildren();
  for (const event of health.rejected_latest) {
    const item = document.createElement("li");
    item.textContent = t("sync.rejected.item", { kind: event.kind, reason: event.reason });
    problems.append(item);
  }
  // A full list that kept every booking because an item could be any booking (feed-api.md).
  for (const date of health.kept_unlisted_on) {
    const item = document.createElement("li");
    item.textContent = t("sync.skipped.kept_unlisted", { date });
    problems.append(item);
  }
  // Each unusable feed item by its booking code, else by its place in the list.
  for (const skipped of health.last_skipped) {
    const item = document.createElement("li");
    const reason = t(`feed.item.${skipped.problem}`);
    item.textContent = skipped.booking_code
      ? t("sync.skipped.item", { code: skipped.booking_code, reason })
      : t("sync.skipped.position", { position: skipped.position, reason });
    problems.append(item);
  }
}

// Backups of the kiosk's database: the newest copy, a failed one with what to do, and a
// restore after damage (what was restored, from when, where the damaged files are).
function renderBackup(backup) {
  document.getElementById("backup-state").textContent = backup.newest_at === null
    ? t("backup.none")
    : t("backup.value", { age: ageText(backup.newest_age_seconds), count: backup.kept });
  const failed = document.getElementById("backup-failed");
  failed.hidden = !backup.failed;
  failed.textContent = backup.failed
    ? t("backup.failed", { age: ageText(backup.failed.age_seconds), next: window.i18n.pick(backup.failed.next_step) })
    : "";
  const restored = document.getElementById("backup-restored");
  const notice = backup.restored;
  restored.hidden = !notice;
  restored.textContent = notice
    ? t(`backup.restored.${notice.reason}`, {
      taken: notice.backup_taken_local, restored: notice.restored_local,
      kept: notice.set_aside || "-", outbox: notice.outbox,
    })
    : "";
}

// Hub mode: whether the office hub answers, what waits for it, and doubles found on replay.
function renderHub(hub) {
  for (const element of document.querySelectorAll("[data-hub-only]")) {
    element.hidden = !hub;
  }
  if (!hub) {
    return;
  }
  const state = document.getElementById("hub-state");
  state.textContent = t(hub.link.online ? "hub.online" : "hub.offline", { pending: hub.pending });
  state.dataset.state = hub.link.online ? "ok" : "offline";
  const doubles = document.getElementById("hub-doubles");
  doubles.replaceChildren();
  for (const double of hub.doubles) {
    const item = document.createElement("li");
    item.textContent = t("hub.double", {
      code: double.booking_code, ours: double.our_label, other: double.other_label, kiosk: double.other_kiosk,
    });
    doubles.append(item);
  }
}

// The data folder's disk (the core decides ok, low or full): free space, or a full disk since
// when, that applicants are sent to the front desk, and what to do.
function renderDisk(disk) {
  const line = document.getElementById("disk-health");
  line.dataset.state = disk.state;
  if (disk.state === "full") {
    const time = disk.full_since ? disk.full_since.slice(11, 16) : "";
    line.textContent = t("staff.disk.full", { time, next: window.i18n.pick(disk.next_step) });
  } else if (disk.free_mb === null) {
    line.textContent = t("staff.disk.unknown");
  } else {
    const key = disk.state === "low" ? "staff.disk.low" : "staff.disk.ok";
    line.textContent = t(key, { free: disk.free_mb, min: disk.min_free_mb });
  }
}

// The corner's disk icon, and the staff screen's disk line while it is open.
async function refreshDisk() {
  try {
    const disk = await window.backend.call("disk_health");
    document.getElementById("status-disk").hidden = !disk.alarm;
    if (kiosk.screen === "staff") {
      renderDisk(disk);
    }
  } catch (error) {
    console.error("disk_health failed", error);
  }
}

async function refreshHealth() {
  try {
    const health = await window.backend.call("sync_health");
    const hub = kiosk.info.hub ? await window.backend.call("hub_health") : null;
    const hubDown = hub !== null && hub.offline;
    document.getElementById("status-offline").hidden = !health.offline && !hubDown;
    document.getElementById("status-clock").hidden = !health.clock.alarm;
    document.body.dataset.syncOutbox = String(health.outbox);
    if (kiosk.screen === "staff") {
      renderHealth(health);
      renderBackup(health.backup);
      renderHub(hub);
    }
  } catch (error) {
    console.error("sync_health failed", error);
  }
}

function openStaff() {
  document.getElementById("import-files").replaceChildren();
  document.getElementById("import-result").textContent = "";
  show("staff");
  refreshHealth();
  refreshDisk();
}

function errorText(error) {
  const next = window.i18n.pick(error.next_step);
  return t("import.failed", { message: error.message || error.code, next });
}

async function listImportFiles() {
  const list = document.getElementById("import-files");
  const result = document.getElementById("import-result");
  list.replaceChildren();
  result.textContent = "";
  const files = await window.backend.call("import_candidates").catch(() => []);
  if (files.length === 0) {
    result.textContent = t("import.none");
    return;
  }
  for (const file of files) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = t("import.file", { name: file.name });
    button.addEventListener("click", () => importFile(file.path));
    item.append(button);
    list.append(item);
  }
}

async function importFile(path) {
  const result = document.getElementById("import-result");
  try {
    const report = await window.backend.call("import_feed", { path });
    result.textContent = t("import.done", {
      count: report.applied.upserted, date: report.date, skipped: report.skipped.length,
    });
    result.dataset.outcome = "done";
  } catch (error) {
    result.textContent = errorText(error);
    result.dataset.outcome = "failed";
  }
  refreshHealth();
}

// Wires the panel's buttons and starts reading sync health (called once the page has its texts).
function startSyncPanel() {
  document.getElementById("sync-now").addEventListener("click", async () => {
    await window.backend.call("sync_now").catch(() => {});
    document.getElementById("import-result").textContent = t("sync.now.sent");
    setTimeout(refreshHealth, 1500);
  });
  document.getElementById("import-list").addEventListener("click", listImportFiles);
  refreshHealth();
  setInterval(refreshHealth, HEALTH_POLL_MS);
  refreshDisk();
  setInterval(refreshDisk, HEALTH_POLL_MS);
}

window.staffSync = { start: startSyncPanel, openStaff };
