"""One layer per folder, imports one way: mathcore <- experiments <- content <- voice <- scenes <- pipeline <- cli.
Each rule is checked by importing in a fresh interpreter, or by reading the modules' imports."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LAYERS = ["mathcore", "experiments", "content", "voice", "scenes", "pipeline"]


def loaded_after(code: str) -> set[str]:
    """The heavy packages (manim, torch) loaded after running `code` in a fresh interpreter."""
    probe = code + "\nimport json, sys; print(json.dumps(sorted(m for m in ('manim', 'torch') if m in sys.modules)))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert run.returncode == 0, run.stderr
    return set(json.loads(run.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("code", [
    "import mathcore, mathcore.network, mathcore.flow, mathcore.deadzone, mathcore.slopes, mathcore.fit",
    "import content, content.registry, content.narration, content.numbers, content.subtitles, content.fonts",
    # Every scene's numbers, the trained ones included (read from the published results).
    "from content import registry\nfor spec in registry.SCENES: spec.numbers()",
    "from content.narration import scene_data\nscene_data('vanishing')",
    "import voice, voice.audio, voice.backends\nvoice.choose('zh', 'espeak')",
])
def test_mathcore_content_and_voice_load_neither_manim_nor_torch(code):
    assert loaded_after(code) == set()


@pytest.mark.parametrize("code", [
    "import pipeline.settings, pipeline.render, pipeline.cluster, pipeline.dependencies, pipeline.join, "
    "pipeline.pack, pipeline.doctor, pipeline.preflight",
    "import cli",
    # A warm check of every clip decides reuse without manim.
    "from content import registry\nfrom pipeline.render import Job, plan\nfrom pipeline.settings import RenderSettings\n"
    "for spec in registry.SCENES: plan(Job(spec.id, spec.resolve_params({}), RenderSettings()))",
])
def test_the_pipeline_and_the_cli_load_no_manim_until_a_render_starts(code):
    assert "manim" not in loaded_after(code)


def _imports(path: Path) -> set[str]:
    """The top-level packages a module imports, relative imports resolved to its own package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(path.relative_to(REPO).parts[0] if node.level else node.module.split(".")[0])
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_only_the_layers_below_it(layer):
    above = set(LAYERS[LAYERS.index(layer) + 1:]) | {"cli"}
    if layer == "scenes":  # views draw what content gives them; training and speech belong to the pipeline
        above |= {"experiments", "voice"}
    for path in sorted((REPO / layer).rglob("*.py")):
        wrong = _imports(path) & above
        assert not wrong, f"{path.relative_to(REPO)} imports {sorted(wrong)}"


def test_every_module_under_scenes_draws_with_manim():
    for path in sorted((REPO / "scenes").glob("*.py")):
        if path.name != "__init__.py":
            assert "manim" in _imports(path), f"{path.name} does not import manim: it belongs elsewhere"


def test_mathcore_is_numpy_only():
    for path in sorted((REPO / "mathcore").rglob("*.py")):
        assert _imports(path) <= {"__future__", "mathcore", "numpy", "math", "dataclasses", "types", "typing",
                                  "numbers", "difflib", "functools"}, path.name
