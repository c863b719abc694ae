# The standard variant's built-in modules (see toolchain/image_config.py for
# the modules an image can have). Not here, by design:
#   uctypes   raw reads and writes of interpreter memory, by address
#   framebuf  pixel buffers for displays
#   asyncio, select, marshal: in the full variant
set(MICROPY_WASI_VARIANT_MODULES
    array binascii cmath collections deflate errno gc hashlib heapq io json
    math os platform random re struct time vfs
)
set(MICROPY_FROZEN_MANIFEST ${MICROPY_VARIANT_DIR}/manifest.py)
