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

void Flags::add(const std::string& name, std::string& value, const std::string& what, const std::string& help) {
    app_->add_option(name, value, help)->type_name(what);
}
void Flags::add(const std::string& name, int& value, const std::string& what, const std::string& help) {
    app_->add_option(name, value, help)->type_name(what)->capture_default_str();
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

bool Flags::parse_or_throw(int argc, char** argv) {
    try {
        app_->parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        return false;
    } catch (const CLI::ParseError& e) {
        throw ValueError(e.what());
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

}  // namespace wb
