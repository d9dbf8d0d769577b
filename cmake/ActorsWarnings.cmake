# One INTERFACE target carries the warning flags, so every target of ours gets the same set and
# nothing leaks to projects that consume the library.
add_library(actors_warnings INTERFACE)
add_library(actors::warnings ALIAS actors_warnings)
target_compile_options(actors_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast>)
