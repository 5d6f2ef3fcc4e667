// The kiosk could not start: show the core's account of why (start_problem) in both languages.
// The page decides nothing; when it ends is the shell's and the core's business.
"use strict";

function fill(id, text) {
  document.getElementById(id).textContent = text || "";
}

// A fact without a value (no line for a missing file, no key for broken TOML) is left out.
function fact(row, id, value) {
  fill(id, value === null || value === undefined ? "" : String(value));
  if (row) {
    document.getElementById(row).hidden = value === null || value === undefined || value === "";
  }
}

async function show() {
  await window.i18n.labelBoth();
  let problem;
  try {
    problem = await window.backend.call("start_problem");
  } catch (error) {
    // No account from the core: still say that the kiosk did not start, with the raw reason.
    problem = { code: error.code, detail: error.message, message: {}, next_step: {}, ends_text: {} };
  }
  fact("row-file", "problem-file", problem.file);
  fact("row-line", "problem-line", problem.line);
  fact("row-key", "problem-key", problem.key);
  fact(null, "problem-code", problem.code);
  fill("problem-message-id", problem.message.id);
  fill("problem-message-en", problem.message.en);
  fill("problem-next-id", problem.next_step.id);
  fill("problem-next-en", problem.next_step.en);
  fill("problem-detail", problem.detail);
  fill("problem-ends-id", problem.ends_text.id);
  fill("problem-ends-en", problem.ends_text.en);
  document.body.dataset.code = problem.code || "";
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", show);
