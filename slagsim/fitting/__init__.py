"""Distributions fitted to measured values: from a stopwatch to a scenario's distribution.

``families`` fits each family a scenario can write by maximum likelihood, ``goodness`` tests each
fit (Kolmogorov-Smirnov and Anderson-Darling, with parametric-bootstrap p-values), ``recommend``
ranks them by AIC and says which to use and how sure; none of them reads or writes a file.
``data`` reads the measured column (bounded, every cell checked), ``written`` makes the scenario
that uses the fit, ``figures`` draws the histogram and the Q-Q plot, ``template`` writes the timing
sheet to fill in, and ``session`` (``slagsim fit``) runs it all and writes the results.
"""
