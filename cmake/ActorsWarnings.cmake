# One INTERFACE target carries the warning flags, so every target of ours gets the same set and
# nothing leaks to projects that consume the library.
add_library(actors_warnings INTERFACE)
add_library(actors::warnings ALIAS actors_warnings)
target_compile_options(actors_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast>)
# GCC 12 at -O2 reports -Wrestrict inside libstdc++'s std::string operator+ for ordinary
# concatenations (GCC bug 105329, fixed in 13); the warning is about the library, not our code.
target_compile_options(actors_warnings INTERFACE
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
