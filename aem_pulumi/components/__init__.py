"""Component resources built from aem-pulumi resources."""
