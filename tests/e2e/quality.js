// Measures the screen as rendered: every visible text's size and contrast against its
// effective background, every visible button's size, the queue numbers' size. Returns a list
// of violations (empty when the screen meets the bar). Run through WebDriver's execute.
const violations = [];
const parse = (css) => {
  const m = css.match(/rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/);
  return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : null;
};
const luminance = ({ r, g, b }) => {
  const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
const background = (element) => {
  for (let e = element; e; e = e.parentElement) {
    const bg = parse(getComputedStyle(e).backgroundColor);
    if (bg && bg.a > 0.5) return bg;
  }
  return { r: 255, g: 255, b: 255, a: 1 };
};
const visible = (e) => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden" && !e.closest("[hidden]");
};
const describe = (e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className && typeof e.className === "string" ? "." + e.className.split(" ").join(".") : ""} "${(e.textContent || "").trim().slice(0, 30)}"`;
for (const e of document.querySelectorAll("body *")) {
  if (!visible(e)) continue;
  const ownText = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
  if (ownText) {
    const style = getComputedStyle(e);
    const size = parseFloat(style.fontSize);
    if (size < 24) violations.push(`text under 24px (${size}px): ${describe(e)}`);
    const ratio = contrast(parse(style.color), background(e));
    if (ratio < 7) violations.push(`contrast ${ratio.toFixed(2)}:1 under 7:1: ${describe(e)}`);
  }
  if (e.tagName === "BUTTON") {
    const r = e.getBoundingClientRect();
    if (r.width < 64 || r.height < 64) violations.push(`touch target ${r.width}x${r.height} under 64px: ${describe(e)}`);
  }
  if (e.classList.contains("ticket-number")) {
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (size < 120) violations.push(`queue number ${size}px under 120px: ${describe(e)}`);
  }
}
const doc = document.documentElement;
if (doc.scrollWidth > doc.clientWidth + 1 || doc.scrollHeight > doc.clientHeight + 1) {
  violations.push(`content overflows the screen: ${doc.scrollWidth}x${doc.scrollHeight} in ${doc.clientWidth}x${doc.clientHeight}`);
}
return violations;
