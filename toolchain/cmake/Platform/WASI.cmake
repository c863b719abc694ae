# Minimal platform description for CMake versions that do not ship one.
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
set(UNIX 1)
