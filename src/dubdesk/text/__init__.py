"""Algorithms on cue text that know scripts but no file formats and no QA rules (line breaking)."""
