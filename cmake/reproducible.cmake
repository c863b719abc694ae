# Make the image a function of its sources and toolchain only: not of when,
# where, or from what kind of source tree (git checkout or sdist) it is built.
#
# MicroPython writes a version tag and a build date into the image (sys.version,
# os.uname(), the REPL banner). Upstream's py/makeversionhdr.py takes the tag
# from `git describe` and the date from the clock; both are fixed here:
#   MICROPY_GIT_TAG    "vX.Y.Z" (or "vX.Y.Z-preview") from py/mpconfig.h, which
#                      is what `git describe` gives at a release and what
#                      makeversionhdr.py falls back to without git;
#   SOURCE_DATE_EPOCH  the commit time of the MicroPython release in
#                      micropython/, pinned below because an sdist has no git
#                      history to read it from. A SOURCE_DATE_EPOCH in the
#                      environment (which pip builds set) does not change it:
#                      the image is the same however it is built.
# The C sources hold no paths (debug info is stripped, NDEBUG drops asserts'
# __FILE__), and zig and binaryen are pinned, so two builds of the same sources
# are byte-identical; `tools/release_check.py reproducible` checks it.
#
# Sets MICROPY_WASI_REPRODUCIBLE_ENV: NAME=VALUE arguments for `cmake -E env`.

# The commit time of the micropython/ submodule's commit (v1.28.0):
#   git -C micropython log -1 --format=%ct
# Update it with the submodule; tests/test_packaging.py checks that it matches.
set(MICROPY_WASI_MICROPYTHON_COMMIT_TIME 1775481169)

file(STRINGS ${MICROPY_DIR}/py/mpconfig.h _mp_version_lines
    REGEX "^#define MICROPY_VERSION_(MAJOR|MINOR|MICRO|PRERELEASE) +[0-9]+")
foreach(_line ${_mp_version_lines})
    string(REGEX MATCH "MICROPY_VERSION_([A-Z]+) +([0-9]+)" _ "${_line}")
    set(_mp_version_${CMAKE_MATCH_1} ${CMAKE_MATCH_2})
endforeach()
if(NOT DEFINED _mp_version_MAJOR OR NOT DEFINED _mp_version_MINOR OR NOT DEFINED _mp_version_MICRO)
    message(FATAL_ERROR "Cannot read MICROPY_VERSION_* from ${MICROPY_DIR}/py/mpconfig.h")
endif()
set(MICROPY_WASI_GIT_TAG "v${_mp_version_MAJOR}.${_mp_version_MINOR}.${_mp_version_MICRO}")
if(_mp_version_PRERELEASE)
    string(APPEND MICROPY_WASI_GIT_TAG "-preview")
endif()

set(MICROPY_WASI_SOURCE_DATE_EPOCH ${MICROPY_WASI_MICROPYTHON_COMMIT_TIME})
if(EXISTS ${MICROPY_DIR}/.git)
    find_package(Git QUIET)
    if(GIT_FOUND)
        execute_process(COMMAND ${GIT_EXECUTABLE} -C ${MICROPY_DIR} log -1 --format=%ct
            OUTPUT_VARIABLE _mp_commit_time OUTPUT_STRIP_TRAILING_WHITESPACE
            RESULT_VARIABLE _rc ERROR_QUIET)
        if(_rc EQUAL 0 AND NOT _mp_commit_time STREQUAL MICROPY_WASI_MICROPYTHON_COMMIT_TIME)
            message(WARNING "micropython/ is not at the pinned commit (its commit time is "
                "${_mp_commit_time}, cmake/reproducible.cmake has "
                "${MICROPY_WASI_MICROPYTHON_COMMIT_TIME}): update "
                "MICROPY_WASI_MICROPYTHON_COMMIT_TIME there when changing the submodule.")
        endif()
    endif()
endif()

set(MICROPY_WASI_REPRODUCIBLE_ENV
    MICROPY_GIT_TAG=${MICROPY_WASI_GIT_TAG}
    SOURCE_DATE_EPOCH=${MICROPY_WASI_SOURCE_DATE_EPOCH}
)
message(STATUS "MicroPython ${MICROPY_WASI_GIT_TAG}, source date ${MICROPY_WASI_SOURCE_DATE_EPOCH}")
