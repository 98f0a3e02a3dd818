"""The Textual reading room (`lecto tui`)."""
