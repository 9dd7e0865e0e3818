"use strict";
(() => {
  const pack = JSON.parse(document.getElementById("pack").textContent);
  const lecture = document.querySelector(".lecture video");
  const chapters = [...document.querySelectorAll(".chapters button")];

  // Chromium makes a page opened from disk its own origin and refuses it <track> files (an error in the
  // console for each): from disk the same cues come inline, and the refused load is never attempted.
  for (const track of document.querySelectorAll("track[data-src]")) {
    const vtt = pack.vtt[track.dataset.src];
    track.src = location.protocol === "file:" && vtt
      ? "data:text/vtt;charset=utf-8," + encodeURIComponent(vtt)
      : track.dataset.src;
  }

  function setLanguage(lang) {
    const ui = pack.ui[lang];
    document.documentElement.lang = lang;
    document.title = ui.title;
    for (const el of document.querySelectorAll("[data-ui]")) el.textContent = ui[el.dataset.ui];
    for (const el of document.querySelectorAll("[data-ui-label]")) el.setAttribute("aria-label", ui[el.dataset.uiLabel]);
    for (const el of document.querySelectorAll("[data-title]")) el.textContent = pack.titles[el.dataset.title][lang];
    for (const button of document.querySelectorAll("[data-lang]")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
    }
    for (const video of document.querySelectorAll("video")) {
      for (const track of video.textTracks) track.mode = track.language === lang ? "showing" : "disabled";
    }
  }

  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => setLanguage(button.dataset.lang));
  }
  for (const button of chapters) {
    button.addEventListener("click", () => {
      lecture.currentTime = Number(button.dataset.start);
      lecture.play().catch(() => {});
    });
  }
  lecture.addEventListener("timeupdate", () => {
    const now = lecture.currentTime;
    chapters.forEach((button, i) => {
      const next = chapters[i + 1];
      const current = now >= Number(button.dataset.start) && (!next || now < Number(next.dataset.start));
      button.setAttribute("aria-current", String(current));
    });
  });
  // One voice at a time: starting a video pauses the others.
  document.addEventListener("play", (event) => {
    for (const video of document.querySelectorAll("video")) if (video !== event.target) video.pause();
  }, true);
  setLanguage(pack.lang);
})();
