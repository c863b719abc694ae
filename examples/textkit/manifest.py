# Freeze the textkit package into an image, with what it needs from
# micropython-lib:
#   micropython-wasi build --manifest examples/textkit/manifest.py
require("itertools")
package("textkit")
