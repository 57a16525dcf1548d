"""Purchase appraisal: what to buy next, how sure we are, and when it pays back."""
