"""Permissions of the inspections app."""
