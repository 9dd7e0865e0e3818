"""One look across all scenes: what each colour means, type sizes that read at 480p, title and text."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from manim import (BLACK, BLUE, BLUE_B, BLUE_E, GREEN, GREY, GREY_B, GREY_D, LEFT, ORANGE, PINK, PURPLE_B, RED,
                   RIGHT, TEAL, UP, WHITE, YELLOW_D, Line, MathTex, Text, VGroup, VMobject, config)

from content import fonts, i18n, subtitles

# --- colour means one thing everywhere --------------------------------------------------------------
ACTIVATION = BLUE  # inputs and activations: values flowing forward
ACTIVATION_DERIVATIVE = BLUE_B  # a derivative shares its function's hue, lighter (and dashed)
WEIGHT = YELLOW_D  # not GOLD: beside ORANGE (gradients) at 480p the two read as one hue
BIAS = GREY
NET = GREEN  # pre-activations
LOSS = RED  # loss and targets
LOSS_ALT = "#FFCCC4"  # a second loss series beside the first (much lighter: the two must not read as one red)
GRADIENT = ORANGE  # anything flowing backward
GRADIENT_ALT = "#F9C89B"  # a second gradient series beside the first (lighter, dashed)
SHADE = GREY_D  # saturated and dead regions
SHADE_SMALL = BLUE_E  # a slope small but alive (Leaky ReLU's x < 0): apart from the grey of no gradient
# Several activations on one plot (ReLU's smooth relatives): one hue each, none of the meanings above.
COMPARED = (TEAL, PURPLE_B, PINK)
# The spiral's two arms (the trained nets' data): points white and black, each ringed in the other so it
# shows on either ground; the ground is what a net answers there, light for the white arm, dark for the black.
ARM_POINTS = ("#FFFFFF", "#000000")
ARM_GROUNDS = ("#B0BEC5", "#37474F")
SHADE_OPACITY = 0.45  # a shaded region: visible on the black, faint enough for the curves over it to stand out
MUTED = GREY_B
TEXT = WHITE
BACKGROUND = BLACK

# --- type -------------------------------------------------------------------------------------------
# Measured at 480p: a font size of F draws an em of about 0.76*F px, so 32 is the floor that keeps
# every line of text at the storyboard's ~24 px. Superscripts inside formulas are the only exception.
FONT = fonts.FONT
# DejaVu Sans has no CJK glyphs: text with Chinese in it is set in this font (Latin included, so a line
# keeps one look). At 32 a Han character draws about 24 px tall at 480p (DejaVu's capitals about 20), so
# the same sizes and the 32 floor keep Chinese, denser than English, readable.
CJK_FONT = fonts.CJK_FONT
TITLE_SIZE = 44
BODY_SIZE = 36
LABEL_SIZE = 32
SMALL_SIZE = 32  # the floor: nothing smaller appears on screen
FORMULA_SIZE = 36
# LaTeX glyphs draw smaller than DejaVu Sans at the same nominal size; formula() scales by this so that
# a formula and a Text of the same `size` read alike (and the 32 floor holds for both).
MATH_SCALE = 1.25
AXIS_NUMBER_SIZE = SMALL_SIZE * MATH_SCALE

# --- space ------------------------------------------------------------------------------------------
MARGIN = 0.35  # the title strip's margin inside the frame edge, in manim units
# Everything else keeps 32 px (at 480p; the frame is 8 units high) clear of the frame's edge.
EDGE = 32 / 60
TITLE_BAR_HEIGHT = 1.0


def frame_box() -> tuple[float, float, float, float]:
    """(left, right, bottom, top) of the safe area: EDGE inside the frame, the title strip's top at MARGIN."""
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    return -half_w + EDGE, half_w - EDGE, -half_h + EDGE, half_h - MARGIN


def content_top() -> float:
    """The y just under the title strip."""
    return frame_box()[3] - TITLE_BAR_HEIGHT


def font_for(content: str) -> str:
    return CJK_FONT if i18n.has_cjk(content) else FONT


def text(content: str, size: int = BODY_SIZE, color=TEXT, **kwargs) -> Text:
    kwargs.setdefault("font", font_for(content))
    return Text(content, font_size=size, color=color, **kwargs)


def wrap(content: str, size: int, width: float, **kwargs) -> Text:
    """Text broken into lines no wider than `width` (measured, not counted): between words, or in Chinese
    after a clause where possible (subtitles.break_lines)."""
    lines = subtitles.break_lines(content, width, lambda line: text(line, size).width)
    return text("\n".join(lines), size, **kwargs)


def mixed(template: str, size: int = BODY_SIZE, color=TEXT, **formulas: str) -> VGroup:
    """A line of words with formulas in it: each `{name}` of the catalogue's template becomes
    formula(formulas[name]); the words around them are text. Each language orders the two its own way,
    and LaTeX never sees a Chinese character."""
    parts, baselines = VGroup(), []
    for k, part in enumerate(re.split(r"\{(\w+)\}", template)):
        if k % 2:
            parts.add(formula(formulas[part], size=size, color=color))
            probe = formula(formulas[part], "x", size=size)
        elif part.strip():
            parts.add(text(part.strip(), size, color=color))
            probe = text(part.strip() + "x", size)
        else:
            continue
        # An "x" set after the part sits on its baseline: words and formulas line up on it, not on their
        # centres (descenders and superscripts would tilt the line).
        baselines.append(probe[-1].get_bottom()[1] - VGroup(*probe[:-1]).get_bottom()[1])
    parts.arrange(RIGHT, buff=0.18)
    for part, above_bottom in zip(parts, baselines):
        part.shift(UP * (parts[0].get_bottom()[1] + baselines[0] - part.get_bottom()[1] - above_bottom))
    return parts


class Part(NamedTuple):
    """A formula part with a name: an animation takes hold of it later as formula(...).part(name), so no
    one has to count a formula's pieces to find it."""

    latex: str
    colour: Any = None
    name: str | None = None


class Formula(MathTex):
    """What formula() returns: a MathTex whose named parts (Part) are found by their names."""

    def __init__(self, *tex: str, names: dict[str, list[int]] | None = None, **kwargs: Any):
        super().__init__(*tex, **kwargs)
        self.names = names or {}

    def part(self, name: str) -> VMobject:
        """The one part called `name`."""
        (index,) = self.names[name]
        return self[index]

    def parts(self, *names: str) -> VGroup:
        """Every part called one of `names`, in the formula's order."""
        return VGroup(*(self[i] for i in sorted(i for name in names for i in self.names[name])))


def formula(*parts, size: int = FORMULA_SIZE, color=TEXT, **kwargs) -> Formula:
    """Every formula in every scene goes through here, so the renderer can be swapped in one place. A part
    is LaTeX, (LaTeX, colour), or a Part (LaTeX, colour, name): the colour travels with its part, so a
    formula is never coloured by counting its pieces (manim's tex_to_color_map matches substrings,
    ambiguous for repeated numbers), and a named part is found by its name (Formula.part)."""
    tex = [part[0] if isinstance(part, tuple) else part for part in parts]
    names: dict[str, list[int]] = {}
    for index, part in enumerate(parts):
        if isinstance(part, Part) and part.name:
            names.setdefault(part.name, []).append(index)
    shown = Formula(*tex, names=names, font_size=size * MATH_SCALE, color=color, **kwargs)
    for piece, part in zip(shown, parts):
        if isinstance(part, tuple) and part[1] is not None:
            piece.set_color(part[1])
    return shown


def title_strip(title: str) -> VGroup:
    """The scene's title, top left, with a rule under it."""
    left, right = -config.frame_width / 2 + MARGIN, config.frame_width / 2 - MARGIN
    heading = text(title, TITLE_SIZE).to_corner(UP + LEFT, buff=MARGIN)
    rule = Line([left, 0, 0], [right, 0, 0], stroke_width=2, color=MUTED)
    rule.set_y(heading.get_bottom()[1] - 0.15)
    return VGroup(heading, rule)
