#!/usr/bin/env python3
"""Animated lecture on neural-network activation functions: list, explain, train and render its scenes.

\b
Examples:
  python cli.py list
  python cli.py render vanishing
  python cli.py render vanishing --depth 12 --activation tanh -q h -o out/
  python cli.py explain backprop --json
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any

import click

from content import i18n, registry
from content.i18n import LANGS
from content.narration import scene_data
from content.registry import SCENES, SceneSpec
from mathcore.naming import unknown
from pipeline.settings import FORMATS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _all_params() -> dict[str, registry.Param]:
    """Every scene parameter by name, with the ids of the scenes that take it."""
    found: dict[str, registry.Param] = {}
    for spec in SCENES:
        for param in spec.params:
            found.setdefault(param.name, param)
    return found


def _takers(name: str) -> list[str]:
    return [spec.id for spec in SCENES if any(p.name == name for p in spec.params)]


def scene_parameter_options(command):
    """One option per scene parameter in the registry, so --help lists them all."""
    for name, param in reversed(list(_all_params().items())):
        plain = {int: click.INT, float: click.FLOAT, str: click.STRING}[param.kind]
        kind = click.Choice(param.choices) if param.choices else plain
        bounds = f", {param.minimum:g}..{param.maximum:g}" if param.minimum is not None else ""
        command = click.option(
            f"--{name}", type=kind, default=None, show_choices=False,
            help=f"{param.help} (scenes: {', '.join(_takers(name))}; default {param.default}{bounds})",
        )(command)
    return command


def _default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _resolution(ctx, param, raw: str | None) -> tuple[int, int] | None:
    if raw is None:
        return None
    width, _, height = raw.lower().partition("x")
    try:
        size = int(width), int(height)
    except ValueError:
        raise click.BadParameter(f"must be WIDTHxHEIGHT, e.g. 1280x720 (got {raw!r})") from None
    # 36: below it pango sets some words as empty paths and the scenes cannot lay them out (measured:
    # every scene renders at 36x36, 64x36 and 36x64; at 32x18 eight of ten fail).
    if not all(36 <= side <= 7680 and side % 2 == 0 for side in size):
        raise click.BadParameter(f"sides must be even numbers from 36 to 7680 (got {raw!r})")
    return size


def _scheduler(ctx, param, raw: str | None) -> str | None:
    """A Dask scheduler's address, checked for its form here (whether it answers is found out later)."""
    if raw is None or not raw.strip():
        return None
    scheme, _, rest = raw.strip().rpartition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in ("", "tcp", "tls") or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.BadParameter(f"must be tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786 (got {raw!r})")
    return f"{scheme or 'tcp'}://{host}:{port}"


def _folder(ctx, param, raw: str | None) -> Path | None:
    """An output folder, made absolute against the caller's folder once, here: worker processes run
    elsewhere, and a relative path would land in their folder."""
    if raw is None:
        return None
    if not raw.strip():
        raise click.BadParameter("must name a folder (got an empty string)")
    return Path(raw).expanduser().absolute()


def output_options(command):
    """Quality, size, language, jobs and cache options shared by render, lecture and export."""
    for option in reversed([
        click.option("-q", "--quality", type=click.Choice(["l", "m", "h", "k"]), default="l", show_default=True,
                     help="l 480p15, m 720p30, h 1080p60, k 2160p60"),
        click.option("--resolution", callback=_resolution, metavar="WxH", default=None,
                     help="pixel size instead of the quality's, e.g. 1280x720"),
        click.option("--fps", type=click.IntRange(1, 120), default=None, help="frame rate instead of the quality's"),
        click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
                     help="language of on-screen words and subtitles"),
        click.option("-j", "--jobs", type=click.IntRange(1, 64), default=_default_jobs, show_default="cores",
                     help="scenes rendered at once: the worker processes of the local cluster"),
        click.option("--scheduler", callback=_scheduler, default=None, metavar="tcp://HOST:PORT",
                     envvar="ACTLECTURE_SCHEDULER", show_envvar=True,
                     help="render on this running Dask cluster (its workers have the project installed) "
                          "instead of a local one"),
        click.option("--force", is_flag=True, help="render again even when nothing changed"),
    ]):
        command = option(command)
    return command


def voice_options(command):
    """--voice and --voice-dir, shared by render, lecture and export."""
    from voice import CHOICES

    command = click.option("--voice-dir", callback=_folder, default=None, metavar="DIR",
                           help="recorded takes, DIR/<lang>/<scene>/<beat>.wav  [default: voices]")(command)
    return click.option("--voice", type=click.Choice(CHOICES), default="auto", show_default=True,
                        envvar="ACTLECTURE_VOICE",
                        help="auto: a teacher's takes where they exist, else the best offline voice installed"
                             " (Piper for English, espeak-ng for Chinese); none: a silent clip")(command)


def _voice(choice: str, voice_dir: Path | None, lang: str, fmt: str = "mp4"):
    """The command's voice (None: silent; GIF and PNG always are); a missing voice is exit 1 with its fix."""
    import voice

    if fmt not in ("mp4", "webm"):
        return None
    try:
        return voice.choose(lang, choice, voice_dir)
    except voice.VoiceUnavailable as err:
        raise click.ClickException(str(err)) from None


def _check_takes(specs: list[SceneSpec], params: dict[str, dict[str, Any]], chosen, choice: str) -> None:
    """Before anything renders: a take that is not a readable WAV is a usage error (nothing is written);
    each beat that --voice recorded (or auto, in a scene with takes) finds without a take gets a warning."""
    import voice

    if chosen is None or not chosen.takes:
        return
    for spec in specs:
        try:
            chosen.check_takes(spec.id)
        except voice.BadAudio as err:
            raise click.UsageError(str(err)) from None
        if choice == "recorded" or chosen.take_files(spec.id):
            narration = scene_data(spec.id, params[spec.id]).narration(chosen.lang)
            for line in voice.missing_takes(chosen, spec.id, narration):
                click.echo(line, err=True)


def _select(scene_ids: tuple[str, ...]) -> list[SceneSpec]:
    if scene_ids == ("all",):
        return list(registry.SCENES)
    selected = []
    for scene_id in scene_ids:
        try:
            spec = registry.get(scene_id)
        except ValueError as err:
            raise click.UsageError(str(err)) from None
        if spec not in selected:
            selected.append(spec)
    return selected


def _params_for(specs: list[SceneSpec], given: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each scene's validated parameters; a parameter that no selected scene takes is a usage error."""
    given = {k: v for k, v in given.items() if v is not None}
    for name in given:
        if not any(p.name == name for spec in specs for p in spec.params):
            raise click.UsageError(f"--{name} does not apply to {', '.join(s.id for s in specs)}"
                                   f" (it applies to: {', '.join(_takers(name))})")
    resolved = {}
    for spec in specs:
        own = {k: v for k, v in given.items() if any(p.name == k for p in spec.params)}
        try:
            resolved[spec.id] = spec.resolve_params(own)
        except ValueError as err:
            raise click.UsageError(str(err)) from None
    return resolved


@click.group(context_settings=CONTEXT, help=__doc__)
def cli() -> None:
    pass


@cli.command("list")
def list_scenes() -> None:
    """Every scene of the lecture in storyboard order.

    Example: python cli.py list
    """
    width = max(len(spec.id) for spec in SCENES)
    for spec in SCENES:
        click.echo(f"{spec.id:<{width}}  {spec.title}")


@cli.command()
@click.argument("scene_ids", nargs=-1, required=True, metavar="SCENE...|all")
@output_options
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="mp4", show_default=True,
              help="png: the last frame, as a poster or thumbnail")
@click.option("-o", "--output-dir", callback=_folder, default=None, metavar="DIR",
              help="folder for <id>.<format> and its subtitles  [default: media/<quality>[/<lang>]]")
@click.option("--preview", is_flag=True, help="open the results in the system's viewer")
@voice_options
@scene_parameter_options
def render(scene_ids: tuple[str, ...], quality: str, resolution, fps: int | None, lang: str, jobs: int,
           scheduler: str | None, force: bool, fmt: str, output_dir: Path | None, preview: bool, voice: str, voice_dir: Path | None,
           **given: Any) -> None:
    """Render scenes to DIR/<id>.<format>, with subtitles DIR/<id>.srt (and DIR/<id>.<lang>.srt for every
    language, all timed to the clip). Unchanged scenes are reused, not rendered again.

    Example: python cli.py render vanishing --depth 12 --activation tanh -f webm
    """
    specs = _select(scene_ids)
    settings = _settings(quality, resolution, fps, lang, force, output_dir, fmt)
    results = _render_all(specs, _params_for(specs, given), settings, jobs, scheduler, voice, voice_dir)
    for result in results:
        click.echo(str(result.video))
        if result.subtitles is not None:
            click.echo(str(result.subtitles))
    if preview:
        _preview([r.video for r in results])


def _preview(paths: list[Path]) -> None:
    import shutil
    import subprocess

    viewer = next((tool for tool in ("xdg-open", "open") if shutil.which(tool)), None)
    if viewer is None:
        click.echo("note: no viewer found (xdg-open or open); the files are listed above", err=True)
        return
    for path in paths:
        subprocess.Popen([viewer, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _settings(quality: str, resolution, frame_rate: int | None, lang: str, force: bool, out_dir: Path | None,
              fmt: str = "mp4"):
    """The one settings object of this command, its folder checked once (a usage error) and the language's
    fonts (a missing tool, exit 1) before anything renders."""
    from pipeline import preflight
    from pipeline.settings import RenderSettings, check_output_dir

    settings = RenderSettings(quality, resolution, frame_rate, fmt, lang, out_dir, force)
    try:
        check_output_dir(settings.folder())
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    try:
        preflight.require_fonts(lang)
    except preflight.MissingTool as err:
        raise click.ClickException(str(err)) from None
    return settings


def _render_all(specs: list[SceneSpec], params: dict[str, dict[str, Any]], settings, jobs: int,
                scheduler: str | None = None, voice_choice: str = "auto", voice_dir: Path | None = None) -> list:
    """Render each scene with its voice, reusing unchanged ones, on a local cluster of `jobs` workers or on
    the cluster of `scheduler`; a failing scene is reported in one line and the others go on; the command
    then fails naming the failed scenes."""
    from pipeline.cluster import Unreachable, render_many
    from pipeline.preflight import MissingTool
    from pipeline.render import Job

    chosen = _voice(voice_choice, voice_dir, settings.lang, settings.fmt)
    _check_takes(specs, params, chosen, voice_choice)
    batch = [Job(spec.id, params[spec.id], settings, chosen) for spec in specs]
    number = {spec.id: n for n, spec in enumerate(specs, start=1)}
    total = len(specs)
    finished = []

    def report(event: str, job, detail: dict[str, Any]) -> None:
        title = _title(registry.get(job.scene_id), settings.lang)
        where = f"[{number[job.scene_id]}/{total}] {job.scene_id}"
        on = f" on worker {detail['worker']}" if "worker" in detail else ""
        if event in ("done", "failed", "reused"):
            finished.append(job.scene_id)
        count = f" ({len(finished)} of {total} done)" if on else ""
        if event == "queued":
            return  # said when a worker starts it
        if event == "done":
            message = f"{where} done in {detail['seconds']:.1f} s{on}{count}"
        elif event == "failed":
            message = f"error: {job.scene_id} failed: {detail['error']}"
        elif event == "waiting":
            message = f"waiting for a worker to join the scheduler at {detail['scheduler']} ..."
        else:
            message = {"reused": f"{where} unchanged, reused", "start": f"{where} rendering ({title}) ...",
                       "running": f"{where} rendering ({title}){on} ..."}[event]
        click.echo(message, err=True)

    try:
        outcome = render_many(batch, jobs, report, scheduler)
    except MissingTool as err:  # the formula tool chain is missing: nothing can render
        raise click.ClickException(str(err)) from None
    except Unreachable as err:
        raise click.ClickException(str(err)) from None
    if outcome.failed:
        failed = [job.scene_id for n, job in enumerate(batch) if n in outcome.failed]
        raise click.ClickException(f"{len(failed)} of {total} scenes failed: {', '.join(failed)}")
    return [outcome.rendered[n] for n in range(len(batch))]


def _title(spec: SceneSpec, lang: str) -> str:
    return i18n.title(spec.id, lang)


@cli.command()
@output_options
@click.option("-o", "--output-dir", callback=_folder, default=None, metavar="DIR",
              help="folder for the clips and lecture.mp4  [default: media/<quality>[/<lang>]]")
@voice_options
def lecture(quality: str, resolution, fps: int | None, lang: str, jobs: int, scheduler: str | None, force: bool,
            output_dir: Path | None, voice: str, voice_dir: Path | None) -> None:
    """Render every scene in storyboard order and join them into one video: lecture.mp4 with a
    chapter per scene, lecture.srt (plus lecture.<lang>.srt for each language), and lecture-chapters.txt
    (timestamps for video platforms). Unchanged scenes and an unchanged lecture are reused.

    Example: python cli.py lecture -q h --jobs 2
    """
    from pipeline.join import Clip, join_cached

    specs = list(registry.SCENES)
    settings = _settings(quality, resolution, fps, lang, force, output_dir)
    rendered = _render_all(specs, _params_for(specs, {}), settings, jobs, scheduler, voice, voice_dir)
    clips = [Clip(spec.id, _title(spec, lang), r.video, r.subtitles, dict(r.tracks)) for spec, r in zip(specs, rendered)]
    paths, reused = join_cached(clips, settings.folder(), force=force,
                                starting=lambda: click.echo(f"joining {len(clips)} scenes ...", err=True))
    if reused:
        click.echo("lecture unchanged, reused", err=True)
    for path in paths:
        click.echo(str(path))


@cli.command()
@output_options
@click.option("-o", "--output-dir", callback=_folder, required=True, metavar="DIR",
              help="folder for the course pack (replaced when it holds an earlier pack)")
@voice_options
def export(quality: str, resolution, fps: int | None, lang: str, jobs: int, scheduler: str | None, force: bool,
           output_dir: Path,
           voice: str, voice_dir: Path | None) -> None:
    """Write a course pack: per scene web-ready mp4 + webm, a poster, captions in every language
    (WebVTT and SRT); the joined lecture with chapters; transcripts; the live presenter and the deck
    (slides/, as `slides all` writes them); manifest.json with sizes and sha256; and an index.html that
    plays it all offline. Copy the folder anywhere.

    Example: python cli.py export -o course/ --lang zh
    """
    from pipeline.pack import PackClip, check_pack_dir, export_pack, recover

    try:
        recover(output_dir)
        check_pack_dir(output_dir)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    specs = list(registry.SCENES)
    settings = _settings(quality, resolution, fps, lang, force, None)
    rendered = _render_all(specs, _params_for(specs, {}), settings, jobs, scheduler, voice, voice_dir)
    clips = [PackClip(spec.id, {code: _title(spec, code) for code in LANGS}, r.video,
                      dict(r.tracks) or {lang: r.subtitles}, r.beats)
             for spec, r in zip(specs, rendered)]
    manifest = export_pack(clips, output_dir, lang=lang, progress=lambda line: click.echo(line, err=True))
    click.echo(str(manifest))


@cli.command()
@click.argument("scene_ids", nargs=-1, required=True, metavar="SCENE...|all")
@output_options
@click.option("-o", "--output-dir", callback=_folder, required=True, metavar="DIR",
              help="folder for the presenter, the deck and the beats (replaced when it holds earlier slides)")
@voice_options
@scene_parameter_options
def slides(scene_ids: tuple[str, ...], quality: str, resolution, fps: int | None, lang: str, jobs: int,
           scheduler: str | None, force: bool,
           output_dir: Path, voice: str, voice_dir: Path | None, **given: Any) -> None:
    """Present live, one slide per beat: DIR/index.html (an offline presenter: -> plays the next beat and
    stops at its end, <- goes back, S opens the speaker view, ? lists the keys), DIR/slides.pptx (a title
    slide per scene, then a slide per beat with its video and voice, the sentence in the notes) and
    DIR/slides.json (every slide, its beat's start and end in the clip, its files).

    Example: python cli.py slides all -o slides/ --lang zh
    """
    from pipeline.slides import SlideClip, check_slides_dir, export_slides

    specs = _select(scene_ids)
    try:
        check_slides_dir(output_dir)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    settings = _settings(quality, resolution, fps, lang, force, None)
    rendered = _render_all(specs, _params_for(specs, given), settings, jobs, scheduler, voice, voice_dir)
    clips = [SlideClip(spec.id, {code: _title(spec, code) for code in LANGS}, r.video, r.beats)
             for spec, r in zip(specs, rendered)]
    listing = export_slides(clips, output_dir, lang=lang, progress=lambda line: click.echo(line, err=True))
    click.echo(str(listing.parent / "index.html"))
    click.echo(str(listing.parent / "slides.pptx"))
    click.echo(str(listing))


@cli.command()
@click.argument("scheduler", callback=_scheduler, metavar="tcp://HOST:PORT")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=_default_jobs, show_default="cores",
              help="render workers on this machine (single-threaded processes)")
def worker(scheduler: str, jobs: int) -> None:
    """Lend this machine to a render cluster: --jobs render workers join the Dask scheduler and render
    what `render`, `lecture`, `export` and `slides --scheduler` send, until Ctrl-C. Start a scheduler once
    with `.venv/bin/dask scheduler`; this checkout must be the same commit as the commands'.

    Example: python cli.py worker tcp://10.0.0.5:8786 --jobs 2
    """
    from pipeline.cluster import Unreachable, serve

    if scheduler is None:
        raise click.UsageError("the scheduler's address is empty")
    try:
        code = serve(scheduler, jobs)
    except Unreachable as err:
        raise click.ClickException(str(err)) from None
    if code not in (0, -2, 130):  # Ctrl-C stops the workers: that is how a worker ends
        raise click.ClickException(f"dask worker ended with exit status {code}")


@cli.command()
def doctor() -> None:
    """Check what rendering, training and the browser test need, and say how to fix what is missing.
    Exits 1 when a required part is missing.

    Example: python cli.py doctor
    """
    from pipeline.doctor import checks

    missing = False
    for check in checks():
        mark = "ok" if check.ok else ("MISSING" if check.required else "absent")
        click.echo(f"{mark:<8}{check.name:<22}{check.detail}")
        if not check.ok:
            click.echo(f"{'':<30}fix: {check.fix}")
            missing |= check.required
    if missing:
        raise click.ClickException("a required part is missing (see fix: above)")


@cli.command()
@click.argument("names", nargs=-1, metavar="[EXPERIMENT...]")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
              help="auto: CUDA when available, else the CPU")
@click.option("--size", type=click.Choice(["small", "default", "large"]), default="default", show_default=True,
              help="small: seconds, for tests; default: the lecture's; large: worth a GPU")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), default=0, show_default=True)
@click.option("--force", is_flag=True, help="train again even when a cached result exists")
@click.option("--publish", is_flag=True,
              help="store the results in experiments/published (committed: the numbers every clone shows)")
def train(names: tuple[str, ...], device: str, size: str, seed: int, force: bool, publish: bool) -> None:
    """Train the lecture's measured examples (all four when none is named) and cache their results.

    Example: python cli.py train gradient-flow exploding --size small
    """
    import experiments
    from experiments.cache import PUBLISHED_ROOT, ResultsCache

    cache = ResultsCache(PUBLISHED_ROOT) if publish else None
    chosen = list(dict.fromkeys(names or experiments.EXPERIMENTS))
    for name in chosen:
        if name not in experiments.EXPERIMENTS:
            raise click.UsageError(unknown("experiment", name, experiments.EXPERIMENTS))
    try:
        experiments.resolve_device(device)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    rows = []
    for number, name in enumerate(chosen, start=1):
        label = f"[{number}/{len(chosen)}] {name}"
        with click.progressbar(length=1, label=label, file=sys.stderr, show_eta=False) as bar:
            def progress(done: int, total: int, bar=bar) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            result = experiments.run_cached(name, size=size, seed=seed, device=device, force=force, progress=progress,
                                         cache=cache)
        losses = ", ".join(f"{run} {_short(loss)}" for run, loss in experiments.final_losses(result).items())
        headline = "; ".join(f"{k} = {_short(v)}" for k, v in experiments.EXPERIMENTS[name].headline(result).items())
        rows.append((name, result["device"], f"{result['wall_time_s']:.1f} s", losses, headline))
    width = max(len(row[0]) for row in rows)
    click.echo(f"{'experiment':<{width}}  device  time")
    for name, device_used, seconds, losses, headline in rows:
        click.echo(f"{name:<{width}}  {device_used:<6}  {seconds}")
        click.echo(f"{'':<{width}}  final loss: {losses}")
        click.echo(f"{'':<{width}}  headline:   {headline}")


def _short(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _plain(value: Any) -> Any:
    """JSON-safe: numpy scalars to floats, non-finite floats to strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


# Longer arrays (a classifier's answers on a lattice, the data it learned) are summarised: --json has them.
LONGEST_PRINTED = 200


def _shape(value) -> tuple[int, ...]:
    """The lengths of a nested list, outermost first (a ragged one by its first members)."""
    shape = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0] if value else None
    return tuple(shape)


def _print_numbers(values: dict, indent: str = "  ") -> None:
    for key, value in values.items():
        if isinstance(value, dict):
            click.echo(f"{indent}{key}:")
            _print_numbers(value, indent + "  ")
        elif isinstance(value, float):
            click.echo(f"{indent}{key} = {value!r}")
        elif isinstance(value, list) and math.prod(_shape(value)) > LONGEST_PRINTED:
            click.echo(f"{indent}{key} = <{' x '.join(map(str, _shape(value)))} values: see --json>")
        else:
            click.echo(f"{indent}{key} = {value}")


@cli.command()
@click.argument("scene_id", metavar="SCENE")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output, with the clip's beat timeline")
@click.option("--no-timeline", is_flag=True, help="leave the timeline out of --json (it builds the scene: seconds)")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True, help="language of the narration")
@scene_parameter_options
def explain(scene_id: str, as_json: bool, no_timeline: bool, lang: str, **given: Any) -> None:
    """Print the numbers a scene shows (full precision) and its narration outline.

    Example: python cli.py explain backprop --json
    """
    try:
        spec = registry.get(scene_id)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    params = _params_for([spec], given)[spec.id]
    data = scene_data(spec.id, params)
    values, display = data.numbers.values, i18n.localise(data.numbers.display, lang)
    narration = data.narration(lang)
    title, summary, labels = _title(spec, lang), i18n.summary(spec.id, lang), i18n.cli_words(lang)
    if as_json:
        from pipeline.render import dry_timeline

        click.echo(json.dumps(_plain({
            "id": spec.id, "title": title, "lang": lang, "summary": summary,
            "params": params, "numbers": values, "display": display,
            "narration": [{"beat": key, "text": text} for key, text in narration],
            # Each beat's start and end in the clip, found by building the scene without rendering it.
            "timeline": None if no_timeline else dry_timeline(spec.id, params, lang),
        }), indent=2, ensure_ascii=False))
        return
    click.echo(f"{spec.id}: {title}")
    click.echo(summary)
    if params:
        click.echo(f"{labels['parameters']}: " + ", ".join(f"{k}={v}" for k, v in params.items()))
    if values:
        click.echo(f"{labels['numbers']}:")
        _print_numbers(values)
    if narration:
        click.echo(f"{labels['narration']}:")
        for number, (key, text) in enumerate(narration, start=1):
            click.echo(f"  {number}. [{key}] {text}")


@cli.command()
@click.argument("scene_ids", nargs=-1, required=True, metavar="SCENE...|all")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True, help="language of the script")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md", show_default=True)
@click.option("--voice-dir", callback=_folder, default=None, metavar="DIR",
              help="where the takes go, DIR/<lang>/<scene>/<beat>.wav  [default: voices]")
@scene_parameter_options
def narration(scene_ids: tuple[str, ...], lang: str, fmt: str, voice_dir: Path | None, **given: Any) -> None:
    """Print the script to record, beat by beat: each beat's scene, key, sentence and the file its take goes
    to. Record a take per beat as a WAV there and render again: it replaces the synthetic voice of that
    beat, and the beat lasts as long as the take.

    Example: python cli.py narration all --format csv > script.csv
    """
    import csv
    import io

    from voice import DEFAULT_DIR, take_path

    specs = _select(scene_ids)
    params = _params_for(specs, given)
    folder = voice_dir or DEFAULT_DIR
    rows = [{"scene": spec.id, "beat": key, "text": text, "take": str(take_path(folder, lang, spec.id, key))}
            for spec in specs for key, text in scene_data(spec.id, params[spec.id]).narration(lang)]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["scene", "beat", "text", "take"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        for spec in specs:
            click.echo(f"## {spec.id}: {_title(spec, lang)}\n")
            for row in (r for r in rows if r["scene"] == spec.id):
                click.echo(f"- **{row['beat']}** (`{row['take']}`)\n  {row['text']}\n")


def _utf8_output() -> None:
    """Titles, narration and numbers hold σ, ×, − and Chinese: under a locale that cannot encode them
    (Latin-1), write UTF-8 anyway rather than stop half-way with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; usage errors are one line and exit 2, Ctrl-C exits 130, SIGTERM 143."""
    from pipeline.signals import Terminated, install

    _utf8_output()
    install()
    try:
        result = cli.main(args=argv, prog_name="cli.py", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as err:  # a bare `cli.py` asks for the help, not an error
        click.echo(err.ctx.get_help())
        return 0
    except click.UsageError as err:
        click.echo(f"error: {err.format_message()}", err=True)
        return 2
    except click.ClickException as err:
        click.echo(f"error: {err.format_message()}", err=True)
        return err.exit_code
    except (KeyboardInterrupt, click.Abort) as err:  # click turns both into Abort, keeping the cause
        if isinstance(err, Terminated) or isinstance(err.__cause__, Terminated):
            click.echo("terminated", err=True)
            return 143
        click.echo("interrupted", err=True)
        return 130
    except (OSError, ImportError) as err:  # an unwritable cache folder or a missing torch: say so in one line
        click.echo(f"error: {type(err).__name__}: {err}", err=True)
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
