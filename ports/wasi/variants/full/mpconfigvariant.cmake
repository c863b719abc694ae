# The full variant's built-in modules: standard's, plus
#   asyncio   (with select, which its event loop waits in)
#   framebuf  pixel buffers
#   marshal   code objects to and from bytes
#   uctypes   C structures over bytearrays. It also reads and writes
#             interpreter memory by address: a guest can corrupt its own
#             interpreter (the WebAssembly sandbox still confines it).
# Not available: btree, cryptolib, ssl/tls and hashlib's md5/sha1 need
# libraries the build does not include; machine, network, socket, bluetooth
# and the like need hardware or a network.
set(MICROPY_WASI_VARIANT_MODULES
    array asyncio binascii cmath collections deflate errno framebuf gc hashlib
    heapq io json marshal math os platform random re select struct time uctypes
    vfs
)
# Filesystems besides the host's directories: FAT and littlefs on block
# devices the program provides (RAM disks), read-only ROMFS images.
set(MICROPY_WASI_FILESYSTEMS fat lfs1 lfs2 rom)
set(MICROPY_FROZEN_MANIFEST ${MICROPY_VARIANT_DIR}/manifest.py)
