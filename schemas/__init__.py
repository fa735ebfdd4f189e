"""prepdata's built-in record schemas, one module each, written only against the public
schema API in ``prepdata``, exactly as a third-party plugin would be. Installed as
``prepdata_schemas`` and registered through the ``prepdata.schemas`` entry-point group."""
