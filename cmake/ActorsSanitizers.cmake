# ACTORS_SANITIZE applies to everything built in this tree (library, tests, examples), because a
# sanitizer sees only what was compiled with it.
if(ACTORS_SANITIZE)
  if(ACTORS_SANITIZE STREQUAL "thread" OR ACTORS_SANITIZE STREQUAL "address,undefined"
     OR ACTORS_SANITIZE STREQUAL "address" OR ACTORS_SANITIZE STREQUAL "undefined")
    add_compile_options(-fsanitize=${ACTORS_SANITIZE} -fno-omit-frame-pointer -g)
    add_link_options(-fsanitize=${ACTORS_SANITIZE})
    if(ACTORS_SANITIZE MATCHES "undefined")
      add_compile_options(-fno-sanitize-recover=undefined)
    endif()
  else()
    message(FATAL_ERROR "ACTORS_SANITIZE='${ACTORS_SANITIZE}': use 'address,undefined', 'address', 'undefined' or 'thread'")
  endif()
endif()
