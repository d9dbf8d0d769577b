#pragma once
// Reads a fuzzer's input as a script of small operations. Running out of bytes reads zeros, so
// every input is a valid script and libFuzzer's mutations stay meaningful.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace actors::fuzz {

class ByteScript {
public:
    ByteScript(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    [[nodiscard]] bool done() const noexcept { return pos_ >= size_; }
    std::uint8_t byte() noexcept { return pos_ < size_ ? data_[pos_++] : 0; }
    std::uint64_t u64() noexcept {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = (v << 8) | byte();
        return v;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

// An invariant broke: say which, and crash so libFuzzer keeps the input.
[[noreturn]] inline void violated(const char* what, const char* file, int line) {
    std::fprintf(stderr, "fuzz invariant violated at %s:%d: %s\n", file, line, what);
    std::abort();
}

}  // namespace actors::fuzz

#define FUZZ_CHECK(cond) \
    do {                 \
        if (!(cond)) ::actors::fuzz::violated(#cond, __FILE__, __LINE__); \
    } while (0)
