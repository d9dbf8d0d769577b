#pragma once
// A self-signed certificate for 127.0.0.1, made at test time with the openssl command (never
// checked in). Tests make them in their build folder, in a directory of their own per process.
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace actors::remote::testing {

struct Certificate {
    std::filesystem::path cert;
    std::filesystem::path key;
};

inline Certificate make_certificate(const std::filesystem::path& dir, const std::string& name) {
    Certificate made{dir / (name + ".cert.pem"), dir / (name + ".key.pem")};
    const std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
                                " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
                                " -keyout '" + made.key.string() + "' -out '" + made.cert.string() + "' 2>/dev/null";
    if (std::system(command.c_str()) != 0 || !std::filesystem::exists(made.cert) || !std::filesystem::exists(made.key))
        throw std::runtime_error("openssl could not make a certificate: " + command);
    return made;
}

}  // namespace actors::remote::testing
