"""Pydantic models of the Cloud Manager API, shared by the client and the emulator."""
