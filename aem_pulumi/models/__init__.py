"""Pydantic models of the Cloud Manager API, shared by the client and the emulator.

Strict in, lenient out: request models apply the spec's enums, patterns and ranges; response
models (`base.ResponseModel`, and the `...Representation` twin of a model that is also sent)
read whatever the API answers.
"""
