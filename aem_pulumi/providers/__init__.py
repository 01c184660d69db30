"""Dynamic providers: CRUD against the Cloud Manager API, returning Pulumi results."""
