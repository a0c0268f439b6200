// Lesson 05 prints the book's numbers: every tensor the oracle script printed with
// torch (data/reference/lesson05.txt) appears verbatim in the lesson's output, for
// the book's seeds and for others (--seed 42 --seed-v2 7 --d-out 3).
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/reference_file.hpp"
#include "tests/support/printed_in_order.hpp"
#include "tests/support/run_program.hpp"

using wb::testing::run_program;

namespace {

const std::vector<std::string> kPrinted = {
    "attn_weights", "mask_simple", "masked_simple", "masked_simple_norm", "masked", "attn_weights_causal",
    "dropout_ones", "dropout_weights", "batch_shape", "context_vecs", "context_vecs_shape", "attn_weights_dropout",
    "context_vecs_dropout"};

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson05.txt");
    return file;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson05_walkthrough)

BOOST_AUTO_TEST_CASE(prints_every_tensor_of_the_book_as_torch_does) {
    wb::testing::expect_printed_in_order(run_program("'" WB_BINARY_DIR "/bin/lesson05'"), oracle(), kPrinted);
}

BOOST_AUTO_TEST_CASE(agrees_with_torch_for_other_seeds_and_widths) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson05' --seed 42 --seed-v2 7 --d-out 3");
    wb::testing::expect_printed_in_order(output, oracle(), kPrinted, "alt_");
}

BOOST_AUTO_TEST_CASE(the_scaling_experiment_stays_behind_its_flag) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson05'");
    BOOST_TEST(output.find("grows with the square") == std::string::npos);
    const std::string help = run_program("'" WB_BINARY_DIR "/bin/lesson05' --help");
    BOOST_TEST(help.find("--scaling") != std::string::npos, help);
}

// --scaling: a row per context from 256 to 8192 tokens with the score matrix's exact
// size, then the fitted exponent. The times differ from run to run and machine to
// machine, so only their form is checked (a number of milliseconds, an exponent).
BOOST_AUTO_TEST_CASE(the_scaling_experiment_measures_six_contexts) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson05' --scaling --no-plots");
    const std::size_t at = output.find("The attention pattern grows with the square of the context");
    BOOST_TEST_REQUIRE(at != std::string::npos, output);
    std::string rows;
    const std::regex row(R"(^ +(\d+) +(\d+\.\d) +\d+\.\d\d$)");
    std::istringstream lines(output.substr(at));
    bool fitted = false;
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_match(line, m, row)) rows += m[1].str() + ":" + m[2].str() + " ";
        fitted = fitted || std::regex_match(line, std::regex(R"(fitted: time grows like T\^-?\d+\.\d\d \(memory like T\^2 exactly\))"));
    }
    BOOST_TEST(rows == "256:0.3 512:1.0 1024:4.2 2048:16.8 4096:67.1 8192:268.4 ", output);
    BOOST_TEST(fitted, output);
}

BOOST_AUTO_TEST_SUITE_END()
