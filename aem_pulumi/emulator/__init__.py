"""A local emulator of the Cloud Manager API subset and IMS, for tests and demos (needs Flask)."""
