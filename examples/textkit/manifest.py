# Freeze the textkit package into an image, with a package from
# micropython-lib that the standard variant does not freeze itself:
#   micropython-wasi build --manifest examples/textkit/manifest.py
require("keyword")
package("textkit")
