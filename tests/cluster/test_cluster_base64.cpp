// The base64 helper etcd's JSON gateway needs: RFC 4648 vectors, binary bytes, strict decoding.
#include <gtest/gtest.h>

#include "base64.hpp"

using actors::cluster::detail::base64_decode;
using actors::cluster::detail::base64_encode;

TEST(Base64, EncodesTheRfcVectorsAndDecodesThemBack) {
    const std::pair<const char*, const char*> v[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},       {"foo", "Zm9v"},
                                                     {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
    for (auto [plain, coded] : v) {
        EXPECT_EQ(base64_encode(plain), coded);
        EXPECT_EQ(base64_decode(coded), std::optional<std::string>(plain));
    }
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    EXPECT_EQ(base64_decode(base64_encode(all)), std::optional<std::string>(all));
}

TEST(Base64, RefusesWhatIsNotCanonicalBase64) {
    for (const char* bad : {"Zg", "Zg=", "Z===", "Zm9v!A==", "Zg==Zg==", "=Zg="}) EXPECT_EQ(base64_decode(bad), std::nullopt) << bad;
}
