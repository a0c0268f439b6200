#include "lib/lesson.hpp"

#include <exception>
#include <string>

#include <fmt/format.h>

namespace wb {
namespace {
// Underline length in characters, not bytes, so "ω" counts once.
std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}
}  // namespace

void section(std::string_view title) {
    fmt::print("\n{}\n{}\n", title, std::string(display_width(title), '='));
}

void heading(std::string_view title) {
    fmt::print("\n{}\n{}\n", title, std::string(display_width(title), '-'));
}

void note(std::string_view text) { fmt::print("{}\n", text); }

int run_lesson(const std::function<void()>& body) {
    try {
        body();
        return 0;
    } catch (const std::exception& e) {
        std::fflush(stdout);
        fmt::print(stderr, "error: {}\n", e.what());
        return 1;
    }
}

}  // namespace wb
