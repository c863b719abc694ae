# Point MICROPY_DIR at a patched copy of the MicroPython sources in the build
# tree: ports/wasi/patches/*.patch applied to the parts of micropython/ the
# build compiles (ports/wasi/tools/patch_micropython.py; ports/wasi/patches/README.md
# says why each patch exists). micropython/ itself stays pristine.
#
# In:  MICROPY_DIR (the pristine sources, from micropython-source.cmake)
# Out: MICROPY_SOURCE_DIR (the pristine sources), MICROPY_DIR (the copy),
#      MICROPY_PATCH_STAMP (rewritten whenever the copy changes)
set(MICROPY_SOURCE_DIR ${MICROPY_DIR})
set(_patch_dir ${CMAKE_SOURCE_DIR}/ports/wasi/patches)
set(_patched_dir ${CMAKE_BINARY_DIR}/micropython)
execute_process(
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/ports/wasi/tools/patch_micropython.py
        --source ${MICROPY_SOURCE_DIR} --patches ${_patch_dir} --output ${_patched_dir}
    RESULT_VARIABLE _rc ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
    string(REGEX REPLACE "^error: " "" _err "${_err}")
    string(STRIP "${_err}" _err)
    message(FATAL_ERROR "${_err}")
endif()
# Configure again (and so re-patch) when a patch is added, removed or edited.
file(GLOB _patches CONFIGURE_DEPENDS ${_patch_dir}/*.patch)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_patches})
set(MICROPY_DIR ${_patched_dir})
set(MICROPY_PATCH_STAMP ${_patched_dir}/.patched.json)
