#pragma once
// The receiving half of a request, carried inside the request's envelope. Exactly one completion
// reaches the requester: a reply, an error, or - when every owner of this object lets it go
// without answering - ErrorCode::no_reply from the destructor. complete() and fail() may race
// from several threads (copies of a Responder); the first wins.

#include "actors/error.hpp"

namespace actors::detail {

class ReplyTo {
public:
    virtual ~ReplyTo() = default;
    virtual void fail(Error error) = 0;
};

template <class R>
class TypedReplyTo : public ReplyTo {
public:
    virtual void complete(R value) = 0;
};

}  // namespace actors::detail
