#include "lib/flags.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {

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
    app_
        ->add_option_function<std::string>(
            name,
            [&value, name](const std::string& text) {
                int parsed = 0;
                const char* end = text.data() + text.size();
                const char* first = text.data() + (text.size() > 1 && text[0] == '+' ? 1 : 0);
                const auto [ptr, ec] = std::from_chars(first, end, parsed);
                if (text.empty() || ec != std::errc() || ptr != end)
                    throw CLI::ValidationError(
                        name, fmt::format("'{}' is not a whole number from -2147483648 to 2147483647, such as 2", text));
                value = parsed;
            },
            help)
        ->type_name(what)
        ->default_str(std::to_string(value));
}
// CLI11 would wrap -1 around to 2^64 - 1 and saturate larger numbers; a seed must
// be exactly the number the student typed.
void Flags::add(const std::string& name, std::uint64_t& value, const std::string& what, const std::string& help) {
    app_
        ->add_option_function<std::string>(
            name,
            [&value, name](const std::string& text) {
                std::uint64_t parsed = 0;
                const char* end = text.data() + text.size();
                const auto [ptr, ec] = std::from_chars(text.data(), end, parsed);
                if (text.empty() || ec != std::errc() || ptr != end)
                    throw CLI::ValidationError(
                        name, fmt::format("'{}' is not a whole number from 0 to 18446744073709551615", text));
                value = parsed;
            },
            help)
        ->type_name(what)
        ->default_str(std::to_string(value));
}
void Flags::add(const std::string& name, double& value, const std::string& what, const std::string& help) {
    app_
        ->add_option_function<std::string>(
            name,
            [&value, name](const std::string& text) {
                double parsed = 0;
                const char* end = text.data() + text.size();
                const auto [ptr, ec] = std::from_chars(text.data(), end, parsed);
                if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(parsed))
                    throw CLI::ValidationError(name, fmt::format("'{}' is not a decimal number such as 1.25", text));
                value = parsed;
            },
            help)
        ->type_name(what)
        ->default_str(fmt::format("{}", value));
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

void Flags::parse(int argc, char** argv) {
    try {
        app_->parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        fmt::print("{}", app_->help());
        std::exit(0);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "error: {}\n\n{}", plain_message(e.what()), app_->help());
        std::exit(2);
    }
}

void check_flag_range(const std::string& name, int value, int lo, int hi, const std::string& what) {
    if (value < lo || value > hi) throw ValueError(fmt::format("{} {} is not {}: it takes {} to {}", name, value, what, lo, hi));
}

}  // namespace wb
