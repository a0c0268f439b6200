// Lesson 04's exercises, checked against the torch oracle (data/reference/lesson04.txt).
// Built twice: with solutions/ (in the test suite) and with the student's file
// (`./workbook check 04`). Random inputs besides the book's keep a hard-coded
// answer from passing.
#include <string>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "lib/ops.hpp"
#include "lib/random.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson04::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;

namespace {

Tensor oracle(const std::string& name) { return wb::testing::reference("lesson04.txt")[name].tensor(); }

const int kSeeds[] = {7, 11};

std::string seeded(const std::string& name, int seed) { return name + "_seed" + std::to_string(seed); }

std::string random_case(int seed) {
    return "5 random 4-dimensional tokens and 4x3 weights (torch.manual_seed(" + std::to_string(seed) +
           "); torch.rand(5, 4); torch.rand(4, 3) three times)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson04)

BOOST_AUTO_TEST_CASE(exercise_4_1, *utf::description("queries, keys and values")) {
    const auto book = attempt(
        [] { return lesson04::project_qkv(oracle("inputs"), oracle("W_query"), oracle("W_key"), oracle("W_value")); });
    if (!book) return;
    expect_close(book->queries.row(1), oracle("query_2"), "queries[1] (query_2) on the book's inputs, seed 123");
    expect_close(book->keys, oracle("keys"), "keys on the book's inputs, seed 123");
    expect_close(book->values, oracle("values"), "values on the book's inputs, seed 123");
    for (const int seed : kSeeds) {
        const auto found = attempt([&] {
            return lesson04::project_qkv(oracle(seeded("ex_x", seed)), oracle(seeded("ex_Wq", seed)),
                                         oracle(seeded("ex_Wk", seed)), oracle(seeded("ex_Wv", seed)));
        });
        if (!found) continue;
        expect_close(found->queries, oracle(seeded("ex_Q", seed)), "queries for " + random_case(seed));
        expect_close(found->keys, oracle(seeded("ex_K", seed)), "keys for " + random_case(seed));
        expect_close(found->values, oracle(seeded("ex_V", seed)), "values for " + random_case(seed));
    }
}

BOOST_AUTO_TEST_CASE(exercise_4_2, *utf::description("scaled attention scores")) {
    for (const int seed : kSeeds) {
        const auto found = attempt([&] {
            return lesson04::scaled_attention_scores(oracle(seeded("ex_Q", seed)), oracle(seeded("ex_K", seed)));
        });
        if (!found) return;
        expect_close(*found, oracle(seeded("ex_scaled_scores", seed)),
                     "scaled_attention_scores(Q, K) for " + random_case(seed) + ", d_k = 3");
    }
    // The book's query 2, scaled and softmaxed, gives the book's attention weights.
    const Tensor query_2 = oracle("query_2").reshape({1, 2});
    const auto scores = attempt([&] { return lesson04::scaled_attention_scores(query_2, oracle("keys")); });
    if (scores)
        expect_close(wb::softmax(*scores, -1).reshape({6}), oracle("attn_weights_2"),
                     "softmax(scaled_attention_scores(query_2 as a 1x2 matrix, keys)) on the book's inputs");
}

BOOST_AUTO_TEST_CASE(exercise_4_3, *utf::description("v1 with v2's weights (the book's exercise 3.1)")) {
    wb::Generator g(789);
    const wb::SelfAttention_v2 book_v2(3, 2, g);
    const auto book = attempt([&] { return lesson04::v1_with_v2_weights(book_v2); });
    if (!book) return;
    expect_close(book->forward(oracle("inputs")), oracle("sa_v2_out"),
                 "v1_with_v2_weights(SelfAttention_v2 with seed 789).forward(inputs)");
    for (const int seed : kSeeds) {
        wb::Generator gs(static_cast<std::uint64_t>(seed + 100));
        const wb::SelfAttention_v2 v2(4, 3, gs);
        const auto found = attempt([&] { return lesson04::v1_with_v2_weights(v2); });
        if (found)
            expect_close(found->forward(oracle(seeded("ex_x", seed))), oracle(seeded("ex_v2_out", seed)),
                         "v1_with_v2_weights(SelfAttention_v2(4, 3), seed " + std::to_string(seed + 100) +
                             ") on " + random_case(seed));
    }
}

BOOST_AUTO_TEST_SUITE_END()
