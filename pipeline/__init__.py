"""From scenes to files: render settings, rendering and its worker processes, the build cache, joining the
lecture, the course pack and its page, and `doctor`. manim is imported only where a scene is rendered."""
