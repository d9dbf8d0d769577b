// The remote codecs a peer's bytes reach after the frame layer. The first byte picks (mod 4):
//   0: bytes for decode_envelope (what each sequence-numbered payload of a link carries): either
//      refused with std::invalid_argument (any other exception, a crash or a huge allocation is
//      a bug), or an envelope that encodes back to bytes decoding to the same envelope;
//   1: an envelope built field by field from the script: decode(encode(e)) == e exactly;
//   2: bytes for decode_event, 3: for decode_snapshot (the event stream on the wire): refused
//      with invalid_argument, or decoded to what encodes back to the same value.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "byte_script.hpp"
#include "remote/envelope.hpp"
#include "remote/event_codec.hpp"

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
    // Version 2: one of the link's two ends by number (no name), or a node by name.
    p.ref = static_cast<NodeRef>(in.byte() % 3);
    if (p.ref == NodeRef::named) p.node = text(in);
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
    const ByteView rest(data + 1, size - 1);
    if (data[0] % 4 == 2 || data[0] % 4 == 3) {
        const bool event = data[0] % 4 == 2;
        Bytes once;
        try {
            once = event ? encode_event(decode_event(rest)) : encode_snapshot(decode_snapshot(rest));
        } catch (const std::invalid_argument& refused) {
            FUZZ_CHECK(std::string(refused.what()).rfind("malformed event: ", 0) == 0);
            return 0;
        }
        // What decoded encodes to bytes that decode to the same (one encoding per value).
        const Bytes twice = event ? encode_event(decode_event(once)) : encode_snapshot(decode_snapshot(once));
        FUZZ_CHECK(twice == once);
        return 0;
    }
    if (data[0] % 4 == 0) {
        Envelope e;
        try {
            e = decode_envelope(rest);
        } catch (const std::invalid_argument& refused) {
            FUZZ_CHECK(std::string(refused.what()).rfind("malformed envelope: ", 0) == 0);
            return 0;
        }
        FUZZ_CHECK(static_cast<std::uint8_t>(e.kind) < envelope_kind_count);
        round_trip(e);
        return 0;
    }
    ByteScript in(rest.data(), rest.size());
    Envelope e;
    e.kind = static_cast<EnvelopeKind>(in.byte() % envelope_kind_count);
    e.target = pid(in);
    e.sender = pid(in);
    if (in.byte() % 2 == 0) e.type_id = static_cast<std::uint32_t>(in.u64());
    else e.type = text(in);
    e.body.resize(in.byte() % 64 * (in.byte() % 4 == 0 ? 1024 : 1));
    for (auto& b : e.body) b = in.byte();
    e.request_id = in.u64();
    e.code = in.byte();
    e.detail = text(in);
    e.flag = in.byte() & 1;
    round_trip(e);
    return 0;
}
