"""The dynamic front end: Pulumi dynamic resources served by one generic adapter (nothing to
install beyond the package)."""
