// actors::remote_native: makes Boost.Beast the default transport of every Node in the process.
// It registers while the program starts (a namespace-scope initializer). A static library's
// object is linked only when something refers to it, so the target's consumers link with
// --undefined=actors_remote_native_default (see remote/CMakeLists.txt): this file is always in.
#include "remote/beast_transport.hpp"
#include "remote/node.hpp"

namespace actors::remote {
namespace {
std::shared_ptr<Transport> make_default() { return make_beast_transport(); }

const bool registered = [] {
    set_default_transport(&make_default);
    return true;
}();
}  // namespace
}  // namespace actors::remote

// The symbol the linker is told to keep (it keeps this object, and so the initializer above).
extern "C" {
extern const int actors_remote_native_default;
const int actors_remote_native_default = 1;
}
