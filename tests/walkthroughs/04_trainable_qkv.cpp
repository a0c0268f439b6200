// Lesson 04 prints the book's numbers: every tensor the oracle script printed with
// torch (data/reference/lesson04.txt) appears verbatim in the lesson's output, for
// the book's seeds and for others (--seed 42 --seed-v2 7 --d-out 3).
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/reference_file.hpp"
#include "tests/support/printed_in_order.hpp"
#include "tests/support/run_program.hpp"

using wb::testing::run_program;

namespace {

const std::vector<std::string> kPrinted = {
    "inputs", "W_query", "W_key", "W_value", "query_2", "keys_shape", "values_shape", "attn_score_22",
    "attn_scores_2", "attn_weights_2", "context_vec_2", "sqrt_softmax", "sqrt_softmax_x8", "var_dot_d5",
    "var_scaled_d5", "var_dot_d20", "var_scaled_d20", "var_dot_d100", "var_scaled_d100", "sa_v1_out",
    "shape_inputs", "shape_W_query", "shape_attn_scores", "shape_context", "sa_v2_out", "ex31_v1_out"};

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson04.txt");
    return file;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson04_walkthrough)

BOOST_AUTO_TEST_CASE(prints_every_tensor_of_the_book_as_torch_does) {
    wb::testing::expect_printed_in_order(run_program("'" WB_BINARY_DIR "/bin/lesson04'"), oracle(), kPrinted);
}

BOOST_AUTO_TEST_CASE(agrees_with_torch_for_other_seeds_and_widths) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson04' --seed 42 --seed-v2 7 --d-out 3");
    wb::testing::expect_printed_in_order(output, oracle(), kPrinted, "alt_");
}

BOOST_AUTO_TEST_CASE(rejects_a_width_out_of_range) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson04' --d-out 0 2>&1; echo exit=$?");
    BOOST_TEST(output.find("error: --d-out 0 is not a width: it takes 1 to 64") != std::string::npos, output);
    BOOST_TEST(output.find("exit=1") != std::string::npos, output);
}

BOOST_AUTO_TEST_CASE(rejects_a_seed_that_is_not_a_whole_number_in_range) {
    for (const std::string seed : {"-1", "18446744073709551616", "12x"}) {
        const std::string output =
            run_program("'" WB_BINARY_DIR "/bin/lesson04' --seed " + seed + " 2>&1; echo exit=$?");
        BOOST_TEST(output.find("'" + seed + "' is not a whole number from 0 to 18446744073709551615") != std::string::npos,
                   output);
        BOOST_TEST(output.find("exit=2") != std::string::npos, output);
    }
}

BOOST_AUTO_TEST_SUITE_END()
