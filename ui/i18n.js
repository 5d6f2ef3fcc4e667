// Screen text lives in i18n/<lang>.json (the core reads the same files); this is the one place
// the page picks a language: it loads the current one, fills `{name}` placeholders (`t`), and
// picks the current language's half of a text the backend sends in both (`pick`).
"use strict";

window.i18n = {
  lang: "id",
  strings: {},

  async load(lang) {
    this.strings = await this.fetchTexts(lang);
    this.lang = lang;
    document.documentElement.lang = lang;
    for (const element of document.querySelectorAll("[data-i18n]")) {
      element.textContent = this.t(element.dataset.i18n);
    }
    for (const element of document.querySelectorAll("[data-i18n-placeholder]")) {
      element.placeholder = this.t(element.dataset.i18nPlaceholder);
    }
    for (const element of document.querySelectorAll("[data-i18n-title]")) {
      element.title = this.t(element.dataset.i18nTitle);
      element.setAttribute("aria-label", element.title);
    }
    // Texts a script builds (with figures, lists) are built again in the new language.
    document.dispatchEvent(new CustomEvent("i18n:loaded", { detail: { lang } }));
  },

  async fetchTexts(lang) {
    const response = await fetch(`i18n/${lang}.json`);
    return response.json();
  },

  t(key, params) {
    const text = this.strings[key];
    if (text === undefined) {
      return key;
    }
    return this.fill(text, params);
  },

  // `{name}` placeholders filled from `params`, in one pass, as the core's texts::fill does.
  fill(text, params) {
    return text.replace(/\{(\w+)\}/g, (whole, name) =>
      params && params[name] !== undefined ? String(params[name]) : whole);
  },

  // Whether the current language has a text for `key` (a code without words falls back).
  has(key) {
    return this.strings[key] !== undefined;
  },

  // The current language's half of `{id, en}` (an error's next step), Bahasa Indonesia when
  // that half is missing; "" for none.
  pick(both) {
    return both ? both[this.lang] || both.id || "" : "";
  },

  // For a page that shows both languages side by side (start problem): each `data-label`
  // element gets its key's text in its `data-lang` (Bahasa Indonesia when none is given).
  async labelBoth() {
    const texts = { id: await this.fetchTexts("id"), en: await this.fetchTexts("en") };
    for (const element of document.querySelectorAll("[data-label]")) {
      const lang = element.dataset.lang === "en" ? "en" : "id";
      element.textContent = texts[lang][element.dataset.label] || element.dataset.label;
    }
  },
};
