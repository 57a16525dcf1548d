"""The simulation engine: the only package that imports simpy. It never touches files."""

from slagsim.model.engine import Outcome, SimulationStalled, Window, simulate

__all__ = ["Outcome", "SimulationStalled", "Window", "simulate"]
