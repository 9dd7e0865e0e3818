"""One catalogue per language, each a module with the same names and keys (tests/test_i18n.py checks it):

- TITLES: scene id -> the scene's title;
- WORDS: scene id (or "common", shared by several scenes) -> key -> the words on screen, `{field}`s filled
  in by the scene (a `{field}` of a mixed line, theme.mixed(), is a formula);
- TERMS: words inside display values (scenes/values.py): activation titles and uses, "never", "or";
- NARRATION: scene id -> beat -> subtitle template, `{field}`s from the scene's display values, in the
  order the beats play ("each:" beats repeat per item, see scenes.expand_beats).
"""
