"""Estimation helpers for the page skills/analytical-thinking: back-of-the-envelope load,
Little's law and three-point (PERT) estimates. Run `python -m estimation.capacity`."""
