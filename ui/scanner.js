// A USB 2D scanner is a keyboard that types the whole code in a burst (~7-20 ms a key) and
// presses Enter or Tab. Keys are captured on the whole document, so the applicant never taps a
// text box first. A person typing is much slower: a pause longer than a scanner ever makes
// starts the buffer again, so typed text never reaches the minimum length and is ignored (the
// manual entry screen has its own keyboard instead). Only a burst that has already come at a
// scanner's pace may pause longer (the machine was busy), up to half a second.
"use strict";

window.scanner = {
  // A gap longer than this between two keys cannot be a scanner.
  maxGapMs: 80,
  // Once a burst has come at a scanner's pace, a longer gap is the machine stalling (a busy
  // CPU, the page painting), not a person: the burst goes on. Seen under load: a code split
  // in two, its first keys lost and the rest refused as not_found.
  scannerPaceMs: 35,
  stallToleranceMs: 500,
  // Fewer characters than the shortest booking code is not a scan.
  minLength: 8,
  buffer: "",
  // Key times in the events' own clock (gaps, pace); the burst's start also on the page's
  // clock, which the scan-to-number latency is measured on.
  lastKeyAt: 0,
  burstStartedAt: 0,
  burstStartedOnPage: 0,
  onScan: null,
  // Live keys waiting while the window's held keys are fetched (takeHeldKeys), else null.
  waiting: null,

  listen(onScan) {
    this.onScan = onScan;
    document.addEventListener("keydown", (event) => {
      if (!this.isScannerKey(event)) {
        return;
      }
      if (this.waiting) {
        // The window's held keys come first (see takeHeldKeys): this one waits its turn.
        event.preventDefault();
        this.waiting.push(event);
        return;
      }
      this.onKey(event);
    });
  },

  isScannerKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return false;
    }
    // Staff screens have text fields: what staff type (or scan into them) is theirs.
    const target = event.target;
    return !(target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA"));
  },

  onKey(event) {
    // When the key was pressed, not when this handler ran: while the page paints a result,
    // a scanner's keys wait in the queue and would otherwise look like a pause mid-code.
    const now = event.timeStamp || performance.now();
    const keys = this.buffer.length;
    const atScannerPace =
      keys >= 2 && (this.lastKeyAt - this.burstStartedAt) / (keys - 1) <= this.scannerPaceMs;
    if (now - this.lastKeyAt > (atScannerPace ? this.stallToleranceMs : this.maxGapMs)) {
      this.buffer = "";
    }
    if (this.buffer.length === 0) {
      this.burstStartedAt = now;
      this.burstStartedOnPage = performance.now(); // for the scan-to-number latency
    }
    this.lastKeyAt = now;
    if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      const text = this.buffer;
      this.buffer = "";
      if (text.length >= this.minLength) {
        this.onScan(text, this.burstStartedOnPage);
      }
    } else if (event.key.length === 1) {
      event.preventDefault();
      if (this.buffer.length <= 2048) {
        this.buffer += event.key;
      }
    }
  },

  // After the page's daily refresh (issue #19) the window holds a scanner's keys until the new
  // page has started; `fetchHeld` asks for them ("\n" is Enter, "\t" Tab). They are typed in
  // first, as if they had just come, then the keys that reached the page meanwhile, so a scan
  // split between the two arrives in order. The listener decides on them as on any keys.
  async takeHeldKeys(fetchHeld) {
    this.waiting = [];
    let held = "";
    try {
      held = await fetchHeld();
    } catch (error) {
      console.error("held keys not taken", error);
    }
    const waited = this.waiting;
    this.waiting = null;
    for (const ch of held) {
      const key = ch === "\n" ? "Enter" : ch === "\t" ? "Tab" : ch;
      this.onKey({ key, timeStamp: performance.now(), target: document, preventDefault() {} });
    }
    for (const event of waited) {
      this.onKey(event);
    }
  },
};
