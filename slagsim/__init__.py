"""slagsim: a discrete-event simulator of the Kendalsari aluminium-slag recycling centre."""

__version__ = "0.2.0"
