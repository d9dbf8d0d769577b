# ACTORS_SANITIZE applies to everything built in this tree (library, tests, examples), because a
# sanitizer sees only what was compiled with it.
if(ACTORS_SANITIZE STREQUAL "fuzzer")
  # libFuzzer builds (clang only): everything gets coverage instrumentation and ASan+UBSan; the
  # fuzz targets alone link libFuzzer's main (-fsanitize=fuzzer, see fuzz/CMakeLists.txt).
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ACTORS_SANITIZE=fuzzer needs clang (libFuzzer); use the 'fuzz' preset")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
elseif(ACTORS_SANITIZE)
  if(ACTORS_SANITIZE STREQUAL "thread" OR ACTORS_SANITIZE STREQUAL "address,undefined"
     OR ACTORS_SANITIZE STREQUAL "address" OR ACTORS_SANITIZE STREQUAL "undefined")
    add_compile_options(-fsanitize=${ACTORS_SANITIZE} -fno-omit-frame-pointer -g)
    add_link_options(-fsanitize=${ACTORS_SANITIZE})
    if(ACTORS_SANITIZE MATCHES "undefined")
      add_compile_options(-fno-sanitize-recover=undefined)
    endif()
  else()
    message(FATAL_ERROR "ACTORS_SANITIZE='${ACTORS_SANITIZE}': use 'address,undefined', 'address', 'undefined', 'thread' or 'fuzzer'")
  endif()
endif()
