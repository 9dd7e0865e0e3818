"""One catalogue per language, each a module with the same names and keys (tests/test_i18n.py checks it):

- TITLES: scene id -> the scene's title; SUMMARIES: scene id -> one line on what it shows;
- PAGE: the course page's words, and the language's own name (language_name); CLI: `explain`'s labels;
- WORDS: scene id (or "common", shared by several scenes) -> key -> the words on screen, `{field}`s filled
  in by the scene (a `{field}` of a mixed line, theme.mixed(), is a formula);
- TERMS: words inside display values (scenes/values.py): activation titles and uses, "never", "or";
- NARRATION: scene id -> beat -> subtitle template, `{field}`s from the scene's display values, in the
  order the beats play (an "each" block of beats repeats per item, see content.narration.expand_beats).
"""
