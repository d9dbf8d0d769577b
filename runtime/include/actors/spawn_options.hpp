#pragma once

#include "actors/mailbox_options.hpp"

namespace actors {

struct SpawnOptions {
    MailboxOptions mailbox{};
};

}  // namespace actors
