#include "lib/flags.hpp"

#include <cstdlib>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

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
void Flags::add(const std::string& name, std::uint64_t& value, const std::string& what, const std::string& help) {
    app_->add_option(name, value, help)->type_name(what)->capture_default_str();
}
void Flags::add_switch(const std::string& name, bool& value, const std::string& help) {
    app_->add_flag(name, value, help);
}

void Flags::parse(int argc, char** argv) {
    try {
        app_->parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        fmt::print("{}", app_->help());
        std::exit(0);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "error: {}\n\n{}", e.what(), app_->help());
        std::exit(2);
    }
}

}  // namespace wb
