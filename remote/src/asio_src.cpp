// The one translation unit that compiles Asio, its SSL layer and Beast (every other file of
// ours that includes them sees BOOST_*_SEPARATE_COMPILATION and only declarations), so two
// cores do not rebuild them per file.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
