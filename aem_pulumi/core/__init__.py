"""The engine-neutral resource core: declarations and CRUD over plain data (never imports pulumi).

Both front ends, the dynamic adapter (`aem_pulumi.dynamic`) and the provider plugin
(`aem_pulumi.plugin`), serve the declarations here; see docs/layout.md.
"""
