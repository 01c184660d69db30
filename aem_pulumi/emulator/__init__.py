"""A local emulator of the Cloud Manager API subset and IMS, for tests and demos (needs Flask).

`control_client.EmulatorControl` drives a running emulator's control plane with `requests` only.
"""
