"""Multi-agency case audits: filled in by the audits work."""
