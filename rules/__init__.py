"""prepdata's built-in rules, one module each, written only against the public API in
``prepdata``, exactly as a third-party plugin would be. Installed as ``prepdata_rules``
and registered through the ``prepdata.rules`` entry-point group."""
