"""End-to-end tests that drive the real Pulumi CLI (docs/pulumi-cli.md)."""
