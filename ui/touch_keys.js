// On-screen keys for text fields: the kiosk has a touchscreen and no keyboard. A field names its
// keys in `data-keys`: `code` (capitals and digits, like the applicant's manual entry), `text`
// (letters in either case, digits, a few signs, space), `digits` (a number pad), `date` (a
// number pad entering DD-MM-YYYY) or `ticket` (the queues' letters from `data-letters`, and
// digits). A tap on the field opens its keys right under the field's row, never over another
// button; one set is open at a time, and a tap anywhere else closes it. The keys type as a
// keyboard would (an `input` event follows), up to `data-touch-max` characters (staff.js sets it
// from the core's limits) or else the field's `maxlength`. What the text means (a date, a ticket number) is the core's to
// read: the keys only type. The fields carry inputmode="none" so the OS keyboard stays away; a
// physical keyboard or a scanner still types into them, and Enter presses the button named by
// the field's `data-enter` (a scanner ends its code with Enter).
"use strict";

(() => {
  const LETTERS = "abcdefghijklmnopqrstuvwxyz";
  const DIGITS = "1234567890";
  const SIGNS = [".", ",", "-", "/", "'"];
  const text = (key, params) => window.i18n.t(key, params);

  // Each layout: groups of keys, one grid each.
  const LAYOUTS = {
    code: () => [[...LETTERS.toUpperCase(), ...DIGITS]],
    text: (open) => [[...(open.upper ? LETTERS.toUpperCase() : LETTERS), ...DIGITS, ...SIGNS]],
    digits: () => [[...DIGITS]],
    date: () => [[...DIGITS]],
    ticket: (open) => [(open.field.dataset.letters || "").split(" ").filter(Boolean), [...DIGITS]],
  };

  const open = { field: null, panel: null, upper: false };

  function limit(field) {
    // The core's limit for what staff type; else the field's own (`maxlength`).
    const max = Number(field.dataset.touchMax) || field.maxLength;
    return max > 0 ? max : Infinity;
  }

  function type(piece) {
    const field = open.field;
    let value = field.value;
    // The date pad writes the dashes of DD-MM-YYYY itself, so staff type digits only.
    if (field.dataset.keys === "date" && /^(\d\d|\d\d-\d\d)$/.test(value)) {
      value += "-";
    }
    if ((value + piece).length > limit(field)) {
      return;
    }
    setValue(value + piece);
  }

  function setValue(value) {
    open.field.value = value;
    open.field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function key(label, onPress, attributes = {}) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "key";
    button.textContent = label;
    for (const [name, value] of Object.entries(attributes)) {
      button.setAttribute(name, value);
    }
    // The field keeps the focus (and its caret) while its keys are pressed.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", onPress);
    return button;
  }

  function render() {
    const { field, panel } = open;
    const layout = field.dataset.keys;
    panel.dataset.layout = layout;
    panel.setAttribute("aria-label", text("touch.keys_for", { field: field.getAttribute("placeholder") || "" }));
    panel.replaceChildren();
    for (const group of LAYOUTS[layout](open)) {
      const grid = document.createElement("div");
      grid.className = "tk-grid";
      for (const piece of group) {
        grid.append(key(piece, () => type(piece), { "data-key": piece }));
      }
      panel.append(grid);
    }
    const actions = document.createElement("div");
    actions.className = "tk-actions";
    if (layout === "text") {
      actions.append(
        key(text("touch.caps"), () => {
          open.upper = !open.upper;
          render();
        }, { "data-action": "caps", "aria-pressed": String(open.upper) }),
        key(text("survey.comment.space"), () => type(" "), { "data-action": "space" }),
      );
    }
    actions.append(
      key(text("manual.backspace"), () => setValue(open.field.value.slice(0, -1)), { "data-action": "backspace" }),
      key(text("touch.close"), close, { "data-action": "close" }),
    );
    panel.append(actions);
  }

  function show(field) {
    if (open.field === field && open.panel && open.panel.isConnected) {
      return;
    }
    close();
    const panel = document.createElement("div");
    panel.id = "touch-keys";
    panel.className = "touch-keys";
    panel.setAttribute("role", "group");
    open.field = field;
    open.panel = panel;
    open.upper = false;
    field.dataset.keysOpen = "true";
    render();
    (field.closest(".form-row") || field).after(panel);
    panel.scrollIntoView({ block: "nearest" });
  }

  function close() {
    if (open.panel) {
      open.panel.remove();
    }
    if (open.field) {
      delete open.field.dataset.keysOpen;
    }
    open.field = null;
    open.panel = null;
  }

  function attach(field) {
    field.setAttribute("inputmode", "none");
    field.setAttribute("autocomplete", "off");
    // On the tap's click, not on focus: opening scrolls the keys into view, and a field moved
    // between press and release would turn the tap into a tap elsewhere (closing the keys).
    field.addEventListener("click", () => show(field));
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && field.dataset.enter) {
        event.preventDefault();
        document.getElementById(field.dataset.enter).click();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const field of document.querySelectorAll("input[data-keys]")) {
      attach(field);
    }
    // A tap outside the open keys and their field puts the keys away.
    document.addEventListener("click", (event) => {
      const target = event.target;
      if (open.panel && !open.panel.contains(target) && target !== open.field) {
        close();
      }
    }, true);
  });

  window.touchKeys = { close };
})();
