# The minimal image freezes no Python code. (User code frozen into a custom
# image is added on top of this manifest.)
