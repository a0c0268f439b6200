// Lesson 07 prints torch's numbers: every record of data/reference/lesson07.txt
// appears verbatim and in order in the lesson's output, for the default
// configuration and another (--seed 42 --d-out 12 --heads 6 --kv-heads 2); the
// attention weights are torch's; the flags' errors say what fits.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/book_inputs.hpp"
#include "lib/grouped_query_attention.hpp"
#include "lib/ops.hpp"
#include "lib/reference_file.hpp"
#include "tests/support/printed_in_order.hpp"
#include "tests/support/run_program.hpp"

using wb::testing::run_program;

namespace {

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson07.txt");
    return file;
}

// The walkthrough's records in the order the lesson prints them, for num_heads heads.
std::vector<std::string> walkthrough_records(std::size_t num_heads) {
    std::vector<std::string> names = {"head_map", "W_query_shape", "W_key_shape", "W_value_shape", "gqa_keys",
                                      "gqa_keys_repeated"};
    for (std::size_t h = 0; h < num_heads; ++h) names.push_back("gqa_attn_rows_head" + std::to_string(h));
    for (const char* name : {"gqa_out", "gqa_out_shape", "mha_out", "mqa_out", "params_mha", "params_gqa", "params_mqa"})
        names.push_back(name);
    return names;
}

std::string run_lesson07(const std::string& flags) {
    return run_program("'" WB_BINARY_DIR "/bin/lesson07' " + flags + " 2>&1; echo exit=$?");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson07_walkthrough)

BOOST_AUTO_TEST_CASE(prints_every_record_of_the_oracle_in_order) {
    std::vector<std::string> names = walkthrough_records(4);
    for (const char* name :
         {"llama_q_proj", "llama_k_proj", "llama_v_proj", "llama_o_proj", "llama_attention_per_layer",
          "llama_attention_all_layers", "llama_ffn_per_layer", "llama_embedding", "llama_total", "llama_kv_proj_mha",
          "llama_total_mha", "llama_kv_proj_gqa", "llama_total_gqa", "llama_kv_proj_mqa", "llama_total_mqa",
          "kv_row_mha", "kv_row_gqa", "kv_row_mqa"})
        names.push_back(name);
    const std::string output = run_lesson07("");
    BOOST_TEST(output.find("exit=0") != std::string::npos, output);
    wb::testing::expect_printed_in_order(output, oracle(), names);
}

BOOST_AUTO_TEST_CASE(agrees_with_torch_for_another_configuration) {
    const std::string output = run_lesson07("--seed 42 --d-out 12 --heads 6 --kv-heads 2");
    wb::testing::expect_printed_in_order(output, oracle(), walkthrough_records(6), "alt_");
}

BOOST_AUTO_TEST_CASE(the_heads_attention_weights_are_torchs) {
    struct Config {
        std::string prefix;
        std::uint64_t seed;
        std::size_t d_out, heads, kv_heads;
    };
    for (const Config& c : {Config{"", 123, 8, 4, 2}, Config{"alt_", 42, 12, 6, 2}}) {
        const wb::Tensor inputs = wb::your_journey_starts_with_one_step().vectors;
        wb::Generator g(c.seed);
        wb::GroupedQueryAttention gqa(3, c.d_out, 6, 0.0, c.heads, c.kv_heads, g);
        gqa.forward(wb::stack({inputs, inputs}));
        const wb::Tensor expected = oracle()[c.prefix + "gqa_attn_weights"].tensor();
        BOOST_REQUIRE(gqa.attn_weights().shape() == expected.shape());
        for (std::size_t i = 0; i < expected.numel(); ++i)
            BOOST_TEST(gqa.attn_weights().values()[i] == expected.values()[i], boost::test_tools::tolerance(1e-6f));
    }
}

BOOST_AUTO_TEST_CASE(flags_that_do_not_fit_are_refused_with_what_fits) {
    const std::string kv = run_lesson07("--kv-heads 3");
    BOOST_TEST(kv.find("error: --kv-heads 3 does not divide --heads 4") != std::string::npos, kv);
    BOOST_TEST(kv.find("exit=1") != std::string::npos, kv);
    const std::string heads = run_lesson07("--heads 3");
    BOOST_TEST(heads.find("error: --heads 3 does not divide --d-out 8") != std::string::npos, heads);
    const std::string zero = run_lesson07("--kv-heads 0");
    BOOST_TEST(zero.find("error: --kv-heads 0 does not divide --heads 4") != std::string::npos, zero);
    const std::string more = run_lesson07("--kv-heads 8");
    BOOST_TEST(more.find("error: --kv-heads 8 does not divide --heads 4") != std::string::npos, more);
}

BOOST_AUTO_TEST_SUITE_END()
