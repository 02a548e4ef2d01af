"""The demo administration: a Chamber of Commerce modelled on Turin, for evaluation only."""
