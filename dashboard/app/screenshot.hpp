#pragma once
// Reads the current OpenGL framebuffer and writes it as a PNG: the headless capture mode's proof
// of what a person would have seen.

#include <string>

namespace actors::dashboard {

// Throws std::runtime_error if the file cannot be written.
void write_framebuffer_png(const std::string& path, int width, int height);

}  // namespace actors::dashboard
