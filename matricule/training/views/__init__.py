"""Training screens: sessions, catalogue, people (skills, coverage, own training)."""
