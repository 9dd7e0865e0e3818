"""Render a registered scene to `<out>/<id>.<format>` plus its subtitles, atomically and only when needed.

Outputs: the clip (mp4, webm or gif; png is the last frame, a poster), `<id>.srt` in the render's
language and `<id>.<lang>.srt` for every language, all timed to this clip. Every file is written under
a temporary name and moved into place when complete, so an interrupted render keeps the previous good
file. A clip whose dependencies have not changed is not rendered again (scenes/build.py).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import SceneSpec, build
from .i18n import LANGS

REPO = Path(__file__).resolve().parent.parent
# Everything rendered lands under here; the tests move it to a temporary folder.
MEDIA = Path(os.environ.get("ACTLECTURE_MEDIA") or REPO / "media").absolute()
# Manim's own working files (TeX cache, partial movies) live here whatever the output folder is,
# so formulas compiled once are reused by every later render (the tests' renders too).
# ACTLECTURE_WORK moves them (a test gives a render a cache of its own to damage).
WORK_DIR = Path(os.environ.get("ACTLECTURE_WORK") or REPO / "media" / ".work").absolute()

# CLI letter -> (manim quality name, folder name), as manim's own -q flags.
QUALITIES = {
    "l": ("low_quality", "480p15"),
    "m": ("medium_quality", "720p30"),
    "h": ("high_quality", "1080p60"),
    "k": ("fourk_quality", "2160p60"),
}
FORMATS = ("mp4", "webm", "gif", "png")


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`), raised where the program is, so that every clean-up Ctrl-C runs runs for it too."""


def raise_on_sigterm() -> None:
    import signal

    def terminated(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second kill must not cut the clean-up short
        raise Terminated()

    signal.signal(signal.SIGTERM, terminated)


def _die_with(parent: int) -> None:
    """Have the kernel send this process SIGTERM when `parent` ends, however it ends (SIGKILL too), so
    no worker renders on for a command that is gone (Linux; elsewhere the closed stdin ends it)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        raise Terminated()


def _is_dead(pid: str) -> bool:
    return pid.isdigit() and not Path(f"/proc/{pid}").exists()


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


def _srt_text(cues: list[tuple[float, float, str]]) -> str:
    import datetime

    import srt

    return srt.compose([srt.Subtitle(i + 1, datetime.timedelta(seconds=start), datetime.timedelta(seconds=end), text)
                        for i, (start, end, text) in enumerate(cues)])


# Manim's caches of compiled formulas and texts, by hash. Manim does not expect two processes at once:
# it deletes every non-SVG file of the TeX folder after each formula and writes SVGs in place, so a
# render next to another one reads half-written files or loses its .dvi. Each render therefore works in
# private folders, seeded from the shared cache, and adds what it made when it succeeds.
# Formulas are seeded with hard links: manim never writes a cached formula again. Texts are copied:
# every Text rewrites its cached SVG in place (manimpango's remove_last_M truncates, then writes), and
# through a hard link that would empty the shared file while another render reads it.
# Texts get one cache per frame size: pango wraps a line at the frame's pixel width, which manim leaves
# out of the hash, so a text cached by a tiny render would come back wrapped at 1080p.
# They are also keyed by the font files: glyphs drawn from another font (or from none) are not these.
SHARED_ASSETS = {"tex_dir": ("Tex", os.link), "text_dir": ("texts/{width}x{height}-{fonts}", shutil.copyfile)}


@contextmanager
def _private_assets(tag: str, width: int, height: int) -> Iterator[dict[str, str]]:
    private = WORK_DIR / "private" / tag
    folders = {}
    from .i18n import font_files_key

    fonts = font_files_key()
    for option, (pattern, seed) in SHARED_ASSETS.items():
        name = pattern.format(width=width, height=height, fonts=fonts)
        shared, own = WORK_DIR / name, private / name
        shared.mkdir(parents=True, exist_ok=True)
        own.mkdir(parents=True, exist_ok=True)
        for svg in shared.glob("*.svg"):
            if _whole(svg):
                seed(svg, own / svg.name)
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


def _whole(svg: Path) -> bool:
    """Whether a cached SVG parses; a garbled one (a disk fault, a killed copy) is dropped so manim makes it
    again, instead of every later render failing with a bare `ParseError: no element found`."""
    from xml.etree import ElementTree

    try:
        ElementTree.parse(svg)
        return True
    except ElementTree.ParseError:
        svg.unlink(missing_ok=True)
        return False
    except OSError:
        return False


def _work_folders(pid: int | str = "*") -> list[Path]:
    """The working folders of the render in process `pid` (all renders' by default), named <id>-<pid>."""
    return [*(WORK_DIR / "partial").glob(f"*-{pid}"), *(WORK_DIR / "private").glob(f"*-{pid}")]


def _clean_stale_work(out_dirs: list[Path] = ()) -> None:
    """What renders killed outright (SIGKILL, a power cut) left: their working folders, and their files
    under temporary names in the output folders (`.<name>.<pid>.tmp`). Run at every start, a reuse too."""
    for folder in _work_folders():
        if _is_dead(folder.name.rsplit("-", 1)[-1]):
            shutil.rmtree(folder, ignore_errors=True)
    for out_dir in out_dirs:
        for temporary in [*Path(out_dir).glob(".*.tmp"), *(Path(out_dir) / build.RECORD_DIR).glob(".*.tmp")]:
            if _is_dead(temporary.name.rsplit(".", 2)[-2]):
                temporary.unlink(missing_ok=True)


def _outputs(scene_id: str, fmt: str, lang: str, out_dir: Path, paths: list[Path], cached: bool) -> Rendered:
    by_name = {p.name: p for p in paths}
    subtitles = by_name.get(f"{scene_id}.srt")
    tracks = {code: by_name[f"{scene_id}.{code}.srt"] for code in LANGS if f"{scene_id}.{code}.srt" in by_name}
    return Rendered(scene_id, out_dir / f"{scene_id}.{fmt}", subtitles, tracks, cached)


def _earlier_build(spec: SceneSpec, params: dict[str, Any], quality: str, out_dir: Path, fmt: str, lang: str,
                   resolution: tuple[int, int] | None, frame_rate: int | None,
                   check_layout: bool = False) -> tuple[str, Rendered | None]:
    """This build's key, and the outputs of an earlier build with that key when they are intact."""
    settings = {"params": params, "quality": quality, "resolution": resolution, "frame_rate": frame_rate,
                "format": fmt, "lang": lang, "check_layout": check_layout}
    key = build.build_key(spec, settings)
    reused = build.lookup(out_dir, spec.id, fmt, key)
    return key, None if reused is None else _outputs(spec.id, fmt, lang, out_dir, reused, cached=True)


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
    key, reused = _earlier_build(spec, resolved, quality, out_dir, fmt, lang, resolution, frame_rate, check_layout)
    if reused is not None and not force:
        return reused
    if _ensure_experiments(spec):  # trained just now: the key follows the new result files
        key, _ = _earlier_build(spec, resolved, quality, out_dir, fmt, lang, resolution, frame_rate, check_layout)

    from manim import config, tempconfig  # deferred: listing, explaining and cache hits need no manim

    from mathcore.results import track_reads

    started = time.monotonic()
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
        with track_reads() as reads, tempconfig(options):
            with _private_assets(tag, config.pixel_width, config.pixel_height) as asset_dirs:
                for option, folder in asset_dirs.items():
                    config[option] = folder
                scene = scene_class(params=resolved, check_layout=check_layout, lang=lang)
                scene.render()
                artifact = Path(scene.renderer.file_writer.final_file_path)
        files: dict[Path, Path | str] = {out_dir / f"{spec.id}.{fmt}": artifact}
        if fmt != "png":
            files[out_dir / f"{spec.id}.srt"] = artifact.with_suffix(".srt")
            for code, cues in getattr(scene, "subtitle_tracks", {}).items():
                files[out_dir / f"{spec.id}.{code}.srt"] = _srt_text(cues)
        placed = build.place(out_dir, spec.id, fmt, key, files, reads, seconds=time.monotonic() - started)
    finally:
        shutil.rmtree(partial_dir, ignore_errors=True)
        _remove_finished(tag)
    return _outputs(spec.id, fmt, lang, out_dir, placed, cached=False)


def _ensure_experiments(spec: SceneSpec) -> bool:
    """Train the scene's experiments that have no result yet, before the scene is built (so never inside
    manim); True when one was trained."""
    missing = [name for name, path in build.result_files(spec).items() if path is None]
    if missing:
        from mathcore import training

        for name in missing:
            training.run_cached(name)
    return bool(missing)


def _remove_finished(tag: str) -> None:
    """Manim's own copies of a finished render (its movie and subtitles in WORK_DIR/videos), which the
    placing moved or copied out: nothing there is read again."""
    for leftover in (WORK_DIR / "videos").rglob(f"{tag}.*"):
        leftover.unlink(missing_ok=True)


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
        return _earlier_build(spec, spec.resolve_params(self.params), self.quality, out_dir, self.fmt, self.lang,
                              self.resolution, self.frame_rate)[1]


# A worker process answers each job with one line that starts with this (manim may print lines of its own).
_ANSWER = "actlecture-result "


def _worker_main() -> int:
    """A worker process: render the jobs it reads from stdin, one JSON line each, and answer each with one
    line. It lives for many jobs, so manim and torch are imported once per worker, not once per scene.
    Errors come back as one line (a traceback cannot cross processes usefully)."""
    import json
    import signal

    # Ctrl-C at a terminal reaches every process of the group, and Python can take it inside a weakref
    # callback and carry on. The parent alone handles it: it stops its workers and removes their files.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise_on_sigterm()  # stopped by the parent, or by the kernel when the parent is gone: clean up, then end
    try:
        _die_with(int(sys.argv[1]))
        _serve()
    except Terminated:
        return 143
    return 0


def _serve() -> None:
    import json

    for line in sys.stdin:
        fields = json.loads(line)
        fields["out_dir"] = Path(fields["out_dir"]) if fields["out_dir"] else None
        fields["resolution"] = tuple(fields["resolution"]) if fields["resolution"] else None
        started = time.monotonic()
        try:
            done = Job(**fields).run(progress=False)
            answer = {"video": str(done.video), "subtitles": str(done.subtitles) if done.subtitles else None,
                      "tracks": {k: str(v) for k, v in done.tracks.items()}}
        except Exception as err:  # reported by the parent; the other scenes go on
            answer = {"error": f"{type(err).__name__}: {err}"}
        print(_ANSWER + json.dumps({**answer, "seconds": time.monotonic() - started}), flush=True)


def _outcome(job: Job, answer: dict) -> Rendered | str:
    if "error" in answer:
        return answer["error"]
    return Rendered(job.scene_id, Path(answer["video"]), Path(answer["subtitles"]) if answer["subtitles"] else None,
                    {k: Path(v) for k, v in answer["tracks"].items()})


def _out_dir(job: Job) -> Path:
    return job.out_dir or default_output_dir(job.quality, job.lang, job.resolution, job.frame_rate)


def _remove_leftovers(pid: int, out_dir: Path) -> None:
    """A stopped worker's working folders and any half-placed file (named with its pid)."""
    for folder in _work_folders(pid):
        shutil.rmtree(folder, ignore_errors=True)
    for temporary in [*Path(out_dir).glob(f".*.{pid}.tmp"), *(Path(out_dir) / build.RECORD_DIR).glob(f".*.{pid}.tmp")]:
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

    Scenes render in parallel worker processes; with one process they render in place, with manim's
    progress bar."""
    outcome: dict[str, Rendered | str] = {}
    pending = []
    _clean_stale_work(list(dict.fromkeys(_out_dir(job) for job in jobs)))
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
                outcome[job.scene_id] = job.run(progress=sys.stderr.isatty())
            except Exception as err:  # one scene's failure must not cost the others their renders
                outcome[job.scene_id] = f"{type(err).__name__}: {err}"
                report("failed", job, outcome[job.scene_id])
                continue
            report("done", job, time.monotonic() - started)
        return outcome

    return _render_in_workers(pending, workers, report, outcome)


def _render_in_workers(pending: list[Job], workers: int, report, outcome: dict[str, Rendered | str]) -> dict:
    """Worker processes, not threads or a multiprocessing pool: each is a fresh interpreter (manim's config
    is global, torch's threads are not shared), and on Ctrl-C each is stopped and its files removed. The
    longest scenes (by their last render) go first, so no core idles at the end behind one long scene."""
    import json
    import selectors
    import subprocess

    queue = sorted(pending, key=lambda job: build.last_seconds(_out_dir(job), job.scene_id, job.fmt), reverse=True)
    selector = selectors.DefaultSelector()
    busy: dict[subprocess.Popen, Job] = {}

    def hand_out(worker: subprocess.Popen) -> None:
        job = queue.pop(0)
        fields = {**job.__dict__, "out_dir": str(job.out_dir) if job.out_dir else None}
        worker.stdin.write(json.dumps(fields) + "\n")
        worker.stdin.flush()
        busy[worker] = job
        report("queued", job, None)

    started = [subprocess.Popen([sys.executable, "-m", "scenes.render", str(os.getpid())], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, cwd=REPO) for _ in range(min(workers, len(queue)))]
    try:
        for worker in started:
            selector.register(worker.stdout, selectors.EVENT_READ, worker)
            hand_out(worker)
        while busy:
            for key, _ in selector.select(timeout=1.0):
                worker = key.data
                line = worker.stdout.readline()
                while line and not line.startswith(_ANSWER):  # manim's own output, if any
                    line = worker.stdout.readline()
                job = busy.pop(worker)
                if not line:  # the worker died: its job fails, the others go on
                    selector.unregister(worker.stdout)
                    outcome[job.scene_id] = f"the render process ended with exit status {worker.wait()}"
                    report("failed", job, outcome[job.scene_id])
                    continue
                answer = json.loads(line[len(_ANSWER):])
                outcome[job.scene_id] = _outcome(job, answer)
                if isinstance(outcome[job.scene_id], Rendered):
                    report("done", job, answer["seconds"])
                else:
                    report("failed", job, outcome[job.scene_id])
                if queue:
                    hand_out(worker)
            if queue and not busy:  # every worker died
                for job in queue:
                    outcome[job.scene_id] = "no render process left"
                    report("failed", job, outcome[job.scene_id])
                queue.clear()
    except BaseException:
        for worker in started:  # Ctrl-C: stop the workers at once, then remove what they left
            worker.terminate()
        for worker in started:
            worker.wait()
            if worker in busy:
                _remove_leftovers(worker.pid, _out_dir(busy[worker]))
        raise
    finally:
        selector.close()
    for worker in started:
        worker.stdin.close()
        worker.wait()
    return outcome


if __name__ == "__main__":
    sys.exit(_worker_main())
