#include "actors/message.hpp"

#include <stdexcept>

namespace actors {

void Message::throw_not_this_message() const {
    throw std::logic_error("respond()/take_responder() was given a request that is not the message being handled (a " +
                           type_name() + "); answer the message you received");
}

}  // namespace actors
