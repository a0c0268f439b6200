// Fuzz target: the lessons' command lines. The input split at '\n' is argv
// (after the program's name); the flags are every lesson's, of every kind. Besides
// the contract, a number a flag holds must be one the student typed.
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lib/flags.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using namespace wb;

namespace {

struct Values {
    std::string data, inputs, plot_dir;
    std::uint64_t seed = 123, seed_v2 = 789;
    int samples = 5, steps = 8000, query = 2, d_out = 2, heads = 2, kv_heads = 1, context = 16, top_k = 2;
    double budget = 1.0, capacity_factor = 1.0;
    bool scaling = false, no_timing = false, no_plots = false;
};

void add_every_kind(Flags& flags, Values& v) {
    flags.add("--data", v.data, "FILE", "word list");
    flags.add("--inputs", v.inputs, "FILE", "embeddings");
    flags.add("--plot-dir", v.plot_dir, "DIR", "where the pictures go");  // as PictureFolder::add_flags
    flags.add("--seed", v.seed, "SEED", "seed");
    flags.add("--seed-v2", v.seed_v2, "N", "second seed");
    flags.add("--samples", v.samples, "N", "samples");
    flags.add("--steps", v.steps, "N", "steps");
    flags.add("--query", v.query, "N", "query token");
    flags.add("--d-out", v.d_out, "N", "width");
    flags.add("--heads", v.heads, "N", "heads");
    flags.add("--kv-heads", v.kv_heads, "N", "key/value heads");
    flags.add("--context", v.context, "T", "positions");
    flags.add("--top-k", v.top_k, "K", "experts per token");
    flags.add("--budget", v.budget, "F", "share of the steps");
    flags.add("--capacity-factor", v.capacity_factor, "F", "room per expert");
    flags.add_switch("--scaling", v.scaling, "measure the scaling");
    flags.add_switch("--no-timing", v.no_timing, "no speed table");
    flags.add_switch("--no-plots,--no-plot", v.no_plots, "no pictures");
}

// True if `typed` is the decimal number `value`, in full ("-0" for 0 too).
bool reads_as(const std::string& typed, int value) {
    int parsed = 0;
    const char* end = typed.data() + typed.size();
    const auto [ptr, ec] = std::from_chars(typed.data(), end, parsed);
    return !typed.empty() && ec == std::errc() && ptr == end && parsed == value;
}

// A whole-number flag holds its default or a number one of the arguments spells
// in decimal (alone, or after '=' as in --steps=10): never 010 read as octal 8.
void check_typed(const std::vector<std::string>& args, int value, int default_value) {
    if (value == default_value) return;
    for (const std::string& a : args) {
        const std::size_t eq = a.find('=');
        if (reads_as(a, value) || (eq != std::string::npos && reads_as(a.substr(eq + 1), value))) return;
    }
    fuzz::finding("a whole-number flag holds a number nobody typed", std::to_string(value));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> args{"lesson"};
    const std::string text(reinterpret_cast<const char*>(data), size);
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string arg = text.substr(start, end - start);
        args.push_back(arg.substr(0, arg.find('\0')));  // what argv holds: the text up to a NUL
        start = end + 1;
    }
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    fuzz::expect_wb_errors([&] {
        Values v;
        Flags flags("lesson", "every lesson's flags");
        add_every_kind(flags, v);
        if (!flags.parse_or_throw(static_cast<int>(args.size()), argv.data())) {
            if (flags.help().empty()) fuzz::finding("--help printed nothing", "");
            return;
        }
        if (!std::isfinite(v.budget) || !std::isfinite(v.capacity_factor))
            fuzz::finding("a decimal flag accepted a value that is not finite", "");
        const Values defaults;
        for (const auto& [value, default_value] :
             {std::pair{v.samples, defaults.samples}, {v.steps, defaults.steps}, {v.query, defaults.query},
              {v.d_out, defaults.d_out}, {v.heads, defaults.heads}, {v.kv_heads, defaults.kv_heads},
              {v.context, defaults.context}, {v.top_k, defaults.top_k}})
            check_typed(args, value, default_value);
    });
    return 0;
}
