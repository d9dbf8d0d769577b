# WebAssembly (Emscripten) build settings for Debian's emscripten 3.1.6 with its system clang; the
# comment on each setting says which pitfall of that toolchain it works around.
if(NOT EMSCRIPTEN)
  return()
endif()

# C++ exceptions are how actors fail; emscripten disables catching them unless asked. 'wasm'
# uses WebAssembly's native exception handling (no JS trampoline around every call that might
# throw: much faster; Chrome 95+, Firefox 100+, Safari 15.2+, node 17+); 'js' works everywhere.
set(ACTORS_WASM_EXCEPTIONS "wasm" CACHE STRING "C++ exceptions in wasm: 'wasm' (native, fast) or 'js' (emulated, portable)")
if(ACTORS_WASM_EXCEPTIONS STREQUAL "wasm")
  add_compile_options(-fwasm-exceptions)
  add_link_options(-fwasm-exceptions)
else()
  add_compile_options(-fexceptions)
  add_link_options(-fexceptions)
endif()
add_link_options(-sALLOW_MEMORY_GROWTH=1)

# spdlog and fmt, header-only, from the host's /usr/include - but never -I/usr/include itself
# (it would pull in glibc headers): a folder of links to just those two.
set(ACTORS_WASM_SYSINC ${CMAKE_BINARY_DIR}/wasm-sysinc)
file(MAKE_DIRECTORY ${ACTORS_WASM_SYSINC})
foreach(lib spdlog fmt)
  if(NOT EXISTS ${ACTORS_WASM_SYSINC}/${lib})
    file(CREATE_LINK /usr/include/${lib} ${ACTORS_WASM_SYSINC}/${lib} SYMBOLIC)
  endif()
endforeach()
add_library(actors_spdlog INTERFACE)
add_library(actors::spdlog ALIAS actors_spdlog)
target_include_directories(actors_spdlog SYSTEM INTERFACE ${ACTORS_WASM_SYSINC})
target_compile_definitions(actors_spdlog INTERFACE SPDLOG_HEADER_ONLY FMT_HEADER_ONLY)

# GoogleTest from Debian's sources, compiled for wasm.
function(actors_wasm_gtest)
  if(TARGET GTest::gtest)
    return()
  endif()
  set(root /usr/src/googletest/googletest)
  add_library(actors_wasm_gtest STATIC ${root}/src/gtest-all.cc)
  target_include_directories(actors_wasm_gtest SYSTEM PUBLIC ${root}/include PRIVATE ${root})
  add_library(actors_wasm_gtest_main STATIC ${root}/src/gtest_main.cc)
  target_include_directories(actors_wasm_gtest_main SYSTEM PRIVATE ${root}/include ${root})
  target_link_libraries(actors_wasm_gtest_main PUBLIC actors_wasm_gtest)
  add_library(GTest::gtest ALIAS actors_wasm_gtest)
  add_library(GTest::gtest_main ALIAS actors_wasm_gtest_main)
endfunction()
