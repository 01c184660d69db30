"""The Flask application: the API's and IMS's routes, the control plane and the request hooks."""

from __future__ import annotations

from flask import Flask

from aem_pulumi.emulator import (
    advanced_networking,
    auth,
    control,
    environment_advanced_networking,
    environments,
    hooks,
    not_emulated,
    programs,
    region_deployments,
    tenants,
    variables,
)
from aem_pulumi.emulator.context import EXTENSION, Emulator

CONTROL_PREFIX = "/__emulator/"
_API = (
    auth,
    tenants,
    programs,
    environments,
    region_deployments,
    advanced_networking,
    environment_advanced_networking,
    variables,
    not_emulated,
)


def create_app(emulator: Emulator) -> Flask:
    """The emulator's Flask application: the API, IMS and the control plane."""
    app = Flask("aem_pulumi.emulator")
    app.extensions[EXTENSION] = emulator
    hooks.install_first(app)
    for module in _API:
        app.register_blueprint(module.blueprint)
    app.register_blueprint(control.blueprint, url_prefix=CONTROL_PREFIX.rstrip("/"))
    hooks.install_last(app)
    return app
