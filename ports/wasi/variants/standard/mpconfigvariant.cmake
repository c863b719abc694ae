# The standard variant's built-in modules (see ports/wasi/tools/image_config.py for
# the modules an image can have). Not here, by design:
#   uctypes   raw reads and writes of interpreter memory, by address
#   framebuf  pixel buffers for displays
#   marshal   code objects from bytes: malformed bytecode can crash the
#             interpreter (in the full variant)
# asyncio is here because programs written for CPython use it (select comes
# with it: its event loop waits in select.poll).
set(MICROPY_WASI_VARIANT_MODULES
    array asyncio binascii cmath collections deflate errno gc hashlib heapq io
    json math os platform random re select struct time vfs
)
set(MICROPY_FROZEN_MANIFEST ${MICROPY_VARIANT_DIR}/manifest.py)
