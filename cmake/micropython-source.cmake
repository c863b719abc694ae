# Make sure the MicroPython submodule (and its micropython-lib submodule,
# which frozen manifests use) is checked out, or say exactly how to do it.
set(_mp_dir ${CMAKE_SOURCE_DIR}/micropython)
set(_init_cmd "git submodule update --init micropython && git -C micropython submodule update --init lib/micropython-lib")

if(NOT EXISTS ${_mp_dir}/py/mpconfig.h OR NOT EXISTS ${_mp_dir}/lib/micropython-lib/README.md)
    if(EXISTS ${CMAKE_SOURCE_DIR}/.git)
        find_package(Git)
    endif()
    if(GIT_FOUND)
        message(STATUS "Initialising the MicroPython submodule: ${_init_cmd}")
        execute_process(COMMAND ${GIT_EXECUTABLE} submodule update --init micropython
            WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} RESULT_VARIABLE _rc)
        if(_rc EQUAL 0)
            execute_process(COMMAND ${GIT_EXECUTABLE} submodule update --init lib/micropython-lib
                WORKING_DIRECTORY ${_mp_dir} RESULT_VARIABLE _rc)
        endif()
    endif()
    if(NOT EXISTS ${_mp_dir}/py/mpconfig.h OR NOT EXISTS ${_mp_dir}/lib/micropython-lib/README.md)
        message(FATAL_ERROR "The MicroPython sources are missing from ${_mp_dir}. "
            "In a git checkout, run:\n  ${_init_cmd}")
    endif()
endif()
set(MICROPY_DIR ${_mp_dir})
