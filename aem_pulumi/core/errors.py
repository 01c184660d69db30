"""The provider error hierarchy: every message names the resource, the object, its status and what to do.

These sit above the client's errors (`aem_pulumi.client.errors`): a client error that ends an
operation is wrapped, with its message (already redacted by the client), into one of these.
"""

from __future__ import annotations


class ProviderError(Exception):
    """A failure a user can act on from its one-paragraph message (no traceback needed)."""


class InvalidInputs(ProviderError):
    """Inputs that `check` should have refused reached an operation (or an id cannot be read)."""


class RequestFailed(ProviderError):
    """Cloud Manager refused or failed a call; the message carries its answer and request id."""


class OwnershipError(ProviderError):
    """The remote object belongs to someone else, or two resources claim it."""


class OperationFailed(ProviderError):
    """An asynchronous operation ended in a failed (or an unexpected) status."""


class WaitTimeout(ProviderError):
    """The deadline passed before the object reached the wanted status."""
