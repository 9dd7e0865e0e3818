"""Render one scene to `<out>/<id>.<format>` with its subtitles and its beat timeline, atomically.

Outputs: the clip (mp4, webm or gif; png is the last frame, a poster), `<id>.<lang>.srt` for every language
and `<id>.srt` in the render's language, all timed to this clip, and `<id>.beats.json`: each beat's key,
start, end and sentence in every language. They are placed as one unit (dependencies.place). Whether a
clip must be rendered at all is decided before, once, by `plan` (no manim imported for that).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from content.i18n import LANGS
from content.registry import SceneSpec, get

import voice
from voice import Voice, audio

from . import dependencies, encoding, manim_assets, muxing, preflight, signals
from .captions import srt_text
from .settings import VOICE_CACHE, WORK_DIR, RenderSettings


@dataclass(frozen=True)
class Rendered:
    scene_id: str
    video: Path  # the clip; for png, the last frame
    subtitles: Path | None  # in the render's language; None for png
    tracks: dict[str, Path] = field(default_factory=dict)  # language -> subtitles timed to this clip
    beats: Path | None = None  # the beat timeline
    cached: bool = False  # reused from an earlier build with the same key


@dataclass(frozen=True)
class Job:
    """One clip to make: a scene, its parameters (resolved), the settings, and its voice (None: a silent
    clip)."""

    scene_id: str
    params: dict[str, Any]
    settings: RenderSettings
    voice: Voice | None = None

    @property
    def out_dir(self) -> Path:
        return self.settings.folder()

    def to_json(self) -> str:
        return json.dumps({"scene_id": self.scene_id, "params": self.params, "settings": self.settings.to_json(),
                           "voice": self.voice.to_json() if self.voice else None})

    @classmethod
    def from_json(cls, text: str) -> "Job":
        fields = json.loads(text)
        return cls(fields["scene_id"], fields["params"], RenderSettings.from_json(fields["settings"]),
                   Voice.from_json(fields["voice"]) if fields.get("voice") else None)


def outputs(scene_id: str, fmt: str, out_dir: Path, paths: list[Path], cached: bool) -> Rendered:
    by_name = {p.name: p for p in paths}
    tracks = {code: by_name[f"{scene_id}.{code}.srt"] for code in LANGS if f"{scene_id}.{code}.srt" in by_name}
    return Rendered(scene_id, out_dir / f"{scene_id}.{fmt}", by_name.get(f"{scene_id}.srt"), tracks,
                    by_name.get(f"{scene_id}.beats.json"), cached)


def plan(job: Job) -> tuple[str, Rendered | None]:
    """This job's build key, and its earlier build when nothing it depends on changed (None: render it;
    always None with --force). No manim here."""
    spec = get(job.scene_id)
    key = dependencies.build_key(spec, job.params, job.settings, job.voice)
    if job.settings.force:
        return key, None
    reused = dependencies.lookup(job.out_dir, spec.id, job.settings.fmt, key)
    return key, None if reused is None else outputs(spec.id, job.settings.fmt, job.out_dir, reused, cached=True)


def ensure_experiments(spec: SceneSpec) -> bool:
    """Train the scene's experiments that have no result yet, before the scene is built (so never inside
    manim); True when one was trained (the build key then changes with the new result files)."""
    missing = [name for name, path in dependencies.result_files(spec).items() if path is None]
    if missing:
        import experiments

        for name in missing:
            experiments.run_cached(name)
    return bool(missing)


def render_scene(job: Job, key: str | None = None, progress: bool = False) -> Rendered:
    """Render the job's clip (whatever is on disk) and place it with its sidecar files. `key` is the build
    key `plan` gave; it is worked out again only when an experiment had to be trained first."""
    from manim import config, tempconfig  # deferred: listing, explaining and cache hits need no manim

    from content.narration import scene_data

    spec = get(job.scene_id)
    if ensure_experiments(spec) or key is None:
        key = dependencies.build_key(spec, job.params, job.settings, job.voice)
    data = scene_data(spec.id, job.params)
    settings = job.settings
    lines = voice.plan(job.voice, spec.id, data.narration(job.voice.lang)) if job.voice else []
    speech = voice.speak(lines, job.voice.lang, VOICE_CACHE) if lines else {}
    if speech:  # the beats wait for the voice
        data = replace(data, speech={beat: audio.seconds(samples) for beat, samples in speech.items()},
                       voiced=job.voice.lang)
    encoding.use_cheap_holds(settings.encoder == "lecture")
    started = time.monotonic()
    manim_assets.clean_stale_work()
    scene_class = spec.load()
    # Per-process names keep two renders of one scene from sharing a working file: manim would otherwise
    # put both scenes' partial movies in one folder named after the scene class.
    tag = f"{spec.id}-{os.getpid()}"
    partial_dir = WORK_DIR / "partial" / tag
    options: dict[str, Any] = {
        "verbosity": "ERROR",  # first: the settings below log as they are applied (webm warns)
        **settings.manim_options(),
        "media_dir": str(WORK_DIR),
        "output_file": tag,
        "partial_movie_dir": str(partial_dir),
        # Manim's per-animation cache hashes every mobject of every play: a third of the render time.
        "disable_caching": True,
        "progress_bar": "display" if progress else "none",
    }
    try:
        with tempconfig(options):
            with manim_assets.private_assets(tag, config.pixel_width, config.pixel_height) as asset_dirs:
                for option, folder in asset_dirs.items():
                    config[option] = folder
                scene = scene_class(data=data, check_layout=settings.check_layout, lang=settings.lang)
                scene.render()
                artifact = Path(scene.renderer.file_writer.final_file_path)
        if speech and settings.fmt in muxing.AUDIO:
            artifact = _with_voice(artifact, scene, speech, settings.fmt, partial_dir)
        signals.check()  # a Ctrl-C or kill whose raise a finaliser swallowed: place nothing
        placed = dependencies.place(job.out_dir, spec.id, settings.fmt, key, _files(job, scene, artifact),
                                    seconds=time.monotonic() - started)
    finally:
        shutil.rmtree(partial_dir, ignore_errors=True)
        manim_assets.remove_finished(tag)
    return outputs(spec.id, settings.fmt, job.out_dir, placed, cached=False)


def _with_voice(video: Path, scene, speech: dict, fmt: str, folder: Path) -> Path:
    """The clip with its voice track: each beat's speech at the start of its spoken span."""
    spans = {entry["key"]: entry["speech"] for entry in scene.timeline if "speech" in entry}
    ceiling = audio.CEILING_DBTP - audio.CODEC_MARGIN
    samples = voice.track(muxing.video_seconds(video), spans, speech, ceiling)
    # The ceiling holds for what a player decodes: the encoder reshapes peaks (espeak-ng's buzzy pulses
    # come back up to 3 dB higher from AAC), so the track is limited harder until the decoded peak fits.
    for _ in range(4):
        over = audio.true_peak(muxing.encoded(samples, fmt)) - audio.CEILING_DBTP
        if over <= 0:
            break
        ceiling -= over + 0.2
        samples = audio.normalise(samples, ceiling=ceiling)
    target = folder / f"voiced.{fmt}"
    folder.mkdir(parents=True, exist_ok=True)
    muxing.write([video], target, fmt, audio=samples, options={"movflags": "+faststart"} if fmt == "mp4" else None)
    return target


def _files(job: Job, scene, artifact: Path) -> dict[Path, Path | str]:
    """What one render puts in its folder: target -> a file to move there, or the text to write."""
    out, scene_id, fmt = job.out_dir, job.scene_id, job.settings.fmt
    files: dict[Path, Path | str] = {out / f"{scene_id}.{fmt}": artifact}
    if fmt != "png":
        tracks = {code: srt_text(cues) for code, cues in scene.subtitle_tracks.items()}
        files[out / f"{scene_id}.srt"] = tracks[job.settings.lang]
        files.update({out / f"{scene_id}.{code}.srt": text for code, text in tracks.items()})
    files[out / f"{scene_id}.beats.json"] = json.dumps(timeline(scene), indent=1, ensure_ascii=False) + "\n"
    return files


def timeline(scene) -> dict[str, Any]:
    """The clip's beats: each one's key, start and end in seconds, and its sentence in every language; in a
    narrated clip the language spoken (`voiced`) and each beat's spoken span (`speech`: start, end)."""
    texts = {beat.key: dict(beat.text) for beat in scene.data.beats}
    return {"scene": scene.scene_id, "params": dict(scene.params), "duration": round(float(scene.time), 6),
            "voiced": scene.data.voiced,
            "beats": [{"key": entry["key"], "start": round(float(entry["start"]), 6),
                       "end": round(float(entry["end"]), 6), "narration": texts[entry["key"]],
                       **({"speech": [round(float(t), 6) for t in entry["speech"]]} if "speech" in entry else {})}
                      for entry in scene.timeline]}


def dry_timeline(scene_id: str, params: dict[str, Any] | None = None, lang: str = "en") -> dict[str, Any]:
    """The beat timeline of a clip without rendering one: the scene is built with every animation skipped
    (seconds, no video). Times are the same as a render's at any frame rate."""
    from manim import tempconfig

    from content.narration import scene_data

    preflight.require_latex()
    data = scene_data(scene_id, params)
    options = {"dry_run": True, "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none",
               "pixel_width": 320, "pixel_height": 180}
    tag = f"timeline-{os.getpid()}"
    with tempconfig(options):
        with manim_assets.private_assets(tag, 320, 180) as asset_dirs:
            from manim import config

            for option, folder in asset_dirs.items():
                config[option] = folder
            scene = get(scene_id).load()(data=data, lang=lang, skip_animations=True)
            scene.render()
    return timeline(scene)


def render(spec: SceneSpec, params: dict[str, Any] | None = None, settings: RenderSettings | None = None,
           progress: bool = False) -> Rendered:
    """One scene, reusing its earlier build when nothing it depends on changed (the tests' and the
    benchmark's way in; the CLI goes through cluster.render_many)."""
    settings = settings or RenderSettings()
    job = Job(spec.id, spec.resolve_params(params), settings)
    key, reused = plan(job)
    return reused if reused is not None else render_scene(job, key, progress)


__all__ = ["Rendered", "Job", "RenderSettings", "plan", "outputs", "render_scene", "render", "timeline", "dry_timeline"]
