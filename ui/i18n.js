// Screen text lives in i18n/<lang>.json; this only loads it and fills `{name}` placeholders.
"use strict";

window.i18n = {
  lang: "id",
  strings: {},

  async load(lang) {
    const response = await fetch(`i18n/${lang}.json`);
    this.strings = await response.json();
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
  },

  t(key, params) {
    const text = this.strings[key];
    if (text === undefined) {
      return key;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name) =>
      params && params[name] !== undefined ? String(params[name]) : whole);
  },
};
