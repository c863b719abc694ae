# Provide binaryen's wasm-opt (with exception-handling support) as WASM_OPT:
#  1. WASM_OPT given as a CMake define or environment variable;
#  2. a wasm-opt on PATH that is new enough;
#  3. otherwise npm installs the version pinned in toolchain/binaryen/package-lock.json
#     into the build directory.
set(_wasm_opt_min_version 120)

if(NOT WASM_OPT AND DEFINED ENV{WASM_OPT})
    set(WASM_OPT $ENV{WASM_OPT})
endif()

if(NOT WASM_OPT)
    find_program(_system_wasm_opt wasm-opt)
    if(_system_wasm_opt)
        execute_process(COMMAND ${_system_wasm_opt} --version OUTPUT_VARIABLE _v ERROR_QUIET)
        string(REGEX MATCH "version ([0-9]+)" _ "${_v}")
        if(CMAKE_MATCH_1 AND CMAKE_MATCH_1 GREATER_EQUAL _wasm_opt_min_version)
            set(WASM_OPT ${_system_wasm_opt})
        else()
            message(STATUS "Ignoring ${_system_wasm_opt} (binaryen ${CMAKE_MATCH_1}): "
                "version ${_wasm_opt_min_version} or newer is needed for wasm exceptions")
        endif()
    endif()
endif()

if(NOT WASM_OPT)
    set(_binaryen_dir ${CMAKE_BINARY_DIR}/binaryen)
    set(WASM_OPT ${_binaryen_dir}/node_modules/.bin/wasm-opt)
    if(NOT EXISTS ${WASM_OPT})
        find_program(NPM_EXECUTABLE npm)
        if(NOT NPM_EXECUTABLE)
            message(FATAL_ERROR "wasm-opt was not found. Install Node.js with npm (the build then "
                "installs binaryen from npm), or install binaryen ${_wasm_opt_min_version}+ and put "
                "wasm-opt on PATH, or pass -DWASM_OPT=/path/to/wasm-opt.")
        endif()
        message(STATUS "Installing binaryen's wasm-opt from npm (toolchain/binaryen/package-lock.json)")
        file(COPY ${CMAKE_SOURCE_DIR}/toolchain/binaryen/package.json
                  ${CMAKE_SOURCE_DIR}/toolchain/binaryen/package-lock.json
             DESTINATION ${_binaryen_dir})
        execute_process(COMMAND ${NPM_EXECUTABLE} ci --no-audit --no-fund --loglevel=error
            WORKING_DIRECTORY ${_binaryen_dir} RESULT_VARIABLE _rc)
        if(NOT _rc EQUAL 0 OR NOT EXISTS ${WASM_OPT})
            message(FATAL_ERROR "`npm ci` in ${_binaryen_dir} failed: cannot install binaryen. "
                "Check npm's registry access, or install binaryen and pass -DWASM_OPT=...")
        endif()
    endif()
endif()
execute_process(COMMAND ${WASM_OPT} --version OUTPUT_VARIABLE WASM_OPT_VERSION
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
message(STATUS "wasm-opt: ${WASM_OPT} (${WASM_OPT_VERSION})")
