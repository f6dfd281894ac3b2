"""The promotions screens."""
