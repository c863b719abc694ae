# Python modules frozen into the full image as bytecode: the standard set.
# (asyncio's Python part is frozen with the asyncio module, see
# ports/wasi/tools/image_config.py.)
include("$(PORT_DIR)/variants/standard/manifest.py")
