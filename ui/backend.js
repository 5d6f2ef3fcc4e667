// The one door to the Rust backend. Every call goes through `backend.call`, which turns any
// failure into `{code, message, next_step}`, so screens switch on `code` and never on text.
"use strict";

window.backend = {
  // `args` is an object, or raw bytes (a Uint8Array) with their description in `headers`.
  async call(command, args, headers) {
    const tauri = window.__TAURI__;
    if (!tauri || !tauri.core) {
      throw pageError("backend_unavailable", "Tauri runtime not present");
    }
    try {
      return await tauri.core.invoke(command, args || {}, headers ? { headers } : undefined);
    } catch (error) {
      if (error && typeof error === "object" && typeof error.code === "string") {
        throw error;
      }
      throw pageError("backend_failed", String(error));
    }
  },
};

// A failure the page notices itself has the backend's shape, with its next step from
// ui/i18n like every other.
function pageError(code, message) {
  return { code, message, next_step: { [window.i18n.lang]: window.i18n.t(`page.${code}.next`) } };
}
