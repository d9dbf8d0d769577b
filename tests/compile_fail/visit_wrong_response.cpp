// Must not compile: a visit() handler for a Request returns a double where the Response is an int
// (it used to compile, and the reply was silently narrowed). With ACTORS_RIGHT_TYPE it returns an
// int and must compile, so the test fails for the right reason only.
#include <actors/message.hpp>

struct GetCount {
    using Response = int;
};

void handle(actors::Message& m) {
#ifdef ACTORS_RIGHT_TYPE
    m.visit([](const GetCount&) { return 3; });
#else
    m.visit([](const GetCount&) { return 3.5; });
#endif
}
