# The installed package: `find_package(actors CONFIG REQUIRED [COMPONENTS runtime remote ...])`.
#
# Each library is one component with its own export set, so a consumer that asks for `runtime`
# never needs the dependencies of `remote` (Boost, msgpack) to be installed. Adding a library is
# one call in its CMakeLists.txt, after its target exists:
#
#   actors_install_component(remote TARGET actors_remote HEADERS include
#                            REQUIRES runtime DEPENDENCIES "Boost 1.74" "OpenSSL")
#
#   - the target becomes actors::remote for consumers (EXPORT_NAME);
#   - HEADERS: a folder (relative to the calling CMakeLists.txt) whose contents go to the install
#     prefix's include/; only public headers belong there, internals stay in src/;
#   - ALSO: more targets installed in the same export set, each seen as actors::<name> where
#     name is the target's name without its "actors_" prefix (a library made of several targets:
#     remote's protocol, codec, url and transport parts);
#   - REQUIRES: components it links to (loaded first by the config file);
#   - DEPENDENCIES: one find_dependency() argument list per string, re-run by the config file;
#   - link warning flags and other build-only targets as $<BUILD_INTERFACE:actors::warnings>,
#     or the export fails: a static library's private links are part of its exported interface.
#
# The top level calls actors_install_package() once, after every component has been added.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ACTORS_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/actors)

function(actors_install_component component)
  cmake_parse_arguments(arg "" "TARGET;HEADERS" "ALSO;REQUIRES;DEPENDENCIES" ${ARGN})
  if(NOT arg_TARGET)
    message(FATAL_ERROR "actors_install_component(${component}): TARGET is required")
  endif()
  # The name consumers see is the same in both ways of using us: actors::<component>.
  set_target_properties(${arg_TARGET} PROPERTIES EXPORT_NAME ${component})
  if(NOT TARGET actors::${component})
    add_library(actors::${component} ALIAS ${arg_TARGET})
  endif()
  foreach(extra IN LISTS arg_ALSO)
    string(REGEX REPLACE "^actors_" "" extra_name ${extra})
    set_target_properties(${extra} PROPERTIES EXPORT_NAME ${extra_name})
  endforeach()
  if(NOT ACTORS_INSTALL)
    return()
  endif()
  install(TARGETS ${arg_TARGET} ${arg_ALSO} EXPORT actors-${component}-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  if(arg_HEADERS)
    install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${arg_HEADERS}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  endif()
  install(EXPORT actors-${component}-targets NAMESPACE actors::
    DESTINATION ${ACTORS_INSTALL_CMAKEDIR} FILE actors-${component}-targets.cmake)

  # The config file's block for this component (see actors-config.cmake.in).
  set(block "if(\"${component}\" IN_LIST _actors_load)\n")
  foreach(dep IN LISTS arg_DEPENDENCIES)
    string(APPEND block "  find_dependency(${dep})\n")
  endforeach()
  string(APPEND block "  include(\"\${CMAKE_CURRENT_LIST_DIR}/actors-${component}-targets.cmake\")\n")
  string(APPEND block "  set(actors_${component}_FOUND TRUE)\nendif()\n")
  set_property(GLOBAL APPEND PROPERTY ACTORS_COMPONENTS ${component})
  set_property(GLOBAL APPEND_STRING PROPERTY ACTORS_COMPONENT_BLOCKS "${block}")
  set_property(GLOBAL APPEND_STRING PROPERTY ACTORS_COMPONENT_REQUIRES
    "set(_actors_requires_${component} ${arg_REQUIRES})\n")
endfunction()

function(actors_install_package)
  if(NOT ACTORS_INSTALL)
    return()
  endif()
  get_property(ACTORS_COMPONENTS GLOBAL PROPERTY ACTORS_COMPONENTS)
  get_property(ACTORS_COMPONENT_BLOCKS GLOBAL PROPERTY ACTORS_COMPONENT_BLOCKS)
  get_property(ACTORS_COMPONENT_REQUIRES GLOBAL PROPERTY ACTORS_COMPONENT_REQUIRES)
  set(out ${PROJECT_BINARY_DIR}/package)
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/actors-config.cmake.in
    ${out}/actors-config.cmake INSTALL_DESTINATION ${ACTORS_INSTALL_CMAKEDIR})
  # 0.x: a minor version may break the API, so only the same minor version is compatible.
  write_basic_package_version_file(${out}/actors-config-version.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
  install(FILES ${out}/actors-config.cmake ${out}/actors-config-version.cmake
    DESTINATION ${ACTORS_INSTALL_CMAKEDIR})
endfunction()
