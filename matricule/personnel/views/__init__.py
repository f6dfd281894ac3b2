"""Screens of the personnel record (one module per part of the record)."""
