"""The context manager: what the model sees for each question, within its window."""

from lecto.context.planner import PlanOptions, plan

__all__ = ["PlanOptions", "plan"]
