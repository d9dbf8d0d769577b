// What the one-include header brings along. Only <actors/actors.hpp> (and GoogleTest) is
// included here, so what it pulls in is what this file sees.
#include <gtest/gtest.h>

#include "actors/actors.hpp"

namespace {
#if defined(SPDLOG_LEVEL_TRACE) || defined(SPDLOG_VER_MAJOR)
constexpr bool kSpdlogIncluded = true;
#else
constexpr bool kSpdlogIncluded = false;
#endif
#if defined(FMT_VERSION)
constexpr bool kFmtIncluded = true;
#else
constexpr bool kFmtIncluded = false;
#endif
}  // namespace

TEST(Headers, TheOneIncludeHeaderDoesNotPullInSpdlogOrFmt) {
    EXPECT_FALSE(kSpdlogIncluded) << "actors.hpp includes spdlog; logging belongs in actors/log.hpp";
    EXPECT_FALSE(kFmtIncluded) << "actors.hpp includes fmt; logging belongs in actors/log.hpp";
}
