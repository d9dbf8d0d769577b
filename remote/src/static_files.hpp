#pragma once
// Which file a plain HTTP GET names under a served folder, and its content type: the part of
// serving the dashboard page that needs no socket. Refuses anything that could leave the folder.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace actors::remote {

struct StaticFile {
    std::filesystem::path path;
    std::string content_type;
};

// The file for a request target ("/", "/index.html?x=1", "/dist/actors.wasm") under `root`, or
// nullopt: not a plain path (no "..", no backslash, no '%', no NUL), outside the folder once
// links are resolved, or not a regular file.
[[nodiscard]] std::optional<StaticFile> resolve_static_file(const std::filesystem::path& root, std::string_view target);

[[nodiscard]] std::string content_type_of(const std::filesystem::path& file);

}  // namespace actors::remote
