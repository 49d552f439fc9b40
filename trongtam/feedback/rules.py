"""Permissions of the feedback app."""
