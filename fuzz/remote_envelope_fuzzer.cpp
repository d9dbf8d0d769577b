// The remote envelope codec (what each sequence-numbered payload of a link carries), the decoder
// that reads a peer's bytes after the frame layer. The first byte picks what the rest is:
//   even: bytes as a peer would send them: decode_envelope either refuses them with
//         std::invalid_argument (any other exception, a crash or a huge allocation is a bug),
//         or returns an envelope that encodes back to bytes decoding to the same envelope;
//   odd:  an envelope built field by field from the script: decode(encode(e)) == e exactly.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "byte_script.hpp"
#include "remote/envelope.hpp"

using namespace actors::remote;
using actors::fuzz::ByteScript;

namespace {

std::string text(ByteScript& in) {
    std::string s(in.byte() % 40, '\0');
    for (char& c : s) c = static_cast<char>(in.byte());  // any bytes: the codec does not judge
    return s;
}

WirePid pid(ByteScript& in) {
    WirePid p;
    p.node = text(in);
    p.id = in.u64();
    p.generation = static_cast<std::uint32_t>(in.u64());
    return p;
}

void round_trip(const Envelope& e) {
    const Bytes bytes = encode(e);
    const Envelope back = decode_envelope(bytes);
    FUZZ_CHECK(back == e);
    FUZZ_CHECK(encode(back) == bytes);  // one encoding per envelope
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    if (data[0] % 2 == 0) {
        Envelope e;
        try {
            e = decode_envelope(ByteView(data + 1, size - 1));
        } catch (const std::invalid_argument& refused) {
            FUZZ_CHECK(std::string(refused.what()).rfind("malformed envelope: ", 0) == 0);
            return 0;
        }
        FUZZ_CHECK(static_cast<std::uint8_t>(e.kind) < envelope_kind_count);
        round_trip(e);
        return 0;
    }
    ByteScript in(data + 1, size - 1);
    Envelope e;
    e.kind = static_cast<EnvelopeKind>(in.byte() % envelope_kind_count);
    e.target = pid(in);
    e.sender = pid(in);
    e.type = text(in);
    e.body.resize(in.byte() % 64 * (in.byte() % 4 == 0 ? 1024 : 1));
    for (auto& b : e.body) b = in.byte();
    e.request_id = in.u64();
    e.code = in.byte();
    e.detail = text(in);
    e.flag = in.byte() & 1;
    round_trip(e);
    return 0;
}
