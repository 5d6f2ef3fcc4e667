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

  listen(onScan) {
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      // Staff screens have text fields: what staff type (or scan into them) is theirs.
      const target = event.target;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) {
        return;
      }
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
          onScan(text, this.burstStartedOnPage);
        }
      } else if (event.key.length === 1) {
        event.preventDefault();
        if (this.buffer.length <= 2048) {
          this.buffer += event.key;
        }
      }
    });
  },
};
