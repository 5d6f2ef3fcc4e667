// The satisfaction survey: a scanned ticket QR opens it (the backend decides whether that ticket
// may rate), one question per screen with four faces, an optional comment, thanks. The backend
// records the rating once per ticket and flags misuse; this file only asks and carries answers.
"use strict";

const COMMENT_KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
// Mouth curves from the lowest score to the highest (frown to broad smile): the face says it,
// the label says it too. The scores themselves come from the core (`kiosk_info`).
const MOUTHS = ["M30 72 Q50 56 70 72", "M32 70 Q50 64 68 70", "M32 66 Q50 76 68 66", "M28 62 Q50 86 72 62"];

const survey = {
  ticketId: "",
  set: "",
  elements: [],
  index: 0,
  scores: {},
  comment: "",
  startedAt: 0,
  answeredMs: 0,
};

function faceSvg(score) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 100 100");
  svg.setAttribute("aria-hidden", "true");
  const head = document.createElementNS(ns, "circle");
  head.setAttribute("cx", "50");
  head.setAttribute("cy", "50");
  head.setAttribute("r", "44");
  head.setAttribute("fill", "none");
  head.setAttribute("stroke", "currentColor");
  head.setAttribute("stroke-width", "6");
  svg.append(head);
  for (const x of [35, 65]) {
    const eye = document.createElementNS(ns, "circle");
    eye.setAttribute("cx", String(x));
    eye.setAttribute("cy", "40");
    eye.setAttribute("r", "6");
    eye.setAttribute("fill", "currentColor");
    svg.append(eye);
  }
  const mouth = document.createElementNS(ns, "path");
  const scores = kiosk.info.survey_scores;
  const rank = (score - scores[0]) / Math.max(1, scores[scores.length - 1] - scores[0]);
  mouth.setAttribute("d", MOUTHS[Math.round(rank * (MOUTHS.length - 1))]);
  mouth.setAttribute("fill", "none");
  mouth.setAttribute("stroke", "currentColor");
  mouth.setAttribute("stroke-width", "6");
  mouth.setAttribute("stroke-linecap", "round");
  svg.append(mouth);
  return svg;
}

function buildFaces() {
  const faces = document.getElementById("survey-faces");
  for (const score of kiosk.info.survey_scores) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "face";
    button.dataset.score = String(score);
    const label = document.createElement("span");
    label.dataset.i18n = `survey.score.${score}`;
    label.textContent = t(`survey.score.${score}`);
    button.append(faceSvg(score), label);
    button.addEventListener("click", () => answer(score));
    faces.append(button);
  }
}

// A scan of a ticket QR: the backend's verdict decides which screen comes next.
function openSurvey(verdict) {
  if (verdict.code !== "ready") {
    showRefusal(verdict.code, verdict);
    return;
  }
  if (!document.querySelector("#survey-faces .face")) {
    buildFaces(); // once, from the scores the core sent with kiosk_info
  }
  Object.assign(survey, {
    ticketId: verdict.ticket_id,
    set: verdict.question_set,
    elements: verdict.elements,
    index: 0,
    scores: {},
    comment: "",
    startedAt: performance.now(),
    answeredMs: 0,
  });
  showQuestion();
}

function showQuestion() {
  const element = survey.elements[survey.index];
  document.getElementById("survey-progress").textContent = t("survey.progress", {
    n: survey.index + 1, total: survey.elements.length,
  });
  const question = document.getElementById("survey-question");
  question.dataset.i18n = `survey.${survey.set}.${element}`;
  question.textContent = t(question.dataset.i18n);
  document.getElementById("screen-survey").dataset.element = element;
  show("survey");
}

function answer(score) {
  survey.scores[survey.elements[survey.index]] = score;
  survey.index += 1;
  if (survey.index < survey.elements.length) {
    showQuestion();
    return;
  }
  survey.answeredMs = Math.round(performance.now() - survey.startedAt);
  renderComment();
  show("survey-comment");
}

function renderComment() {
  const output = document.getElementById("survey-comment");
  output.textContent = survey.comment || t("survey.comment.placeholder");
  output.dataset.empty = survey.comment ? "false" : "true";
  armIdleReset();
}

function typeComment(text) {
  // The core keeps at most `comment_chars`; the keys stop there.
  if (survey.comment.length + text.length <= kiosk.info.comment_chars) {
    survey.comment += text;
    renderComment();
  }
}

async function sendRating(withComment) {
  const answers = {
    ticket_id: survey.ticketId,
    scores: survey.scores,
    comment: withComment && survey.comment.trim() ? survey.comment.trim() : null,
    answered_ms: survey.answeredMs,
  };
  show("working");
  try {
    const recorded = await window.backend.call("submit_rating", { answers });
    if (recorded.code === "ok") {
      show("survey-thanks");
      play("ok");
    } else {
      showRefusal(recorded.code, {});
    }
  } catch (error) {
    showRefusal(error.code || "backend_failed", {});
  }
}

function buildCommentKeyboard() {
  const keys = document.getElementById("comment-keys");
  for (const key of COMMENT_KEYS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "key";
    button.textContent = key;
    button.addEventListener("click", () => typeComment(key));
    keys.append(button);
  }
  document.getElementById("comment-space").addEventListener("click", () => typeComment(" "));
  document.getElementById("comment-backspace").addEventListener("click", () => {
    survey.comment = survey.comment.slice(0, -1);
    renderComment();
  });
  document.getElementById("comment-send").addEventListener("click", () => sendRating(true));
  document.getElementById("comment-skip").addEventListener("click", () => sendRating(false));
}

document.addEventListener("DOMContentLoaded", buildCommentKeyboard);

window.survey = { open: openSurvey, timedOut: () => sendRating(false) };
