"""The simulation engine: the only package that imports simpy. It never touches files."""

from sim.model.cluster import Outcome, Window, simulate

__all__ = ["Outcome", "Window", "simulate"]
