"""Render a registered scene to `<out>/<id>.<format>` plus its subtitles, atomically and only when needed.

Outputs: the clip (mp4, webm or gif; png is the last frame, a poster), `<id>.srt` in the render's
language and `<id>.<lang>.srt` for every language, all timed to this clip. Every file is written under
a temporary name and moved into place when complete, so an interrupted render keeps the previous good
file. A clip whose dependencies have not changed is not rendered again (scenes/build.py).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import SceneSpec, build

REPO = Path(__file__).resolve().parent.parent
# Everything rendered lands under here; the tests move it to a temporary folder.
MEDIA = Path(os.environ.get("ACTLECTURE_MEDIA") or REPO / "media")
# Manim's own working files (TeX cache, partial movies) live here whatever the output folder is,
# so formulas compiled once are reused by every later render (the tests' renders too).
WORK_DIR = REPO / "media" / ".work"

# CLI letter -> (manim quality name, folder name), as manim's own -q flags.
QUALITIES = {
    "l": ("low_quality", "480p15"),
    "m": ("medium_quality", "720p30"),
    "h": ("high_quality", "1080p60"),
    "k": ("fourk_quality", "2160p60"),
}
FORMATS = ("mp4", "webm", "gif", "png")
LANGS = ("en", "zh")


@dataclass(frozen=True)
class Rendered:
    scene_id: str
    video: Path  # the clip; for png, the last frame
    subtitles: Path | None  # in the render's language; None for png
    tracks: dict[str, Path] = field(default_factory=dict)  # language -> subtitles timed to this clip
    cached: bool = False  # reused from an earlier build with the same key


def default_output_dir(quality: str, lang: str = "en", resolution: tuple[int, int] | None = None,
                       frame_rate: int | None = None) -> Path:
    """media/480p15 (as manim names its folders), media/480p15/zh for Chinese; a custom size or rate
    gets a folder of its own (e.g. media/108p5), so it never overwrites the preset's clips."""
    name = QUALITIES[quality][1]
    if resolution is not None or frame_rate is not None:
        height, rate = name.split("p")
        name = f"{resolution[1] if resolution else height}p{frame_rate or rate}"
    folder = MEDIA / name
    return folder if lang == "en" else folder / lang


def check_output_dir(out_dir: Path) -> None:
    """ValueError (one line) unless `out_dir` is, or can become, a writable folder."""
    probe = Path(out_dir)
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise ValueError(f"output folder {str(out_dir)!r} is not a folder ({str(probe)!r} is a file)")
    try:  # a real attempt: os.access says yes to root even on a read-only file system
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError:
        raise ValueError(f"output folder {str(out_dir)!r} is not writable") from None


def check_settings(quality: str, fmt: str, lang: str) -> None:
    for name, value, allowed in (("quality", quality, QUALITIES), ("format", fmt, FORMATS), ("language", lang, LANGS)):
        if value not in allowed:
            raise ValueError(f"unknown {name} {value!r}; choose from: {', '.join(allowed)}")


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def _place(source: Path, target: Path) -> None:
    """Move into place under a temporary name first, so `target` is never a half-written file."""
    temporary = _temporary(target)
    try:
        shutil.move(str(source), temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _write_srt(cues: list[tuple[float, float, str]], target: Path) -> None:
    import datetime

    import srt

    subtitles = [srt.Subtitle(i + 1, datetime.timedelta(seconds=start), datetime.timedelta(seconds=end), text)
                 for i, (start, end, text) in enumerate(cues)]
    temporary = _temporary(target)
    try:
        temporary.write_text(srt.compose(subtitles), encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


# Manim's caches of compiled formulas and texts, by hash. Manim does not expect two processes at once:
# it deletes every non-SVG file of the TeX folder after each formula and writes SVGs in place, so a
# render next to another one reads half-written files or loses its .dvi. Each render therefore works in
# private folders, seeded from the shared cache with hard links, and adds what it made when it succeeds.
SHARED_ASSETS = {"tex_dir": "Tex", "text_dir": "texts"}


@contextmanager
def _private_assets(tag: str) -> Iterator[dict[str, str]]:
    private = WORK_DIR / "private" / tag
    folders = {}
    for option, name in SHARED_ASSETS.items():
        shared, own = WORK_DIR / name, private / name
        shared.mkdir(parents=True, exist_ok=True)
        own.mkdir(parents=True, exist_ok=True)
        for svg in shared.glob("*.svg"):
            os.link(svg, own / svg.name)
        folders[option] = (shared, own)
    try:
        yield {option: str(own) for option, (_, own) in folders.items()}
        for shared, own in folders.values():  # only after success: an interrupted SVG may be half written
            for svg in own.glob("*.svg"):
                if not (shared / svg.name).exists():
                    temporary = shared / f".{svg.name}.{os.getpid()}.tmp"
                    os.link(svg, temporary)
                    os.replace(temporary, shared / svg.name)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _clean_stale_work() -> None:
    """Partial movies of renders whose process is gone (killed mid-render) would pile up otherwise."""
    for folder in [*(WORK_DIR / "partial").glob("*-*"), *(WORK_DIR / "private").glob("*-*")]:
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def _outputs(scene_id: str, fmt: str, lang: str, out_dir: Path, paths: list[Path], cached: bool) -> Rendered:
    by_name = {p.name: p for p in paths}
    subtitles = by_name.get(f"{scene_id}.srt")
    tracks = {code: by_name[f"{scene_id}.{code}.srt"] for code in LANGS if f"{scene_id}.{code}.srt" in by_name}
    return Rendered(scene_id, out_dir / f"{scene_id}.{fmt}", subtitles, tracks, cached)


def render(spec: SceneSpec, params: dict[str, Any] | None = None, quality: str = "l",
           out_dir: Path | None = None, fmt: str = "mp4", lang: str = "en", progress: bool = True,
           check_layout: bool = False, resolution: tuple[int, int] | None = None,
           frame_rate: int | None = None, force: bool = False) -> Rendered:
    """Render `spec`, or reuse its earlier build when nothing it depends on changed (unless `force`).
    `resolution` and `frame_rate` override the quality preset."""
    check_settings(quality, fmt, lang)
    out_dir = Path(out_dir) if out_dir is not None else default_output_dir(quality, lang, resolution, frame_rate)
    check_output_dir(out_dir)
    resolved = spec.resolve_params(params)
    settings = {"params": resolved, "quality": quality, "resolution": resolution, "frame_rate": frame_rate,
                "format": fmt, "lang": lang, "check_layout": check_layout}
    key = build.build_key(spec, settings)
    if not force:
        reused = build.lookup(out_dir, spec.id, fmt, key)
        if reused is not None:
            return _outputs(spec.id, fmt, lang, out_dir, reused, cached=True)

    from manim import tempconfig  # deferred: listing, explaining and cache hits need no manim

    from mathcore.results import track_reads

    _clean_stale_work()
    scene_class = spec.load()
    # Per-process names keep two renders of one scene from sharing a working file: manim would otherwise
    # put both scenes' partial movies in one folder named after the scene class.
    tag = f"{spec.id}-{os.getpid()}"
    partial_dir = WORK_DIR / "partial" / tag
    options: dict[str, Any] = {
        "verbosity": "ERROR",  # first: the settings below log as they are applied (webm warns)
        "quality": QUALITIES[quality][0],
        "format": fmt,
        "media_dir": str(WORK_DIR),
        "output_file": tag,
        "partial_movie_dir": str(partial_dir),
        # Manim's per-animation cache hashes every mobject of every play: a third of the render time.
        "disable_caching": True,
        "progress_bar": "display" if progress else "none",
    }
    if resolution is not None:
        options["pixel_width"], options["pixel_height"] = resolution
    if frame_rate is not None:
        options["frame_rate"] = frame_rate
    try:
        with track_reads() as reads, _private_assets(tag) as asset_dirs, tempconfig({**options, **asset_dirs}):
            try:
                scene = scene_class(params=resolved, check_layout=check_layout, lang=lang)
            except TypeError:  # a scene class from before languages: English only
                if lang != "en":
                    raise
                scene = scene_class(params=resolved, check_layout=check_layout)
            scene.render()
            artifact = Path(scene.renderer.file_writer.final_file_path)
        out_dir.mkdir(parents=True, exist_ok=True)
        placed = [out_dir / f"{spec.id}.{fmt}"]
        # The clip first: if it cannot be placed, the old clip and its old subtitles stay together.
        _place(artifact, placed[0])
        if fmt != "png":
            placed.append(out_dir / f"{spec.id}.srt")
            _place(artifact.with_suffix(".srt"), placed[-1])
            for code, cues in getattr(scene, "subtitle_tracks", {}).items():
                placed.append(out_dir / f"{spec.id}.{code}.srt")
                _write_srt(cues, placed[-1])
    finally:
        shutil.rmtree(partial_dir, ignore_errors=True)
    build.remember(out_dir, spec.id, fmt, key, placed, reads)
    return _outputs(spec.id, fmt, lang, out_dir, placed, cached=False)


# --- many scenes: cache hits first, then the rest on several processes ----------------------------


@dataclass(frozen=True)
class Job:
    scene_id: str
    params: dict[str, Any]
    quality: str = "l"
    out_dir: Path | None = None
    fmt: str = "mp4"
    lang: str = "en"
    resolution: tuple[int, int] | None = None
    frame_rate: int | None = None
    force: bool = False

    def run(self, progress: bool) -> Rendered:
        from . import get

        return render(get(self.scene_id), self.params, self.quality, self.out_dir, self.fmt, self.lang,
                      progress=progress, resolution=self.resolution, frame_rate=self.frame_rate, force=self.force)

    def reusable(self) -> Rendered | None:
        """The earlier build of this job, when nothing it depends on changed (no manim import)."""
        from . import get

        if self.force:
            return None
        spec = get(self.scene_id)
        out_dir = self.out_dir or default_output_dir(self.quality, self.lang, self.resolution, self.frame_rate)
        settings = {"params": spec.resolve_params(self.params), "quality": self.quality,
                    "resolution": self.resolution, "frame_rate": self.frame_rate, "format": self.fmt,
                    "lang": self.lang, "check_layout": False}
        reused = build.lookup(out_dir, spec.id, self.fmt, build.build_key(spec, settings))
        return None if reused is None else _outputs(spec.id, self.fmt, self.lang, out_dir, reused, cached=True)


def _worker_command(job: Job) -> list[str]:
    import json
    import sys

    fields = {**job.__dict__, "out_dir": str(job.out_dir) if job.out_dir else None}
    return [sys.executable, "-m", "scenes.render", json.dumps(fields)]


def _worker_main(raw: str) -> int:
    """A worker process: render one job, print its outcome as one JSON line. Errors come back as one line
    (a traceback cannot cross processes usefully)."""
    import json
    import signal
    import time

    # Ctrl-C at a terminal reaches every process of the group, and Python can take it inside a weakref
    # callback and carry on. The parent alone handles it: it stops its workers and removes their files.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fields = json.loads(raw)
    fields["out_dir"] = Path(fields["out_dir"]) if fields["out_dir"] else None
    for name in ("resolution",):
        fields[name] = tuple(fields[name]) if fields[name] else None
    started = time.monotonic()
    try:
        done = Job(**fields).run(progress=False)
        outcome = {"video": str(done.video), "subtitles": str(done.subtitles) if done.subtitles else None,
                   "tracks": {k: str(v) for k, v in done.tracks.items()}}
    except Exception as err:  # reported by the parent; the other scenes go on
        outcome = {"error": f"{type(err).__name__}: {err}"}
    print(json.dumps({**outcome, "seconds": time.monotonic() - started}), flush=True)
    return 0


def _worker_outcome(job: Job, stdout: str, returncode: int) -> tuple[Rendered | str, float]:
    import json

    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if returncode != 0 or not lines:
        return f"the worker process ended with exit status {returncode}", 0.0
    data = json.loads(lines[-1])
    if "error" in data:
        return data["error"], data["seconds"]
    return Rendered(job.scene_id, Path(data["video"]), Path(data["subtitles"]) if data["subtitles"] else None,
                    {k: Path(v) for k, v in data["tracks"].items()}), data["seconds"]


def _remove_leftovers(pid: int, out_dir: Path) -> None:
    """A stopped worker's working folders and any half-placed file (named with its pid)."""
    for folder in [*(WORK_DIR / "partial").glob(f"*-{pid}"), *(WORK_DIR / "private").glob(f"*-{pid}")]:
        shutil.rmtree(folder, ignore_errors=True)
    for temporary in Path(out_dir).glob(f".*.{pid}.tmp"):
        temporary.unlink(missing_ok=True)


def require_latex() -> None:
    """RuntimeError naming the fix when the formula tool chain is missing (manim would raise a bare
    FileNotFoundError from deep inside a scene)."""
    missing = [tool for tool in ("latex", "dvisvgm") if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"{' and '.join(missing)} not found: formulas need LaTeX; run `bash scripts/setup.sh` "
                           "or `apt-get install texlive-latex-base texlive-latex-extra dvisvgm`")


def render_many(jobs: list[Job], workers: int, report) -> dict[str, Rendered | str]:
    """Every job's Rendered, or its one-line error. `report(event, job, detail)` hears "reused",
    "start" (or "queued", in parallel), "done" (detail: seconds) and "failed" (detail: the error), in the order they happen.

    Scenes render in parallel processes (spawned: a fresh interpreter each, so manim's global config and
    torch's threads are never shared); one process renders in place, with manim's progress bar."""
    import time

    outcome: dict[str, Rendered | str] = {}
    pending = []
    for job in jobs:
        try:
            reused = job.reusable()
        except (ValueError, LookupError) as err:  # an unknown scene or a bad parameter fails this job alone
            outcome[job.scene_id] = f"{type(err).__name__}: {err}"
            report("failed", job, outcome[job.scene_id])
            continue
        if reused is not None:
            outcome[job.scene_id] = reused
            report("reused", job, None)
        else:
            pending.append(job)
    if not pending:
        return outcome
    require_latex()
    if workers <= 1 or len(pending) == 1:
        for job in pending:
            report("start", job, None)
            started = time.monotonic()
            try:
                outcome[job.scene_id] = job.run(progress=True)
            except Exception as err:  # one scene's failure must not cost the others their renders
                outcome[job.scene_id] = f"{type(err).__name__}: {err}"
                report("failed", job, outcome[job.scene_id])
                continue
            report("done", job, time.monotonic() - started)
        return outcome

    import subprocess

    # Worker processes, not threads or a multiprocessing pool: each is a fresh interpreter (manim's
    # config is global, torch's threads are not shared), and on Ctrl-C each is stopped and its files removed.
    queue, running = list(pending), []
    try:
        while queue or running:
            while queue and len(running) < workers:
                job = queue.pop(0)
                report("queued", job, None)
                running.append((job, subprocess.Popen(_worker_command(job), stdout=subprocess.PIPE, text=True,
                                                      cwd=REPO)))
            for item in list(running):
                job, process = item
                if process.poll() is None:
                    continue
                running.remove(item)
                value, seconds = _worker_outcome(job, process.stdout.read(), process.returncode)
                outcome[job.scene_id] = value
                report("done" if isinstance(value, Rendered) else "failed", job, seconds if isinstance(value, Rendered) else value)
            time.sleep(0.05)
    except BaseException:
        for job, process in running:  # Ctrl-C: stop the workers at once, then remove what they left
            process.terminate()
        for job, process in running:
            process.wait()
            _remove_leftovers(process.pid, job.out_dir or default_output_dir(job.quality, job.lang, job.resolution,
                                                                                job.frame_rate))
        raise
    return outcome


if __name__ == "__main__":
    import sys

    sys.exit(_worker_main(sys.argv[1]))
