#pragma once
// The messages of the multi-process cluster test, shared by the member program and the test.
#include <string>

#include <remote/registry.hpp>

namespace test_messages {

struct Where {
    std::string member;
    std::string identity;
    long count = 0;  // what this activation has handled, this message included
    MSGPACK_DEFINE(member, identity, count)
};
struct Hit {
    using Response = Where;
    MSGPACK_DEFINE()
};

inline void register_all() {
    actors::remote::register_message<Where>("test.cluster.where");
    actors::remote::register_message<Hit>("test.cluster.hit");
}

}  // namespace test_messages
