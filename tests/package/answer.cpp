// The smallest real user of the package: an actor that answers a request, on the thread pool.
// Exit code 0 only if the answer came back; both consumer projects build this same file.
#include <actors/actors.hpp>

#include <cstdio>

namespace {

struct Add { long n; };
struct GetTotal { using Response = long; };

struct Accumulator : actors::Actor {
    long total = 0;
    void receive(actors::Context&, actors::Message& m) override {
        m.visit([&](const Add& a) { total += a.n; },
                [&](const GetTotal&) { return total; });
    }
};

}  // namespace

int main() {
    actors::Engine engine;
    actors::Pid acc = engine.spawn<Accumulator>("acc");
    engine.send(acc, Add{40});
    engine.send(acc, Add{2});
    auto total = engine.request(acc, GetTotal{}).get();
    if (!total || total.value() != 42) {
        std::puts("no answer");
        return 1;
    }
    std::printf("answer %ld\n", total.value());
    return 0;
}
