// Lesson 08 draws torch's masks and prints torch's numbers: every record of
// data/reference/lesson08.txt (grids built from Child et al.'s definitions in
// torch, pair counts, attention under each mask) appears verbatim and in order,
// for the default flags and others; flags that do not fit are refused.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/reference_file.hpp"
#include "tests/support/printed_in_order.hpp"
#include "tests/support/run_program.hpp"

using wb::testing::run_program;

namespace {

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson08.txt");
    return file;
}

const std::vector<std::string> kWalkthrough = {
    "grid_causal", "pairs_causal", "grid_window", "pairs_window", "grid_strided_local", "grid_strided_stride",
    "grid_strided", "pairs_strided", "grid_fixed_block", "grid_fixed_summary", "grid_fixed", "pairs_fixed",
    "grid_window_two_layers", "grid_strided_two_layers", "attn_causal", "context_causal", "attn_window",
    "context_window", "attn_strided", "context_strided", "attn_fixed", "context_fixed"};

std::string run_lesson08(const std::string& flags) {
    return run_program("'" WB_BINARY_DIR "/bin/lesson08' " + flags + " 2>&1; echo exit=$?");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson08_walkthrough)

BOOST_AUTO_TEST_CASE(prints_every_record_of_the_oracle_in_order) {
    std::vector<std::string> names = kWalkthrough;
    for (const char* name : {"long_pairs_causal", "long_pairs_window", "long_pairs_strided", "long_pairs_fixed"})
        names.push_back(name);
    const std::string output = run_lesson08("");
    BOOST_TEST(output.find("exit=0") != std::string::npos, output);
    BOOST_TEST(output.find("gives these contexts: yes") != std::string::npos, output);
    wb::testing::expect_printed_in_order(output, oracle(), names);
}

BOOST_AUTO_TEST_CASE(agrees_with_torch_for_other_flags) {
    const std::string output = run_lesson08("--context 12 --window 5 --stride 3 --summary 2 --seed 42");
    BOOST_TEST(output.find("gives these contexts: yes") != std::string::npos, output);
    wb::testing::expect_printed_in_order(output, oracle(), kWalkthrough, "alt_");
}

BOOST_AUTO_TEST_CASE(flags_that_do_not_fit_are_refused_with_what_fits) {
    const std::pair<const char*, const char*> cases[] = {
        {"--window 20", "error: --window 20 is larger than the context of 16 positions: it takes 1 to 16"},
        {"--window 0", "error: --window 0 is not a size: it takes 1 to 16"},
        {"--stride 17", "error: --stride 17 is larger than the context of 16 positions: it takes 1 to 16"},
        {"--summary 5", "error: --summary 5 is larger than a block of --stride 4: it takes 1 to 4"},
        {"--context 65", "error: --context 65 does not fit a grid: it takes 2 to 64 positions"},
        {"--context 8 --window 9", "error: --window 9 is larger than the context of 8 positions: it takes 1 to 8"}};
    for (const auto& [flags, message] : cases) {
        const std::string output = run_lesson08(flags);
        BOOST_TEST(output.find(message) != std::string::npos, flags << ": " << output);
        BOOST_TEST(output.find("exit=1") != std::string::npos, flags << ": " << output);
    }
}

BOOST_AUTO_TEST_SUITE_END()
