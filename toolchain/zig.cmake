# CMake toolchain file: wasm32-wasi with zig cc from PyPI's "ziglang".
#
# Needs ZIG_EXECUTABLE (the zig binary); when it is not given, it is looked up
# through `python3 -m ziglang`'s package.
include(${CMAKE_CURRENT_LIST_DIR}/wasi-common.cmake)

if(NOT ZIG_EXECUTABLE)
    find_program(_wasi_python NAMES python3 python)
    if(_wasi_python)
        execute_process(
            COMMAND ${_wasi_python} -c "import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), 'zig'))"
            OUTPUT_VARIABLE ZIG_EXECUTABLE OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    endif()
endif()
if(NOT ZIG_EXECUTABLE OR NOT EXISTS "${ZIG_EXECUTABLE}")
    message(FATAL_ERROR
        "zig was not found. Install it with `pip install ziglang`, "
        "or build with a wasi-sdk (>= 26) by setting WASI_SDK_PATH.")
endif()
set(ZIG_EXECUTABLE "${ZIG_EXECUTABLE}" CACHE FILEPATH "zig binary used as the wasm32-wasi C compiler")

# (Regenerated at every configure: zig may have moved, e.g. to a new pip build environment.)
set(_wasi_cc "${CMAKE_BINARY_DIR}/toolchain/zig-wasi-cc")
configure_file(${CMAKE_CURRENT_LIST_DIR}/zig-wasi-cc.in "${_wasi_cc}" @ONLY
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CMAKE_C_COMPILER "${_wasi_cc}")
set(CMAKE_C_COMPILER_WORKS TRUE)

# zig's wasi-libc has the setjmp runtime but not the exception tag that
# longjmp throws: the port defines it (see ports/wasi/wasi_sjlj.c).
set(MICROPY_WASI_DEFINE_C_LONGJMP_TAG ON)
set(WASI_TOOLCHAIN_NAME "zig")
