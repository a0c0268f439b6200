// Lesson 05's exercises, checked against the torch oracle (data/reference/lesson05.txt).
// Built twice: with solutions/ (in the test suite) and with the student's file
// (`./workbook check 05`). Random inputs besides the book's keep a hard-coded
// answer from passing.
#include <cmath>
#include <string>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "lib/book_inputs.hpp"
#include "lib/ops.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson05::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;

namespace {

Tensor oracle(const std::string& name) { return wb::testing::reference("lesson05.txt")[name].tensor(); }

const int kSeeds[] = {7, 11};

std::string seeded(const std::string& name, int seed) { return name + "_seed" + std::to_string(seed); }

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson05)

BOOST_AUTO_TEST_CASE(exercise_5_1, *utf::description("causal attention weights")) {
    const auto book = attempt(
        [] { return lesson05::causal_softmax(oracle("attn_scores") / static_cast<float>(std::sqrt(2.0))); });
    if (!book) return;
    expect_close(*book, oracle("attn_weights_causal"), "causal_softmax(attn_scores / sqrt(2)) on the book's scores");
    for (const int seed : kSeeds) {
        const auto found = attempt([&] { return lesson05::causal_softmax(oracle(seeded("ex_scores", seed))); });
        if (found)
            expect_close(*found, oracle(seeded("ex_causal_weights", seed)),
                         "causal_softmax(torch.rand(5, 5) * 4 - 2), torch.manual_seed(" + std::to_string(seed) + ")");
    }
}

BOOST_AUTO_TEST_CASE(exercise_5_2, *utf::description("dropout, as torch draws it")) {
    wb::Generator g(123);
    const auto book = attempt([&] { return lesson05::dropout(wb::ones({6, 6}), 0.5, g); });
    if (!book) return;
    expect_close(*book, oracle("dropout_ones"), "dropout(torch.ones(6, 6), p=0.5) after torch.manual_seed(123)");
    for (const int seed : kSeeds)
        for (const int tenths : {5, 2}) {
            const std::string suffix = "_seed" + std::to_string(seed) + "_p" + std::to_string(tenths);
            wb::Generator gs(static_cast<std::uint64_t>(seed));
            const Tensor x = gs.rand({4, 5});  // the generator continues after x, as torch's does
            const double p = tenths / 10.0;  // 0.5 and 0.2, as the Python literals
            const auto found = attempt([&] { return lesson05::dropout(x, p, gs); });
            if (found)
                expect_close(*found, oracle("ex_dropout_out" + suffix),
                             "dropout(x, p=0." + std::to_string(tenths) + ") with torch.manual_seed(" +
                                 std::to_string(seed) + "); x = torch.rand(4, 5)");
        }
}

BOOST_AUTO_TEST_CASE(exercise_5_3, *utf::description("causal attention of one sequence")) {
    // The book's CausalAttention (seed 123): nn.Linear's weights, transposed, are the matrices.
    const Tensor inputs = wb::your_journey_starts_with_one_step().vectors;
    const auto book = attempt([&] {
        return lesson05::causal_attention(inputs, wb::T(oracle("ca_W_query_weight")), wb::T(oracle("ca_W_key_weight")),
                                          wb::T(oracle("ca_W_value_weight")));
    });
    if (!book) return;
    expect_close(*book, oracle("context_vecs").reshape({2, 6, 2}).row(0),
                 "causal_attention(inputs, the book's CausalAttention weights transposed)");
    for (const int seed : kSeeds) {
        const auto found = attempt([&] {
            return lesson05::causal_attention(oracle(seeded("ex_ca_x", seed)), oracle(seeded("ex_ca_Wq", seed)),
                                              oracle(seeded("ex_ca_Wk", seed)), oracle(seeded("ex_ca_Wv", seed)));
        });
        if (found)
            expect_close(*found, oracle(seeded("ex_ca_out", seed)),
                         "causal_attention(x, Wq, Wk, Wv) with torch.manual_seed(" + std::to_string(seed) +
                             "); x = torch.rand(5, 4); torch.rand(4, 3) three times");
    }
}

BOOST_AUTO_TEST_SUITE_END()
