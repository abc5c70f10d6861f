"""The scorecard: filled in by the scorecard work."""
