# The minimal variant has no optional built-in modules, and its manifest
# freezes nothing (an image with nothing frozen has no frozen-code support).
set(MICROPY_WASI_VARIANT_MODULES)
set(MICROPY_FROZEN_MANIFEST ${MICROPY_VARIANT_DIR}/manifest.py)
