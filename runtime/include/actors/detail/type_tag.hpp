#pragma once
// A per-type tag whose address identifies a message type: comparing two pointers is the whole
// cost of a type test on the receive path. The readable name is demangled once, on first use.

#include <string>
#include <typeinfo>

namespace actors::detail {

std::string demangle(const char* mangled);

struct TypeTag {
    const std::string& (*name)();
};

template <class T>
const std::string& type_name_of() {
    static const std::string name = demangle(typeid(T).name());
    return name;
}

template <class T>
inline constexpr TypeTag type_tag{&type_name_of<T>};

}  // namespace actors::detail
