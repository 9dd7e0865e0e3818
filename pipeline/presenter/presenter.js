"use strict";
// The presenter: one beat per step. Each beat is a video of its own (cut from the clip at the beat
// timeline's frames), so a beat stops where it ends, to the frame, without watching the clock. Two video
// elements take turns: while one plays, the other holds the next beat, loaded and paused on its first
// frame, so stepping on shows no black. The same page opened as #speaker is the speaker view; the two
// windows talk by postMessage, which works between pages opened from disk (file://) too.
(() => {
  const data = JSON.parse(document.getElementById("slides").textContent);
  const beats = data.beats, scenes = data.scenes, ui = data.ui;
  const half = 0.5 / data.fps;  // half a frame: seeking there shows a beat's last frame
  const $ = (id) => document.getElementById(id);

  function where(index) {
    const beat = beats[Math.min(index, beats.length - 1)], scene = scenes[beat.scene];
    return `${beat.scene + 1} / ${scenes.length} · <b>${escape(scene.title)}</b> · ${beat.number} / ${scene.count}`;
  }

  function escape(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  if (location.hash === "#speaker") speakerView(); else presenter();

  function presenter() {
    const views = [$("view-a"), $("view-b")];
    let front = 0;
    // cursor: the next beat to play; playing: the beat playing (-1: none); still: what a stopped screen
    // shows, the first frame ("start") or the last ("end") of a beat.
    const state = { cursor: 0, playing: -1, still: { index: 0, at: "start" }, muted: false, captions: false,
                    started: null };
    let speaker = null;

    function load(view, index) {
      if (view.dataset.index === String(index)) return;
      view.dataset.index = String(index);
      view.poster = beats[index].poster;
      view.src = beats[index].video;
      view.load();
    }

    // Once the view can show its current frame: a seek lowers readyState again, and loadeddata fires only
    // once per load, so wait for whichever of these comes first.
    function ready(view, then) {
      if (view.readyState >= 2 && !view.seeking) return then();
      const events = ["loadeddata", "seeked", "canplay"];
      const once = () => {
        if (view.readyState < 2 || view.seeking) return;
        events.forEach((name) => view.removeEventListener(name, once));
        then();
      };
      events.forEach((name) => view.addEventListener(name, once));
    }

    function swap(to) {
      front = to;
      views.forEach((view, i) => view.classList.toggle("front", i === front));
    }

    function stopAll() {
      for (const view of views) view.pause();
      state.playing = -1;
    }

    function showStill(index, at) {
      stopAll();
      // The view that holds this beat already, if one does (a beat about to play when a key skips it).
      const view = views.find((v) => v.dataset.index === String(index)) || views[front];
      swap(views.indexOf(view));
      load(view, index);
      const seek = () => { view.currentTime = at === "end" ? Math.max(0, view.duration - half) : 0; };
      if (view.readyState >= 1) seek(); else view.addEventListener("loadedmetadata", seek, { once: true });
      state.still = { index, at };
      if (at === "end" && index + 1 < beats.length) load(views[1 - front], index + 1);
      update();
    }

    function play(index) {
      stopAll();
      let view = views[front];
      if (!(view.dataset.index === String(index) && state.still.at === "start")) {
        const other = views[1 - front];
        load(other, index);
        if (other.currentTime !== 0) other.currentTime = 0;
        view = other;
      }
      state.playing = index;
      state.cursor = index + 1;
      if (state.started === null) state.started = Date.now();
      update();
      ready(view, () => {
        if (state.playing !== index) return;  // stepped elsewhere meanwhile
        swap(views.indexOf(view));
        view.muted = state.muted;
        view.play().catch((error) => console.warn("presenter: cannot play:", error.message));
        if (index + 1 < beats.length) load(views[1 - front], index + 1);
        tell();
      });
    }

    function ended(event) {
      const view = event.target, index = Number(view.dataset.index);
      if (view !== views[front] || state.playing !== index) return;
      state.playing = -1;
      state.still = { index, at: "end" };
      update();
    }

    const act = {
      next() {
        if (state.playing >= 0) {  // skip the rest of this beat: its last frame
          const index = state.playing;
          showStill(index, "end");
          state.cursor = index + 1;
          return update();
        }
        if (state.cursor < beats.length) play(state.cursor);
      },
      prev() {
        const index = state.playing >= 0 ? state.playing
          : state.still.at === "end" ? state.still.index : Math.max(0, state.cursor - 1);
        state.cursor = index;
        showStill(index, "start");
      },
      scene(number) {
        if (number < 0 || number >= scenes.length) return;
        state.cursor = scenes[number].first;
        showStill(state.cursor, "start");
      },
      home() { act.scene(0); },
      end() {
        state.cursor = beats.length;
        showStill(beats.length - 1, "end");
      },
      mute() {
        state.muted = !state.muted;
        for (const view of views) view.muted = state.muted;
        update();
      },
      captions() { state.captions = !state.captions; update(); },
      fullscreen() {
        if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
        else document.documentElement.requestFullscreen().catch(() => {});
      },
      chapters() { $("chapters").hidden = !$("chapters").hidden; $("help").hidden = true; },
      help() { $("help").hidden = !$("help").hidden; $("chapters").hidden = true; },
      close() { $("chapters").hidden = true; $("help").hidden = true; },
      speaker() {
        if (speaker && !speaker.closed) return speaker.focus();
        speaker = window.open(location.href.split("#")[0] + "#speaker", "speaker-view", "width=1100,height=700");
      },
    };

    const KEYS = {
      ArrowRight: "next", " ": "next", PageDown: "next", Enter: "next", ArrowDown: "next",
      ArrowLeft: "prev", PageUp: "prev", Backspace: "prev", ArrowUp: "prev",
      Home: "home", End: "end", m: "mute", c: "captions", f: "fullscreen", s: "speaker", t: "chapters",
      "?": "help", h: "help", Escape: "close",
    };

    function key(name) {
      if (/^[0-9]$/.test(name)) return act.scene(name === "0" ? 9 : Number(name) - 1);
      const action = KEYS[name] || KEYS[name.toLowerCase()];
      if (action) act[action]();
      return Boolean(action);
    }

    function update() {
      const shown = state.playing >= 0 ? state.playing : state.still.index;
      $("where").innerHTML = where(shown);
      $("progress").firstElementChild.style.width = `${100 * state.cursor / beats.length}%`;
      const mute = document.querySelector("[data-do=mute]");
      mute.setAttribute("aria-pressed", String(state.muted));
      mute.textContent = state.muted ? ui.muted : ui.mute;
      const caption = $("caption");
      caption.hidden = !(state.captions && state.playing >= 0);
      if (state.playing >= 0) caption.textContent = beats[state.playing].notes;
      const scene = beats[shown].scene;
      document.querySelectorAll("#chapters button").forEach((button, i) => {
        button.setAttribute("aria-current", String(i === scene));
      });
      tell();
    }

    function tell() {
      if (speaker && !speaker.closed) {
        const view = views[front];
        speaker.postMessage({ type: "state", state, time: view.currentTime, index: Number(view.dataset.index) }, "*");
      }
    }

    for (const view of views) view.addEventListener("ended", ended);
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (key(event.key)) event.preventDefault();
    });
    $("stage").addEventListener("click", () => act.next());
    for (const button of document.querySelectorAll("#bar [data-do]")) {
      button.addEventListener("click", (event) => { event.stopPropagation(); act[button.dataset.do](); button.blur(); });
    }
    document.querySelectorAll("#chapters button").forEach((button, i) => {
      button.addEventListener("click", () => { act.scene(i); act.close(); });
    });
    document.addEventListener("fullscreenchange", () => {
      document.body.classList.toggle("fullscreen", Boolean(document.fullscreenElement));
    });
    window.addEventListener("message", (event) => {
      if (event.source !== speaker || !event.data) return;
      if (event.data.type === "key") key(event.data.key);
      if (event.data.type === "hello") tell();
    });
    setInterval(tell, 500);  // keeps the speaker's mirror and clock in step
    // For tests and for anyone driving the presenter from the console.
    window.presenter = { state, beats, scenes, key, front: () => views[front] };
    load(views[0], 0);
    update();
  }

  function speakerView() {
    document.body.classList.add("speaker");
    $("speaker").hidden = false;
    document.title = `${ui.speaker} — ${document.title}`;
    const mirror = $("mirror");
    let last = null;

    function show(message) {
      const state = message.state;
      last = message;
      const current = state.playing >= 0 ? state.playing : state.still.at === "end" ? state.still.index : -1;
      const next = state.cursor < beats.length ? state.cursor : -1;
      $("notes-now").textContent = current >= 0 ? beats[current].notes : "";
      $("notes-next").textContent = next >= 0 ? beats[next].notes : ui.end;
      $("next-poster").src = next >= 0 ? beats[next].final : "";  // what the next beat builds
      $("next-poster").hidden = next < 0;
      const index = message.index;
      if (mirror.dataset.index !== String(index)) {
        mirror.dataset.index = String(index);
        mirror.src = beats[index].video;
      }
      if (state.playing >= 0) {
        if (Math.abs(mirror.currentTime - message.time) > 0.25) mirror.currentTime = message.time;
        if (mirror.paused) mirror.play().catch(() => {});
      } else {
        mirror.pause();
        if (Math.abs(mirror.currentTime - message.time) > 0.05) mirror.currentTime = message.time;
      }
      $("speaker-where").innerHTML = where(state.playing >= 0 ? state.playing : state.still.index);
      tick();
    }

    function tick() {
      const now = new Date();
      $("clock").textContent = now.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
      const started = last && last.state.started;
      const seconds = started ? Math.floor((Date.now() - started) / 1000) : 0;
      $("elapsed").textContent = `${ui.elapsed} ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    }

    window.addEventListener("message", (event) => {
      if (event.source === window.opener && event.data && event.data.type === "state") show(event.data);
    });
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || !window.opener) return;
      window.opener.postMessage({ type: "key", key: event.key }, "*");
      event.preventDefault();
    });
    setInterval(tick, 1000);
    tick();
    window.speakerView = { last: () => last };
    if (window.opener) window.opener.postMessage({ type: "hello" }, "*");
  }
})();
