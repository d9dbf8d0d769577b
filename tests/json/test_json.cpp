#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "actors/bridge/json.hpp"

using namespace actors;
using json::Value;

TEST(Json, ParsesEveryKindOfValue) {
    Value v = json::parse(R"( {"n": null, "t": true, "f": false, "i": -12, "d": 1.5e3, "s": "hi", "a": [1, [2]], "o": {}} )");
    ASSERT_TRUE(v.is_object());
    EXPECT_TRUE(v.find("n")->is_null());
    EXPECT_TRUE(v.find("t")->as_bool());
    EXPECT_FALSE(v.find("f")->as_bool());
    EXPECT_EQ(v.find("i")->as_number(), -12);
    EXPECT_EQ(v.find("d")->as_number(), 1500);
    EXPECT_EQ(v.find("s")->as_string(), "hi");
    EXPECT_EQ(v.find("a")->as_array()[1].as_array()[0].as_number(), 2);
    EXPECT_TRUE(v.find("o")->as_object().empty());
    EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(Json, KeepsObjectKeysInInsertionOrderLikeJavaScript) {
    EXPECT_EQ(json::dump(json::parse(R"({"z":1,"a":2,"m":3})")), R"({"z":1,"a":2,"m":3})");
}

TEST(Json, RoundTripsThroughDump) {
    const char* texts[] = {"null", "true", "[]", "{}", "0", "-0.5", "123456789", "1e-7", "\"a\\\"b\\\\c\\n\"",
                           R"({"k":[1,2,{"x":"y"}],"e":""})", "0.1", "1.7976931348623157e+308"};
    for (const char* t : texts) {
        Value v = json::parse(t);
        EXPECT_EQ(json::parse(json::dump(v)), v) << t;
    }
}

TEST(Json, DecodesUnicodeEscapesIncludingSurrogatePairs) {
    EXPECT_EQ(json::parse(R"("\u00e9")").as_string(), "\xC3\xA9");
    EXPECT_EQ(json::parse(R"("\ud83d\ude00")").as_string(), "\xF0\x9F\x98\x80");
    EXPECT_EQ(json::parse("\"\xE2\x82\xAC\"").as_string(), "\xE2\x82\xAC");  // raw UTF-8 passes through
}

TEST(Json, DumpEscapesControlCharacters) {
    EXPECT_EQ(json::dump(Value{std::string("a\x01\tb")}), R"("a\u0001\tb")");
}

TEST(Json, RejectsMalformedTextWithTheOffset) {
    struct Case {
        const char* text;
        std::size_t offset;
    } cases[] = {{"", 0}, {"[1,]", 3}, {"{\"a\" 1}", 5}, {"tru", 0}, {"01", 1}, {"1.", 2}, {"\"abc", 4},
                 {"[1] x", 4}, {"{1:2}", 1}, {"\"\\x\"", 3}, {"\"\\ud800\"", 7}, {"-", 1}, {"1e999", 0}};
    for (const auto& c : cases) {
        try {
            (void)json::parse(c.text);
            ADD_FAILURE() << "accepted: " << c.text;
        } catch (const json::Error& e) {
            EXPECT_EQ(e.offset(), c.offset) << c.text << ": " << e.what();
        }
    }
}

TEST(Json, RefusesNestingDeeperThanTheLimit) {
    std::string deep(600, '[');
    deep += std::string(600, ']');
    EXPECT_THROW((void)json::parse(deep), json::Error);
    EXPECT_NO_THROW((void)json::parse(deep, 1000));
}

TEST(Json, DumpRefusesNonFiniteNumbers) {
    EXPECT_THROW((void)json::dump(Value{std::nan("")}), json::Error);
    EXPECT_THROW((void)json::dump(Value{std::numeric_limits<double>::infinity()}), json::Error);
}

TEST(Json, WrongTypeAccessSaysWhatWasExpected) {
    try {
        (void)Value{"text"}.as_number();
        FAIL();
    } catch (const json::Error& e) {
        EXPECT_STREQ(e.what(), "expected a JSON number, got string");
    }
}

TEST(Json, SetReplacesOrAppendsMembers) {
    Value v;
    v.set("a", 1).set("b", 2).set("a", 3);
    EXPECT_EQ(json::dump(v), R"({"a":3,"b":2})");
}

// Found by fuzz/json_message_fuzzer: a repeated key was kept twice, and find() returned the
// first value where JavaScript's JSON.parse keeps the last - a native actor and the page read the
// same text differently.
TEST(Json, ARepeatedKeyKeepsItsFirstPlaceAndItsLastValueLikeJsonParse) {
    Value v = json::parse(R"({"a":1,"b":2,"a":3})");
    ASSERT_EQ(v.as_object().size(), 2u);
    EXPECT_EQ(v.as_object()[0].key, "a");
    EXPECT_EQ(v.find("a")->as_number(), 3);
    EXPECT_EQ(json::dump(v), R"({"a":3,"b":2})");
    // Large objects take the indexed path; same rule.
    std::string text = "{";
    for (int i = 0; i < 40; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    text += "\"k7\":\"last\"}";
    Value big = json::parse(text);
    EXPECT_EQ(big.as_object().size(), 40u);
    EXPECT_EQ(big.as_object()[7].value.as_string(), "last");
}
