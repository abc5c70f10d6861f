"""Family Connect Forms: filled in by the intake work."""
