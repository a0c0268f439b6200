#pragma once
// Command-line flags for lessons (CLI11 underneath, kept out of lesson compiles).
//
//   wb::Flags flags("lesson 03", "Simplified self-attention");
//   flags.add("--inputs", inputs_file, "FILE", "embeddings to use instead of the book's");
//   flags.parse(argc, argv);   // --help prints usage; a bad flag says what is accepted
#include <cstdint>
#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace wb {

class Flags {
public:
    Flags(const std::string& program, const std::string& description);
    ~Flags();

    void add(const std::string& name, std::string& value, const std::string& what, const std::string& help);
    void add(const std::string& name, int& value, const std::string& what, const std::string& help);
    void add(const std::string& name, std::uint64_t& value, const std::string& what, const std::string& help);
    // A decimal number such as 1.25 (no NaN or infinity).
    void add(const std::string& name, double& value, const std::string& what, const std::string& help);
    void add_switch(const std::string& name, bool& value, const std::string& help);

    // Parses the command line. --help prints the usage and exits 0; an unknown flag,
    // a missing value or a value of the wrong kind prints the problem and every
    // accepted flag, and exits 2.
    void parse(int argc, char** argv);
    // What parse does, without printing or exiting (for tests and the fuzz target):
    // false after --help, true after a good command line; a bad one throws ValueError
    // naming the problem.
    bool parse_or_throw(int argc, char** argv);
    // The usage: every accepted flag with its kind of value and default.
    std::string help() const;

private:
    std::unique_ptr<CLI::App> app_;
};

// The check a lesson makes of a number flag once parsed, in the words every lesson
// uses: ValueError "--d-out 0 is not a width: it takes 1 to 64" unless lo <= value <= hi.
void check_flag_range(const std::string& name, int value, int lo, int hi, const std::string& what);

// The steps a training lesson runs: --budget (a share, above 0 and at most 1) of
// --steps, rounded, at least 1. ValueError naming the flag when either is out of range.
std::size_t budgeted_steps(int steps, double budget);

}  // namespace wb
