// Lesson 06 prints the book's numbers: every tensor the oracle script printed with
// torch (data/reference/lesson06.txt) appears verbatim in the lesson's output, for
// the book's seed and for another (--seed 42 --d-out 4); the per-head attention
// grids and the cross-attention match torch's values.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/book_inputs.hpp"
#include "lib/multi_head_attention.hpp"
#include "lib/ops.hpp"
#include "lib/reference_file.hpp"
#include "tests/support/printed_in_order.hpp"
#include "tests/support/run_program.hpp"

using wb::testing::run_program;

namespace {

const std::vector<std::string> kModules = {"batch_shape", "wrapper_out", "wrapper_out_shape", "mha_out", "mha_out_shape"};

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson06.txt");
    return file;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson06_walkthrough)

BOOST_AUTO_TEST_CASE(prints_every_tensor_of_the_book_as_torch_does) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson06'");
    wb::testing::expect_printed_in_order(
        output, oracle(),
        {"batch_shape", "wrapper_out", "wrapper_out_shape", "a4d_matmul", "a4d_first_res", "a4d_second_res", "mha_out",
         "mha_out_shape", "params_gpt2_mha", "params_gpt2_wrapper", "gpt3_query", "gpt3_key", "gpt3_value_down", "gpt3_value_up",
         "gpt3_per_head", "gpt3_per_block", "gpt3_all_attention", "value_map", "lowrank_two_steps", "lowrank_one_step",
         "cross_weights_rows"});
}

BOOST_AUTO_TEST_CASE(agrees_with_torch_for_another_seed_and_width) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson06' --seed 42 --d-out 4");
    wb::testing::expect_printed_in_order(output, oracle(), kModules, "alt_");
}

BOOST_AUTO_TEST_CASE(the_heads_attention_weights_are_torchs) {
    for (const std::string prefix : {"", "alt_"}) {
        const std::size_t d_out = prefix.empty() ? 2 : 4;
        const std::uint64_t seed = prefix.empty() ? 123 : 42;
        const wb::Tensor inputs = wb::your_journey_starts_with_one_step().vectors;
        wb::Generator g(seed);
        wb::MultiHeadAttention mha(3, d_out, 6, 0.0, 2, g);
        mha.forward(wb::stack({inputs, inputs}));
        const wb::Tensor expected = oracle()[prefix + "mha_attn_weights"].tensor();
        BOOST_REQUIRE(mha.attn_weights().shape() == expected.shape());
        for (std::size_t i = 0; i < expected.numel(); ++i)
            BOOST_TEST(mha.attn_weights().values()[i] == expected.values()[i], boost::test_tools::tolerance(1e-6f));
        const wb::Tensor before = oracle()[prefix + "mha_context_before_proj"].tensor();
        for (std::size_t i = 0; i < before.numel(); ++i)
            BOOST_TEST(mha.context_before_proj().values()[i] == before.values()[i], boost::test_tools::tolerance(1e-6f));
    }
}

BOOST_AUTO_TEST_CASE(rejects_heads_that_do_not_divide_the_width) {
    const std::string output = run_program("'" WB_BINARY_DIR "/bin/lesson06' --d-out 5 --heads 2 2>&1; echo exit=$?");
    BOOST_TEST(output.find("error: --heads 2 does not divide --d-out 5") != std::string::npos, output);
    BOOST_TEST(output.find("exit=1") != std::string::npos, output);
}

BOOST_AUTO_TEST_SUITE_END()
