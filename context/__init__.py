"""The context manager: what the model sees for each question, within its window (planner.py)."""
