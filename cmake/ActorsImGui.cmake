# Dear ImGui 1.86 for the dashboard, as the target actors::imgui (ImGui + its GLFW and OpenGL3
# backends + GLFW + GL). Natively: Debian's libimgui-dev (whose static library already holds the
# backends), libglfw3-dev and Mesa. In WebAssembly: ImGui compiled from the sources that
# scripts/fetch_imgui.sh unpacks into deps/imgui, with emscripten's built-in GLFW on WebGL2.
# Sets ACTORS_HAVE_IMGUI; without it the dashboard's window targets are skipped with a message.

set(ACTORS_HAVE_IMGUI OFF)
if(EMSCRIPTEN)
  set(src ${PROJECT_SOURCE_DIR}/deps/imgui)
  if(NOT EXISTS ${src}/imgui.cpp)
    message(STATUS "dashboard: no ImGui sources in deps/imgui (run scripts/fetch_imgui.sh); web dashboard skipped")
    return()
  endif()
  add_library(actors_imgui STATIC
    ${src}/imgui.cpp ${src}/imgui_draw.cpp ${src}/imgui_tables.cpp ${src}/imgui_widgets.cpp
    ${src}/backends/imgui_impl_glfw.cpp ${src}/backends/imgui_impl_opengl3.cpp)
  target_include_directories(actors_imgui SYSTEM PUBLIC ${src} ${src}/backends)
  target_link_options(actors_imgui PUBLIC -sUSE_GLFW=3 -sUSE_WEBGL2=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2 -sFULL_ES3=1)
else()
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(ACTORS_IMGUI_PC QUIET IMPORTED_TARGET imgui glfw3)
  endif()
  find_package(OpenGL QUIET)
  if(NOT ACTORS_IMGUI_PC_FOUND OR NOT OpenGL_FOUND)
    message(STATUS "dashboard: libimgui-dev, libglfw3-dev or OpenGL not found (scripts/setup.sh installs them); native dashboard skipped")
    return()
  endif()
  add_library(actors_imgui INTERFACE)
  target_link_libraries(actors_imgui INTERFACE PkgConfig::ACTORS_IMGUI_PC OpenGL::GL)
  target_include_directories(actors_imgui SYSTEM INTERFACE /usr/include/imgui/backends)
endif()
add_library(actors::imgui ALIAS actors_imgui)
set(ACTORS_HAVE_IMGUI ON)
