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
import sys
import time
from pathlib import Path
from typing import Any

import click

import scenes
from mathcore.naming import unknown
from scenes import SCENES, SceneSpec

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _all_params() -> dict[str, scenes.Param]:
    """Every scene parameter by name, with the ids of the scenes that take it."""
    found: dict[str, scenes.Param] = {}
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


def _select(scene_ids: tuple[str, ...]) -> list[SceneSpec]:
    if scene_ids == ("all",):
        return scenes.built()
    selected = []
    for scene_id in scene_ids:
        try:
            spec = scenes.get(scene_id)
        except ValueError as err:
            raise click.UsageError(str(err)) from None
        if not spec.built:
            built = ", ".join(s.id for s in scenes.built())
            raise click.UsageError(f"scene {scene_id!r} is not built yet; built scenes: {built}")
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
        status = "" if spec.built else "  (not built yet)"
        click.echo(f"{spec.id:<{width}}  {spec.title}{status}")


@cli.command()
@click.argument("scene_ids", nargs=-1, required=True, metavar="SCENE...|all")
@click.option("-q", "--quality", type=click.Choice(["l", "m", "h", "k"]), default="l", show_default=True,
              help="l 480p15, m 720p30, h 1080p60, k 2160p60")
@click.option("-o", "--output-dir", type=click.Path(path_type=Path), default=None,
              help="folder for <id>.mp4 and <id>.srt  [default: media/<quality>, e.g. media/480p15]")
@scene_parameter_options
def render(scene_ids: tuple[str, ...], quality: str, output_dir: Path | None, **given: Any) -> None:
    """Render scenes to DIR/<id>.mp4 with subtitles in DIR/<id>.srt.

    Example: python cli.py render vanishing --depth 12 --activation tanh
    """
    specs = _select(scene_ids)
    for result in _render_all(specs, _params_for(specs, given), quality, output_dir):
        click.echo(str(result.video))
        click.echo(str(result.subtitles))


def _render_all(specs: list[SceneSpec], params: dict[str, dict[str, Any]], quality: str,
                output_dir: Path | None) -> list:
    """Render each scene with progress; a failing scene is reported in one line and the others go on."""
    from scenes.render import check_output_dir, default_output_dir, render as render_scene

    out_dir = output_dir or default_output_dir(quality)
    try:
        check_output_dir(out_dir)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    show_progress = sys.stderr.isatty()
    results, failed = [], []
    for number, spec in enumerate(specs, start=1):
        click.echo(f"[{number}/{len(specs)}] rendering {spec.id} ({spec.title}) ...", err=True)
        started = time.monotonic()
        try:
            results.append(render_scene(spec, params[spec.id], quality, out_dir, progress=show_progress))
        except Exception as err:  # one scene's failure must not cost the others their renders
            failed.append(spec.id)
            click.echo(f"error: {spec.id} failed: {type(err).__name__}: {err}", err=True)
            continue
        click.echo(f"[{number}/{len(specs)}] {spec.id} done in {time.monotonic() - started:.1f} s", err=True)
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(specs)} scenes failed: {', '.join(failed)}")
    return results


@cli.command()
@click.option("-q", "--quality", type=click.Choice(["l", "m", "h", "k"]), default="l", show_default=True,
              help="l 480p15, m 720p30, h 1080p60, k 2160p60")
@click.option("-o", "--output-dir", type=click.Path(path_type=Path), default=None,
              help="folder for the clips and lecture.mp4  [default: media/<quality>, e.g. media/480p15]")
def lecture(quality: str, output_dir: Path | None) -> None:
    """Render every built scene in storyboard order and join them into one video: lecture.mp4 with a
    chapter per scene, lecture.srt, and lecture-chapters.txt (timestamps for video platforms).

    Example: python cli.py lecture -q h
    """
    from scenes.lecture import Clip, join

    specs = scenes.built()
    rendered = _render_all(specs, _params_for(specs, {}), quality, output_dir)
    clips = [Clip(spec.id, spec.title, r.video, r.subtitles) for spec, r in zip(specs, rendered)]
    result = join(clips, rendered[0].video.parent)
    for path in (result.video, result.subtitles, result.chapter_list):
        click.echo(str(path))


@cli.command()
@click.argument("names", nargs=-1, metavar="[EXPERIMENT...]")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True,
              help="auto: CUDA when available, else the CPU")
@click.option("--size", type=click.Choice(["small", "default", "large"]), default="default", show_default=True,
              help="small: seconds, for tests; default: the lecture's; large: worth a GPU")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), default=0, show_default=True)
@click.option("--force", is_flag=True, help="train again even when a cached result exists")
def train(names: tuple[str, ...], device: str, size: str, seed: int, force: bool) -> None:
    """Train the lecture's measured examples (all four when none is named) and cache their results.

    Example: python cli.py train gradient-flow exploding --size small
    """
    from mathcore import training

    chosen = list(dict.fromkeys(names or training.EXPERIMENTS))
    for name in chosen:
        if name not in training.EXPERIMENTS:
            raise click.UsageError(unknown("experiment", name, training.EXPERIMENTS))
    try:
        training.resolve_device(device)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    rows = []
    for number, name in enumerate(chosen, start=1):
        label = f"[{number}/{len(chosen)}] {name}"
        with click.progressbar(length=1, label=label, file=sys.stderr, show_eta=False) as bar:
            def progress(done: int, total: int, bar=bar) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            result = training.run_cached(name, size=size, seed=seed, device=device, force=force, progress=progress)
        losses = ", ".join(f"{run} {_short(loss)}" for run, loss in training.final_losses(result).items())
        headline = "; ".join(f"{k} = {_short(v)}" for k, v in training.EXPERIMENTS[name].headline(result).items())
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


def _print_numbers(values: dict, indent: str = "  ") -> None:
    for key, value in values.items():
        if isinstance(value, dict):
            click.echo(f"{indent}{key}:")
            _print_numbers(value, indent + "  ")
        elif isinstance(value, float):
            click.echo(f"{indent}{key} = {value!r}")
        else:
            click.echo(f"{indent}{key} = {value}")


@cli.command()
@click.argument("scene_id", metavar="SCENE")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@scene_parameter_options
def explain(scene_id: str, as_json: bool, **given: Any) -> None:
    """Print the numbers a scene shows (full precision) and its narration outline.

    Example: python cli.py explain backprop --json
    """
    try:
        spec = scenes.get(scene_id)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    params = _params_for([spec], given)[spec.id]
    values = spec.numbers(**params)
    display = values.pop("display")
    narration = spec.narration(display=display)
    if as_json:
        click.echo(json.dumps(_plain({
            "id": spec.id, "title": spec.title, "summary": spec.summary, "built": spec.built,
            "params": params, "numbers": values, "display": display,
            "narration": [{"beat": key, "text": text} for key, text in narration],
        }), indent=2, ensure_ascii=False))
        return
    click.echo(f"{spec.id}: {spec.title}{'' if spec.built else '  (not built yet)'}")
    click.echo(spec.summary)
    if params:
        click.echo("parameters: " + ", ".join(f"{k}={v}" for k, v in params.items()))
    if values:
        click.echo("numbers:")
        _print_numbers(values)
    if narration:
        click.echo("narration:")
        for number, (key, text) in enumerate(narration, start=1):
            click.echo(f"  {number}. [{key}] {text}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; usage errors are one line and exit 2, Ctrl-C exits 130."""
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
    except (KeyboardInterrupt, click.Abort):
        click.echo("interrupted", err=True)
        return 130
    except (OSError, ImportError) as err:  # an unwritable cache folder or a missing torch: say so in one line
        click.echo(f"error: {type(err).__name__}: {err}", err=True)
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
