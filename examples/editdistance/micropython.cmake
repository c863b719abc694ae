# The editdistance user C module, for builds with CMake (USER_C_MODULES, or
# micropython-wasi build --c-module).
add_library(usermod_editdistance INTERFACE)

target_sources(usermod_editdistance INTERFACE
    ${CMAKE_CURRENT_LIST_DIR}/editdistance.c
)

target_include_directories(usermod_editdistance INTERFACE
    ${CMAKE_CURRENT_LIST_DIR}
)

target_link_libraries(usermod INTERFACE usermod_editdistance)
