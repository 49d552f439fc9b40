"""Permissions of the supervision app."""
