"""Learning the estimates from a cooperative's monthly books (approximate Bayesian computation)."""
