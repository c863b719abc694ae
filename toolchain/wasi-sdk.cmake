# CMake toolchain file: wasm32-wasi with a wasi-sdk (26 or newer).
#
# Set WASI_SDK_PATH (CMake define or environment variable) to the wasi-sdk
# install directory. Both layouts are understood: share/cmake/wasi-sdk-p1.cmake
# (wasi-sdk >= 34) and share/cmake/wasi-sdk.cmake (older releases).
if(NOT WASI_SDK_PATH)
    set(WASI_SDK_PATH "$ENV{WASI_SDK_PATH}")
endif()
if(NOT WASI_SDK_PATH OR NOT IS_DIRECTORY "${WASI_SDK_PATH}")
    message(FATAL_ERROR
        "WASI_SDK_PATH is not set to a wasi-sdk directory (got '${WASI_SDK_PATH}'). "
        "Install wasi-sdk >= 26 and pass -DWASI_SDK_PATH=/path/to/wasi-sdk, "
        "or build with zig instead (`pip install ziglang`).")
endif()
set(WASI_SDK_PATH "${WASI_SDK_PATH}" CACHE PATH "wasi-sdk install directory")

if(EXISTS "${WASI_SDK_PATH}/share/cmake/wasi-sdk-p1.cmake")
    include("${WASI_SDK_PATH}/share/cmake/wasi-sdk-p1.cmake")
elseif(EXISTS "${WASI_SDK_PATH}/share/cmake/wasi-sdk.cmake")
    include("${WASI_SDK_PATH}/share/cmake/wasi-sdk.cmake")
else()
    message(FATAL_ERROR "${WASI_SDK_PATH} has no share/cmake/wasi-sdk-p1.cmake or "
        "share/cmake/wasi-sdk.cmake: is it a wasi-sdk install (>= 26)?")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/wasi-common.cmake)

# wasi-sdk ships the setjmp runtime as a separate library, with its exception tag.
set(MICROPY_WASI_DEFINE_C_LONGJMP_TAG OFF)
set(MICROPY_WASI_EXTRA_LIBS setjmp)
set(WASI_TOOLCHAIN_NAME "wasi-sdk")
