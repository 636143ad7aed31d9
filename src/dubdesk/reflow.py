"""Compatibility name: line breaking lives in :mod:`dubdesk.text.reflow`."""

from __future__ import annotations

from .text.reflow import line_width, reflow

__all__ = ["line_width", "reflow"]
