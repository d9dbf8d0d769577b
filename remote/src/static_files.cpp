#include "static_files.hpp"

#include <algorithm>
#include <system_error>

namespace actors::remote {

std::string content_type_of(const std::filesystem::path& file) {
    const std::string ext = file.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".wasm") return "application/wasm";  // required for WebAssembly.instantiateStreaming
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".map") return "application/json";
    if (ext == ".png") return "image/png";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".txt" || ext == ".md") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

std::optional<StaticFile> resolve_static_file(const std::filesystem::path& root, std::string_view target) {
    std::string_view path = target.substr(0, target.find_first_of("?#"));
    if (path.empty() || path.front() != '/') return std::nullopt;
    if (path.find("..") != std::string_view::npos || path.find('\\') != std::string_view::npos ||
        path.find('%') != std::string_view::npos || path.find('\0') != std::string_view::npos)
        return std::nullopt;
    std::string relative(path.substr(1));
    if (relative.empty() || relative.back() == '/') relative += "index.html";
    std::error_code ec;
    const auto base = std::filesystem::canonical(root, ec);
    if (ec) return std::nullopt;
    const auto file = std::filesystem::canonical(base / relative, ec);
    if (ec) return std::nullopt;
    // A link inside the folder may point out of it: what counts is where the file really is.
    const auto [b, f] = std::mismatch(base.begin(), base.end(), file.begin(), file.end());
    if (b != base.end()) return std::nullopt;
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    return StaticFile{file, content_type_of(file)};
}

}  // namespace actors::remote
