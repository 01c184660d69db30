"""Tests of the Cloud Manager API emulator, over real HTTP on 127.0.0.1."""
