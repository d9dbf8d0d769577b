#pragma once
// JSON parse and dump of the messages the JS API carries (bindings.cpp parses every body a page
// sends and dumps every reply): actors::json (ours) next to nlohmann's ordered_json in the same
// run, the two ways it could stand in for ours (json_peer.hpp). Issue 16 asks whether to replace
// ours; this is the speed half of the answer.
//
// Payloads are text as JavaScript's JSON.stringify writes it. One run of one (payload, operation,
// side) repeats the operation over the payload's texts until `seconds` have passed; figures are
// bytes of the payload text per second and texts (messages) per second, for parse and for dump
// (dump starts from the side's own parsed value).
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "../json_peer.hpp"
#include "../stopwatch.hpp"
#include "actors/bridge/json.hpp"

namespace bench::json_codec {

struct Payload {
    std::string id, title;
    std::vector<std::string> texts;
    std::size_t bytes() const {
        std::size_t n = 0;
        for (const auto& t : texts) n += t.size();
        return n;
    }
};

enum Side { kOurs, kIface, kDom, kSides };
inline const char* side_name(int s) {
    static const char* names[] = {"ours", "nlohmann_iface", "nlohmann_dom"};
    return names[s];
}

// Deterministic pseudo-random numbers (the same payloads every run, natively and in wasm).
struct Lcg {
    std::uint64_t s = 0x9E3779B97F4A7C15ull;
    std::uint32_t next() {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::uint32_t>(s >> 33);
    }
    std::uint32_t below(std::uint32_t n) { return next() % n; }
};

inline std::string qstr(const std::string& s) { return "\"" + s + "\""; }

// A number as JSON.stringify prints it for the values used here (short decimal forms).
inline std::string num(Lcg& r) {
    char buf[32];
    switch (r.below(4)) {
        case 0: std::snprintf(buf, sizeof buf, "%u", r.below(100)); break;
        case 1: std::snprintf(buf, sizeof buf, "%u", r.next()); break;
        case 2: std::snprintf(buf, sizeof buf, "-%u.%02u", r.below(1000), 1 + r.below(99)); break;
        default: std::snprintf(buf, sizeof buf, "0.%u", 1 + r.below(9)); break;
    }
    return buf;
}

inline std::string word(Lcg& r) {
    static const char* words[] = {"user", "room", "lobby", "count", "alpha", "value", "status", "ready", "delta", "kind"};
    return words[r.below(10)];
}

inline std::string mixed_value(Lcg& r, int depth) {
    switch (r.below(depth > 0 ? 7 : 5)) {
        case 0: return num(r);
        case 1: return qstr(word(r) + ":" + std::to_string(r.below(1000)));
        case 2: return r.below(2) ? "true" : "false";
        case 3: return "null";
        case 4: return num(r);
        case 5: {
            std::string s = "{";
            const int n = 1 + static_cast<int>(r.below(4));
            for (int i = 0; i < n; ++i) s += (i ? "," : "") + qstr(word(r) + std::to_string(i)) + ":" + mixed_value(r, depth - 1);
            return s + "}";
        }
        default: {
            std::string s = "[";
            const int n = static_cast<int>(r.below(5));
            for (int i = 0; i < n; ++i) s += (i ? "," : "") + mixed_value(r, depth - 1);
            return s + "]";
        }
    }
}

inline std::vector<Payload> payloads() {
    std::vector<Payload> out;
    Lcg r;
    // Small message objects, the bulk of page <-> actor traffic.
    out.push_back({"small", "small message objects (16 shapes, 20–90 B)",
                   {R"({"type":"add","n":42})", R"({"type":"get","key":"user:17"})", R"({"ok":true,"value":3})",
                    R"({"type":"move","x":-12.5,"y":0.25})", R"({"type":"join","room":"lobby","user":{"id":7,"name":"ada"}})",
                    R"({"ok":false,"error":{"code":"timeout","ms":5000}})", R"({"type":"tick"})", R"([1,2,3])",
                    R"({"type":"set","key":"status","value":"ready"})", R"({"type":"batch","items":[1,2,3,4,5]})",
                    R"({"ok":true,"value":null})", R"({"type":"chat","text":"hello, world"})",
                    R"({"type":"score","player":"p1","delta":-3,"total":1204})", R"({"type":"add","n":0.1})",
                    R"({"type":"ping","seq":123456789})", R"({"type":"flags","a":true,"b":false,"c":null})"}});
    // About 1 KiB: one object nested four levels.
    {
        std::string s = "{\"type\":\"snapshot\",\"seq\":" + std::to_string(r.next()) + ",\"state\":{";
        for (int i = 0; s.size() < 1000; ++i)
            s += (i ? "," : "") + qstr("actor" + std::to_string(i)) + ":{\"name\":" + qstr(word(r)) + ",\"stats\":{\"sent\":" + num(r) +
                 ",\"recv\":" + num(r) + ",\"lat\":[" + num(r) + "," + num(r) + "," + num(r) + "]},\"ok\":true}";
        s += "}}";
        out.push_back({"nested_1k", "nested object (4 levels, ~1.1 KiB)", {s}});
    }
    // 64 KiB: an array of mixed values.
    {
        std::string s = "[";
        while (s.size() < 64 * 1024) s += (s.size() > 1 ? "," : "") + mixed_value(r, 2);
        s += "]";
        out.push_back({"array_64k", "array of mixed values (64 KiB)", {s}});
    }
    // Strings with escapes and non-ASCII (raw UTF-8 and \u escapes, a surrogate pair).
    {
        static const char* pieces[] = {"plain text ", "line\\nbreak ", "tab\\there ", "quote \\\"q\\\" ", "back\\\\slash ",
                                       "caf\xC3\xA9 ", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E ", "\xF0\x9F\x98\x80 ",
                                       "\\u00e9t\\u00e9 ", "\\ud83d\\ude00 ", "\\u0001ctl "};
        std::string s = "{\"type\":\"text\",\"lines\":[";
        for (int i = 0; i < 64; ++i) {
            std::string line;
            for (int k = 0; k < 6; ++k) line += pieces[r.below(11)];
            s += (i ? "," : "") + qstr(line);
        }
        s += "]}";
        out.push_back({"strings_4k", "strings with escapes and non-ASCII (~4 KiB)", {s}});
    }
    return out;
}

struct Figures {
    double bytes_per_s = 0, texts_per_s = 0;
};

// Holds every side's parsed form of a payload, for the dump runs.
struct Parsed {
    std::vector<actors::json::Value> values;
    std::vector<nl::ordered> doms;
};

inline Parsed parse_all(const Payload& p) {
    Parsed out;
    for (const auto& t : p.texts) {
        out.values.push_back(actors::json::parse(t));
        out.doms.push_back(nl::parse_dom(t));
    }
    return out;
}

inline volatile std::size_t g_sink = 0;

template <class F>
Figures timed(const Payload& p, double seconds, F&& once) {
    std::size_t rounds = 0, sink = 0;
    Stopwatch t;
    double elapsed = 0;
    do {
        for (std::size_t i = 0; i < p.texts.size(); ++i) sink += once(i);
        ++rounds;
        if ((rounds & 7) == 0 || p.texts[0].size() > 4096) elapsed = t.seconds();
    } while (elapsed < seconds);
    elapsed = t.seconds();
    g_sink = g_sink + sink;
    return {static_cast<double>(rounds * p.bytes()) / elapsed, static_cast<double>(rounds * p.texts.size()) / elapsed};
}

inline Figures parse_run(int side, const Payload& p, double seconds) {
    switch (side) {
        case kOurs: return timed(p, seconds, [&](std::size_t i) { return actors::json::parse(p.texts[i]).is_object() ? 1u : 2u; });
        case kIface: return timed(p, seconds, [&](std::size_t i) { return nl::parse_value(p.texts[i]).is_object() ? 1u : 2u; });
        default: return timed(p, seconds, [&](std::size_t i) { return nl::parse_dom(p.texts[i]).is_object() ? 1u : 2u; });
    }
}

inline Figures dump_run(int side, const Payload& p, const Parsed& parsed, double seconds) {
    switch (side) {
        case kOurs: return timed(p, seconds, [&](std::size_t i) { return actors::json::dump(parsed.values[i]).size(); });
        case kIface: return timed(p, seconds, [&](std::size_t i) { return nl::dump_value(parsed.values[i]).size(); });
        default: return timed(p, seconds, [&](std::size_t i) { return nl::dump_dom(parsed.doms[i]).size(); });
    }
}

}  // namespace bench::json_codec
