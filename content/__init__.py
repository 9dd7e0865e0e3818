"""What the lecture says and shows, computed: the scene registry, every scene's numbers and their display,
the catalogues of words per language, narration and subtitle timing. No manim and no torch here: the CLI,
`explain` and the tests read it alone, and a scene (scenes/) only draws what it is given."""
