// json_behaviours: what actors::json does next to nlohmann's ordered_json kept to the JS-API rules
// (json_peer.hpp), case by case, with what JavaScript does; then a differential run of the two
// parsers behind the same interface over the json_message_fuzzer corpus and mutations of it.
// The table in docs/json.md is this program's output (issue 16).
//
//   json_behaviours [CORPUS_DIR] [MUTANTS]
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "json_peer.hpp"
#include "workloads/json_codec.hpp"

namespace aj = actors::json;
namespace nl = bench::nl;

namespace {

std::string printable(const std::string& s) {
    std::string o;
    for (unsigned char c : s) {
        if (c == '|') o += "\\|";
        else if (c < 0x20 || c >= 0x7f) {
            char b[8];
            std::snprintf(b, sizeof b, "\\x%02x", c);
            o += b;
        } else o += static_cast<char>(c);
    }
    return o.size() > 70 ? o.substr(0, 70) + "…" : o;
}

template <class F>
std::string outcome(F f) {
    try {
        return "`" + printable(f()) + "`";
    } catch (const aj::Error& e) {
        return "refused @" + std::to_string(e.offset()) + ": " + printable(e.what());
    } catch (const std::exception& e) {
        return std::string("throws ") + printable(e.what());
    }
}

void row(const std::string& what, const std::string& js, const std::function<std::string()>& ours,
         const std::function<std::string()>& iface, const std::function<std::string()>& dom) {
    std::cout << "| " << what << " | " << js << " | " << outcome(ours) << " | " << outcome(iface) << " | " << outcome(dom) << " |\n";
}

// parse then dump, each side its own way
void text_row(const std::string& what, const std::string& js, const std::string& text, std::size_t depth = 512) {
    row(what, js, [&] { return aj::dump(aj::parse(text, depth)); }, [&] { return nl::dump_value(nl::parse_value(text, depth)); },
        [&] { return nl::dump_dom(nl::parse_dom(text, depth)); });
}

void value_row(const std::string& what, const std::string& js, double d) {
    row(what, js, [&] { return aj::dump(aj::Value{d}); }, [&] { return nl::dump_value(aj::Value{d}); },
        [&] { return nl::dump_dom(nl::ordered(d)); });
}

std::string nest(int n) { return std::string(static_cast<std::size_t>(n), '[') + std::string(static_cast<std::size_t>(n), ']'); }

// ---- differential ----
struct Lcg {
    std::uint64_t s = 12345;
    std::uint32_t next() {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::uint32_t>(s >> 33);
    }
};

std::string mutate(std::string t, Lcg& r) {
    static const char* tokens[] = {"\\ud800", "\\udc00", "\\u00e9", "\xff", "\xed\xa0\x80", "\xc3\xa9", "-0", "1e21", "0.1",
                                   "1e999", "[", "]", "{", "}", ",", ":", "\"", "\\", "null", "tru", "\"a\":1", "12345678901234567890"};
    const int n = 1 + static_cast<int>(r.next() % 3);
    for (int k = 0; k < n; ++k) {
        const std::size_t at = t.empty() ? 0 : r.next() % (t.size() + 1);
        switch (r.next() % 4) {
            case 0: t.insert(at, tokens[r.next() % (sizeof tokens / sizeof *tokens)]); break;
            case 1: if (at < t.size()) t.erase(at, 1 + r.next() % 3); break;
            case 2: if (at < t.size()) t[at] = static_cast<char>(r.next() & 0xff); break;
            default: if (at < t.size()) t.insert(at, t.substr(at, r.next() % 8)); break;
        }
    }
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    std::cout << "| case | JavaScript (node " << "JSON.parse / JSON.stringify) | ours | nlohmann behind the interface | nlohmann DOM |\n"
              << "|---|---|---|---|---|\n";
    text_row("repeated key `{\"a\":1,\"b\":2,\"a\":3}`", "`{\"a\":3,\"b\":2}`", R"({"a":1,"b":2,"a":3})");
    text_row("500 nested arrays, limit 500", "accepted", nest(500), 500);
    text_row("502 nested arrays, limit 500", "accepted (no limit)", nest(502), 500);
    text_row("100000 nested arrays, default limit", "RangeError? (engine stack)", nest(100000));
    text_row("lone high surrogate `\"\\ud800\"`", "accepted (a lone UTF-16 unit)", R"("\ud800")");
    text_row("lone low surrogate `\"\\udc00x\"`", "accepted", R"("\udc00x")");
    text_row("high then non-low `\"\\ud800\\u0041\"`", "accepted", R"("\ud800\u0041")");
    text_row("raw byte 0xFF in a string", "n/a (JS text is UTF-16)", "\"\xff\"");
    text_row("raw CESU surrogate ED A0 80", "n/a", "\"\xed\xa0\x80\"");
    text_row("raw overlong C0 AF", "n/a", "\"\xc0\xaf\"");
    text_row("raw UTF-8 `é`, `😀`", "accepted", "\"\xc3\xa9\xf0\x9f\x98\x80\"");
    value_row("dump NaN", "`null` (the API refuses)", std::nan(""));
    value_row("dump Infinity", "`null` (the API refuses)", std::numeric_limits<double>::infinity());
    text_row("`1e21`", "`1e+21`", "1e21");
    text_row("`1e20`", "`100000000000000000000`", "1e20");
    text_row("`1e15`", "`1000000000000000`", "1e15");
    text_row("`0.1`", "`0.1`", "0.1");
    value_row("0.1 + 0.2", "`0.30000000000000004`", 0.1 + 0.2);
    text_row("`1.5e3`", "`1500`", "1.5e3");
    text_row("`-0`", "`0` (parses to -0)", "-0");
    text_row("`12345678901234567890`", "`12345678901234567000`", "12345678901234567890");
    text_row("`5e-324`", "`5e-324`", "5e-324");
    text_row("`1e-7`", "`1e-7`", "1e-7");
    text_row("`1e999`", "`null` (Infinity)", "1e999");
    text_row("error: `[1,]`", "Unexpected token ']', \"[1,]\" is not valid JSON", "[1,]");
    text_row("error: `tru`", "Unexpected end of JSON input", "tru");
    text_row("error: `{\"a\" 1}`", "Expected ':' after property name in JSON at position 5", "{\"a\" 1}");
    text_row("NUL byte then text `[1]\\0x`", "Unexpected non-whitespace character after JSON at position 3", std::string("[1]\0x", 5));
    text_row("trailing text `[1] x`", "Unexpected non-whitespace character after JSON at position 4", "[1] x");

    // Differential: same interface, both parsers, over the fuzzer corpus and mutations of it.
    std::vector<std::string> seeds;
    const std::string dir = argc > 1 ? argv[1] : "fuzz/corpus/json_message_fuzzer";
    if (std::filesystem::is_directory(dir))
        for (const auto& f : std::filesystem::directory_iterator(dir)) {
            std::ifstream in(f.path(), std::ios::binary);
            std::ostringstream ss;
            ss << in.rdbuf();
            seeds.push_back(ss.str());
        }
    for (const auto& p : bench::json_codec::payloads())
        for (const auto& t : p.texts) seeds.push_back(t);
    const long mutants = argc > 2 ? std::atol(argv[2]) : 200000;
    std::map<std::string, long> tally;
    std::map<std::string, std::string> example;
    Lcg r;
    for (long i = 0; i < mutants + static_cast<long>(seeds.size()); ++i) {
        const std::string text = i < static_cast<long>(seeds.size()) ? seeds[static_cast<std::size_t>(i)]
                                                                      : mutate(seeds[r.next() % seeds.size()], r);
        std::string a, b, kind;
        bool ok_a = true, ok_b = true;
        std::size_t off_a = 0, off_b = 0;
        aj::Value va, vb;
        try { va = aj::parse(text, 64); } catch (const aj::Error& e) { ok_a = false; off_a = e.offset(); }
        try { vb = nl::parse_value(text, 64); } catch (const aj::Error& e) { ok_b = false; off_b = e.offset(); }
        if (ok_a && ok_b) {
            if (!(va == vb)) kind = "both accept, values differ";
            else {
                std::string da, db;
                try { da = aj::dump(va); } catch (const std::exception&) { da = "<refused>"; }
                try { db = nl::dump_value(vb); } catch (const std::exception&) { db = "<refused>"; }
                kind = da == db ? "agree: same value, same text" : (db == "<refused>" ? "same value; nlohmann refuses to dump it" : "same value, dump text differs (numbers)");
            }
        } else if (!ok_a && !ok_b) kind = off_a == off_b ? "agree: both refuse, same offset" : "both refuse, offsets differ";
        else kind = ok_a ? "ours accepts, nlohmann refuses" : "nlohmann accepts, ours refuses";
        ++tally[kind];
        if (!example.count(kind)) example[kind] = printable(text);
    }
    std::cout << "\nDifferential, parse(text, 64) then dump, behind the same interface: " << seeds.size() << " seeds (fuzzer corpus + bench payloads) and "
              << mutants << " mutants\n\n| outcome | inputs | first example |\n|---|---|---|\n";
    for (const auto& [k, n] : tally) std::cout << "| " << k << " | " << n << " | `" << example[k] << "` |\n";
    return 0;
}
