"""Reads of cases and people, with the joins their pages need."""
