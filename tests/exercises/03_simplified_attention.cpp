// Lesson 03's exercises, checked against the torch oracle (data/reference/lesson03.txt).
// Built twice: with solutions/ (in the test suite) and with the student's file
// (`./workbook check 03`). Random inputs besides the book's keep a hard-coded
// answer from passing.
#include <string>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson03::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;

namespace {

Tensor oracle(const std::string& name) { return wb::testing::reference("lesson03.txt")[name].tensor(); }

const char* const kSeeds[] = {"seed7", "seed11"};

std::string random_inputs(const std::string& seed) {
    return "5 random 4-dimensional embeddings (torch.manual_seed(" + seed.substr(4) + "); torch.rand(5, 4))";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson03)

BOOST_AUTO_TEST_CASE(exercise_3_1, *utf::description("attention scores for one query")) {
    const auto book = attempt([] { return lesson03::attention_scores(oracle("inputs"), 1); });
    if (!book) return;
    expect_close(*book, oracle("attn_scores_2"), "attention_scores(inputs, 1) on the book's six tokens");
    for (const std::string seed : kSeeds)
        for (const std::size_t q : {0, 3}) {
            const auto found =
                attempt([&] { return lesson03::attention_scores(oracle("ex_inputs_" + seed), q); });
            if (found)
                expect_close(*found, oracle("ex_scores_q" + std::to_string(q) + "_" + seed),
                             "attention_scores(x, " + std::to_string(q) + ") on " + random_inputs(seed));
        }
}

BOOST_AUTO_TEST_CASE(exercise_3_2, *utf::description("softmax of every row")) {
    const auto book = attempt([] { return lesson03::softmax_rows(oracle("attn_scores")); });
    if (!book) return;
    expect_close(*book, oracle("attn_weights"), "softmax_rows(attn_scores) on the book's 6x6 scores");
    for (const std::string seed : kSeeds) {
        const auto found = attempt([&] { return lesson03::softmax_rows(oracle("ex_attn_scores_" + seed)); });
        if (found) expect_close(*found, oracle("ex_attn_weights_" + seed), "softmax_rows of the scores of " + random_inputs(seed));
    }
    const auto big = attempt([] { return lesson03::softmax_rows(oracle("ex_big_scores")); });
    if (big)
        expect_close(*big, oracle("ex_big_softmax"),
                     "softmax_rows on scores as large as 1000 (exp(1000) overflows: subtract the row maximum first)");
}

BOOST_AUTO_TEST_CASE(exercise_3_3, *utf::description("context vectors for every token")) {
    const auto book = attempt([] { return lesson03::context_vectors(oracle("inputs")); });
    if (!book) return;
    expect_close(*book, oracle("all_context_vecs"), "context_vectors(inputs) on the book's six tokens");
    for (const std::string seed : kSeeds) {
        const auto found = attempt([&] { return lesson03::context_vectors(oracle("ex_inputs_" + seed)); });
        if (found) expect_close(*found, oracle("ex_context_" + seed), "context_vectors on " + random_inputs(seed));
    }
}

BOOST_AUTO_TEST_SUITE_END()
