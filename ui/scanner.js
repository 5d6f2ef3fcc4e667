// A USB 2D scanner is a keyboard that types the code and presses Enter (or Tab). Keys are
// captured on the whole document, so the applicant never has to tap a text box first.
"use strict";

window.scanner = {
  // A scanner types a key every ~7-20 ms; a longer pause starts a new code.
  maxGapMs: 300,
  buffer: "",
  lastKeyAt: 0,

  listen(onScan) {
    document.addEventListener("keydown", (event) => {
      const now = performance.now();
      if (now - this.lastKeyAt > this.maxGapMs) {
        this.buffer = "";
      }
      this.lastKeyAt = now;
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        const text = this.buffer;
        this.buffer = "";
        if (text.length > 0) {
          onScan(text);
        }
      } else if (event.key.length === 1 && this.buffer.length <= 2048) {
        event.preventDefault();
        this.buffer += event.key;
      }
    });
  },
};
