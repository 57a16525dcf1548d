"""Sensitivity of the answers to the estimates: screening (Morris) and variance shares (Sobol)."""
