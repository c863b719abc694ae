# Choose the wasm32-wasi toolchain file for the port build:
#   MICROPY_WASI_TOOLCHAIN=auto (default): wasi-sdk when WASI_SDK_PATH is set, else zig
#   MICROPY_WASI_TOOLCHAIN=zig | wasi-sdk
set(MICROPY_WASI_TOOLCHAIN auto CACHE STRING "wasm32-wasi compiler: auto, zig or wasi-sdk")
set(WASI_SDK_PATH "$ENV{WASI_SDK_PATH}" CACHE PATH "wasi-sdk install directory (selects wasi-sdk)")

set(_toolchain ${MICROPY_WASI_TOOLCHAIN})
if(_toolchain STREQUAL "auto")
    if(WASI_SDK_PATH)
        set(_toolchain wasi-sdk)
    else()
        set(_toolchain zig)
    endif()
endif()

set(WASI_TOOLCHAIN_ARGS)
if(_toolchain STREQUAL "zig")
    if(NOT ZIG_EXECUTABLE)
        execute_process(
            COMMAND ${Python3_EXECUTABLE} -c "import os, ziglang; print(os.path.join(os.path.dirname(ziglang.__file__), 'zig'))"
            OUTPUT_VARIABLE ZIG_EXECUTABLE OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    endif()
    if(NOT ZIG_EXECUTABLE OR NOT EXISTS "${ZIG_EXECUTABLE}")
        message(FATAL_ERROR "The zig compiler was not found for ${Python3_EXECUTABLE}. "
            "Install it with `pip install ziglang`, or use a wasi-sdk (>= 26) with "
            "-DWASI_SDK_PATH=/path/to/wasi-sdk.")
    endif()
    execute_process(COMMAND ${ZIG_EXECUTABLE} version OUTPUT_VARIABLE _zig_version
        OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    set(WASI_COMPILER_DESCRIPTION "zig ${_zig_version}")
    set(WASI_TOOLCHAIN_FILE ${CMAKE_SOURCE_DIR}/toolchain/zig.cmake)
    list(APPEND WASI_TOOLCHAIN_ARGS -DZIG_EXECUTABLE=${ZIG_EXECUTABLE})
elseif(_toolchain STREQUAL "wasi-sdk")
    if(NOT WASI_SDK_PATH)
        message(FATAL_ERROR "MICROPY_WASI_TOOLCHAIN=wasi-sdk needs WASI_SDK_PATH "
            "(-DWASI_SDK_PATH=/path/to/wasi-sdk or the environment variable).")
    endif()
    set(_sdk_version "")
    if(EXISTS ${WASI_SDK_PATH}/VERSION)
        file(STRINGS ${WASI_SDK_PATH}/VERSION _sdk_version LIMIT_COUNT 1)
    endif()
    set(WASI_COMPILER_DESCRIPTION "wasi-sdk ${_sdk_version}")
    set(WASI_TOOLCHAIN_FILE ${CMAKE_SOURCE_DIR}/toolchain/wasi-sdk.cmake)
    list(APPEND WASI_TOOLCHAIN_ARGS -DWASI_SDK_PATH=${WASI_SDK_PATH})
else()
    message(FATAL_ERROR "MICROPY_WASI_TOOLCHAIN must be auto, zig or wasi-sdk (got '${MICROPY_WASI_TOOLCHAIN}')")
endif()
message(STATUS "wasm32-wasi compiler: ${WASI_COMPILER_DESCRIPTION}")
