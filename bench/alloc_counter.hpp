#pragma once
// Live heap bytes, counted by the global operator new/delete that alloc_counter.cpp replaces in
// the benchmark binary (so it sees CAF's shared library too). Counting is off until start(), so
// the other workloads pay one relaxed load per allocation and nothing else.

#include <cstdint>

namespace bench::alloc {

void start() noexcept;
void stop() noexcept;
// Bytes allocated minus bytes freed since start() (malloc_usable_size of each block).
[[nodiscard]] std::int64_t live() noexcept;

}  // namespace bench::alloc
