"""Thin typed Pulumi classes over the dynamic providers."""
