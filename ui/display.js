// The waiting-room display: draws the board the backend sends (hadir::display_board decides
// what is on it and which call is news) and plays each announcement's clips in turn. No touch:
// nothing here is clickable.
"use strict";

// Where the clips come from: the backend's `clips` URI scheme, which WebView2 (Windows) reaches
// as http://clips.localhost like the app's own http://tauri.localhost.
const CLIPS_BASE =
  window.location.protocol === "tauri:" ? "clips://localhost/" : "http://clips.localhost/";

// A clip that neither ends nor fails within this long (a stuck audio device) is given up, so
// the calls behind it are still said. The longest clip is under 2 s.
const CLIP_WATCHDOG_MS = 4000;

// The audio queue: each announcement's clips (chime, then the spoken call) are played one after
// another, and announcements one after another, never two at once. `queue` holds the
// announcements not yet finished (the first is playing), `played` every clip tried, in order,
// and `failed` those that could not play (no sound device): the queue moves on regardless.
window.displayAudio = {
  queue: [],
  played: [],
  failed: [],
  busy: false,
  // One media element for every clip: a new one is a new GStreamer pipeline in WebKitGTK.
  player: new Audio(),

  enqueue(announcement) {
    this.queue.push(announcement);
    this.pump();
  },

  async pump() {
    if (this.busy) {
      return;
    }
    this.busy = true;
    while (this.queue.length > 0) {
      const announcement = this.queue[0];
      for (const clip of announcement.clips) {
        this.played.push(clip);
        const error = await this.play(clip, announcement.volume);
        if (error) {
          this.failed.push({ clip, error });
        }
      }
      this.queue.shift();
    }
    this.busy = false;
  },

  // Plays one clip to its end; resolves with null, or with why it did not play.
  play(clip, volume) {
    const player = this.player;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (error) => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(watchdog);
        player.onended = null;
        player.onerror = null;
        resolve(error);
      };
      const watchdog = setTimeout(() => settle("timeout"), CLIP_WATCHDOG_MS);
      player.onended = () => settle(null);
      player.onerror = () => settle("error");
      player.src = CLIPS_BASE + clip;
      player.volume = Math.max(0, Math.min(1, volume));
      player.play().catch((reason) => settle(String(reason && reason.name || reason)));
    });
  },
};

function row(call, withCounterWord) {
  const item = document.createElement("li");
  item.dataset.callId = String(call.call_id);
  item.dataset.label = call.label;
  item.dataset.counter = String(call.counter);
  const label = document.createElement("span");
  label.className = "label";
  label.textContent = call.label;
  const arrow = document.createElement("span");
  arrow.className = "arrow";
  arrow.setAttribute("aria-hidden", "true");
  arrow.textContent = "\u2192";
  const counter = document.createElement("span");
  counter.className = "counter";
  if (withCounterWord) {
    const word = document.createElement("small");
    word.textContent = window.i18n.t("display.counter");
    counter.append(word);
  }
  counter.append(String(call.counter));
  item.append(label, arrow, counter);
  return item;
}

// How long a new call's row flashes (display.css runs 4 one-second blinks).
const FLASH_MS = 4000;

let board = null;
let flashing = { callId: null, until: 0 };

function draw() {
  if (!board) {
    return;
  }
  const current = document.getElementById("display-current");
  current.replaceChildren(...board.current.map((call) => row(call, true)));
  current.style.setProperty("--rows", String(Math.max(3, board.current.length)));
  document.getElementById("display-recent")
    .replaceChildren(...board.recent.map((call) => row(call, false)));
  document.getElementById("display-empty").hidden = board.current.length > 0;
  document.getElementById("display-earlier").hidden = board.recent.length === 0;
  document.getElementById("display-lost").hidden = board.online;
  document.body.dataset.online = String(board.online);
  // A redraw while the new call still flashes (another update) keeps it flashing.
  if (Date.now() < flashing.until) {
    const item = current.querySelector(`li[data-call-id="${flashing.callId}"]`);
    if (item) {
      item.classList.add("flash");
    }
  }
}

function take(update) {
  board = update.board;
  if (update.news) {
    // The flash is for everyone, the voice for those who hear it.
    flashing = { callId: update.news.call_id, until: Date.now() + FLASH_MS };
    document.body.dataset.flash = String(update.news.call_id);
    if (update.news.announce) {
      window.displayAudio.enqueue(update.news.announce);
    }
  }
  draw();
}

async function start() {
  const channel = new window.__TAURI__.core.Channel();
  channel.onmessage = take;
  let started = { language: "id", board: null };
  try {
    started = await window.backend.call("display_follow", { updates: channel });
  } catch (error) {
    console.error("display_follow failed", error);
  }
  await window.i18n.load(started.language);
  if (started.board && !board) {
    board = started.board;
  }
  if (!board) {
    // Not yet connected: say so rather than show an empty board as if all were well.
    board = { current: [], recent: [], online: false };
  }
  draw();
  document.addEventListener("i18n:loaded", draw);
  document.body.dataset.ready = "true";
}

start();
