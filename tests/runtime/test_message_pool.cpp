// Envelopes come from the runtime's message pool: payloads of every size and alignment must
// arrive intact, and envelopes made on one thread and destroyed on another must be reclaimed.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "actors/actors.hpp"

using namespace actors;

namespace {
struct Small {
    int v;
};
struct Big {
    std::array<std::uint64_t, 64> v;  // 512 bytes: above the pooled sizes
};
struct alignas(64) Aligned {
    std::uint64_t v;
};
}  // namespace

TEST(MessagePool, PayloadsOfEverySizeAndAlignmentArriveIntact) {
    std::vector<std::unique_ptr<Message>> kept;
    for (int i = 0; i < 20000; ++i) {
        kept.push_back(detail::make_message<Small>(Pid{}, Small{i}));
        Big b{};
        b.v.fill(static_cast<std::uint64_t>(i));
        kept.push_back(detail::make_message<Big>(Pid{}, b));
        kept.push_back(detail::make_message<Aligned>(Pid{}, Aligned{static_cast<std::uint64_t>(i)}));
    }
    for (std::size_t k = 0; k < kept.size(); k += 3) {
        const int i = static_cast<int>(k / 3);
        ASSERT_EQ(kept[k]->as<Small>()->v, i);
        ASSERT_EQ(kept[k + 1]->as<Big>()->v[63], static_cast<std::uint64_t>(i));
        const Aligned* a = kept[k + 2]->as<Aligned>();
        ASSERT_EQ(reinterpret_cast<std::uintptr_t>(a) % alignof(Aligned), 0u);
        ASSERT_EQ(a->v, static_cast<std::uint64_t>(i));
    }
}

TEST(MessagePool, EnvelopesMadeOnOneThreadAreFreedOnAnother) {
    for (int round = 0; round < 20; ++round) {
        std::vector<std::unique_ptr<Message>> batch;
        for (int i = 0; i < 5000; ++i) batch.push_back(detail::make_message<Small>(Pid{}, Small{i}));
        std::thread consumer([&] {
            for (std::size_t i = 0; i < batch.size(); ++i) {
                ASSERT_EQ(batch[i]->as<Small>()->v, static_cast<int>(i));
                batch[i].reset();
            }
        });
        consumer.join();
    }
    // A thread that made envelopes and exited leaves them valid for whoever holds them.
    std::unique_ptr<Message> survivor;
    std::thread maker([&] { survivor = detail::make_message<Small>(Pid{}, Small{42}); });
    maker.join();
    EXPECT_EQ(survivor->as<Small>()->v, 42);
}
