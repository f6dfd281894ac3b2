"""Screens of the web shell: home, health check, audit trail, reference data."""
