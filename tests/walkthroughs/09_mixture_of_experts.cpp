// Lesson 09 prints torch's numbers: every tensor record of data/reference/lesson09.txt
// appears verbatim and in order in the lesson's output, for the default
// configuration and another (--seed 42 --experts 6 --top-k 3 --hidden 16
// --capacity-factor 1.5); the layer's outputs and gradients are torch's; the
// parameter table is torch's count of Mixtral and DeepSeek-V3 skeletons; the flags'
// errors say what fits.
#include <cmath>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/book_inputs.hpp"
#include "lib/model_config.hpp"
#include "lib/moe.hpp"
#include "lib/ops.hpp"
#include "lib/print.hpp"
#include "lib/reference_file.hpp"
#include "tests/support/printed_in_order.hpp"
#include "tests/support/run_program.hpp"

using wb::Tensor;
using wb::testing::run_program;

namespace {

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/lesson09.txt");
    return file;
}

// The records the lesson prints, in its order
const std::vector<std::string> walkthrough_records = {
    "router_weight",  "router_logits",       "router_probs",  "topk_probs",         "topk_experts",
    "combine_weights", "tokens_per_expert",  "moe_out",       "top1_experts",       "top1_gates",
    "top1_tokens_per_expert", "top1_out",    "aux_mean_prob", "aux_fraction_top1",  "aux_loss_top1",
    "aux_fraction_topk", "aux_loss_topk",    "kept_top1",     "capacity_out_top1",  "kept_topk",
    "capacity_out_topk"};

std::string run_lesson09(const std::string& flags) {
    return run_program("'" WB_BINARY_DIR "/bin/lesson09' " + flags + " 2>&1; echo exit=$?");
}

// |found - expected| <= tolerance * (1 + |expected|): relative for large values,
// absolute near zero (a gradient of 2e-5 differs from torch's in the fifth digit)
void expect_close(const Tensor& found, const Tensor& expected, const std::string& what, float tolerance = 1e-6f) {
    BOOST_REQUIRE_MESSAGE(found.shape() == expected.shape(), what << ": shape " << wb::to_string(found.shape())
                                                                  << ", torch's " << wb::to_string(expected.shape()));
    for (std::size_t i = 0; i < expected.numel(); ++i) {
        const float a = found.values()[i], b = expected.values()[i];
        BOOST_TEST(std::abs(a - b) <= tolerance * (1.0f + std::abs(b)), what << "[" << i << "]: " << a << ", torch " << b);
    }
}

struct Config {
    std::string prefix;
    std::uint64_t seed;
    std::size_t experts, k, hidden;
};
const Config configs[] = {{"", 123, 4, 2, 12}, {"alt_", 42, 6, 3, 16}};

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson09_walkthrough)

BOOST_AUTO_TEST_CASE(prints_every_record_of_the_oracle_in_order) {
    const std::string output = run_lesson09("");
    BOOST_TEST(output.find("exit=0") != std::string::npos, output);
    wb::testing::expect_printed_in_order(output, oracle(), walkthrough_records);
}

BOOST_AUTO_TEST_CASE(agrees_with_torch_for_another_configuration) {
    const std::string output = run_lesson09("--seed 42 --experts 6 --top-k 3 --hidden 16 --capacity-factor 1.5");
    BOOST_TEST(output.find("exit=0") != std::string::npos, output);
    wb::testing::expect_printed_in_order(output, oracle(), walkthrough_records, "alt_");
}

BOOST_AUTO_TEST_CASE(the_layer_and_its_gradients_are_torchs) {
    const Tensor x0 = wb::your_journey_starts_with_one_step().vectors;
    for (const Config& c : configs) {
        for (const bool switch_gate : {false, true}) {
            wb::Generator g(c.seed);
            const std::size_t k = switch_gate ? 1 : c.k;
            wb::MixtureOfExperts moe(3, c.hidden, c.experts, k, g,
                                     switch_gate ? wb::Gate::router_prob : wb::Gate::renormalized);
            Tensor R(wb::Shape{6, 3});
            for (std::size_t i = 0; i < 18; ++i) R.values()[i] = (static_cast<float>(i) - 8.5f) / 8.5f;
            const Tensor out = moe.forward(x0);
            const std::string p = c.prefix + (switch_gate ? "top1_" : "");
            expect_close(moe.router_probs(), oracle()[c.prefix + "router_probs"].tensor(), p + "router_probs");
            expect_close(out, oracle()[c.prefix + (switch_gate ? "top1_out" : "moe_out")].tensor(), p + "out");
            const float alpha = 0.01f;
            const float aux = moe.load_balancing_loss(alpha);
            BOOST_TEST(aux == oracle()[c.prefix + (switch_gate ? "aux_loss_top1" : "aux_loss_topk")].tensor().item(),
                       boost::test_tools::tolerance(1e-6f));
            const Tensor dx = moe.backward(R, alpha);
            const std::string grad = c.prefix + (switch_gate ? "grad1_" : "grad_");
            expect_close(dx, oracle()[grad + "x"].tensor(), grad + "x", 1e-5f);
            expect_close(*moe.gradients()[0], oracle()[grad + "router_weight"].tensor(), grad + "router_weight", 1e-5f);
            if (switch_gate) continue;
            const std::size_t e = oracle().contains(c.prefix + "grad_expert_index")
                                      ? static_cast<std::size_t>(oracle()[c.prefix + "grad_expert_index"].integer("value"))
                                      : 0;
            const auto expert = moe.experts[e].gradients();
            const std::string name = fmt::format("{}grad_expert{}_", c.prefix, e);
            expect_close(*expert[0], oracle()[name + "fc1_weight"].tensor(), name + "fc1_weight", 1e-5f);
            expect_close(*expert[1], oracle()[name + "fc1_bias"].tensor(), name + "fc1_bias", 1e-5f);
            expect_close(*expert[2], oracle()[name + "fc2_weight"].tensor(), name + "fc2_weight", 1e-5f);
            expect_close(*expert[3], oracle()[name + "fc2_bias"].tensor(), name + "fc2_bias", 1e-5f);
        }
    }
}

BOOST_AUTO_TEST_CASE(total_and_active_parameters_are_torchs_count) {
    const wb::MoEParameterCount mixtral = wb::count_parameters(wb::mixtral_8x7b());
    const wb::MoEParameterCount deepseek = wb::count_parameters(wb::deepseek_v3());
    const auto value = [](const std::string& name) {
        return static_cast<std::uint64_t>(oracle()[name].integer("value"));
    };
    BOOST_TEST(mixtral.expert == value("mixtral_expert"));
    BOOST_TEST(mixtral.total == value("mixtral_total"));
    BOOST_TEST(mixtral.active == value("mixtral_active"));
    BOOST_TEST(deepseek.expert == value("deepseek_v3_routed_expert"));
    BOOST_TEST(deepseek.total == value("deepseek_v3_total"));
    BOOST_TEST(deepseek.active == value("deepseek_v3_active"));
    const std::string output = run_lesson09("");
    for (const std::string name : {"params_total", "params_active", "mixtral_total", "mixtral_active",
                                   "deepseek_v3_total", "deepseek_v3_active"})
        BOOST_TEST(output.find(wb::format_count(value(name))) != std::string::npos, name << " in the table");
    for (const Config& c : configs) {
        wb::Generator g(c.seed);
        const wb::MixtureOfExperts moe(3, c.hidden, c.experts, c.k, g);
        BOOST_TEST(moe.num_parameters() == value(c.prefix + "params_total"));
        BOOST_TEST(moe.num_active_parameters() == value(c.prefix + "params_active"));
    }
}

BOOST_AUTO_TEST_CASE(flags_that_do_not_fit_are_refused_with_what_fits) {
    const std::string k = run_lesson09("--top-k 5");
    BOOST_TEST(k.find("error: --top-k 5 with --experts 4: each token picks k of the experts, so k takes 1 to 4") !=
                   std::string::npos,
               k);
    BOOST_TEST(k.find("exit=1") != std::string::npos, k);
    const std::string factor = run_lesson09("--capacity-factor 0");
    BOOST_TEST(factor.find("error: --capacity-factor 0 is not a factor") != std::string::npos, factor);
    const std::string word = run_lesson09("--capacity-factor lots");
    BOOST_TEST(word.find("'lots' is not a decimal number such as 1.25") != std::string::npos, word);
    BOOST_TEST(word.find("exit=2") != std::string::npos, word);
    const std::string experts = run_lesson09("--experts 65");
    BOOST_TEST(experts.find("error: --experts 65 is not a number of experts: it takes 1 to 64") != std::string::npos,
               experts);
}

BOOST_AUTO_TEST_SUITE_END()
