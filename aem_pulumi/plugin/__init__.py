"""The provider plugin `pulumi-resource-aem`: Pulumi's resource-provider gRPC protocol, served from
the engine-neutral core (`aem_pulumi.core`), as the dynamic front end serves it to the dynamic host.

Modules: `names` (snake_case in the core, camelCase on the wire), `wire` (protobuf structs,
secrets), `declarations` (which resources it serves), `schema` (GetSchema), `config` (the `aem:*`
provider configuration), `server` (the servicer and the console script's `main`).
"""
