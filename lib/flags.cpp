#include "lib/flags.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <system_error>
#include <type_traits>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {

namespace {

// A number flag reads its value with from_chars: the whole text, in decimal, so it
// is exactly the number the student typed. (CLI11's own conversion reads 010 as
// octal 8, 0x10 as 16 and "" as 0, wraps -1 around to 2^64 - 1 for an unsigned
// seed, and saturates larger numbers.) A decimal number must also be finite.
template <typename T>
void add_number(CLI::App& app, const std::string& name, T& value, const std::string& what, const std::string& help,
                const std::string& accepted) {
    app.add_option_function<std::string>(
           name,
           [&value, name, accepted](const std::string& text) {
               T parsed{};
               const char* end = text.data() + text.size();
               const auto [ptr, ec] = std::from_chars(text.data(), end, parsed);
               bool ok = !text.empty() && ec == std::errc() && ptr == end;
               if constexpr (std::is_floating_point_v<T>) ok = ok && std::isfinite(parsed);
               if (!ok) throw CLI::ValidationError(name, fmt::format("'{}' is not {}", text, accepted));
               value = parsed;
           },
           help)
        ->type_name(what)
        ->default_str(fmt::format("{}", value));
}

}  // namespace

Flags::Flags(const std::string& program, const std::string& description)
    : app_(std::make_unique<CLI::App>(description, program)) {}

Flags::~Flags() = default;

// An empty value (--inputs "") is refused rather than taken as "not given".
void Flags::add(const std::string& name, std::string& value, const std::string& what, const std::string& help) {
    app_
        ->add_option_function<std::string>(
            name,
            [&value, name, what](const std::string& text) {
                if (text.empty())
                    throw CLI::ValidationError(
                        name, fmt::format("the {} is empty; give one (or leave {} out for the default)", what, name));
                value = text;
            },
            help)
        ->type_name(what)
        ->default_str(value);
}
// CLI11's own message for --query x names the C++ type; this one says what to type.
void Flags::add(const std::string& name, int& value, const std::string& what, const std::string& help) {
    add_number(*app_, name, value, what, help,
               fmt::format("a whole number from {} to {}", std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}
void Flags::add(const std::string& name, std::uint64_t& value, const std::string& what, const std::string& help) {
    add_number(*app_, name, value, what, help, "a whole number from 0 to 18446744073709551615");
}
void Flags::add(const std::string& name, double& value, const std::string& what, const std::string& help) {
    add_number(*app_, name, value, what, help, "a decimal number such as 1.25");
}
void Flags::add_switch(const std::string& name, bool& value, const std::string& help) {
    app_->add_flag(name, value, help);
}

namespace {
// CLI11's "--query: 1 required N missing" as "--query needs a value: --query N".
std::string plain_message(const std::string& message) {
    const std::string required = ": 1 required ", missing = " missing";
    const std::size_t at = message.find(required);
    if (message.rfind("-", 0) != 0 || at == std::string::npos || !message.ends_with(missing)) return message;
    const std::string name = message.substr(0, at);
    const std::size_t from = at + required.size();
    return fmt::format("{} needs a value: {} {}", name, name, message.substr(from, message.size() - missing.size() - from));
}
}  // namespace

bool Flags::parse_or_throw(int argc, char** argv) {
    try {
        app_->parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        return false;
    } catch (const CLI::ParseError& e) {
        throw ValueError(plain_message(e.what()));
    }
    return true;
}

std::string Flags::help() const { return app_->help(); }

void Flags::parse(int argc, char** argv) {
    try {
        if (parse_or_throw(argc, argv)) return;
        fmt::print("{}", help());
        std::exit(0);
    } catch (const ValueError& e) {
        fmt::print(stderr, "error: {}\n\n{}", e.what(), help());
        std::exit(2);
    }
}

void check_flag_range(const std::string& name, int value, int lo, int hi, const std::string& what) {
    if (value < lo || value > hi) throw ValueError(fmt::format("{} {} is not {}: it takes {} to {}", name, value, what, lo, hi));
}

std::size_t budgeted_steps(int steps, double budget) {
    if (!(budget > 0.0 && budget <= 1.0))
        throw ValueError(fmt::format("--budget {} is outside (0, 1]: give e.g. 1 for the full run, 0.1 for a "
                                     "tenth of it", budget));
    if (steps < 1) throw ValueError(fmt::format("--steps {} must be at least 1", steps));
    return std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(budget * static_cast<double>(steps))));
}

}  // namespace wb
