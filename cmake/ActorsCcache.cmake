# Compiler caching for our own builds: CI builds the same sources in several configurations and
# developers rebuild after every pull, so a cache hit saves minutes on two cores. Only when we are
# the top-level project (a parent project chooses its own launcher) and only when ccache exists
# (scripts/setup.sh installs it; a build without it is just slower). It caches em++ as well.
if(PROJECT_IS_TOP_LEVEL AND NOT DEFINED CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(ACTORS_CCACHE ccache)
  if(ACTORS_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${ACTORS_CCACHE})
  endif()
endif()
