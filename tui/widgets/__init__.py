"""Widgets of the reading room, one a file."""
