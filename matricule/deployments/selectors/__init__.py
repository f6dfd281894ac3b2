"""Reads of the deployments app, always through the viewer's scopes."""
