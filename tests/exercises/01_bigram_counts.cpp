// Lesson 01's exercises, checked against the torch oracle (data/reference/lesson01.txt).
// Built twice: with solutions/ (in the test suite) and with the student's file
// (`./workbook check 01`). A small word list besides names.txt keeps a typed-in
// answer from passing.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "lib/words.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson01::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;

namespace {

Tensor oracle(const std::string& name) { return wb::testing::reference("lesson01.txt")[name].tensor(); }

const std::vector<std::string>& names() {
    static const std::vector<std::string> words = wb::read_words(WB_SOURCE_DIR "/data/names.txt");
    return words;
}

const std::vector<std::string> kSmall = {"emma", "olivia", "ava", "isabella", "sophia"};

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson01)

BOOST_AUTO_TEST_CASE(exercise_1_1, *utf::description("the bigram count matrix")) {
    const auto small = attempt([] { return lesson01::count_bigrams(kSmall); });
    if (!small) return;
    expect_close(*small, oracle("small_N"), "count_bigrams of the first five names", 0.0f, 0.0f);
    const auto all = attempt([] { return lesson01::count_bigrams(names()); });
    if (all) expect_close(*all, oracle("N"), "count_bigrams of all of data/names.txt", 0.0f, 0.0f);
}

BOOST_AUTO_TEST_CASE(exercise_1_2, *utf::description("rows of probabilities, with smoothing")) {
    const auto small = attempt([] { return lesson01::normalize_rows(oracle("small_N"), 1.0f); });
    if (!small) return;
    expect_close(*small, oracle("small_P_smooth1"), "normalize_rows(counts of the first five names, 1)");
    const auto all = attempt([] { return lesson01::normalize_rows(oracle("N"), 1.0f); });
    if (all) expect_close(*all, oracle("P"), "normalize_rows(counts of names.txt, 1)");
}

BOOST_AUTO_TEST_CASE(exercise_1_3, *utf::description("average negative log-likelihood")) {
    const auto small = attempt([] { return Tensor::scalar(lesson01::average_nll(oracle("small_P_smooth1"), kSmall)); });
    if (!small) return;
    expect_close(*small, oracle("small_nll_avg_smooth1"), "average_nll of the five names under their own model");
    const std::vector<std::string> hundred(names().begin(), names().begin() + 100);
    const auto other = attempt([&] { return Tensor::scalar(lesson01::average_nll(oracle("small_P_smooth1"), hundred)); });
    if (other) expect_close(*other, oracle("names_nll_avg_under_small_P"), "average_nll of the first 100 names under that model");
    const auto all = attempt([] { return Tensor::scalar(lesson01::average_nll(oracle("P"), names())); });
    if (all) expect_close(*all, oracle("nll_avg"), "average_nll of names.txt under its add-one model");
}

BOOST_AUTO_TEST_SUITE_END()
