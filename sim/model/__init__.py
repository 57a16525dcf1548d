"""The simulation engine: the only package that imports simpy. It never touches files."""

from sim.model.cluster import Outcome, SimulationStalled, Window, simulate

__all__ = ["Outcome", "SimulationStalled", "Window", "simulate"]
